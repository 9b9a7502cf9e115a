#include "format.hpp"

#include <array>

namespace bcma::rules::detail {
namespace {

namespace chr = std::chrono;
using domain::Decimal;

constexpr std::array<std::string_view, 7> kWeekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                    "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths{"January",   "February", "March",    "April",
                                                   "May",       "June",     "July",     "August",
                                                   "September", "October",  "November", "December"};

std::string plural(std::string_view unit, Decimal q) {
  std::string out(unit);
  if (q == Decimal::from_int(1) || unit.size() <= 2) return out;  // ml, mg, g stay as they are
  for (char c : unit) {
    if ((c < 'a' || c > 'z') && c != ' ' && c != '-') return out;  // "mg/ml", "IU": as written
  }
  if (unit == "mmol" || unit == "mcg") return out;
  if (unit.ends_with("ch") || unit.ends_with("sh") || unit.ends_with('s') || unit.ends_with('x')) {
    out += "es";
  } else {
    out += 's';
  }
  return out;
}

void append_hm(std::string& out, domain::TimeOfDay t) { out += t.to_string(); }

}  // namespace

std::string_view weekday_name(chr::weekday wd) { return kWeekdays[wd.c_encoding() % 7]; }

std::string day_month_year(domain::Date d) {
  return std::to_string(static_cast<unsigned>(d.day())) + " " +
         std::string(kMonths[(static_cast<unsigned>(d.month()) + 11) % 12]) + " " +
         std::to_string(static_cast<int>(d.year()));
}

std::string long_date(domain::Date d) {
  return std::string(weekday_name(chr::weekday{chr::sys_days{d}})) + " " + day_month_year(d);
}

std::string clock_time(domain::Instant t, domain::Instant now) {
  using domain::London;
  const domain::LocalDateTime local = London::to_local(t);
  std::string out;
  append_hm(out, local.time);
  // The repeated autumn hour reads the same twice: say which one.
  const domain::Instant first = London::to_instant(local.date, local.time);
  const domain::LocalDateTime later = London::to_local(first + chr::hours{1});
  if (later.date == local.date && later.time == local.time) {
    out += local.utc_offset_minutes == 60 ? " BST" : " GMT";
  }
  const chr::sys_days day{local.date};
  const chr::sys_days today{London::local_date(now)};
  if (day == today) return out;
  if (day == today + chr::days{1}) return out + " tomorrow";
  if (day == today - chr::days{1}) return out + " yesterday";
  out += " on ";
  out += weekday_name(chr::weekday{day});
  out += ' ';
  out += std::to_string(static_cast<unsigned>(local.date.day()));
  out += ' ';
  out += kMonths[(static_cast<unsigned>(local.date.month()) + 11) % 12];
  if (local.date.year() != domain::Date{today}.year()) {
    out += ' ';
    out += std::to_string(static_cast<int>(local.date.year()));
  }
  return out;
}

std::string slot_phrase(domain::Instant slot, domain::Instant now, bool capital) {
  const std::string the = capital ? "The " : "the ";
  const std::string when = clock_time(slot, now);
  if (domain::London::local_date(slot) == domain::London::local_date(now)) {
    return the + when + " dose";
  }
  return the + "dose due at " + when;
}

std::string duration(chr::seconds d) {
  // Whole minutes, rounded up: "1 minute late" for 20 seconds late is what a person expects.
  auto minutes = (d.count() + 59) / 60;
  if (minutes < 0) minutes = 0;
  const auto hours = minutes / 60;
  const auto rest = minutes % 60;
  auto unit = [](long long n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
  };
  if (hours == 0) return unit(rest, "minute");
  if (rest == 0) return unit(hours, "hour");
  return unit(hours, "hour") + " " + unit(rest, "minute");
}

std::string quantity_text(Decimal q, std::string_view unit) {
  if (unit.empty()) return q.to_string();
  return q.to_string() + " " + plural(unit, q);
}

std::string dose(const domain::DoseRange& d) {
  if (d.min == d.max) return quantity_text(d.min, d.unit);
  if (d.unit.empty()) return d.min.to_string() + " to " + d.max.to_string();
  const std::string unit = plural(d.unit, d.max);
  // "1 or 2 tablets" is how UK labels phrase a choice of two whole numbers.
  const bool either = d.min.is_whole() && d.max == d.min + Decimal::from_int(1);
  return d.min.to_string() + (either ? " or " : " to ") + d.max.to_string() + " " + unit;
}

std::string_view controlled_drug_name(domain::ControlledDrugCategory c) {
  using domain::ControlledDrugCategory;
  switch (c) {
    case ControlledDrugCategory::kNone:
      return "not a controlled drug";
    case ControlledDrugCategory::kSchedule1:
      return "Schedule 1";
    case ControlledDrugCategory::kSchedule2:
      return "Schedule 2";
    case ControlledDrugCategory::kSchedule2Exempt:
      return "Schedule 2";
    case ControlledDrugCategory::kSchedule3:
      return "Schedule 3";
    case ControlledDrugCategory::kSchedule4:
      return "Schedule 4";
    case ControlledDrugCategory::kSchedule5:
      return "Schedule 5";
  }
  return "controlled drug";
}

}  // namespace bcma::rules::detail
