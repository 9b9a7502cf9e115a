#include "codec.hpp"

#include <charconv>

#include "bcma/rules/policy.hpp"
#include "bcma/rules/reason.hpp"

namespace bcma::station::server::detail {

namespace {

service::Refusal refusal(std::string code, std::string message) {
  return service::Refusal{std::move(code), std::move(message), std::nullopt};
}

v1::Verdict::Decision decision_of(rules::Decision d) {
  switch (d) {
    case rules::Decision::kProceed: return v1::Verdict::DECISION_PROCEED;
    case rules::Decision::kWarn: return v1::Verdict::DECISION_WARN;
    case rules::Decision::kBlock: return v1::Verdict::DECISION_BLOCK;
  }
  return v1::Verdict::DECISION_BLOCK;
}

void add_reason(google::protobuf::RepeatedPtrField<v1::Reason>& out, std::string_view code,
                std::string_view message) {
  v1::Reason* r = out.Add();
  r->set_code(std::string(code));
  r->set_message(std::string(message));
}

std::string dose_text(const domain::DoseRange& dose) {
  std::string amount = dose.min.to_string();
  if (dose.max != dose.min) amount += "-" + dose.max.to_string();
  return dose.unit.empty() ? amount : amount + " " + dose.unit;
}

}  // namespace

std::string serialize(const v1::Envelope& envelope) {
  std::string out;
  envelope.SerializeToString(&out);
  return out;
}

std::string error_envelope(std::uint64_t request_id, std::string_view code,
                           std::string_view message) {
  v1::Envelope env;
  env.set_request_id(request_id);
  env.mutable_error()->set_code(std::string(code));
  env.mutable_error()->set_message(std::string(message));
  return serialize(env);
}

void set_timestamp(google::protobuf::Timestamp& ts, domain::Instant t) {
  ts.set_seconds(t.time_since_epoch().count());
  ts.set_nanos(0);
}

domain::Instant instant_of(const google::protobuf::Timestamp& ts) {
  return domain::Instant(std::chrono::seconds(ts.seconds()));
}

service::ScanInput scan_input(const v1::RawDecode& decode, v1::EntryMethod entry,
                              std::string_view manual_reason) {
  if (entry == v1::ENTRY_METHOD_TYPED) {
    return service::ScanInput::typed(decode.text(), manual_reason.empty()
                                                        ? "typed on the scanner (no reason sent)"
                                                        : "typed on the scanner: " +
                                                              std::string(manual_reason));
  }
  scan::Decode d;
  d.format = decode.format();
  d.symbology = decode.symbology();
  d.gs1 = decode.gs1();
  d.text = decode.text();
  return service::ScanInput::scanned(std::move(d));
}

std::string scheduled_dose_id(domain::PrescriptionId prescription, domain::Instant slot) {
  return std::to_string(prescription) + "@" + std::to_string(slot.time_since_epoch().count());
}

Result<std::optional<std::int64_t>> parse_id(std::string_view text, std::string_view what) {
  if (text.empty()) return std::optional<std::int64_t>();
  std::int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || p != end || v <= 0) {
    return fail(errc::kInvalidRequest, std::string(what) + " '" + std::string(text) +
                                           "' is not an id this station issued");
  }
  return std::optional<std::int64_t>(v);
}

Result<ScheduledDose> parse_scheduled_dose_id(std::string_view text) {
  const auto at = text.find('@');
  auto pid = parse_id(text.substr(0, at), "scheduled dose");
  if (!pid || !*pid) {
    return fail(errc::kInvalidRequest,
                "scheduled dose '" + std::string(text) + "' is not an id this station issued");
  }
  ScheduledDose out;
  out.prescription_id = **pid;
  if (at != std::string_view::npos) {
    std::int64_t secs = 0;
    const std::string_view s = text.substr(at + 1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), secs);
    if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) {
      return fail(errc::kInvalidRequest,
                  "scheduled dose '" + std::string(text) + "' is not an id this station issued");
    }
    out.slot = domain::Instant(std::chrono::seconds(secs));
  }
  return out;
}

