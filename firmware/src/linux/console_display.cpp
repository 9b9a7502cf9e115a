#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "bcma/fw/host/terminal.hpp"
#include "bcma/fw/linux/devices.hpp"

namespace bcma::fw::embedded {

hal::Result<std::unique_ptr<ConsoleDisplay>> ConsoleDisplay::open(const std::string& device) {
  const int fd = ::open(device.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return hal::fail(hal::Errc::unavailable, hal::errno_message("open " + device, errno));
  return std::unique_ptr<ConsoleDisplay>(new ConsoleDisplay(fd));
}

ConsoleDisplay::~ConsoleDisplay() { ::close(fd_); }

hal::Result<void> ConsoleDisplay::DoShow(const hal::Screen& screen) {
  // ESC[2J clears the console, ESC[H homes the cursor: one whole screen at a time.
  const std::string text = "\x1b[2J\x1b[H" + host::render_screen(screen);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return hal::fail(errno == ENODEV || errno == EIO ? hal::Errc::unavailable : hal::Errc::io,
                       hal::errno_message("write console", errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace bcma::fw::embedded
