#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "bcma/fw/linux/devices.hpp"

namespace bcma::fw::embedded {

std::optional<hal::Key> key_of_evdev_code(std::uint16_t code) {
  switch (code) {
    case KEY_ENTER: case KEY_KPENTER: case KEY_OK: return hal::Key::kConfirm;
    case KEY_ESC: case KEY_BACKSPACE: case KEY_BACK: return hal::Key::kBack;
    case KEY_UP: return hal::Key::kUp;
    case KEY_DOWN: return hal::Key::kDown;
    case KEY_CAMERA: case KEY_SPACE: return hal::Key::kTrigger;
    case KEY_0: case KEY_KP0: return hal::Key::kDigit0;
    case KEY_1: case KEY_KP1: return hal::Key::kDigit1;
    case KEY_2: case KEY_KP2: return hal::Key::kDigit2;
    case KEY_3: case KEY_KP3: return hal::Key::kDigit3;
    case KEY_4: case KEY_KP4: return hal::Key::kDigit4;
    case KEY_5: case KEY_KP5: return hal::Key::kDigit5;
    case KEY_6: case KEY_KP6: return hal::Key::kDigit6;
    case KEY_7: case KEY_KP7: return hal::Key::kDigit7;
    case KEY_8: case KEY_KP8: return hal::Key::kDigit8;
    case KEY_9: case KEY_KP9: return hal::Key::kDigit9;
    default: return std::nullopt;
  }
}

hal::Result<std::unique_ptr<EvdevKeypad>> EvdevKeypad::open(const std::string& device) {
  const int fd = ::open(device.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return hal::fail(hal::Errc::unavailable, hal::errno_message("open " + device, errno));
  return std::unique_ptr<EvdevKeypad>(new EvdevKeypad(fd));
}

EvdevKeypad::~EvdevKeypad() { ::close(fd_); }

hal::Result<hal::Key> EvdevKeypad::DoNextKey(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    input_event ev{};
    const ssize_t n = ::read(fd_, &ev, sizeof ev);
    if (n == static_cast<ssize_t>(sizeof ev)) {
      // value 1 is a press (0 release, 2 autorepeat: a held key is one press).
      if (ev.type == EV_KEY && ev.value == 1) {
        if (auto key = key_of_evdev_code(ev.code)) return *key;
      }
      continue;
    }
    if (n < 0 && errno == ENODEV) return hal::fail(hal::Errc::unavailable, "the keypad is gone");
    if (n < 0 && errno != EAGAIN && errno != EINTR) return hal::fail(hal::Errc::io, hal::errno_message("read keypad", errno));
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return hal::fail(hal::Errc::timeout, "no key pressed");
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
      return hal::fail(hal::Errc::io, hal::errno_message("poll keypad", errno));
    }
  }
}

}  // namespace bcma::fw::embedded