void fill_summary(const service::ResidentView& view, v1::ResidentSummary& out) {
  switch (view.status) {
    case service::ResidentScanStatus::kFound:
      out.set_status(v1::ResidentSummary::STATUS_FOUND);
      break;
    case service::ResidentScanStatus::kNotAWristband:
      out.set_status(v1::ResidentSummary::STATUS_NOT_A_WRISTBAND);
      break;
    case service::ResidentScanStatus::kNotFound:
      out.set_status(v1::ResidentSummary::STATUS_NOT_FOUND);
      break;
  }
  if (view.status != service::ResidentScanStatus::kFound || !view.resident) {
    add_reason(*out.mutable_reasons(), service::to_string(view.status), view.message);
    return;
  }
  const domain::Resident& r = *view.resident;
  out.set_resident_id(std::to_string(r.id));
  out.set_display_name(r.display_name());
  out.set_date_of_birth(domain::to_string(r.date_of_birth));
  out.set_nhs_number(r.nhs_number);
  for (const auto& a : r.allergies) {
    out.add_allergies(a.description.empty() ? a.code : a.description);
  }
  std::uint32_t due = 0;
  for (const auto& d : view.doses) {
    if (d.due_now) ++due;
  }
  out.set_due_count(due);
  out.set_photo_ref(r.photo_ref);
  for (const auto& d : view.doses) {
    v1::DueDose* line = out.add_due();
    line->set_scheduled_dose_id(scheduled_dose_id(d.prescription_id, d.slot));
    line->set_medicine_name(d.medication_name);
    line->set_dose_text(dose_text(d.dose));
    line->set_time(domain::London::to_local(d.slot).time.to_string());
    line->set_due_now(d.due_now);
    if (d.recorded) line->set_recorded(std::string(domain::to_string(*d.recorded)));
  }
  if (r.allergies.empty()) {
    if (r.no_known_allergies) {
      add_reason(*out.mutable_alerts(), "no_known_allergies", "No known drug allergies recorded.");
    } else {
      add_reason(*out.mutable_alerts(), "allergies_unknown",
                 "No allergy record: check allergies before giving anything.");
    }
  }
  if (r.status != domain::ResidentStatus::kPresent) {
    add_reason(*out.mutable_alerts(), "resident_not_present",
               "Recorded as " + std::string(domain::to_string(r.status)) + ".");
  }
}

void fill_verdict(const service::ItemCheck& check, v1::Verdict& out) {
  const rules::Verdict& v = check.verdict;
  out.set_decision(decision_of(v.decision));
  for (const auto& r : v.reasons) add_reason(*out.mutable_reasons(), rules::to_string(r.code), r.message);
  out.set_verdict_id(std::to_string(check.verdict_audit_seq));
  if (v.prescription_id) {
    out.set_scheduled_dose_id(v.slot ? scheduled_dose_id(*v.prescription_id, *v.slot)
                                     : std::to_string(*v.prescription_id));
  }
  if (check.product) out.set_medicine_name(check.product->vmp.name);
  if (v.dose) out.set_dose_text(dose_text(*v.dose));
  // Protocol 1.1: a controlled drug's witness is asked for before the record, not refused after.
  out.set_witness_required(v.witness_required);
  out.set_override_allowed(check.override_allowed);
  out.set_override_needs_witness(check.override_needs_witness);
}

VerdictMemo memo_of(const service::ItemCheck& check, const service::ScanInput& item,
                    std::optional<domain::ResidentId> resident) {
  VerdictMemo m;
  m.item = item;
  m.resident_id = resident;
  m.prescription_id = check.verdict.prescription_id;
  m.slot = check.verdict.slot;
  if (check.verdict.dose) m.dose_unit = check.verdict.dose->unit;
  m.witness_required = check.verdict.witness_required;
  return m;
}

