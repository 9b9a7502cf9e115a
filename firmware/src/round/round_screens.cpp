// What each state of the round shows: title, body, reasons, entry field, menu, status bar.
#include "bcma/fw/round/round.hpp"
#include "round_internal.hpp"

namespace bcma::fw::round {

std::string_view to_string(State s) {
  switch (s) {
    case State::kSignIn: return "sign_in";
    case State::kPin: return "pin";
    case State::kScanWristband: return "scan_wristband";
    case State::kWristbandReason: return "wristband_reason";
    case State::kWristbandEntry: return "wristband_entry";
    case State::kResident: return "resident";
    case State::kScanItem: return "scan_item";
    case State::kItemReason: return "item_reason";
    case State::kItemEntry: return "item_entry";
    case State::kVerdict: return "verdict";
    case State::kOverrideReason: return "override_reason";
    case State::kWitnessBadge: return "witness_badge";
    case State::kWitnessPin: return "witness_pin";
    case State::kQuantity: return "quantity";
    case State::kOutcome: return "outcome";
    case State::kRecorded: return "recorded";
    case State::kRecordFailed: return "record_failed";
  }
  return "sign_in";
}

namespace {

std::string nhs_text(const std::string& n) {
  if (n.size() != 10) return n;
  return n.substr(0, 3) + " " + n.substr(3, 3) + " " + n.substr(6);
}

template <std::size_t N>
std::vector<hal::MenuItem> choices(const std::array<Choice, N>& list) {
  std::vector<hal::MenuItem> out;
  for (const auto& c : list) out.push_back({c.id, c.label});
  out.push_back({"back", "Back"});
  return out;
}

}  // namespace

void Round::go(State s) {
  state_ = s;
  selected_ = 0;
  entry_.clear();
  entry_prefilled_ = false;
  refresh();
}

void Round::signal(hal::Signal s) {
  last_signal_ = s;
  (void)deps_.indicator.signal(s);  // a missing buzzer must not stop the round: the screen still says it
}

void Round::refresh() {
  hal::Screen next = build_screen();
  if (next == screen_) return;
  screen_ = std::move(next);
  (void)deps_.display.show(screen_);  // a failed draw leaves the old screen; the signal still plays
}

std::string Round::status_line() const {
  std::string out = staff_ ? staff_->name + (staff_->offline ? " (signed in offline)" : "") : "Not signed in";
  out += deps_.station.online() ? " | Online" : " | OFFLINE";
  const SenderStats s = deps_.sender.stats();
  if (s.pending > 0) out += " | " + std::to_string(s.pending) + " to send";
  if (s.rejected > 0) out += " | " + std::to_string(s.rejected) + " REJECTED";
  return out;
}

std::vector<hal::MenuItem> Round::menu_for(State s) const {
  switch (s) {
    case State::kSignIn: return {};
    case State::kPin: return {{"back", "Cancel"}};
    case State::kScanWristband:
      return {{"unable_to_scan", "Wristband cannot be scanned"}, {"sign_out", "Sign out"}};
    case State::kWristbandReason: return choices(kWristbandReasons);
    case State::kItemReason: return choices(kItemReasons);
    case State::kWristbandEntry:
    case State::kItemEntry:
    case State::kWitnessBadge:
    case State::kWitnessPin:
    case State::kQuantity:
      return {{"back", "Back"}};
    case State::kResident:
      return {{"confirm", "Yes, this is " + resident_->info.display_name},
              {"back", "No: scan the wristband again"}};
    case State::kScanItem:
      return {{"unable_to_scan", "Pack cannot be scanned"}, {"next_resident", "Next resident"},
              {"sign_out", "Sign out"}};
    case State::kVerdict: {
      const VerdictInfo& v = item_->verdict;
      const std::string give = "Give" + (v.dose_text.empty() ? std::string() : " " + v.dose_text);
      std::vector<hal::MenuItem> m;
      if (v.decision == rules::Decision::kProceed ||
          (v.decision == rules::Decision::kWarn && item_->acknowledged)) {
        m.push_back({"give", give});
      } else if (v.decision == rules::Decision::kWarn) {
        m.push_back({"acknowledge", "I have read the warning"});
      }
      m.push_back({"not_given", "Not given: record why"});
      if (v.decision == rules::Decision::kBlock && v.override_allowed) {
        m.push_back({"override", "Override: give anyway (recorded)"});
      }
      m.push_back({"back", "Scan something else"});
      return m;
    }
    case State::kOverrideReason: return choices(kOverrideReasons);
    case State::kOutcome: {
      std::vector<hal::MenuItem> m;
      for (const auto& c : offline_.codes()) m.push_back({c.code, c.description});
      m.push_back({"back", "Back"});
      return m;
    }
    case State::kRecorded:
      return {{"next_item", "Next medicine for " + (resident_ ? resident_->info.display_name : std::string())},
              {"next_resident", "Next resident"},
              {"sign_out", "Sign out"}};
    case State::kRecordFailed:
      return {{"retry", "Try again"}, {"abandon", "Give up: record it on paper"}};
  }
  return {};
}

hal::Screen Round::build_screen() const {
  hal::Screen sc;
  sc.id = std::string(to_string(state_));
  sc.menu = menu_for(state_);
  sc.selected = sc.menu.empty() ? 0 : std::min<int>(selected_, static_cast<int>(sc.menu.size()) - 1);
  sc.notice = notice_;
  sc.status = status_line();
  const std::string who = resident_ ? resident_->info.display_name : std::string();
  switch (state_) {
    case State::kSignIn:
      sc.title = "Scan your staff badge";
      sc.lines = {"Sign in: scan your badge, then type your PIN."};
      break;
    case State::kPin:
      sc.title = "Type your PIN";
      sc.lines = {"Badge ending " + (pending_badge_.size() > 4 ? pending_badge_.substr(pending_badge_.size() - 4)
                                                                  : pending_badge_)};
      sc.entry = hal::Entry{"PIN", entry_, true};
      break;
    case State::kScanWristband:
      sc.title = "Scan the resident's wristband";
      break;
    case State::kWristbandReason:
      sc.title = "Why can't the wristband be scanned?";
      sc.lines = {"You will type the NHS number instead. It is recorded as typed, with the reason."};
      break;
    case State::kWristbandEntry:
      sc.title = "Type the NHS number";
      sc.lines = {"Typed by hand: " + manual_reason_};
      sc.entry = hal::Entry{"NHS number (10 digits)", entry_, false};
      break;
    case State::kResident: {
      const ResidentInfo& r = resident_->info;
      sc.title = r.display_name;
      sc.lines.push_back("Born " + r.date_of_birth);
      if (!r.nhs_number.empty()) sc.lines.push_back("NHS number " + nhs_text(r.nhs_number));
      if (!r.photo_ref.empty()) sc.lines.push_back("Photo: " + r.photo_ref);
      if (!r.allergies.empty()) {
        std::string a;
        for (const auto& x : r.allergies) a += (a.empty() ? "" : ", ") + x;
        sc.lines.push_back("ALLERGIES: " + a);
      }
      for (const auto& [code, message] : r.alerts) sc.reasons.push_back({code, message});
      if (resident_->entry == v1::ENTRY_METHOD_TYPED) {
        sc.lines.push_back("Wristband NOT scanned: typed by hand (" + resident_->manual_reason + ")");
      }
      if (resident_->offline) sc.lines.push_back("Found OFFLINE, on this scanner's round data");
      sc.lines.push_back("Due now: " + std::to_string(r.due_count));
      for (const auto& d : r.due) {
        sc.lines.push_back(d.time() + "  " + d.medicine_name() + "  " + d.dose_text() +
                           (d.due_now() ? "  DUE NOW" : d.recorded().empty() ? "" : "  " + d.recorded()));
      }
      sc.lines.push_back("Check the face against the name and photo.");
      break;
    }
    case State::kScanItem:
      sc.title = "Scan a medicine for " + who;
      if (resident_) {
        for (const auto& d : resident_->info.due) {
          if (d.due_now()) sc.lines.push_back("Due: " + d.medicine_name() + "  " + d.dose_text());
        }
      }
      break;
    case State::kItemReason:
      sc.title = "Why can't the pack be scanned?";
      sc.lines = {"You will type the number under the barcode. It is recorded as typed, with the reason."};
      break;
    case State::kItemEntry:
      sc.title = "Type the product number";
      sc.lines = {"Typed by hand: " + manual_reason_};
      sc.entry = hal::Entry{"GTIN (8-14 digits)", entry_, false};
      break;
    case State::kVerdict: {
      const VerdictInfo& v = item_->verdict;
      switch (v.decision) {
        case rules::Decision::kProceed:
          sc.tone = hal::Tone::kProceed;
          sc.title = "PROCEED";
          break;
        case rules::Decision::kWarn:
          sc.tone = hal::Tone::kWarn;
          sc.title = "WARNING";
          break;
        case rules::Decision::kBlock:
          sc.tone = hal::Tone::kBlock;
          sc.title = "BLOCKED";
          break;
      }
      if (v.offline) sc.title += " (checked offline)";
      if (!v.medicine_name.empty()) sc.lines.push_back(v.medicine_name);
      if (!v.dose_text.empty()) sc.lines.push_back("Dose: " + v.dose_text);
      sc.lines.push_back("For " + who);
      if (v.decision == rules::Decision::kBlock) {
        sc.lines.push_back(v.override_allowed
                               ? "Do not give, unless you override (recorded with your name" +
                                     std::string(v.override_needs_witness ? " and a witness)." : ").")
                               : "Do not give. This cannot be overridden on this scanner.");
      }
      if (v.witness_required) sc.lines.push_back("Controlled drug: a second person must witness.");
      if (item_->entry == v1::ENTRY_METHOD_TYPED) {
        sc.lines.push_back("Pack NOT scanned: typed by hand (" + item_->manual_reason + ")");
      }
      for (const auto& [code, message] : v.reasons) sc.reasons.push_back({code, message});
      break;
    }
    case State::kOverrideReason:
      sc.tone = hal::Tone::kBlock;
      sc.title = "Override: why?";
      sc.lines = {"You are giving against a BLOCK. It is recorded with your name and this reason."};
      break;
    case State::kWitnessBadge:
      sc.title = "Witness: scan your badge";
      sc.lines = {"A second member of staff must witness this dose."};
      break;
    case State::kWitnessPin:
      sc.title = "Witness: type your PIN";
      sc.entry = hal::Entry{"Witness PIN", entry_, true};
      break;
    case State::kQuantity: {
      const VerdictInfo& v = item_->verdict;
      sc.title = "How much was given?";
      if (!v.medicine_name.empty()) sc.lines.push_back(v.medicine_name);
      if (!v.dose_text.empty()) sc.lines.push_back("Prescribed: " + v.dose_text);
      if (item_->witness) sc.lines.push_back("Witness: " + item_->witness_name);
      sc.entry = hal::Entry{"Quantity" + (v.dose_unit.empty() ? std::string() : " (" + v.dose_unit + ")"),
                            entry_, false};
      break;
    }
    case State::kOutcome:
      sc.title = "Not given: why?";
      if (!item_->verdict.medicine_name.empty()) sc.lines.push_back(item_->verdict.medicine_name);
      break;
    case State::kRecorded:
      sc.tone = hal::Tone::kRecorded;
      sc.title = "RECORDED";
      sc.lines = {recorded_summary_,
                  recorded_offline_ ? "Saved on this scanner: it goes to the station when it is back."
                                    : "Saved on this scanner; sending it to the station."};
      break;
    case State::kRecordFailed:
      sc.tone = hal::Tone::kError;
      sc.title = "NOT RECORDED";
      sc.lines = {"The scanner could not save this outcome.", "Try again, or record it on paper."};
      break;
  }
  return sc;
}

}  // namespace bcma::fw::round
