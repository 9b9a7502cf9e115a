// The round's steps that talk to the station (or, offline, to the snapshot) and to the outbox.
#include <sodium.h>

#include <algorithm>

#include "bcma/fw/round/round.hpp"
#include "round_internal.hpp"

namespace bcma::fw::round {

namespace {

bool session_gone(const CallError& e) {
  return e.kind == CallError::Kind::kStationError &&
         (e.code == "not_signed_in" || e.code == "session_expired" || e.code == "staff_inactive");
}

v1::RawDecode raw(const bcma::scan::Decode& d) {
  v1::RawDecode out;
  out.set_format(d.format);
  out.set_symbology(d.symbology);
  out.set_text(d.text);
  out.set_gs1(d.gs1);
  return out;
}

rules::Decision decision_of(v1::Verdict::Decision d) {
  switch (d) {
    case v1::Verdict::DECISION_PROCEED: return rules::Decision::kProceed;
    case v1::Verdict::DECISION_WARN: return rules::Decision::kWarn;
    default: return rules::Decision::kBlock;  // unknown: the safe side
  }
}

v1::Verdict::Decision wire_decision(rules::Decision d) {
  switch (d) {
    case rules::Decision::kProceed: return v1::Verdict::DECISION_PROCEED;
    case rules::Decision::kWarn: return v1::Verdict::DECISION_WARN;
    case rules::Decision::kBlock: return v1::Verdict::DECISION_BLOCK;
  }
  return v1::Verdict::DECISION_BLOCK;
}

/// "2 tablet" -> 2, "tablet"; "1-2 tablet" -> 1, "tablet"; "2.5 ml" -> 2.5, "ml".
void parse_dose(const std::string& text, VerdictInfo& out) {
  const auto space = text.find(' ');
  std::string amount = text.substr(0, space);
  if (const auto dash = amount.find('-'); dash != std::string::npos) amount = amount.substr(0, dash);
  out.dose = domain::Decimal::parse(amount);
  out.dose_unit = space == std::string::npos ? "" : text.substr(space + 1);
  if (const auto comma = out.dose_unit.find(','); comma != std::string::npos) {
    out.dose_unit = out.dose_unit.substr(0, comma);  // "2 tablets, by mouth"
  }
}

VerdictInfo from_wire(const v1::Verdict& v) {
  VerdictInfo out;
  out.decision = decision_of(v.decision());
  for (const auto& r : v.reasons()) out.reasons.emplace_back(r.code(), r.message());
  out.verdict_id = v.verdict_id();
  out.scheduled_dose_id = v.scheduled_dose_id();
  out.medicine_name = v.medicine_name();
  out.dose_text = v.dose_text();
  parse_dose(out.dose_text, out);
  out.override_allowed = v.override_allowed();
  out.override_needs_witness = v.override_needs_witness();
  out.witness_required = v.witness_required();
  return out;
}

ResidentInfo from_wire(const v1::ResidentSummary& s) {
  ResidentInfo info;
  info.resident_id = s.resident_id();
  info.display_name = s.display_name();
  info.date_of_birth = s.date_of_birth();
  info.nhs_number = s.nhs_number();
  info.photo_ref = s.photo_ref();
  info.allergies.assign(s.allergies().begin(), s.allergies().end());
  for (const auto& a : s.alerts()) info.alerts.emplace_back(a.code(), a.message());
  info.due_count = s.due_count();
  info.due.assign(s.due().begin(), s.due().end());
  return info;
}

std::string reasons_text(const google::protobuf::RepeatedPtrField<v1::Reason>& reasons) {
  std::string out;
  for (const auto& r : reasons) out += (out.empty() ? "" : " ") + r.message();
  return out;
}

std::array<std::uint8_t, 32> pin_mac(const std::array<std::uint8_t, 32>& key, const std::string& badge,
                                     const std::string& pin) {
  const std::string input = badge + '\n' + pin;
  std::array<std::uint8_t, 32> mac{};
  crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(input.data()),
                         input.size(), key.data());
  return mac;
}

}  // namespace

