#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bcma/fw/linux/devices.hpp"

namespace bcma::fw::embedded {

namespace {

int xioctl(int fd, unsigned long request, void* arg) {
  int r = 0;
  do {
    r = ::ioctl(fd, request, arg);
  } while (r < 0 && errno == EINTR);
  return r;
}

}  // namespace

void yuyv_to_grey(const std::uint8_t* yuyv, int width, std::uint8_t* out) {
  for (int x = 0; x < width; ++x) out[x] = yuyv[2 * x];
}

V4l2Camera::V4l2Camera(std::string device, int width, int height)
    : device_(std::move(device)), width_(width), height_(height) {}

V4l2Camera::~V4l2Camera() { DoStop(); }

hal::Result<void> V4l2Camera::DoStart() {
  if (fd_ >= 0) return {};
  const int fd = ::open(device_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return hal::fail(hal::Errc::unavailable, hal::errno_message("open " + device_, errno));
  fd_ = fd;
  auto failed = [this](hal::Errc code, std::string message) {
    DoStop();
    return hal::fail(code, std::move(message));
  };
  v4l2_capability cap{};
  if (xioctl(fd_, VIDIOC_QUERYCAP, &cap) < 0) return failed(hal::Errc::io, hal::errno_message(device_ + ": VIDIOC_QUERYCAP", errno));
  if ((cap.capabilities & V4L2_CAP_VIDEO_CAPTURE) == 0 || (cap.capabilities & V4L2_CAP_STREAMING) == 0) {
    return failed(hal::Errc::bad_format, device_ + " is not a streaming capture device");
  }
  v4l2_format fmt{};
  fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  bool accepted = false;
  for (std::uint32_t format : {V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_YUYV}) {
    fmt.fmt.pix.width = static_cast<std::uint32_t>(width_);
    fmt.fmt.pix.height = static_cast<std::uint32_t>(height_);
    fmt.fmt.pix.pixelformat = format;
    fmt.fmt.pix.field = V4L2_FIELD_NONE;
    if (xioctl(fd_, VIDIOC_S_FMT, &fmt) == 0 && fmt.fmt.pix.pixelformat == format) {
      accepted = true;
      break;
    }
  }
  if (!accepted) return failed(hal::Errc::bad_format, device_ + " offers neither GREY nor YUYV frames");
  pixel_format_ = fmt.fmt.pix.pixelformat;
  width_ = static_cast<int>(fmt.fmt.pix.width);
  height_ = static_cast<int>(fmt.fmt.pix.height);
  bytes_per_line_ = fmt.fmt.pix.bytesperline;
  const std::uint32_t min_line = static_cast<std::uint32_t>(width_) * (pixel_format_ == V4L2_PIX_FMT_YUYV ? 2 : 1);
  if (bytes_per_line_ < min_line) bytes_per_line_ = min_line;

  v4l2_requestbuffers req{};
  req.count = 4;
  req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  req.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_REQBUFS, &req) < 0 || req.count < 2) {
    return failed(hal::Errc::io, hal::errno_message(device_ + ": VIDIOC_REQBUFS", errno));
  }
  buffer_count_ = std::min<std::uint32_t>(req.count, 4);
  for (std::uint32_t i = 0; i < buffer_count_; ++i) {
    v4l2_buffer buf{};
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    buf.index = i;
    if (xioctl(fd_, VIDIOC_QUERYBUF, &buf) < 0) return failed(hal::Errc::io, hal::errno_message(device_ + ": VIDIOC_QUERYBUF", errno));
    void* p = ::mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, buf.m.offset);
    if (p == MAP_FAILED) return failed(hal::Errc::io, hal::errno_message(device_ + ": mmap", errno));
    buffers_[i] = Buffer{p, buf.length};
    if (xioctl(fd_, VIDIOC_QBUF, &buf) < 0) return failed(hal::Errc::io, hal::errno_message(device_ + ": VIDIOC_QBUF", errno));
  }
  int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  if (xioctl(fd_, VIDIOC_STREAMON, &type) < 0) return failed(hal::Errc::io, hal::errno_message(device_ + ": VIDIOC_STREAMON", errno));
  frame_.resize(width_, height_);
  return {};
}

hal::Result<hal::CapturedFrame> V4l2Camera::DoCapture(std::chrono::milliseconds timeout) {
  if (fd_ < 0) return hal::fail(hal::Errc::unavailable, device_ + " is not started");
  pollfd pfd{fd_, POLLIN, 0};
  const int ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) return hal::fail(hal::Errc::io, hal::errno_message(device_ + ": poll", errno));
  if (ready == 0) return hal::fail(hal::Errc::timeout, "no frame from " + device_);
  v4l2_buffer buf{};
  buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  buf.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_DQBUF, &buf) < 0) {
    if (errno == EAGAIN) return hal::fail(hal::Errc::timeout, "no frame from " + device_);
    return hal::fail(hal::Errc::io, hal::errno_message(device_ + ": VIDIOC_DQBUF", errno));
  }
  const auto* data = static_cast<const std::uint8_t*>(buffers_[buf.index].start);
  const std::size_t needed = static_cast<std::size_t>(bytes_per_line_) * static_cast<std::size_t>(height_);
  if (buf.index >= buffer_count_ || buf.bytesused < needed) {
    xioctl(fd_, VIDIOC_QBUF, &buf);
    return hal::fail(hal::Errc::timeout, device_ + " delivered a short frame");
  }
  for (int y = 0; y < height_; ++y) {
    const std::uint8_t* row = data + static_cast<std::size_t>(y) * bytes_per_line_;
    if (pixel_format_ == V4L2_PIX_FMT_YUYV) {
      yuyv_to_grey(row, width_, frame_.row(y));
    } else {
      std::memcpy(frame_.row(y), row, static_cast<std::size_t>(width_));
    }
  }
  // The copy is ours: the buffer goes straight back to the driver.
  if (xioctl(fd_, VIDIOC_QBUF, &buf) < 0) return hal::fail(hal::Errc::io, hal::errno_message(device_ + ": VIDIOC_QBUF", errno));
  return hal::CapturedFrame{frame_.view(), std::chrono::steady_clock::now()};
}

void V4l2Camera::DoStop() {
  if (fd_ < 0) return;
  int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  xioctl(fd_, VIDIOC_STREAMOFF, &type);
  for (std::uint32_t i = 0; i < buffer_count_; ++i) {
    if (buffers_[i].start != nullptr) ::munmap(buffers_[i].start, buffers_[i].length);
    buffers_[i] = Buffer{};
  }
  buffer_count_ = 0;
  ::close(fd_);
  fd_ = -1;
}

}  // namespace bcma::fw::embedded
