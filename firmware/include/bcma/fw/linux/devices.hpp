#pragma once
/// \file
/// The handheld's devices on embedded Linux (namespace `embedded`: `linux` is a predefined
/// macro in GNU C++): the camera through V4L2, the keypad through evdev, the display on a
/// text console. Thin by design: each class turns kernel calls into HAL calls and nothing
/// more; everything above the HAL is tested through the simulator. It builds here; it runs
/// only on the device.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "bcma/fw/hal/camera.hpp"
#include "bcma/fw/hal/display.hpp"
#include "bcma/fw/hal/keys.hpp"
#include "bcma/fw/scan/frame.hpp"

namespace bcma::fw::embedded {

/// A V4L2 capture device (/dev/videoN) streaming GREY or YUYV through mmap buffers; YUYV is
/// reduced to its luma, so the pipeline always gets 8-bit greyscale.
class V4l2Camera final : public hal::Camera {
 public:
  /// Nothing is opened until `start`.
  V4l2Camera(std::string device, int width, int height);
  ~V4l2Camera() override;

 private:
  hal::Result<void> DoStart() override;
  hal::Result<hal::CapturedFrame> DoCapture(std::chrono::milliseconds timeout) override;
  void DoStop() override;

  struct Buffer {
    void* start = nullptr;
    std::size_t length = 0;
  };
  std::string device_;
  int width_;
  int height_;
  int fd_ = -1;
  std::uint32_t pixel_format_ = 0;
  std::uint32_t bytes_per_line_ = 0;
  Buffer buffers_[4];
  std::uint32_t buffer_count_ = 0;
  scan::GreyImage frame_;
};

/// Keys from an evdev device (/dev/input/eventN): Enter = confirm, Esc or Backspace = back,
/// the arrows = up/down, Camera or Space = trigger, 0-9 (main row or keypad) = digits.
class EvdevKeypad final : public hal::Keypad {
 public:
  /// Errors (at `open`): `unavailable` (no such device or no permission), `io`.
  static hal::Result<std::unique_ptr<EvdevKeypad>> open(const std::string& device);
  ~EvdevKeypad() override;

 private:
  explicit EvdevKeypad(int fd) : fd_(fd) {}
  hal::Result<hal::Key> DoNextKey(std::chrono::milliseconds timeout) override;
  int fd_;
};

/// The screen as text on a console (/dev/tty1, or a serial console): each screen clears the
/// console and is drawn as the simulator prints it.
class ConsoleDisplay final : public hal::Display {
 public:
  /// Errors: `unavailable` (cannot open the console), `io`.
  static hal::Result<std::unique_ptr<ConsoleDisplay>> open(const std::string& device);
  ~ConsoleDisplay() override;

 private:
  explicit ConsoleDisplay(int fd) : fd_(fd) {}
  hal::Result<void> DoShow(const hal::Screen& screen) override;
  int fd_;
};

/// Maps an evdev key code (linux/input-event-codes.h) to a keypad key; nullopt for the others.
std::optional<hal::Key> key_of_evdev_code(std::uint16_t code);

/// Greyscale of a YUYV (YUY2) row: the luma bytes. `out` holds `width` bytes.
void yuyv_to_grey(const std::uint8_t* yuyv, int width, std::uint8_t* out);

}  // namespace bcma::fw::embedded
