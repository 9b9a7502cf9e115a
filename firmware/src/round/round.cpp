// The round's event handling: keys, menu choices, typing, time. The steps that talk to the
// station are in round_steps.cpp, the screens in round_screens.cpp.
#include "bcma/fw/round/round.hpp"

#include "round_internal.hpp"

namespace bcma::fw::round {

Round::Round(RoundDeps deps, RoundOptions options) : deps_(deps), options_(std::move(options)) {}

Round::~Round() = default;

void Round::start() {
  last_activity_ = deps_.clock.monotonic();
  go(State::kSignIn);
}

bool Round::offline() const { return !deps_.station.online(); }

void Round::on_scan(const ScanEvent& e) {
  last_activity_ = deps_.clock.monotonic();
  notice_.clear();
  switch (state_) {
    case State::kSignIn:
    case State::kPin:  // a badge scanned again while typing the PIN starts over with it
      sign_in_scan(e);
      break;
    case State::kScanWristband:
    case State::kWristbandReason:
    case State::kWristbandEntry:
    case State::kResident:
      wristband_scan(e, "");
      break;
    case State::kScanItem:
    case State::kItemReason:
    case State::kItemEntry:
    case State::kRecorded:
      if (e.scan.kind == bcma::scan::Kind::kResidentWristband) {
        // The next resident: the resident screen asks to confirm the face again.
        wristband_scan(e, "");
      } else {
        item_scan(e, "");
      }
      break;
    case State::kWitnessBadge:
      witness_scan(e);
      break;
    case State::kVerdict:
    case State::kOverrideReason:
    case State::kQuantity:
    case State::kOutcome:
    case State::kWitnessPin:
    case State::kRecordFailed:
      // A verdict is on screen and not yet answered: a new scan must not silently replace it.
      notice_ = "Finish this medicine first: record what happened, or choose \"Scan something else\".";
      signal(hal::Signal::kAttention);
      refresh();
      break;
  }
}

namespace {

bool takes_entry(State s) {
  return s == State::kPin || s == State::kWristbandEntry || s == State::kItemEntry ||
         s == State::kQuantity || s == State::kWitnessPin;
}

}  // namespace

void Round::on_key(hal::Key key) {
  last_activity_ = deps_.clock.monotonic();
  if (auto digit = hal::digit_of(key)) {
    if (takes_entry(state_)) {
      if (entry_prefilled_) {
        entry_.clear();
        entry_prefilled_ = false;
      }
      if (entry_.size() < 16) entry_ += *digit;
      refresh();
    }
    return;
  }
  const auto menu = menu_for(state_);
  switch (key) {
    case hal::Key::kUp:
      if (state_ == State::kQuantity) {
        auto q = domain::Decimal::parse(entry_).value_or(domain::Decimal());
        entry_ = (q + domain::Decimal::from_thousandths(500)).to_string();
        entry_prefilled_ = false;
      } else if (selected_ > 0) {
        --selected_;
      }
      refresh();
      return;
    case hal::Key::kDown:
      if (state_ == State::kQuantity) {
        auto q = domain::Decimal::parse(entry_).value_or(domain::Decimal());
        const auto half = domain::Decimal::from_thousandths(500);
        if (q > half) entry_ = (q - half).to_string();
        entry_prefilled_ = false;
      } else if (selected_ + 1 < static_cast<int>(menu.size())) {
        ++selected_;
      }
      refresh();
      return;
    case hal::Key::kConfirm:
      if (takes_entry(state_)) {
        submit_entry();
      } else if (!menu.empty()) {
        select(menu[static_cast<std::size_t>(std::min<int>(selected_, static_cast<int>(menu.size()) - 1))].id);
      }
      return;
    case hal::Key::kBack:
      if (takes_entry(state_) && !entry_.empty() && !entry_prefilled_) {
        entry_.pop_back();
        refresh();
        return;
      }
      select("back");
      return;
    default:
      return;  // the trigger belongs to the camera
  }
}

Result<void> Round::choose(std::string_view id) {
  last_activity_ = deps_.clock.monotonic();
  const auto menu = menu_for(state_);
  for (const auto& item : menu) {
    if (item.id == id) {
      select(item.id);
      return {};
    }
  }
  if (id == "back") {
    select("back");
    return {};
  }
  std::string options;
  for (const auto& item : menu) options += (options.empty() ? "" : ", ") + item.id;
  return fail("no_such_option", "no option '" + std::string(id) + "' on screen " +
                                    std::string(to_string(state_)) + " (options: " +
                                    (options.empty() ? "none" : options) + ")");
}

Result<void> Round::type(std::string_view text) {
  last_activity_ = deps_.clock.monotonic();
  if (!takes_entry(state_)) {
    return fail("no_entry", "screen " + std::string(to_string(state_)) + " takes no typing");
  }
  for (char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c == '.' && state_ == State::kQuantity);
    if (!ok) return fail("bad_character", std::string("'") + c + "' cannot be typed here");
  }
  if (entry_prefilled_) {
    entry_.clear();
    entry_prefilled_ = false;
  }
  entry_ += text;
  refresh();
  return {};
}

