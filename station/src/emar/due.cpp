// What a resident is due on a date, from the prescription versions in force during it.
#include "bcma/station/emar/due.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "bcma/rules/engine.hpp"

namespace bcma::station::emar {

namespace {

namespace chr = std::chrono;
using OJson = nlohmann::ordered_json;

std::string local_text(domain::Instant t) { return domain::London::to_local(t).to_string(); }

std::string round_of(const domain::Prescription& p, domain::Instant slot, const rules::Policy& policy) {
  const domain::TimeOfDay at = domain::London::to_local(slot).time;
  for (const auto& t : p.times) {
    if (t.round.empty()) continue;
    const auto time = policy.round_time(t.round);
    if (time && *time == at) return t.round;
  }
  return {};
}

OJson dose_json(const domain::DoseRange& d) {
  return OJson{{"min", d.min.to_string()}, {"max", d.max.to_string()}, {"unit", d.unit}};
}

}  // namespace

Result<DueReport> due_report(store::Store& store, std::string_view nhs_number, domain::Date date) {
  auto resident = store.resident_by_nhs_number(nhs_number);
  if (!resident) return Unexpected(std::move(resident).error());
  auto policy = store.policy();
  if (!policy) return Unexpected(std::move(policy).error());
  if (!date.ok()) return fail("invalid_argument", "not a real date");

  DueReport report;
  report.resident = std::move(*resident);
  report.date = date;
  const domain::Instant day_start = domain::London::start_of_day(date);
  const domain::Instant day_end = domain::London::start_of_day(domain::Date{chr::sys_days{date} + chr::days{1}});

  auto current = store.current_prescriptions(report.resident.id, day_end - chr::seconds{1});
  if (!current) return Unexpected(std::move(current).error());
  for (const auto& head : *current) {
    auto history = store.prescription_history(head.id);
    if (!history) return Unexpected(std::move(history).error());
    for (std::size_t i = 0; i < history->size(); ++i) {
      const auto& v = (*history)[i];
      const domain::Instant from = v.effective_from;
      const domain::Instant until = i + 1 < history->size() ? (*history)[i + 1].effective_from
                                                            : domain::Instant::max();
      if (until <= day_start || from >= day_end || until <= from) continue;
      const domain::Prescription& p = v.prescription;
      if (p.as_needed) {
        if (p.status != domain::PrescriptionStatus::kActive) continue;
        const domain::Instant a = std::max({from, day_start, p.starts});
        const domain::Instant b = std::min({until, day_end, p.ends.value_or(domain::Instant::max())});
        if (a < b) report.prn.push_back(PrnLine{p, a, b});
        continue;
      }
      for (const auto& due : rules::due_doses(std::span(&p, 1), date, *policy)) {
        if (due.slot < from || due.slot >= until) continue;  // another version holds this slot
        report.doses.push_back(
            DueDoseLine{p, due.slot, due.window_opens, due.window_closes, round_of(p, due.slot, *policy)});
      }
    }
  }
  std::stable_sort(report.doses.begin(), report.doses.end(), [](const DueDoseLine& a, const DueDoseLine& b) {
    return a.slot != b.slot ? a.slot < b.slot : a.prescription.id < b.prescription.id;
  });
  return report;
}

std::string due_json(const DueReport& r) {
  OJson doses = OJson::array();
  for (const auto& d : r.doses) {
    const auto& p = d.prescription;
    doses.push_back(OJson{{"time", domain::London::to_local(d.slot).time.to_string()},
                          {"round", d.round},
                          {"slot", local_text(d.slot)},
                          {"window_opens", local_text(d.window_opens)},
                          {"window_closes", local_text(d.window_closes)},
                          {"prescription_id", p.id},
                          {"version", p.version},
                          {"medication", p.medication_name},
                          {"medication_id", p.medication_id},
                          {"dose", dose_json(p.dose)},
                          {"route", p.route_name},
                          {"time_critical", p.time_critical},
                          {"instructions", p.instructions}});
  }
  OJson prn = OJson::array();
  for (const auto& line : r.prn) {
    const auto& p = line.prescription;
    const domain::PrnRule rule = p.prn.value_or(domain::PrnRule{});
    prn.push_back(OJson{{"prescription_id", p.id},
                        {"version", p.version},
                        {"medication", p.medication_name},
                        {"medication_id", p.medication_id},
                        {"dose", dose_json(p.dose)},
                        {"route", p.route_name},
                        {"indication", rule.indication},
                        {"min_interval_minutes", rule.min_interval.count()},
                        {"max_per_24h", rule.max_per_24h ? OJson(rule.max_per_24h->to_string()) : OJson()},
                        {"in_force_from", local_text(line.in_force_from)},
                        {"in_force_until", local_text(line.in_force_until)},
                        {"instructions", p.instructions}});
  }
  OJson j{{"resident",
           {{"nhs_number", r.resident.nhs_number},
            {"name", r.resident.display_name()},
            {"room", r.resident.room},
            {"status", domain::to_string(r.resident.status)}}},
          {"date", domain::to_string(r.date)},
          {"time_zone", "Europe/London"},
          {"doses", std::move(doses)},
          {"prn", std::move(prn)}};
  return j.dump(-1, ' ', false, OJson::error_handler_t::replace);
}

}  // namespace bcma::station::emar
