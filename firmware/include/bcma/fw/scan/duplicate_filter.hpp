#pragma once
/// \file
/// Duplicate-frame suppression: a camera sees the same code in frame after frame while the care
/// worker holds the scanner on it; the round must hear about it once.

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

namespace bcma::fw::scan {

/// Monotonic capture time of a frame (the camera's timestamp). Injected, never read here.
using Timestamp = std::chrono::steady_clock::time_point;

/// Reports a code the first time it is seen, then stays quiet while it keeps being seen with
/// gaps no longer than `window`. A code out of view for longer than `window` is reported again
/// when it comes back (the worker scanned it a second time on purpose).
class DuplicateFilter {
 public:
  explicit DuplicateFilter(std::chrono::milliseconds window) : window_(window) {}

  /// True if `key` (format and text of a symbol) should be reported at `now`. Every call counts
  /// as a sighting. Time that runs backwards (a camera clock reset) counts as a new scan, so a
  /// code is never silenced by a clock fault.
  bool admit(std::string_view key, Timestamp now);

  /// Forgets every code: the next sighting of anything is reported (e.g. a new round step).
  void reset() { last_seen_.clear(); }

  std::chrono::milliseconds window() const { return window_; }

 private:
  std::chrono::milliseconds window_;
  std::unordered_map<std::string, Timestamp> last_seen_;
};

}  // namespace bcma::fw::scan