void Round::tick() {
  for (auto& r : deps_.sender.take_rejections()) {
    std::string why;
    for (const auto& [code, message] : r.reasons) why += (why.empty() ? "" : " ") + message;
    rejection_notices_.push_back("The station did NOT record an outcome (" + r.outcome_id.substr(0, 8) +
                                 "): " + why + " Tell the person in charge.");
  }
  if (!rejection_notices_.empty()) {
    notice_ = rejection_notices_.front();
    rejection_notices_.erase(rejection_notices_.begin());
    signal(hal::Signal::kError);
  }
  if (staff_) {
    const auto idle = deps_.clock.monotonic() - last_activity_;
    if (idle >= options_.inactivity_timeout) {
      const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(options_.inactivity_timeout).count();
      sign_out(minutes >= 1 ? "Signed out: no activity for " + std::to_string(minutes) + " minute" +
                                  (minutes == 1 ? "" : "s") + "."
                            : "Signed out: no activity.");
      return;
    }
    if (deps_.clock.wall() >= staff_->expires_at) {
      sign_out("Your sign-in has expired: sign in again.");
      return;
    }
  }
  refresh();
}

void Round::select(const std::string& id) {
  notice_.clear();
  switch (state_) {
    case State::kSignIn:
      return;
    case State::kPin:
      if (id == "back") {
        pending_badge_.clear();
        go(State::kSignIn);
      }
      return;
    case State::kScanWristband:
      if (id == "unable_to_scan") go(State::kWristbandReason);
      if (id == "sign_out") sign_out("Signed out.");
      return;
    case State::kWristbandReason:
      if (id == "back") {
        go(State::kScanWristband);
        return;
      }
      manual_reason_ = id;
      go(State::kWristbandEntry);
      return;
    case State::kWristbandEntry:
      if (id == "back") go(State::kWristbandReason);
      return;
    case State::kResident:
      if (id == "confirm") go(State::kScanItem);
      if (id == "back") {
        resident_.reset();
        go(State::kScanWristband);
      }
      return;
    case State::kScanItem:
      if (id == "unable_to_scan") go(State::kItemReason);
      if (id == "next_resident" || id == "back") {
        resident_.reset();
        go(State::kScanWristband);
      }
      if (id == "sign_out") sign_out("Signed out.");
      return;
    case State::kItemReason:
      if (id == "back") {
        go(State::kScanItem);
        return;
      }
      manual_reason_ = id;
      go(State::kItemEntry);
      return;
    case State::kItemEntry:
      if (id == "back") go(State::kItemReason);
      return;
    case State::kVerdict:
      if (id == "acknowledge") {
        item_->acknowledged = true;
        notice_ = "Warning acknowledged: it will be recorded with the outcome.";
        selected_ = 0;
        refresh();
      } else if (id == "give") {
        begin_give();
      } else if (id == "not_given") {
        go(State::kOutcome);
      } else if (id == "override") {
        go(State::kOverrideReason);
      } else if (id == "back") {
        item_.reset();
        go(State::kScanItem);
      }
      return;
    case State::kOverrideReason:
      if (id == "back") {
        go(State::kVerdict);
        return;
      }
      item_->override_reason = id;
      begin_give();
      return;
    case State::kWitnessBadge:
    case State::kWitnessPin:
      if (id == "back") {
        item_->override_reason.reset();
        item_->witness.reset();
        go(State::kVerdict);
      }
      return;
    case State::kQuantity:
      if (id == "back") go(State::kVerdict);
      return;
    case State::kOutcome:
      if (id == "back") {
        go(State::kVerdict);
        return;
      }
      record(id);
      return;
    case State::kRecorded:
      if (id == "next_item") go(State::kScanItem);
      if (id == "next_resident") {
        resident_.reset();
        go(State::kScanWristband);
      }
      if (id == "sign_out") sign_out("Signed out.");
      return;
    case State::kRecordFailed:
      if (id == "retry") store_record();
      if (id == "abandon") {
        unsaved_.reset();
        item_.reset();
        notice_ = "NOT recorded. Record it on paper now and tell the person in charge.";
        go(State::kScanItem);
        signal(hal::Signal::kError);
      }
      return;
  }
}

void Round::submit_entry() {
  switch (state_) {
    case State::kPin:
      submit_pin();
      return;
    case State::kWitnessPin:
      submit_witness_pin();
      return;
    case State::kWristbandEntry: {
      bcma::scan::Context context(static_cast<int>(domain::London::local_date(deps_.clock.wall()).year()));
      ScanEvent e;
      e.decode.format = "typed";
      e.decode.text = entry_;
      e.scan = bcma::scan::classify_text(entry_, context);
      if (e.scan.kind != bcma::scan::Kind::kResidentWristband) {
        notice_ = "That is not a valid NHS number: check the 10 digits and type them again.";
        entry_.clear();
        signal(hal::Signal::kError);
        refresh();
        return;
      }
      wristband_scan(e, manual_reason_);
      return;
    }
    case State::kItemEntry: {
      bcma::scan::Context context(static_cast<int>(domain::London::local_date(deps_.clock.wall()).year()));
      ScanEvent e;
      e.decode.format = "typed";
      e.decode.text = entry_;
      e.scan = bcma::scan::classify_text(entry_, context);
      if (e.scan.kind != bcma::scan::Kind::kMedicinePack) {
        notice_ = "That is not a valid product number (GTIN): type the 8, 12, 13 or 14 digits "
                  "under the barcode.";
        entry_.clear();
        signal(hal::Signal::kError);
        refresh();
        return;
      }
      item_scan(e, manual_reason_);
      return;
    }
    case State::kQuantity: {
      auto q = domain::Decimal::parse(entry_);
      if (!q || *q <= domain::Decimal()) {
        notice_ = "Enter how much was given (more than 0).";
        refresh();
        return;
      }
      record("given");
      return;
    }
    default:
      return;
  }
}

}  // namespace bcma::fw::round
