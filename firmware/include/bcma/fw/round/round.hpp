#pragma once
/// \file
/// The medication round on the handheld, as a state machine that knows nothing of the
/// hardware: it reacts to scans, keys and the passing of time, asks the station (or, offline,
/// its own snapshot) for answers, writes every outcome to the outbox before it says
/// "recorded", and describes each screen and signal through the HAL's `Display` and
/// `Indicator`. docs/scanner.md draws the states and lists every screen id.
///
///   sign_in -> pin -> scan_wristband -> resident -> scan_item -> verdict
///     -> [acknowledge warning] -> [override_reason] -> [witness_badge -> witness_pin]
///     -> quantity | outcome -> recorded -> scan_item | scan_wristband
///
/// A scan of the wrong kind at a step is a notice on the same screen, never an error.
/// "Unable to scan" leads to typing the printed number, always recorded as typed with a reason.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/decimal.hpp"
#include "bcma/fw/hal/clock.hpp"
#include "bcma/fw/hal/display.hpp"
#include "bcma/fw/hal/indicator.hpp"
#include "bcma/fw/hal/keys.hpp"
#include "bcma/fw/outbox/outbox.hpp"
#include "bcma/fw/outbox/uuid.hpp"
#include "bcma/fw/round/offline_checker.hpp"
#include "bcma/fw/round/outbox_sender.hpp"
#include "bcma/fw/round/station_client.hpp"
#include "bcma/scan/scan.hpp"
#include "bcma/v1/envelope.pb.h"

namespace bcma::fw::round {

enum class State : std::uint8_t {
  kSignIn,          ///< "sign_in": scan a staff badge
  kPin,             ///< "pin"
  kScanWristband,   ///< "scan_wristband"
  kWristbandReason, ///< "wristband_reason": why it cannot be scanned
  kWristbandEntry,  ///< "wristband_entry": type the NHS number
  kResident,        ///< "resident": check the face against name, photo, date of birth
  kScanItem,        ///< "scan_item"
  kItemReason,      ///< "item_reason"
  kItemEntry,       ///< "item_entry": type the GTIN under the barcode
  kVerdict,         ///< "verdict"
  kOverrideReason,  ///< "override_reason"
  kWitnessBadge,    ///< "witness_badge"
  kWitnessPin,      ///< "witness_pin"
  kQuantity,        ///< "quantity"
  kOutcome,         ///< "outcome": why it was not given
  kRecorded,        ///< "recorded"
  kRecordFailed,    ///< "record_failed": the outbox could not store it
};
/// The screen id of a state ("sign_in", "pin", ...).
std::string_view to_string(State s);

/// One code read by the camera (or typed), as the round takes it.
struct ScanEvent {
  bcma::scan::Decode decode;  ///< what the reader reported (format, symbology, GS1 flag, text)
  bcma::scan::Scan scan;      ///< its classification
};

struct RoundOptions {
  /// No key or scan for this long while signed in: sign out (shared handhelds are left on
  /// trolleys; the next person must not act under this login).
  std::chrono::seconds inactivity_timeout{120};
  /// Wrong PINs in a row before an offline sign-in for that badge is refused until the
  /// station is back.
  int offline_pin_attempts = 3;
  /// GS1 company prefixes whose wristband GSRNs embed an NHS number (until a snapshot says).
  std::vector<std::string> nhs_gsrn_prefixes;
};

/// What the round needs from outside. All must outlive the round.
struct RoundDeps {
  StationClient& station;
  OutboxSender& sender;
  outbox::Outbox& outbox;
  hal::Display& display;
  hal::Indicator& indicator;
  const hal::Clock& clock;
  outbox::RandomSource& random;
};

class Round {
 public:
  Round(RoundDeps deps, RoundOptions options = {});
  ~Round();
  Round(const Round&) = delete;
  Round& operator=(const Round&) = delete;

  /// Shows the first screen (sign in).
  void start();

  /// A code was read (or typed into a scan by the simulator).
  void on_scan(const ScanEvent& event);
  /// A key was pressed.
  void on_key(hal::Key key);
  /// Picks the menu item `id` on the current screen, as moving to it and pressing confirm
  /// would. Errors: `no_such_option` (the message lists the options on screen).
  Result<void> choose(std::string_view id);
  /// Types digits (and '.', for quantities) into the current entry field.
  /// Errors: `no_entry` (this screen takes no typing), `bad_character`.
  Result<void> type(std::string_view text);
  /// Lets the round notice time passing (inactivity, session expiry) and the sender's news
  /// (rejected records). Call it from the main loop.
  void tick();

  State state() const { return state_; }
  const hal::Screen& screen() const { return screen_; }
  /// The last signal given, if any (for tests and the simulator's output).
  std::optional<hal::Signal> last_signal() const { return last_signal_; }
  bool signed_in() const { return staff_ != nullptr; }
  bool offline() const;
  OfflineChecker& offline_checker() { return offline_; }

  struct Staff;
  struct Resident;
  struct Item;

 private:
  // events per state (round.cpp, round_steps.cpp)
  void sign_in_scan(const ScanEvent& e);
  void submit_pin();
  void wristband_scan(const ScanEvent& e, const std::string& manual_reason);
  void item_scan(const ScanEvent& e, const std::string& manual_reason);
  void select(const std::string& id);
  void submit_entry();
  void after_witness_or_reason();
  void begin_give();
  void witness_scan(const ScanEvent& e);
  void submit_witness_pin();
  void record(const std::string& outcome_code);
  void store_record();
  void sign_out(std::string notice);
  void handle_session_lost(const CallError& error);
  void fetch_snapshot();
  void wrong_kind(const ScanEvent& e, std::string_view wanted);

  // screens (round_screens.cpp)
  void go(State s);
  void refresh();
  hal::Screen build_screen() const;
  void signal(hal::Signal s);
  std::string status_line() const;
  std::vector<hal::MenuItem> menu_for(State s) const;

  RoundDeps deps_;
  RoundOptions options_;
  OfflineChecker offline_;
  State state_ = State::kSignIn;
  hal::Screen screen_;
  std::optional<hal::Signal> last_signal_;
  std::string notice_;
  int selected_ = 0;
  std::string entry_;
  bool entry_prefilled_ = false;
  hal::Clock::Monotonic last_activity_{};

  std::string pending_badge_;   ///< scanned at sign_in, waiting for the PIN
  std::unique_ptr<Staff> staff_;
  std::unique_ptr<Resident> resident_;
  std::unique_ptr<Item> item_;
  std::string manual_reason_;   ///< chosen on a *_reason screen, used by the entry after it
  struct OfflineLogin;
  std::unique_ptr<OfflineLogin> offline_login_;  ///< PIN verifier of the last online sign-in
  /// The record being stored (kept for a retry with the same id and payload).
  std::optional<std::pair<outbox::Uuid, std::string>> unsaved_;
  std::string recorded_summary_;
  bool recorded_offline_ = false;
  std::vector<std::string> rejection_notices_;
};

}  // namespace bcma::fw::round