std::string describe_kind(const bcma::scan::Scan& scan) {
  switch (scan.kind) {
    case bcma::scan::Kind::kResidentWristband: return "a resident's wristband";
    case bcma::scan::Kind::kMedicinePack: return "a medicine pack";
    case bcma::scan::Kind::kPharmacyLabel: return "a pharmacy label";
    case bcma::scan::Kind::kStaffBadge: return "a staff badge";
    case bcma::scan::Kind::kLocation: return "a location code";
    case bcma::scan::Kind::kUnknown: break;
  }
  return "a code bcma does not use";
}

void Round::wrong_kind(const ScanEvent& e, std::string_view wanted) {
  if (e.scan.kind == bcma::scan::Kind::kUnknown) {
    const auto* u = e.scan.unknown();
    notice_ = "Could not use that code" + std::string(u != nullptr && !u->reason.empty() ? ": " + u->reason : ".") +
              " Scan " + std::string(wanted) + ".";
  } else {
    notice_ = "That is " + describe_kind(e.scan) + ". Scan " + std::string(wanted) + " first.";
  }
  signal(hal::Signal::kAttention);
  refresh();
}

void Round::sign_in_scan(const ScanEvent& e) {
  if (e.scan.kind != bcma::scan::Kind::kStaffBadge) {
    wrong_kind(e, "your staff badge to sign in");
    return;
  }
  pending_badge_ = std::get<bcma::scan::StaffBadge>(e.scan.data).gsrn;
  go(State::kPin);
}

void Round::submit_pin() {
  const std::string pin = entry_;
  entry_.clear();
  if (pin.empty()) {
    notice_ = "Type your PIN, then press confirm.";
    refresh();
    return;
  }
  if (sodium_init() < 0) {
    notice_ = "The scanner's security library failed to start: restart the scanner.";
    signal(hal::Signal::kError);
    go(State::kSignIn);
    return;
  }
  v1::Envelope req;
  req.mutable_staff_login()->set_badge_gsrn(pending_badge_);
  req.mutable_staff_login()->set_pin(pin);
  auto answer = deps_.station.call(std::move(req));
  if (answer && answer->has_staff_login_result()) {
    const auto& r = answer->staff_login_result();
    if (r.status() == v1::StaffLoginResult::STATUS_OK) {
      staff_ = std::make_unique<Staff>();
      staff_->badge = pending_badge_;
      staff_->name = r.staff_name();
      staff_->staff_id = r.staff_id();
      staff_->role = r.role();
      staff_->session_id = r.session_id();
      staff_->expires_at = r.has_expires_at() ? domain::Instant(std::chrono::seconds(r.expires_at().seconds()))
                                              : deps_.clock.wall() + std::chrono::hours(12);
      auto login = std::make_unique<OfflineLogin>();
      login->staff = *staff_;
      if (deps_.random.fill(login->key)) {
        login->mac = pin_mac(login->key, pending_badge_, pin);
        offline_login_ = std::move(login);
      } else {
        offline_login_.reset();  // no key, no offline sign-in: never a predictable one
      }
      pending_badge_.clear();
      deps_.sender.set_session(SenderSession{staff_->session_id, staff_->badge});
      fetch_snapshot();
      go(State::kScanWristband);
      return;
    }
    const bool locked = r.status() == v1::StaffLoginResult::STATUS_LOCKED_OUT;
    notice_ = !r.message().empty() ? r.message() : "Badge or PIN not accepted.";
    signal(hal::Signal::kError);
    if (locked) {
      pending_badge_.clear();
      go(State::kSignIn);
    } else {
      refresh();  // stay on the PIN screen for another try
    }
    return;
  }
  if (answer) {
    notice_ = "The station answered the sign-in with something unexpected: try again.";
    signal(hal::Signal::kError);
    go(State::kSignIn);
    return;
  }
  const CallError& err = answer.error();
  if (err.kind == CallError::Kind::kRefused) {
    notice_ = "The station refused this scanner: " + err.message + " Ask the person in charge.";
    signal(hal::Signal::kError);
    go(State::kSignIn);
    return;
  }
  if (err.kind == CallError::Kind::kStationError) {
    notice_ = "Sign-in failed: " + err.message;
    signal(hal::Signal::kError);
    go(State::kSignIn);
    return;
  }
  // The station cannot be reached: only the last person who signed in here may sign in again.
  auto& login = offline_login_;
  if (!login || login->staff.badge != pending_badge_ || deps_.clock.wall() >= login->staff.expires_at ||
      login->failures >= options_.offline_pin_attempts) {
    notice_ = "Cannot reach the station to sign in. While it is away only the last person who "
              "signed in on this scanner can sign in again.";
    signal(hal::Signal::kError);
    pending_badge_.clear();
    go(State::kSignIn);
    return;
  }
  const auto mac = pin_mac(login->key, pending_badge_, pin);
  if (sodium_memcmp(mac.data(), login->mac.data(), mac.size()) != 0) {
    ++login->failures;
    signal(hal::Signal::kError);
    if (login->failures >= options_.offline_pin_attempts) {
      notice_ = "PIN not accepted. Too many tries: signing in now needs the station.";
      pending_badge_.clear();
      go(State::kSignIn);
    } else {
      notice_ = "PIN not accepted.";
      refresh();
    }
    return;
  }
  login->failures = 0;
  staff_ = std::make_unique<Staff>(login->staff);
  staff_->offline = true;
  pending_badge_.clear();
  deps_.sender.set_session(SenderSession{staff_->session_id, staff_->badge});
  go(State::kScanWristband);
  notice_ = "Signed in while the station is away: medicines are checked on this scanner (offline).";
  refresh();
}

