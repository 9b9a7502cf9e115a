#include "bcma/fw/scan/frame.hpp"

#include <cstring>
#include <string>

namespace bcma::fw::scan {

Result<void> validate(const FrameView& frame) {
  if (frame.pixels == nullptr) return fail("bad_frame", "frame has no pixel buffer");
  if (frame.width <= 0 || frame.height <= 0) {
    return fail("bad_frame", "frame size " + std::to_string(frame.width) + "x" +
                                 std::to_string(frame.height) + " is empty");
  }
  if (frame.stride < frame.width) {
    return fail("bad_frame", "frame stride " + std::to_string(frame.stride) +
                                 " is smaller than its width " + std::to_string(frame.width));
  }
  return {};
}

GreyImage::GreyImage(int width, int height, std::uint8_t fill) {
  resize(width, height);
  if (size() > 0) std::memset(pixels_.data(), fill, size());
}

void GreyImage::resize(int width, int height) {
  width_ = width > 0 ? width : 0;
  height_ = height > 0 ? height : 0;
  if (pixels_.size() < size()) pixels_.resize(size());
}

GreyImage copy_of(const FrameView& frame) {
  if (!validate(frame)) return {};
  GreyImage image(frame.width, frame.height);
  for (int y = 0; y < frame.height; ++y) {
    std::memcpy(image.row(y), frame.row(y), static_cast<std::size_t>(frame.width));
  }
  return image;
}

}  // namespace bcma::fw::scan