Result<service::OutcomeRequest, service::Refusal> outcome_request(const v1::RecordOutcome& msg,
                                                                  const RecordContext& context) {
  using Out = Result<service::OutcomeRequest, service::Refusal>;
  auto invalid = [](std::string message) -> Out {
    return Unexpected(refusal(errc::kInvalidRequest, std::move(message)));
  };
  auto lost = [](std::string message) -> Out {
    return Unexpected(refusal(errc::kScanContextLost, std::move(message)));
  };
  const SessionMemo& session = *context.session;
  service::OutcomeRequest req;
  req.record_id = msg.outcome_id();
  if (req.record_id.empty()) return invalid("the outcome has no outcome_id");
  if (!msg.has_event_time()) return invalid("the outcome has no event_time");
  req.event_time = instant_of(msg.event_time());

  auto resident = parse_id(msg.resident_id(), "resident");
  if (!resident) return invalid(resident.error().message);
  const std::optional<domain::ResidentId> resident_id =
      *resident ? *resident : session.current_resident;
  if (!resident_id) return invalid("the outcome names no resident and none is selected");
  req.resident_id = *resident_id;
  // The scans the station saw itself come first; a 1.1 record repeats them as evidence, which
  // is all there is for a record made offline or one the station forgot the scans of.
  const bool band_evidence = msg.has_wristband() && !msg.wristband().text().empty();
  const bool item_evidence = msg.has_item() && !msg.item().text().empty();
  auto band = session.wristbands.find(*resident_id);
  if (band != session.wristbands.end()) {
    req.wristband = band->second;
  } else if (band_evidence) {
    req.wristband = scan_input(msg.wristband(), msg.wristband_entry(), msg.wristband_manual_reason());
  } else {
    return lost("this session has no wristband scan of resident " + std::to_string(*resident_id) +
                " (the station may have restarted): scan the wristband again, then resend");
  }

  const VerdictMemo* verdict = nullptr;
  auto verdict_id = parse_id(msg.verdict_id(), "verdict");
  if (!verdict_id) return invalid(verdict_id.error().message);
  if (*verdict_id) {
    auto it = session.verdicts.find(**verdict_id);
    if (it != session.verdicts.end()) {
      verdict = &it->second;
      if (verdict->resident_id && *verdict->resident_id != *resident_id) {
        return invalid("verdict " + msg.verdict_id() + " was given for another resident");
      }
      req.item = verdict->item;
      req.prescription_id = verdict->prescription_id;
      req.slot = verdict->slot;
    } else if (!item_evidence) {
      return lost("this session holds no verdict " + msg.verdict_id() +
                  " (the station may have restarted): scan the item again, then resend");
    }
  }
  if (verdict == nullptr && item_evidence) {
    // The station re-evaluates this scan at the event time, as for any record.
    req.item = scan_input(msg.item(), msg.item_entry(), msg.item_manual_reason());
  }
  if (!msg.scheduled_dose_id().empty()) {
    auto dose = parse_scheduled_dose_id(msg.scheduled_dose_id());
    if (!dose) return invalid(dose.error().message);
    req.prescription_id = dose->prescription_id;
    req.slot = dose->slot;
  }

  switch (msg.kind()) {
    case v1::OUTCOME_KIND_GIVEN:
      req.outcome = domain::Outcome::kGiven;
      if (!msg.non_administration_code().empty()) {
        return invalid("a dose given carries no non-administration code");
      }
      req.note = msg.note();
      break;
    case v1::OUTCOME_KIND_NOT_GIVEN: {
      if (msg.non_administration_code().empty()) {
        return invalid("a dose not given needs a non-administration code");
      }
      req.code = msg.non_administration_code();
      // The code decides the outcome (refused, omitted, ...); an unknown code is left to the
      // store, which refuses it with `unknown_code`.
      req.outcome = domain::Outcome::kOmitted;
      if (context.codes != nullptr) {
        if (auto it = context.codes->find(req.code); it != context.codes->end()) req.outcome = it->second;
      }
      req.code_text = msg.note();
      break;
    }
    default:
      return invalid("the outcome kind is not set (given or not given)");
  }

  if (!msg.quantity().value().empty()) {
    auto q = domain::Decimal::parse(msg.quantity().value());
    if (!q) return invalid("quantity '" + msg.quantity().value() + "' is not a decimal number");
    req.quantity = *q;
  }
  if (verdict != nullptr && !verdict->dose_unit.empty() && !msg.quantity().unit().empty() &&
      msg.quantity().unit() != verdict->dose_unit) {
    return invalid("quantity is in '" + msg.quantity().unit() + "' but the dose is in '" +
                   verdict->dose_unit + "'");
  }

  if (msg.has_override()) {
    const v1::Override& o = msg.override();
    if (!o.by_staff_id().empty() && o.by_staff_id() != std::to_string(context.staff_id)) {
      return invalid(
          "an override by someone other than the signed-in member of staff needs their badge "
          "and PIN, which protocol v1 cannot carry: that person must sign in and record it");
    }
    std::optional<service::Credentials> witness;
    if (o.has_witness() && !o.witness().badge_gsrn().empty()) {
      const v1::Witness& w = o.witness();
      if (w.unverified() && w.confirmation_id().empty() && w.pin().empty()) {
        // Made offline: nobody could check the witness's PIN, and the store keeps only
        // witnesses the station has checked. Final, so that the scanner keeps it for review.
        return Unexpected(refusal(
            errc::kWitnessUnverified,
            "witness " + w.badge_gsrn() +
                " was not checked (recorded offline, badge only): the station cannot store an "
                "unchecked witness; record this dose with both signatures on paper or in the "
                "controlled drugs register, and tell the person in charge"));
      }
      // Protocol 1.1: a confirmation id from ConfirmWitness stands for the PIN.
      witness = service::Credentials{w.badge_gsrn(), w.pin(), w.confirmation_id()};
    }
    std::string reason = o.reason_code();
    if (!o.reason_text().empty()) reason += reason.empty() ? o.reason_text() : ": " + o.reason_text();
    if (!reason.empty()) {
      req.override = service::OverrideRequest{std::nullopt, reason, witness};
    }
    // v1 has one witness field: it witnesses the override, and a controlled drug's
    // administration (docs/station.md). An override without a reason is only a witness.
    // Without the verdict (a 1.1 record with its evidence) the station cannot tell which the
    // witness is for: it is checked and kept for both, and the re-evaluation decides.
    if (witness && (reason.empty() || (verdict == nullptr && item_evidence) ||
                    (verdict != nullptr && verdict->witness_required))) {
      req.witness = witness;
    }
  }
  return req;
}

