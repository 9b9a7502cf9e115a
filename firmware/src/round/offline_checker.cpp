#include "bcma/fw/round/offline_checker.hpp"

#include <algorithm>
#include <charconv>

namespace bcma::fw::round {

namespace {

std::string dose_text(const domain::DoseRange& dose) {
  std::string amount = dose.min.to_string();
  if (dose.max != dose.min) amount += "-" + dose.max.to_string();
  return dose.unit.empty() ? amount : amount + " " + dose.unit;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::string scheduled_dose_id(domain::PrescriptionId prescription, std::optional<domain::Instant> slot) {
  if (!slot) return std::to_string(prescription);
  return std::to_string(prescription) + "@" + std::to_string(slot->time_since_epoch().count());
}

void decide_override(const rules::Verdict& verdict, const rules::Policy& policy,
                     std::optional<domain::Role> role, VerdictInfo& out) {
  out.override_allowed = false;
  out.override_needs_witness = false;
  if (verdict.decision != rules::Decision::kBlock) return;
  bool all = role.has_value();
  for (const auto& reason : verdict.reasons) {
    const auto& rp = policy.for_reason(reason.code);
    if (rp.decision != rules::Decision::kBlock) continue;
    if (rp.override_needs_witness) out.override_needs_witness = true;
    if (!role || !policy.may_override(reason.code, *role)) all = false;
  }
  out.override_allowed = all;
}

bool OfflineChecker::usable(domain::Instant now) const {
  return data_.has_value() && now < data_->valid_until;
}

const domain::Resident* OfflineChecker::resident_by_id(const std::string& id) const {
  if (!data_) return nullptr;
  const auto n = parse_int(id);
  if (!n) return nullptr;
  for (const auto& r : data_->residents) {
    if (r.id == *n) return &r;
  }
  return nullptr;
}

std::optional<ResidentInfo> OfflineChecker::find_resident(const bcma::scan::Scan& wristband,
                                                          domain::Instant now) const {
  if (!data_) return std::nullopt;
  const auto* band = std::get_if<bcma::scan::ResidentWristband>(&wristband.data);
  if (band == nullptr) return std::nullopt;
  const domain::Resident* found = nullptr;
  for (const auto& r : data_->residents) {
    if (band->gsrn && !r.wristband_gsrn.empty() && r.wristband_gsrn == *band->gsrn) found = &r;
  }
  if (found == nullptr && band->nhs_number) {
    for (const auto& r : data_->residents) {
      if (r.nhs_number == *band->nhs_number) found = &r;
    }
  }
  if (found == nullptr) return std::nullopt;
  const domain::Resident& r = *found;
  ResidentInfo info;
  info.resident_id = std::to_string(r.id);
  info.display_name = r.display_name();
  info.date_of_birth = domain::to_string(r.date_of_birth);
  info.nhs_number = r.nhs_number;
  info.photo_ref = r.photo_ref;
  for (const auto& a : r.allergies) info.allergies.push_back(a.description.empty() ? a.code : a.description);
  if (r.allergies.empty()) {
    if (r.no_known_allergies) {
      info.alerts.emplace_back("no_known_allergies", "No known drug allergies recorded.");
    } else {
      info.alerts.emplace_back("allergies_unknown",
                               "No allergy record: check allergies before giving anything.");
    }
  }
  if (r.status != domain::ResidentStatus::kPresent) {
    info.alerts.emplace_back("resident_not_present",
                             "Recorded as " + std::string(domain::to_string(r.status)) + ".");
  }
  std::vector<domain::Prescription> mine;
  for (const auto& p : data_->prescriptions) {
    if (p.resident_id == r.id) mine.push_back(p);
  }
  const domain::Date today = domain::London::local_date(now);
  const domain::Date yesterday{std::chrono::sys_days(today) - std::chrono::days(1)};
  std::vector<rules::DueDose> due = rules::due_doses(mine, yesterday, data_->policy);
  for (auto& d : rules::due_doses(mine, today, data_->policy)) due.push_back(d);
  for (const auto& d : due) {
    const bool is_today = domain::London::local_date(d.slot) == today;
    const bool window_now = d.window_opens <= now && now <= d.window_closes;
    if (!is_today && !window_now) continue;
    v1::DueDose line;
    line.set_scheduled_dose_id(scheduled_dose_id(d.prescription_id, d.slot));
    for (const auto& p : mine) {
      if (p.id == d.prescription_id) line.set_medicine_name(p.medication_name);
    }
    line.set_dose_text(dose_text(d.dose));
    line.set_time(domain::London::to_local(d.slot).time.to_string());
    for (const auto& h : data_->history) {
      if (h.resident_id == r.id && h.dose.prescription_id == d.prescription_id && h.dose.slot == d.slot) {
        line.set_recorded(std::string(domain::to_string(h.dose.outcome)));
      }
    }
    line.set_due_now(window_now && line.recorded().empty());
    if (line.due_now()) ++info.due_count;
    info.due.push_back(std::move(line));
  }
  return info;
}

VerdictInfo OfflineChecker::check_item(const std::string& resident_id, const bcma::scan::Scan& item,
                                       domain::Instant now) const {
  VerdictInfo out;
  out.offline = true;
  const domain::Resident* resident = resident_by_id(resident_id);
  std::vector<domain::Prescription> mine;
  std::vector<domain::PastDose> history;
  const domain::ProductMatch* product = nullptr;
  const domain::Resident* label_owner = nullptr;
  if (data_ && resident != nullptr) {
    for (const auto& p : data_->prescriptions) {
      if (p.resident_id == resident->id) mine.push_back(p);
    }
    for (const auto& h : data_->history) {
      if (h.resident_id == resident->id) history.push_back(h.dose);
    }
  }
  std::optional<std::string> gtin;
  if (const auto* pack = std::get_if<bcma::scan::MedicinePack>(&item.data)) gtin = pack->gtin;
  if (const auto* label = std::get_if<bcma::scan::PharmacyLabel>(&item.data)) {
    gtin = label->gtin;
    if (data_) {
      for (const auto& r : data_->residents) {
        if ((!r.wristband_gsrn.empty() && r.wristband_gsrn == label->resident_gsrn) ||
            (label->resident_nhs_number && r.nhs_number == *label->resident_nhs_number)) {
          label_owner = &r;
        }
      }
    }
  }
  if (data_ && gtin) {
    if (auto it = data_->products.find(*gtin); it != data_->products.end()) product = &it->second;
  }
  rules::Snapshot snap;
  snap.resident = resident;
  snap.prescriptions = mine;
  snap.item = &item;
  snap.product = product;
  snap.label_owner = label_owner;
  snap.history = history;
  if (data_) snap.recalls = data_->recalls;
  const rules::Policy fallback = rules::Policy::defaults();
  snap.policy = data_ ? &data_->policy : &fallback;
  const rules::Verdict v = rules::evaluate(snap, now);
  out.decision = v.decision;
  for (const auto& reason : v.reasons) out.reasons.emplace_back(std::string(rules::to_string(reason.code)), reason.message);
  if (v.prescription_id) out.scheduled_dose_id = scheduled_dose_id(*v.prescription_id, v.slot);
  if (product != nullptr) {
    out.medicine_name = product->vmp.name;
  } else if (v.prescription_id) {
    for (const auto& p : mine) {
      if (p.id == *v.prescription_id) out.medicine_name = p.medication_name;
    }
  }
  if (v.dose) {
    out.dose_text = dose_text(*v.dose);
    out.dose = v.dose->min;
    out.dose_unit = v.dose->unit;
  }
  out.witness_required = v.witness_required;
  out.summary = v.summary;
  decide_override(v, *snap.policy, data_ ? data_->staff_role : std::nullopt, out);
  return out;
}

void OfflineChecker::add_local_record(const v1::RecordOutcome& record) {
  if (!data_) return;
  const auto resident = parse_int(record.resident_id());
  const std::string& dose_id = record.scheduled_dose_id();
  if (!resident || dose_id.empty()) return;
  for (const auto& h : data_->history) {
    if (h.dose.record_id == record.outcome_id()) return;  // already counted
  }
  const auto at = dose_id.find('@');
  const auto prescription = parse_int(std::string_view(dose_id).substr(0, at));
  if (!prescription) return;
  ResidentDose d;
  d.resident_id = *resident;
  d.dose.record_id = record.outcome_id();
  d.dose.prescription_id = *prescription;
  if (at != std::string::npos) {
    if (auto secs = parse_int(std::string_view(dose_id).substr(at + 1))) {
      d.dose.slot = domain::Instant(std::chrono::seconds(*secs));
    }
  }
  d.dose.event_time = domain::Instant(std::chrono::seconds(record.event_time().seconds()));
  auto outcome = domain::outcome_from_string(record.outcome());
  if (!outcome) {
    outcome = record.kind() == v1::OUTCOME_KIND_GIVEN ? domain::Outcome::kGiven : domain::Outcome::kOmitted;
  }
  d.dose.outcome = *outcome;
  if (domain::was_taken(*outcome)) {
    if (auto q = domain::Decimal::parse(record.quantity().value())) d.dose.quantity = *q;
  }
  for (const auto& p : data_->prescriptions) {
    if (p.id == *prescription) d.dose.ingredients = p.ingredients;
  }
  data_->history.push_back(std::move(d));
}

// Without "other" and any code that needs free text, which a scanner cannot take.
std::vector<OutcomeCode> OfflineChecker::codes() const {
  const auto& all = data_ && !data_->codes.empty() ? data_->codes
                                                   : domain::default_non_administration_codes();
  std::vector<OutcomeCode> out;
  for (const auto& c : all) {
    if (c.active && !c.requires_text) out.push_back(c);
  }
  return out;
}

}  // namespace bcma::fw::round
