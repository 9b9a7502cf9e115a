#pragma once
/// \file
/// LED, buzzer and vibration motor. Each signal has its own pattern on every channel
/// (hardware/handheld.json), so that a care worker in gloves, in poor light, looking at the
/// resident rather than the screen, still knows at once whether to go ahead:
///
/// | signal   | LED   | buzzer                    | vibration      |
/// |----------|-------|---------------------------|----------------|
/// | proceed  | green | one short beep            | none           |
/// | warn     | amber | two beeps                 | one short pulse|
/// | block    | red   | one long low tone         | one long pulse |
/// | recorded | green | one very short click      | none           |
/// | error    | red   | three fast beeps          | two pulses     |
/// | attention| off   | one short click           | none           |

#include <cstdint>
#include <span>
#include <string_view>

#include "bcma/fw/hal/error.hpp"

namespace bcma::fw::hal {

enum class Signal : std::uint8_t { kProceed, kWarn, kBlock, kRecorded, kError, kAttention };
std::string_view to_string(Signal s);  ///< "proceed", "warn", "block", "recorded", "error", "attention"

enum class LedColour : std::uint8_t { kOff, kGreen, kAmber, kRed };
std::string_view to_string(LedColour c);

/// One step of a pattern: for `duration_ms`, the LED shows `led`, the buzzer sounds at
/// `tone_hz` (0: silent) and the motor runs or not.
struct PatternStep {
  LedColour led = LedColour::kOff;
  std::uint16_t tone_hz = 0;
  bool vibrate = false;
  std::uint16_t duration_ms = 0;
};

/// The pattern of a signal (the table above). Static data; never empty.
std::span<const PatternStep> pattern(Signal s);

class Indicator {
 public:
  virtual ~Indicator() = default;
  Indicator() = default;
  Indicator(const Indicator&) = delete;
  Indicator& operator=(const Indicator&) = delete;

  /// Plays `s`'s pattern, interrupting any pattern still playing. Returns at once (backends
  /// play in the background).
  /// Errors: `unavailable` (an output is missing: the others still play), `io`.
  Result<void> signal(Signal s) { return DoSignal(s); }

 private:
  virtual Result<void> DoSignal(Signal s) = 0;
};

}  // namespace bcma::fw::hal
