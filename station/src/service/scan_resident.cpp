// Service: scanning the resident's wristband - who it is, what is due, what PRN is in force.
#include <algorithm>

#include "audit_json.hpp"
#include "bcma/station/service/errors.hpp"
#include "bcma/station/service/service.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/transaction.hpp"
#include "evaluation.hpp"
#include "scan_input.hpp"

namespace bcma::station::service {
namespace {

namespace chr = std::chrono;
using domain::Instant;

std::span<const domain::Ingredient> ingredients_of(const domain::PastDose& d,
                                                   std::span<const domain::Prescription> rx) {
  if (!d.ingredients.empty()) return d.ingredients;
  for (const domain::Prescription& p : rx) {
    if (p.id == d.prescription_id) return p.ingredients;
  }
  return {};
}

bool shares_ingredient(std::span<const domain::Ingredient> a,
                       std::span<const domain::Ingredient> b) {
  return std::any_of(a.begin(), a.end(), [&](const domain::Ingredient& x) {
    return std::any_of(b.begin(), b.end(), [&](const domain::Ingredient& y) {
      return x.substance_id == y.substance_id;
    });
  });
}

std::vector<DueLine> dose_lines(std::span<const domain::Prescription> rx,
                                std::span<const domain::PastDose> history,
                                const rules::Policy& policy, Instant now) {
  const chr::sys_days today{domain::London::local_date(now)};
  std::vector<DueLine> out;
  for (int k = -1; k <= 1; ++k) {
    const domain::Date day{today + chr::days{k}};
    for (const rules::DueDose& d : rules::due_doses(rx, day, policy)) {
      const bool window_holds_now = d.window_opens <= now && now <= d.window_closes;
      if (k != 0 && !window_holds_now) continue;
      const auto p = std::find_if(rx.begin(), rx.end(), [&](const domain::Prescription& x) {
        return x.id == d.prescription_id;
      });
      DueLine line;
      line.prescription_id = d.prescription_id;
      line.medication_name = p->medication_name;
      line.route_name = p->route_name;
      line.dose = d.dose;
      line.instructions = p->instructions;
      line.slot = d.slot;
      line.window_opens = d.window_opens;
      line.window_closes = d.window_closes;
      const domain::PastDose* latest = nullptr;
      for (const domain::PastDose& h : history) {
        if (h.prescription_id != d.prescription_id || !h.slot || *h.slot != d.slot) continue;
        if (latest == nullptr || h.event_time >= latest->event_time) latest = &h;
      }
      if (latest != nullptr) line.recorded = latest->outcome;
      line.due_now = latest == nullptr && window_holds_now;
      out.push_back(std::move(line));
    }
  }
  std::sort(out.begin(), out.end(), [](const DueLine& a, const DueLine& b) {
    return a.slot != b.slot ? a.slot < b.slot : a.prescription_id < b.prescription_id;
  });
  return out;
}

std::vector<PrnLine> prn_lines(std::span<const domain::Prescription> rx,
                               std::span<const domain::PastDose> history, Instant now) {
  std::vector<PrnLine> out;
  for (const domain::Prescription& p : rx) {
    const bool in_force = p.as_needed && p.status == domain::PrescriptionStatus::kActive &&
                          p.starts <= now && (!p.ends || now < *p.ends);
    if (!in_force) continue;
    PrnLine line;
    line.prescription_id = p.id;
    line.medication_name = p.medication_name;
    line.dose = p.dose;
    if (p.prn) {
      line.indication = p.prn->indication;
      line.min_interval = p.prn->min_interval;
      line.max_per_24h = p.prn->max_per_24h;
    }
    for (const domain::PastDose& d : history) {
      if (!domain::was_taken(d.outcome)) continue;
      const bool related =
          d.prescription_id == p.id || shares_ingredient(ingredients_of(d, rx), p.ingredients);
      if (related && (!line.last_taken || d.event_time > *line.last_taken)) {
        line.last_taken = d.event_time;
      }
    }
    if (line.last_taken && line.min_interval > domain::Minutes{0}) {
      line.allowed_from = *line.last_taken + line.min_interval;
      line.available_now = now >= *line.allowed_from;
    }
    out.push_back(std::move(line));
  }
  return out;
}

std::string not_a_wristband_message(const scan::Scan& scan) {
  if (const scan::Unknown* u = scan.unknown()) return u->reason;
  if (scan.kind == scan::Kind::kPharmacyLabel) {
    return "This is a pharmacy label: a label never identifies a resident (it may be on the "
           "wrong pack). Scan the resident's wristband.";
  }
  return "This is " + std::string(detail::kind_words(scan.kind)) +
         ", not a resident's wristband. Scan the resident's wristband.";
}

}  // namespace

Result<ResidentView> Service::scan_resident(std::string_view session_id,
                                            const ScanInput& wristband) {
  auto live = live_session(session_id);
  if (!live) return Unexpected(std::move(live).error());
  Session& session = **live;
  if (wristband.entry == ScanInput::Entry::kUnableToScan) {
    return fail(errc::kInvalidRequest,
                "nothing was scanned or typed: scan the wristband, or type the NHS number");
  }
  const Instant now = clock_->now();
  const scan::Scan scan = detail::classify_input(wristband, scan_context());
  ResidentView view;
  view.kind = scan.kind;

  // One write transaction: what is shown and the audit entry saying it was shown agree.
  auto tx = store::Transaction::begin(store_->database());
  if (!tx) return Unexpected(std::move(tx).error());
  if (const auto keys = detail::wristband_keys(scan)) {
    Result<domain::Resident> found = fail(store::errc::kUnknownResident, "");
    if (keys->gsrn) found = store_->resident_by_wristband(*keys->gsrn);
    if (!found && found.error().code == store::errc::kUnknownResident && keys->nhs_number) {
      found = store_->resident_by_nhs_number(*keys->nhs_number);
    }
    if (found) {
      view.status = ResidentScanStatus::kFound;
      view.resident = std::move(*found);
    } else if (found.error().code == store::errc::kUnknownResident) {
      view.status = ResidentScanStatus::kNotFound;
      view.message = "Nobody in this home wears this wristband (" +
                     (keys->gsrn ? "GSRN " + *keys->gsrn : "NHS number " + *keys->nhs_number) +
                     "). Check who the resident is another way, and tell the person in charge.";
    } else {
      return Unexpected(std::move(found).error());
    }
  } else {
    view.status = ResidentScanStatus::kNotAWristband;
    view.message = not_a_wristband_message(scan);
  }

  if (view.resident) {
    auto policy = detail::load_policy(*store_);
    if (!policy) return Unexpected(std::move(policy).error());
    auto rx = store_->current_prescriptions(view.resident->id, now);
    if (!rx) return Unexpected(std::move(rx).error());
    auto history = store_->history(view.resident->id, now - detail::kHistorySpan);
    if (!history) return Unexpected(std::move(history).error());
    view.doses = dose_lines(*rx, *history, *policy, now);
    view.prn = prn_lines(*rx, *history, now);
  }

  const std::optional<domain::ResidentId> who =
      view.resident ? std::optional<domain::ResidentId>(view.resident->id) : std::nullopt;
  auto logged = store::append_audit(
      store_->database(),
      store::AuditEvent{store::AuditKind::kScan, store::Actor{session.staff.id, session.device_id},
                        who ? "resident:" + std::to_string(*who) : std::string("scan"),
                        detail::scan_payload("resident", wristband, scan, to_string(view.status), who)},
      now);
  if (!logged) return Unexpected(std::move(logged).error());
  if (auto c = tx->commit(); !c) return Unexpected(std::move(c).error());
  view.audit_seq = logged->seq;
  // Only a wristband that was found names the resident the next item scans are for.
  session.resident_id = who;
  return view;
}

}  // namespace bcma::station::service