void Round::fetch_snapshot() {
  OfflineData data;
  std::uint32_t count = 1;
  for (std::uint32_t part = 0; part < count; ++part) {
    v1::Envelope req;
    auto* m = req.mutable_round_snapshot_request();
    m->set_session_id(staff_->session_id);
    m->set_part(part);
    m->set_snapshot_id(data.snapshot_id);
    auto answer = deps_.station.call(std::move(req));
    if (!answer || !answer->has_round_snapshot() ||
        (part > 0 && answer->round_snapshot().snapshot_id() != data.snapshot_id)) {
      offline_.clear();  // a partial snapshot would check against missing prescriptions
      return;
    }
    const auto& snap = answer->round_snapshot();
    if (part == 0) count = std::clamp<std::uint32_t>(snap.part_count(), 1, 4096);
    if (auto merged = merge_snapshot_part(snap, data); !merged) {
      offline_.clear();
      return;
    }
  }
  if (!data.staff_role && !staff_->role.empty()) data.staff_role = domain::role_from_string(staff_->role);
  offline_.load(std::move(data));
  // Outcomes still in the outbox are not in the station's history yet.
  for (const auto& pending : deps_.outbox.pending()) {
    v1::RecordOutcome rec;
    if (rec.ParseFromArray(pending.payload.data(), static_cast<int>(pending.payload.size()))) {
      offline_.add_local_record(rec);
    }
  }
}

void Round::handle_session_lost(const CallError& error) {
  offline_login_.reset();  // that session is gone on the station: nothing to resume
  sign_out("The station has ended your sign-in (" + error.code + "): sign in again.");
  signal(hal::Signal::kError);
}

