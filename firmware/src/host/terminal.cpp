#include "bcma/fw/host/terminal.hpp"

#include <string_view>

namespace bcma::fw::host {

std::string render_screen(const hal::Screen& screen) {
  std::string out = "[screen " + screen.id + "] " + screen.title + "\n";
  auto line = [&out](std::string_view text) {
    out += "  ";
    out += text;
    out += '\n';
  };
  for (const auto& l : screen.lines) line(l);
  for (const auto& r : screen.reasons) line("! " + r.code + ": " + r.message);
  if (screen.entry) {
    const std::string shown =
        screen.entry->masked ? std::string(screen.entry->text.size(), '*') : screen.entry->text;
    line(screen.entry->label + ": " + shown + "_");
  }
  for (std::size_t i = 0; i < screen.menu.size(); ++i) {
    const bool selected = static_cast<int>(i) == screen.selected;
    line(std::string(selected ? "> " : "  ") + "[" + screen.menu[i].id + "] " + screen.menu[i].label);
  }
  if (!screen.notice.empty()) line("notice: " + screen.notice);
  if (!screen.status.empty()) line("status: " + screen.status);
  return out;
}

std::string render_signal(hal::Signal signal) {
  int beeps = 0;
  int pulses = 0;
  hal::LedColour led = hal::LedColour::kOff;
  bool prev_vibrate = false;
  for (const auto& step : hal::pattern(signal)) {
    if (step.tone_hz > 0) ++beeps;
    if (step.vibrate && !prev_vibrate) ++pulses;
    prev_vibrate = step.vibrate;
    if (led == hal::LedColour::kOff) led = step.led;
  }
  auto plural = [](int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  return "[signal " + std::string(hal::to_string(signal)) + "] LED " +
         std::string(hal::to_string(led)) + ", " + plural(beeps, "beep") + ", " +
         plural(pulses, "vibration pulse") + "\n";
}

hal::Result<void> TerminalDisplay::DoShow(const hal::Screen& screen) {
  std::string text = render_screen(screen);
  if (text == last_) return {};
  out_ << text << std::flush;
  if (!out_) return hal::fail(hal::Errc::io, "cannot write to the terminal");
  last_ = std::move(text);
  return {};
}

hal::Result<void> TerminalIndicator::DoSignal(hal::Signal s) {
  out_ << render_signal(s) << std::flush;
  if (!out_) return hal::fail(hal::Errc::io, "cannot write to the terminal");
  return {};
}

}  // namespace bcma::fw::host
