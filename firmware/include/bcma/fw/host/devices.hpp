#pragma once
/// \file
/// The simulator's keypad and clock. Keys are pressed by whoever drives the simulator (the
/// script runner, stdin); the clock is the system's, plus an offset that a script's `wait`
/// moves forward so that a timeout of minutes can be shown in no time.

#include <chrono>
#include <deque>

#include "bcma/fw/hal/clock.hpp"
#include "bcma/fw/hal/keys.hpp"

namespace bcma::fw::host {

class QueueKeypad final : public hal::Keypad {
 public:
  void press(hal::Key key) { keys_.push_back(key); }
  /// No more keys will come: `next_key` answers `end_of_input` once the queue is empty.
  void close() { closed_ = true; }

 private:
  hal::Result<hal::Key> DoNextKey(std::chrono::milliseconds timeout) override;
  std::deque<hal::Key> keys_;
  bool closed_ = false;
};

class SimClock final : public hal::Clock {
 public:
  /// Moves both clocks forward by `d` without waiting.
  void advance(std::chrono::seconds d) { offset_ += d; }
  std::chrono::seconds offset() const { return offset_; }
  /// Sets the wall clock to read `t` now (a training or demo station running on another day
  /// or hour); it then runs on in real time. The monotonic clock is untouched.
  void start_wall_at(domain::Instant t) {
    wall_offset_ = t - std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }

 private:
  Monotonic DoMonotonic() const override { return std::chrono::steady_clock::now() + offset_; }
  domain::Instant DoWall() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) +
           offset_ + wall_offset_;
  }
  std::chrono::seconds offset_{0};
  std::chrono::seconds wall_offset_{0};
};

}  // namespace bcma::fw::host
