#pragma once
/// \file
/// The keypad: confirm, back, up, down, the scan trigger and ten digits (hardware/handheld.json).
/// A care worker types nothing but a PIN, a quantity and, when a code cannot be scanned, the
/// digits printed under it.

#include <chrono>
#include <optional>
#include <string_view>

#include "bcma/fw/hal/error.hpp"

namespace bcma::fw::hal {

enum class Key : std::uint8_t {
  kConfirm, kBack, kUp, kDown, kTrigger,
  kDigit0, kDigit1, kDigit2, kDigit3, kDigit4, kDigit5, kDigit6, kDigit7, kDigit8, kDigit9,
};
/// "confirm", "back", "up", "down", "trigger", "0".."9".
std::string_view to_string(Key k);
std::optional<Key> key_from_string(std::string_view name);
/// '0'..'9' for the digit keys, nullopt otherwise.
std::optional<char> digit_of(Key k);
/// The digit key for '0'..'9', nullopt otherwise.
std::optional<Key> digit_key(char c);

class Keypad {
 public:
  virtual ~Keypad() = default;
  Keypad() = default;
  Keypad(const Keypad&) = delete;
  Keypad& operator=(const Keypad&) = delete;

  /// The next key pressed, waiting at most `timeout`.
  /// Errors: `timeout` (no key), `end_of_input` (a script or stdin ended), `unavailable`, `io`.
  Result<Key> next_key(std::chrono::milliseconds timeout) { return DoNextKey(timeout); }

 private:
  virtual Result<Key> DoNextKey(std::chrono::milliseconds timeout) = 0;
};

}  // namespace bcma::fw::hal