void Round::wristband_scan(const ScanEvent& e, const std::string& manual_reason) {
  if (e.scan.kind != bcma::scan::Kind::kResidentWristband) {
    wrong_kind(e, "the resident's wristband");
    return;
  }
  const v1::EntryMethod entry = manual_reason.empty() ? v1::ENTRY_METHOD_SCANNED : v1::ENTRY_METHOD_TYPED;
  v1::Envelope req;
  auto* m = req.mutable_scan_resident();
  m->set_session_id(staff_->session_id);
  *m->mutable_decode() = raw(e.decode);
  m->set_entry(entry);
  m->set_manual_reason(manual_reason);
  auto answer = deps_.station.call(std::move(req));
  auto next = std::make_unique<Resident>();
  next->decode = e.decode;
  next->entry = entry;
  next->manual_reason = manual_reason;
  if (answer && answer->has_resident_summary()) {
    const auto& s = answer->resident_summary();
    if (s.status() != v1::ResidentSummary::STATUS_FOUND) {
      notice_ = s.status() == v1::ResidentSummary::STATUS_NOT_FOUND
                    ? "Nobody in this home has this wristband. " + reasons_text(s.reasons())
                    : reasons_text(s.reasons());
      if (notice_.empty()) notice_ = "That is not a wristband this home uses.";
      signal(hal::Signal::kError);
      resident_.reset();
      go(State::kScanWristband);
      return;
    }
    next->info = from_wire(s);
    resident_ = std::move(next);
    go(State::kResident);
    return;
  }
  if (!answer && session_gone(answer.error())) {
    handle_session_lost(answer.error());
    return;
  }
  if (!answer && answer.error().kind == CallError::Kind::kStationError) {
    notice_ = answer.error().message;
    signal(hal::Signal::kError);
    go(State::kScanWristband);
    return;
  }
  const auto now = deps_.clock.wall();
  if (!offline_.usable(now)) {
    notice_ = offline_.has_data()
                  ? "Cannot reach the station, and this scanner's round data is too old to check "
                    "with. Wait for the station, or use the paper process."
                  : "Cannot reach the station, and this scanner has no round data to check with. "
                    "Wait for the station, or use the paper process.";
    signal(hal::Signal::kError);
    go(State::kScanWristband);
    return;
  }
  auto info = offline_.find_resident(e.scan, now);
  if (!info) {
    notice_ = "This wristband is not on this scanner's list of residents (checked offline). "
              "Check the wristband.";
    signal(hal::Signal::kError);
    go(State::kScanWristband);
    return;
  }
  next->info = std::move(*info);
  next->offline = true;
  resident_ = std::move(next);
  go(State::kResident);
}

void Round::item_scan(const ScanEvent& e, const std::string& manual_reason) {
  if (!resident_) {
    go(State::kScanWristband);
    wrong_kind(e, "the resident's wristband");
    return;
  }
  if (e.scan.kind != bcma::scan::Kind::kMedicinePack && e.scan.kind != bcma::scan::Kind::kPharmacyLabel) {
    wrong_kind(e, "a medicine pack or pharmacy label");
    return;
  }
  auto item = std::make_unique<Item>();
  item->decode = e.decode;
  item->scan = e.scan;
  item->entry = manual_reason.empty() ? v1::ENTRY_METHOD_SCANNED : v1::ENTRY_METHOD_TYPED;
  item->manual_reason = manual_reason;

  auto ask = [&] {
    v1::Envelope req;
    auto* m = req.mutable_scan_item();
    m->set_session_id(staff_->session_id);
    m->set_resident_id(resident_->info.resident_id);
    *m->mutable_decode() = raw(e.decode);
    m->set_entry(item->entry);
    m->set_manual_reason(manual_reason);
    return deps_.station.call(std::move(req));
  };
  auto answer = ask();
  if (!answer && answer.error().kind == CallError::Kind::kStationError &&
      answer.error().code == "resident_not_current") {
    // The resident was identified offline (or before a reconnect): tell the station first.
    v1::Envelope again;
    auto* m = again.mutable_scan_resident();
    m->set_session_id(staff_->session_id);
    *m->mutable_decode() = raw(resident_->decode);
    m->set_entry(resident_->entry);
    m->set_manual_reason(resident_->manual_reason);
    if (auto r = deps_.station.call(std::move(again)); r && r->has_resident_summary() &&
                                                        r->resident_summary().resident_id() == resident_->info.resident_id) {
      answer = ask();
    }
  }
  if (answer && answer->has_verdict()) {
    item->verdict = from_wire(answer->verdict());
  } else if (!answer && session_gone(answer.error())) {
    handle_session_lost(answer.error());
    return;
  } else if (!answer && answer.error().kind == CallError::Kind::kStationError) {
    notice_ = answer.error().message;
    signal(hal::Signal::kError);
    refresh();
    return;
  } else {
    const auto now = deps_.clock.wall();
    if (offline_.usable(now) && resident_->info.resident_id.size() > 0) {
      item->verdict = offline_.check_item(resident_->info.resident_id, e.scan, now);
    } else {
      item->verdict.offline = true;
      item->verdict.decision = rules::Decision::kBlock;
      item->verdict.reasons.emplace_back(
          "offline_no_data",
          "The station cannot be reached and this scanner has no usable round data: this medicine "
          "cannot be checked. Do not give it until the station is back, or use the paper process.");
    }
  }
  item_ = std::move(item);
  go(State::kVerdict);
  switch (item_->verdict.decision) {
    case rules::Decision::kProceed: signal(hal::Signal::kProceed); break;
    case rules::Decision::kWarn: signal(hal::Signal::kWarn); break;
    case rules::Decision::kBlock: signal(hal::Signal::kBlock); break;
  }
}