bool is_transient(std::string_view code) {
  static constexpr std::string_view kTransient[] = {
      "not_signed_in", "session_expired", "staff_inactive", "locked_out", "database_busy",
      "sqlite_error", "crypto_failure", "corrupt_data", "cannot_open", "no_home",
      errc::kScanContextLost, errc::kStationStopping, errc::kInternal};
  for (auto t : kTransient) {
    if (t == code) return true;
  }
  return false;
}

void fill_ack(const service::OutcomeAck& ack, std::string_view outcome_id,
              v1::Acknowledgement& out) {
  out.set_outcome_id(std::string(outcome_id));
  out.set_status(v1::Acknowledgement::STATUS_RECORDED);
  out.set_record_id(ack.ack.record_id);
  set_timestamp(*out.mutable_recorded_at(), ack.ack.entered_at);
}

void fill_rejection(const service::Refusal& refusal, std::string_view outcome_id,
                    v1::Acknowledgement& out) {
  out.set_outcome_id(std::string(outcome_id));
  out.set_status(v1::Acknowledgement::STATUS_REJECTED);
  add_reason(*out.mutable_reasons(), refusal.code, refusal.message);
  if (refusal.verdict) {
    for (const auto& r : refusal.verdict->reasons) {
      add_reason(*out.mutable_reasons(), rules::to_string(r.code), r.message);
    }
  }
}

}  // namespace bcma::station::server::detail
