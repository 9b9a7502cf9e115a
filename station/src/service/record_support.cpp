#include "record_support.hpp"

#include <algorithm>
#include <cctype>

#include "bcma/core/text.hpp"
#include "bcma/station/service/errors.hpp"
#include "bcma/station/store/errors.hpp"
#include "evaluation.hpp"
#include "scan_input.hpp"

namespace bcma::station::service::detail {
namespace {

namespace chr = std::chrono;

chr::seconds distance(domain::Instant a, domain::Instant b) { return a < b ? b - a : a - b; }

}  // namespace

std::optional<std::string> normalise_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const auto c = static_cast<unsigned char>(out[i]);
    if (dash ? c != '-' : std::isxdigit(c) == 0) return std::nullopt;
    out[i] = static_cast<char>(std::tolower(c));
  }
  return out;
}

store::NewAdministration skeleton(const Session& session, const OutcomeRequest& req) {
  store::NewAdministration r;
  r.record_id = req.record_id;
  r.resident_id = req.resident_id;
  r.outcome = req.outcome;
  r.quantity = req.quantity;
  r.code = req.code;
  r.code_text = req.code_text;
  r.wristband = evidence_of(req.wristband);
  if (req.item) r.items.push_back(evidence_of(*req.item));
  r.event_time = req.event_time;
  r.device_id = session.device_id;
  r.staff_id = session.staff.id;
  r.corrects = req.corrects;
  r.note = req.note;
  return r;
}

Result<void, Refusal> check_wristband(store::Store& store, const scan::Context& context,
                                      const OutcomeRequest& req) {
  const ScanInput& band = req.wristband;
  if (band.entry != ScanInput::Entry::kScanned && is_blank(band.reason)) {
    return refuse(errc::kInvalidRequest,
                  "a record needs the wristband scan, or the reason it could not be scanned");
  }
  if (band.entry == ScanInput::Entry::kUnableToScan) return {};
  const scan::Scan scan = classify_input(band, context);
  const auto keys = wristband_keys(scan);
  if (!keys) {
    return refuse(errc::kWristbandMismatch, "the wristband in this record is " +
                                                std::string(kind_words(scan.kind)) +
                                                ", not a resident's wristband");
  }
  Result<domain::Resident> found = fail(store::errc::kUnknownResident, "");
  if (keys->gsrn) found = store.resident_by_wristband(*keys->gsrn);
  if (!found && found.error().code == store::errc::kUnknownResident && keys->nhs_number) {
    found = store.resident_by_nhs_number(*keys->nhs_number);
  }
  if (!found) {
    if (found.error().code == store::errc::kUnknownResident) {
      return refuse(errc::kWristbandMismatch, "nobody in this home wears the wristband in this "
                                              "record");
    }
    return refuse(found.error());
  }
  if (found->id != req.resident_id) {
    return refuse(errc::kWristbandMismatch,
                  "the wristband in this record is " + found->display_name() +
                      "'s, not that of resident " + std::to_string(req.resident_id));
  }
  return {};
}

Result<std::optional<domain::Instant>, Refusal> resolve_slot(
    store::Store& store, const OutcomeRequest& req, domain::PrescriptionId prescription,
    std::span<const domain::PastDose> pending) {
  using Slot = std::optional<domain::Instant>;
  auto p = store.prescription_at(prescription, req.event_time);
  if (!p) return refuse(p.error());
  if (p->resident_id != req.resident_id) {
    return refuse(store::errc::kPrescriptionNotForResident,
                  "prescription " + std::to_string(prescription) + " belongs to another resident");
  }
  if (p->as_needed) {
    if (req.slot) {
      return refuse(errc::kInvalidSlot, p->medication_name +
                                            " is given when required: it has no scheduled dose");
    }
    return Slot{};
  }
  auto policy = load_policy(store);
  if (!policy) return refuse(policy.error());
  // Dose times whatever the status: an omission of a stopped or held medicine still answers
  // one of its doses.
  domain::Prescription scheduled = *p;
  scheduled.status = domain::PrescriptionStatus::kActive;
  const std::span<const domain::Prescription> one(&scheduled, 1);

  if (req.slot) {
    const auto due = rules::due_doses(one, domain::London::local_date(*req.slot), *policy);
    const bool known = std::any_of(due.begin(), due.end(), [&](const rules::DueDose& d) {
      return d.slot == *req.slot;
    });
    if (!known) {
      return refuse(errc::kInvalidSlot, domain::to_string(*req.slot) + " is not a dose time of " +
                                            p->medication_name);
    }
    return Slot{*req.slot};
  }

  auto history = store.history(req.resident_id, req.event_time - kHistorySpan);
  if (!history) return refuse(history.error());
  history->insert(history->end(), pending.begin(), pending.end());
  const auto corrected = req.corrects ? normalise_uuid(*req.corrects) : std::nullopt;
  auto recorded = [&](domain::Instant slot) {
    return std::any_of(history->begin(), history->end(), [&](const domain::PastDose& d) {
      return d.prescription_id == prescription && d.slot == slot &&
             (!corrected || d.record_id != *corrected);
    });
  };
  Slot best;
  const chr::sys_days day{domain::London::local_date(req.event_time)};
  for (int k = -1; k <= 1; ++k) {
    for (const rules::DueDose& d : rules::due_doses(one, domain::Date{day + chr::days{k}}, *policy)) {
      if (distance(d.slot, req.event_time) > chr::hours{12} || recorded(d.slot)) continue;
      if (!best || distance(d.slot, req.event_time) < distance(*best, req.event_time)) best = d.slot;
    }
  }
  if (!best) {
    return refuse(errc::kMissingSlot, "no dose of " + p->medication_name +
                                          " without a record lies within 12 hours of " +
                                          domain::to_string(req.event_time) +
                                          ": say which dose this outcome is for");
  }
  return best;
}

}  // namespace bcma::station::service::detail
