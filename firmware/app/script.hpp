#pragma once
// Scripts for bcma-scanner: one step per line, played against the simulator's devices so that
// tests and `bcma demo` can walk a round through the real scanner. docs/scanner.md "Scripts".
//
//   scan PATH                 an image file, or every image of a folder (relative to the script)
//   scan-synth CONTENT [k=v]  a camera frame synthesised from a barcode holding CONTENT
//   key NAME...               confirm back up down trigger 0..9
//   type TEXT                 digits (and '.') into the entry field
//   choose ID                 a menu item by id
//   wait SECONDS              the clock moves on (without waiting)
//   disconnect | connect      the network link off / on
//   sync [SECONDS]            wait (real time, default 10) until the outbox is empty
//   expect SCREEN_ID          stop with an error unless this screen is shown
//   say TEXT                  prints TEXT as a narration line (demos)
// '#' starts a comment; blank lines are skipped.

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/fw/host/camera.hpp"
#include "bcma/fw/host/devices.hpp"
#include "bcma/fw/hal/network_link.hpp"
#include "scanner_loop.hpp"

namespace bcma::fw::app {

enum class StepKind { kScan, kScanSynth, kKey, kType, kChoose, kWait, kDisconnect, kConnect, kSync, kExpect, kSay };

struct Step {
  StepKind kind = StepKind::kKey;
  std::vector<std::string> args;
  int line = 0;      ///< 1-based line in the script
  std::string text;  ///< the line as written, for the output
};

/// Parses a whole script (blank and comment lines skipped). Errors: `bad_script` ("line N:
/// ..." for an unknown step or a step with the wrong number of arguments).
Result<std::vector<Step>> parse_script(std::string_view text);

/// Plays steps against a ScannerLoop on the simulator's devices.
class ScriptRunner {
 public:
  /// All must outlive the runner. `base_dir` resolves relative image paths; `out` receives
  /// one `> step` line per step.
  ScriptRunner(ScannerLoop& loop, host::QueueCamera& camera, host::QueueKeypad& keypad,
               host::SimClock& clock, hal::NetworkLink& link, std::filesystem::path base_dir,
               std::ostream& out);

  /// Runs one step. Errors: `bad_script` (an unknown key, an unreadable image, a menu item or
  /// entry the screen does not have: "line N: ..."), `unexpected_screen` (an `expect` that did
  /// not hold), `not_synced` (`sync` ran out of time with records still in the outbox).
  Result<void> run(const Step& step);

 private:
  Result<void> present(std::vector<scan::GreyImage> frames);

  ScannerLoop& loop_;
  host::QueueCamera& camera_;
  host::QueueKeypad& keypad_;
  host::SimClock& clock_;
  hal::NetworkLink& link_;
  std::filesystem::path base_dir_;
  std::ostream& out_;
};

}  // namespace bcma::fw::app
