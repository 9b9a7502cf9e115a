#pragma once
/// \file
/// Time on the handheld: a monotonic clock for timeouts (never jumps) and the wall clock for
/// what is recorded (when a dose was given). Logic never reads either directly: it is given a
/// `Clock`.

#include <chrono>

#include "bcma/domain/time.hpp"

namespace bcma::fw::hal {

class Clock {
 public:
  using Monotonic = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;

  /// For timeouts and durations. Never fails, never goes back.
  Monotonic monotonic() const { return DoMonotonic(); }
  /// UTC wall time, whole seconds (what records carry). Never fails; may jump when the
  /// station corrects it.
  domain::Instant wall() const { return DoWall(); }

 private:
  virtual Monotonic DoMonotonic() const = 0;
  virtual domain::Instant DoWall() const = 0;
};

/// The operating system's clocks (CLOCK_MONOTONIC and CLOCK_REALTIME).
class SystemClock final : public Clock {
 private:
  Monotonic DoMonotonic() const override { return std::chrono::steady_clock::now(); }
  domain::Instant DoWall() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

/// `Clock` as the `domain::Clock` the shared rules engine takes.
class WallClockAdapter final : public domain::Clock {
 public:
  explicit WallClockAdapter(const hal::Clock& clock) : clock_(clock) {}
  domain::Instant now() const override { return clock_.wall(); }

 private:
  const hal::Clock& clock_;
};

}  // namespace bcma::fw::hal