void Round::begin_give() {
  const bool needs_witness = item_->verdict.witness_required ||
                             (item_->override_reason && item_->verdict.override_needs_witness);
  if (needs_witness && !item_->witness) {
    go(State::kWitnessBadge);
    return;
  }
  go(State::kQuantity);
  entry_ = item_->verdict.dose ? item_->verdict.dose->to_string() : "1";
  entry_prefilled_ = true;
  refresh();
}

void Round::witness_scan(const ScanEvent& e) {
  if (e.scan.kind != bcma::scan::Kind::kStaffBadge) {
    wrong_kind(e, "the witness's staff badge");
    return;
  }
  const auto& badge = std::get<bcma::scan::StaffBadge>(e.scan.data).gsrn;
  if (badge == staff_->badge) {
    notice_ = "The witness must be a second person: scan their badge, not yours.";
    signal(hal::Signal::kAttention);
    refresh();
    return;
  }
  item_->witness_badge = badge;
  go(State::kWitnessPin);
}

void Round::submit_witness_pin() {
  const std::string pin = entry_;
  entry_.clear();
  if (pin.empty()) {
    notice_ = "The witness types their PIN, then presses confirm.";
    refresh();
    return;
  }
  v1::Envelope req;
  auto* m = req.mutable_confirm_witness();
  m->set_session_id(staff_->session_id);
  m->set_badge_gsrn(item_->witness_badge);
  m->set_pin(pin);
  m->set_verdict_id(item_->verdict.verdict_id);
  auto answer = deps_.station.call(std::move(req));
  v1::Witness witness;
  witness.set_badge_gsrn(item_->witness_badge);
  if (answer && answer->has_witness_confirmation()) {
    const auto& c = answer->witness_confirmation();
    if (c.status() != v1::WitnessConfirmation::STATUS_CONFIRMED) {
      notice_ = c.message().empty() ? "Witness badge or PIN not accepted." : c.message();
      signal(hal::Signal::kError);
      go(State::kWitnessBadge);
      return;
    }
    witness.set_confirmation_id(c.confirmation_id());
    item_->witness_name = c.witness_name();
  } else if (!answer && answer.error().kind == CallError::Kind::kStationError &&
             answer.error().code == "unsupported_message") {
    // A 1.0 station checks the witness only with the record: the PIN has to travel in it.
    witness.set_pin(pin);
    item_->witness_name = "checked by the station when recorded";
  } else if (!answer && session_gone(answer.error())) {
    handle_session_lost(answer.error());
    return;
  } else if (!answer && answer.error().kind == CallError::Kind::kStationError) {
    notice_ = answer.error().message;
    signal(hal::Signal::kError);
    go(State::kWitnessBadge);
    return;
  } else {
    // Offline: nobody can check the PIN now, and it is never stored: the record says so.
    witness.set_unverified(true);
    item_->witness_name = "not checked (offline): badge only";
  }
  item_->witness = std::move(witness);
  begin_give();
}

