#pragma once
/// \file
/// The display. Backends: the simulator's terminal (text, colours on a tty only), the
/// handheld's console/framebuffer, and the test fake that keeps every screen.

#include "bcma/fw/hal/error.hpp"
#include "bcma/fw/hal/screen.hpp"

namespace bcma::fw::hal {

class Display {
 public:
  virtual ~Display() = default;
  Display() = default;
  Display(const Display&) = delete;
  Display& operator=(const Display&) = delete;

  /// Replaces what is shown with `screen`.
  /// Errors: `unavailable` (the device is gone), `io`. A failed draw leaves the old screen up:
  /// the round keeps going, and the indicator still gives the signal.
  Result<void> show(const Screen& screen) { return DoShow(screen); }

 private:
  virtual Result<void> DoShow(const Screen& screen) = 0;
};

}  // namespace bcma::fw::hal
