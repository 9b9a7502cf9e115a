#include "schedule.hpp"

#include <algorithm>

#include "bcma/rules/engine.hpp"
#include "format.hpp"

namespace bcma::rules::detail {
namespace {

namespace chr = std::chrono;
using domain::Date;
using domain::DayPattern;
using domain::Instant;
using domain::London;
using domain::Minutes;
using domain::Prescription;

constexpr int kMaxEveryNDays = 366;
constexpr Minutes kMaxWindow{12 * 60};

std::optional<domain::TimeOfDay> time_of(const domain::DoseTime& t, const Policy& policy) {
  if (t.round.empty()) return t.time;
  return policy.round_time(t.round);
}

chr::seconds distance(Instant a, Instant b) { return a < b ? b - a : a - b; }

}  // namespace

Minutes on_time_window(const Prescription& p, const Policy& policy) {
  if (p.window) return *p.window;
  return p.time_critical ? policy.time_critical_window : policy.default_window;
}

Minutes recognition_window(const Prescription& p, const Policy& policy) {
  const Minutes on_time = on_time_window(p, policy);
  return p.time_critical ? std::max(on_time, policy.default_window) : on_time;
}

bool is_due_on(const DayPattern& days, Date d) {
  switch (days.kind) {
    case DayPattern::Kind::kEveryDay:
      return true;
    case DayPattern::Kind::kDaysOfWeek: {
      const unsigned bit = chr::weekday{chr::sys_days{d}}.iso_encoding() - 1;  // Monday = 0
      return (days.weekdays >> bit & 1U) != 0;
    }
    case DayPattern::Kind::kEveryNDays: {
      if (days.every_n_days < 1) return false;
      const auto since = (chr::sys_days{d} - chr::sys_days{days.anchor}).count();
      return since >= 0 && since % days.every_n_days == 0;
    }
  }
  return false;
}

std::string describe(const DayPattern& days) {
  switch (days.kind) {
    case DayPattern::Kind::kEveryDay:
      return "every day";
    case DayPattern::Kind::kDaysOfWeek: {
      std::vector<std::string> names;
      for (unsigned bit = 0; bit < 7; ++bit) {
        if ((days.weekdays >> bit & 1U) != 0) {
          names.push_back(std::string(weekday_name(chr::weekday{(bit + 1) % 7})) + "s");
        }
      }
      if (names.empty()) return "on no day of the week";
      if (names.size() == 1) return "on " + names[0] + " only";
      std::string out = "on ";
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
        out += names[i];
      }
      return out;
    }
    case DayPattern::Kind::kEveryNDays:
      if (days.every_n_days <= 1) return "every day";
      if (days.every_n_days == 2) return "every other day";
      return "every " + std::to_string(days.every_n_days) + " days";
  }
  return "on some days";
}

void append_slots(const Prescription& p, const Policy& policy, Date d, std::vector<Instant>& out) {
  if (!is_due_on(p.days, d)) return;
  const std::size_t first = out.size();
  for (const domain::DoseTime& t : p.times) {
    const std::optional<domain::TimeOfDay> tod = time_of(t, policy);
    if (!tod) continue;
    const Instant slot = London::to_instant(d, *tod);
    if (slot < p.starts || (p.ends && slot >= *p.ends)) continue;
    out.push_back(slot);
  }
  const auto begin = out.begin() + static_cast<std::ptrdiff_t>(first);
  std::sort(begin, out.end());
  out.erase(std::unique(begin, out.end()), out.end());
}

std::optional<Instant> next_slot_after(const Prescription& p, const Policy& policy, Instant t) {
  chr::sys_days day{London::local_date(std::max(t, p.starts))};
  // Two whole cycles cover any every-N-days pattern; nine days cover any weekly one.
  const int horizon = p.days.kind == DayPattern::Kind::kEveryNDays
                          ? 2 * std::clamp(p.days.every_n_days, 1, kMaxEveryNDays) + 2
                          : 9;
  std::vector<Instant> slots;
  for (int k = 0; k < horizon; ++k, day += chr::days{1}) {
    if (p.ends && London::start_of_day(Date{day}) >= *p.ends) break;
    slots.clear();
    append_slots(p, policy, Date{day}, slots);
    for (Instant s : slots) {
      if (s > t) return s;
    }
  }
  return std::nullopt;
}

const domain::PastDose* record_for(const Prescription& p, Instant slot,
                                   std::span<const domain::PastDose> history) {
  const domain::PastDose* found = nullptr;
  for (const domain::PastDose& d : history) {
    if (d.prescription_id != p.id || !d.slot || *d.slot != slot) continue;
    if (found == nullptr || d.event_time > found->event_time) found = &d;
  }
  return found;
}