void Round::record(const std::string& outcome_code) {
  const bool given = outcome_code == "given";
  std::optional<OutcomeCode> code;
  if (!given) {
    for (const auto& c : offline_.codes()) {
      if (c.code == outcome_code) code = c;
    }
    if (!code) {
      notice_ = "Unknown outcome '" + outcome_code + "'.";
      refresh();
      return;
    }
  }
  auto id = outbox::make_uuid_v4(deps_.random);
  if (!id) {
    notice_ = "NOT RECORDED: " + id.error().message;
    signal(hal::Signal::kError);
    refresh();
    return;
  }
  const VerdictInfo& v = item_->verdict;
  v1::RecordOutcome m;
  m.set_outcome_id(id->to_string());
  m.set_session_id(staff_->session_id);
  m.set_resident_id(resident_->info.resident_id);
  m.set_verdict_id(v.verdict_id);
  m.set_scheduled_dose_id(v.scheduled_dose_id);
  const domain::Outcome outcome = given ? domain::Outcome::kGiven : code->outcome;
  m.set_outcome(std::string(domain::to_string(outcome)));
  if (given) {
    m.set_kind(v1::OUTCOME_KIND_GIVEN);
    m.mutable_quantity()->set_value(domain::Decimal::parse(entry_).value_or(domain::Decimal()).to_string());
    m.mutable_quantity()->set_unit(v.dose_unit);
  } else {
    m.set_kind(v1::OUTCOME_KIND_NOT_GIVEN);
    m.set_non_administration_code(code->code);
    if (outcome == domain::Outcome::kSelfAdministered && v.dose) {
      m.mutable_quantity()->set_value(v.dose->to_string());
      m.mutable_quantity()->set_unit(v.dose_unit);
    }
  }
  if (given && (item_->override_reason || item_->witness)) {
    auto* o = m.mutable_override();
    if (item_->override_reason) {
      o->set_by_staff_id(staff_->staff_id);
      o->set_reason_code(*item_->override_reason);
      for (const auto& r : kOverrideReasons) {
        if (*item_->override_reason == r.id) o->set_reason_text(r.label);
      }
    }
    if (item_->witness) *o->mutable_witness() = *item_->witness;
  }
  m.mutable_event_time()->set_seconds(deps_.clock.wall().time_since_epoch().count());
  *m.mutable_wristband() = raw(resident_->decode);
  m.set_wristband_entry(resident_->entry);
  m.set_wristband_manual_reason(resident_->manual_reason);
  *m.mutable_item() = raw(item_->decode);
  m.set_item_entry(item_->entry);
  m.set_item_manual_reason(item_->manual_reason);
  m.set_recorded_by_badge_gsrn(staff_->badge);
  m.set_recorded_by_staff_id(staff_->staff_id);
  m.set_offline(v.offline || resident_->offline);
  m.set_verdict_decision(wire_decision(v.decision));
  for (const auto& [c, message] : v.reasons) {
    auto* r = m.add_verdict_reasons();
    r->set_code(c);
    r->set_message(message);
  }
  if (item_->acknowledged) {
    for (const auto& [c, message] : v.reasons) m.add_acknowledged_reasons(c);
  }
  std::string what = given ? "Given " + m.quantity().value() + (v.dose_unit.empty() ? "" : " " + v.dose_unit)
                           : code->description;
  recorded_summary_ = what + (v.medicine_name.empty() ? "" : ": " + v.medicine_name) + " for " +
                      resident_->info.display_name;
  unsaved_ = std::make_pair(*id, m.SerializeAsString());
  store_record();
}

void Round::store_record() {
  if (!unsaved_) return;
  const std::string& payload = unsaved_->second;
  auto stored = deps_.outbox.append(
      unsaved_->first, std::span(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()));
  if (!stored) {
    notice_ = "NOT RECORDED: the scanner could not save it (" + stored.error().message + ").";
    go(State::kRecordFailed);
    signal(hal::Signal::kError);
    return;
  }
  // Durable now: only from here may the screen say recorded.
  v1::RecordOutcome rec;
  rec.ParseFromString(payload);
  offline_.add_local_record(rec);
  recorded_offline_ = !deps_.station.online();
  unsaved_.reset();
  item_.reset();
  go(State::kRecorded);
  signal(hal::Signal::kRecorded);
  deps_.sender.pump();
  refresh();
}

void Round::sign_out(std::string notice) {
  staff_.reset();
  resident_.reset();
  item_.reset();
  unsaved_.reset();
  pending_badge_.clear();
  deps_.sender.set_session(std::nullopt);
  go(State::kSignIn);
  notice_ = std::move(notice);
  refresh();
}

}  // namespace bcma::fw::round
