#pragma once
/// \file
/// What the care worker sees, as data: the round builds a `Screen`, a `Display` draws it. One
/// description serves the 320x240 handheld, the simulator's terminal and the tests, so a test
/// asserts exactly what a person would read.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bcma::fw::hal {

/// The meaning of a screen: decides its colour, its headline and the signal that goes with it.
enum class Tone {
  kNeutral,   ///< an instruction ("Scan the wristband")
  kProceed,   ///< give it
  kWarn,      ///< read the warning, acknowledge, then go ahead
  kBlock,     ///< do not give
  kRecorded,  ///< an outcome is safely stored
  kError,     ///< something failed (storage, station refused a record)
};
std::string_view to_string(Tone tone);  ///< "neutral", "proceed", "warn", "block", ...

/// One reason behind a verdict: a stable code for programs, a sentence for the care worker.
struct ScreenReason {
  std::string code;
  std::string message;
  friend bool operator==(const ScreenReason&, const ScreenReason&) = default;
};

/// One choice: `id` is stable (scripts and tests pick by it), `label` is what is shown.
struct MenuItem {
  std::string id;
  std::string label;
  friend bool operator==(const MenuItem&, const MenuItem&) = default;
};

/// A digit entry field (PIN, quantity, NHS number, GTIN).
struct Entry {
  std::string label;
  std::string text;    ///< as typed; a PIN is masked when drawn, never here in clear on screen
  bool masked = false;
  friend bool operator==(const Entry&, const Entry&) = default;
};

struct Screen {
  std::string id;                  ///< which step: "sign_in", "pin", "verdict", ... (docs/scanner.md)
  Tone tone = Tone::kNeutral;
  std::string title;               ///< the headline: "PROCEED", "WARNING", "BLOCKED", "Scan badge"
  std::vector<std::string> lines;  ///< body text, one line each
  std::vector<ScreenReason> reasons;
  std::optional<Entry> entry;
  std::vector<MenuItem> menu;
  int selected = 0;                ///< index into `menu`
  std::string notice;              ///< a one-off message: "That is a medicine pack. Scan ..."
  std::string status;              ///< the status bar: who is signed in, online/offline, waiting

  friend bool operator==(const Screen&, const Screen&) = default;
};

}  // namespace bcma::fw::hal
