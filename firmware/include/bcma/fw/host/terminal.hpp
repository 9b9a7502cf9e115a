#pragma once
/// \file
/// The simulator's display and indicator: plain text lines on a stream (stdout), one block per
/// screen and one line per signal, so that a person at a terminal reads what the care worker
/// would, and a test reads the same lines. docs/scanner.md "Simulator output" shows the format.

#include <mutex>
#include <ostream>
#include <string>

#include "bcma/fw/hal/display.hpp"
#include "bcma/fw/hal/indicator.hpp"
#include "bcma/fw/hal/screen.hpp"

namespace bcma::fw::host {

/// The text of one screen: a header line `[screen <id>] <title>`, then the body, the reasons,
/// the entry field (a PIN masked), the menu (`> ` marks the selection), the notice and the
/// status bar, each line indented by two spaces.
std::string render_screen(const hal::Screen& screen);

/// `[signal <name>] LED <colour>, <n> beep(s), <m> vibration pulse(s)`.
std::string render_signal(hal::Signal signal);

class TerminalDisplay final : public hal::Display {
 public:
  /// `out` must outlive the display.
  explicit TerminalDisplay(std::ostream& out) : out_(out) {}

 private:
  hal::Result<void> DoShow(const hal::Screen& screen) override;
  std::ostream& out_;
  std::string last_;  ///< an unchanged screen is not printed again
};

class TerminalIndicator final : public hal::Indicator {
 public:
  explicit TerminalIndicator(std::ostream& out) : out_(out) {}

 private:
  hal::Result<void> DoSignal(hal::Signal s) override;
  std::ostream& out_;
};

}  // namespace bcma::fw::host
