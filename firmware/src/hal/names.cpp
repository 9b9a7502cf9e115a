// Stable names of the HAL's enumerations, and the indicator patterns.
#include <array>
#include <cstring>

#include "bcma/fw/hal/error.hpp"
#include "bcma/fw/hal/indicator.hpp"
#include "bcma/fw/hal/keys.hpp"
#include "bcma/fw/hal/network_link.hpp"
#include "bcma/fw/hal/screen.hpp"

namespace bcma::fw::hal {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::unavailable: return "unavailable";
    case Errc::timeout: return "timeout";
    case Errc::end_of_input: return "end_of_input";
    case Errc::bad_format: return "bad_format";
    case Errc::io: return "io";
    case Errc::not_connected: return "not_connected";
  }
  return "io";
}

std::string errno_message(std::string_view what, int err) {
  return std::string(what) + ": " + std::strerror(err);
}

std::string_view to_string(Tone tone) {
  switch (tone) {
    case Tone::kNeutral: return "neutral";
    case Tone::kProceed: return "proceed";
    case Tone::kWarn: return "warn";
    case Tone::kBlock: return "block";
    case Tone::kRecorded: return "recorded";
    case Tone::kError: return "error";
  }
  return "neutral";
}

std::string_view to_string(Signal s) {
  switch (s) {
    case Signal::kProceed: return "proceed";
    case Signal::kWarn: return "warn";
    case Signal::kBlock: return "block";
    case Signal::kRecorded: return "recorded";
    case Signal::kError: return "error";
    case Signal::kAttention: return "attention";
  }
  return "attention";
}

std::string_view to_string(LedColour c) {
  switch (c) {
    case LedColour::kOff: return "off";
    case LedColour::kGreen: return "green";
    case LedColour::kAmber: return "amber";
    case LedColour::kRed: return "red";
  }
  return "off";
}

namespace {

using L = LedColour;
// Tones: a high short beep reads as "fine", a long low tone as "stop" even through gloves and
// trolley noise; warn is two beeps so that it is never mistaken for either (handheld.json).
constexpr std::array<PatternStep, 1> kProceed{{{L::kGreen, 2700, false, 120}}};
constexpr std::array<PatternStep, 3> kWarn{{{L::kAmber, 2000, true, 150},
                                            {L::kAmber, 0, false, 120},
                                            {L::kAmber, 2000, false, 150}}};
constexpr std::array<PatternStep, 1> kBlock{{{L::kRed, 400, true, 900}}};
constexpr std::array<PatternStep, 1> kRecorded{{{L::kGreen, 3200, false, 40}}};
constexpr std::array<PatternStep, 5> kError{{{L::kRed, 2000, true, 80},
                                             {L::kRed, 0, false, 60},
                                             {L::kRed, 2000, true, 80},
                                             {L::kRed, 0, false, 60},
                                             {L::kRed, 2000, false, 80}}};
constexpr std::array<PatternStep, 1> kAttention{{{L::kOff, 3200, false, 30}}};

}  // namespace

std::span<const PatternStep> pattern(Signal s) {
  switch (s) {
    case Signal::kProceed: return kProceed;
    case Signal::kWarn: return kWarn;
    case Signal::kBlock: return kBlock;
    case Signal::kRecorded: return kRecorded;
    case Signal::kError: return kError;
    case Signal::kAttention: return kAttention;
  }
  return kAttention;
}

namespace {
constexpr std::array<std::string_view, 15> kKeyNames{
    "confirm", "back", "up", "down", "trigger", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
}  // namespace

std::string_view to_string(Key k) { return kKeyNames[static_cast<std::size_t>(k)]; }

std::optional<Key> key_from_string(std::string_view name) {
  for (std::size_t i = 0; i < kKeyNames.size(); ++i) {
    if (kKeyNames[i] == name) return static_cast<Key>(i);
  }
  return std::nullopt;
}

std::optional<char> digit_of(Key k) {
  const auto v = static_cast<int>(k) - static_cast<int>(Key::kDigit0);
  if (v < 0 || v > 9) return std::nullopt;
  return static_cast<char>('0' + v);
}

std::optional<Key> digit_key(char c) {
  if (c < '0' || c > '9') return std::nullopt;
  return static_cast<Key>(static_cast<int>(Key::kDigit0) + (c - '0'));
}

std::string_view to_string(LinkStatus s) {
  switch (s) {
    case LinkStatus::kDown: return "down";
    case LinkStatus::kConnecting: return "connecting";
    case LinkStatus::kUp: return "up";
    case LinkStatus::kRefused: return "refused";
  }
  return "down";
}

}  // namespace bcma::fw::hal
