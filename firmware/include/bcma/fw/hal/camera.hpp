#pragma once
/// \file
/// The camera: a source of greyscale frames with capture timestamps. Backends: the host
/// simulator (image files, a folder, synthesised barcodes) and V4L2 on the handheld.

#include <chrono>

#include "bcma/fw/hal/error.hpp"
#include "bcma/fw/scan/frame.hpp"

namespace bcma::fw::hal {

/// A frame borrowed from the camera: `view` stays valid until the next `capture` or `stop`.
struct CapturedFrame {
  scan::FrameView view;
  std::chrono::steady_clock::time_point captured_at;
};

/// Public methods forward to the private `Do*()` methods a backend implements (the Pigweed
/// pattern), so that checks and documentation live in one place.
class Camera {
 public:
  virtual ~Camera() = default;
  Camera() = default;
  Camera(const Camera&) = delete;
  Camera& operator=(const Camera&) = delete;

  /// Starts streaming (turns the sensor and the aimer on). Idempotent.
  /// Errors: `unavailable` (no device), `bad_format` (the sensor offers no format this code
  /// reads), `io`.
  Result<void> start() { return DoStart(); }

  /// The next frame, waiting at most `timeout`.
  /// Errors: `timeout` (no frame yet: the caller tries again), `end_of_input` (a finite
  /// simulated source is exhausted), `unavailable` (not started), `io`.
  Result<CapturedFrame> capture(std::chrono::milliseconds timeout) { return DoCapture(timeout); }

  /// Stops streaming; the last frame's view becomes invalid. Idempotent, never fails.
  void stop() { DoStop(); }

 private:
  virtual Result<void> DoStart() = 0;
  virtual Result<CapturedFrame> DoCapture(std::chrono::milliseconds timeout) = 0;
  virtual void DoStop() = 0;
};

}  // namespace bcma::fw::hal