SlotFinding find_slot(const Prescription& p, const Policy& policy,
                      std::span<const domain::PastDose> history, Instant now) {
  using State = SlotFinding::State;
  const chr::seconds w = recognition_window(p, policy);
  const chr::sys_days today{London::local_date(now)};

  // Yesterday to tomorrow: windows are under 12 hours, so no other day's slot can hold now.
  std::vector<Instant> slots;
  slots.reserve(3 * p.times.size());
  for (int k = -1; k <= 1; ++k) append_slots(p, policy, Date{today + chr::days{k}}, slots);

  // The nearest slot whose window contains now, preferring one not yet recorded: with two
  // slots close together, a recorded first one does not hide a due second one.
  SlotFinding found;
  for (Instant s : slots) {
    if (distance(now, s) > w) continue;
    const domain::PastDose* rec = record_for(p, s, history);
    const bool better = !found.slot || (rec == nullptr && found.record != nullptr) ||
                        ((rec == nullptr) == (found.record == nullptr) &&
                         distance(now, s) < distance(now, *found.slot));
    if (better) {
      found.slot = s;
      found.record = rec;
    }
  }
  if (found.slot) {
    found.state = found.record != nullptr ? State::kAlreadyRecorded : State::kDueNow;
    return found;
  }

  if (!is_due_on(p.days, Date{today})) {
    found.state = State::kNotDueToday;
    found.other_slot = next_slot_after(p, policy, now);
    return found;
  }

  std::optional<Instant> prev;
  std::optional<Instant> next;
  for (Instant s : slots) {
    if (s + w < now) prev = s;
    if (s - w > now && !next) next = s;
  }
  if (!next) next = next_slot_after(p, policy, now);
  if (!prev && !next) {
    found.state = State::kNoMoreDoses;
    return found;
  }
  // Between two windows, the scan answers the nearer slot: a dose missed long ago and close to
  // the next one is not given late (that would be two doses close together).
  const bool answers_previous = prev && (!next || now - *prev <= *next - now);
  if (answers_previous) {
    found.slot = prev;
    found.record = record_for(p, *prev, history);
    found.state = found.record != nullptr ? State::kAlreadyRecorded : State::kTooLate;
    found.other_slot = next;
  } else {
    found.slot = next;
    found.state = State::kTooEarly;
    found.other_slot = prev;
    if (prev) found.other_record = record_for(p, *prev, history);
  }
  return found;
}

}  // namespace bcma::rules::detail

namespace bcma::rules {

Result<void> check_prescription(const domain::Prescription& p, const Policy& policy) {
  using detail::kMaxEveryNDays;
  using detail::kMaxWindow;
  const std::string& name = p.medication_name;
  if (p.dose.min <= domain::Decimal{} || p.dose.min > p.dose.max) {
    return fail("bad_dose", name +
                                ": the dose must be more than 0, and its minimum not above "
                                "its maximum (" +
                                p.dose.min.to_string() + " to " + p.dose.max.to_string() + ")");
  }
  if (p.ends && *p.ends <= p.starts) {
    return fail("bad_bounds", name + ": the prescription ends before it starts");
  }
  const domain::Minutes on_time = detail::on_time_window(p, policy);
  const domain::Minutes recognition = detail::recognition_window(p, policy);
  if (on_time < domain::Minutes{0} || recognition >= kMaxWindow) {
    return fail("bad_window", name + ": the dose window must be from 0 to under 12 hours");
  }
  if (p.as_needed) {
    if (p.prn && (p.prn->min_interval < domain::Minutes{0} ||
                  (p.prn->max_per_24h && *p.prn->max_per_24h <= domain::Decimal{}))) {
      return fail("bad_prn_rule",
                  name +
                      ": the minimum interval cannot be negative and the 24-hour maximum "
                      "must be more than 0");
    }
    return ok();
  }
  if (p.times.empty()) {
    return fail("no_dose_times", name + ": a regular prescription needs at least one dose time");
  }
  for (const domain::DoseTime& t : p.times) {
    if (!t.round.empty()) {
      if (!policy.round_time(t.round)) {
        return fail("unknown_round",
                    name + ": the home has no time for the round \"" + t.round + "\"");
      }
    } else if (t.time.minutes < 0 || t.time.minutes >= 24 * 60) {
      return fail("bad_time", name + ": a dose time must be from 00:00 to 23:59");
    }
  }
  switch (p.days.kind) {
    case domain::DayPattern::Kind::kEveryDay:
      break;
    case domain::DayPattern::Kind::kDaysOfWeek:
      if ((p.days.weekdays & 0x7F) == 0) {
        return fail("bad_day_pattern", name + ": a weekly pattern needs at least one day");
      }
      break;
    case domain::DayPattern::Kind::kEveryNDays:
      if (p.days.every_n_days < 1 || p.days.every_n_days > kMaxEveryNDays || !p.days.anchor.ok()) {
        return fail("bad_day_pattern",
                    name + ": an every-N-days pattern needs N from 1 to 366 and a first day");
      }
      break;
  }
  return ok();
}

std::vector<DueDose> due_doses(std::span<const domain::Prescription> prescriptions,
                               domain::Date date, const Policy& policy) {
  std::vector<DueDose> out;
  std::vector<domain::Instant> slots;
  for (const domain::Prescription& p : prescriptions) {
    if (p.as_needed || p.status != domain::PrescriptionStatus::kActive) continue;
    if (!check_prescription(p, policy)) continue;
    slots.clear();
    detail::append_slots(p, policy, date, slots);
    const domain::Minutes w = detail::on_time_window(p, policy);
    for (domain::Instant s : slots) {
      out.push_back(DueDose{p.id, s, s - w, s + w, p.dose});
    }
  }
  std::sort(out.begin(), out.end(), [](const DueDose& a, const DueDose& b) {
    return a.slot != b.slot ? a.slot < b.slot : a.prescription_id < b.prescription_id;
  });
  return out;
}

}  // namespace bcma::rules
