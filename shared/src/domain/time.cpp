#include "bcma/domain/time.hpp"

namespace bcma::domain {
namespace {

namespace chr = std::chrono;

void append_padded(std::string& out, long long value, int width) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  if (value < 0) out += '-';
  if (static_cast<int>(digits.size()) < width) {
    out.append(static_cast<std::size_t>(width) - digits.size(), '0');
  }
  out += digits;
}

void append_date(std::string& out, Date d) {
  append_padded(out, static_cast<int>(d.year()), 4);
  out += '-';
  append_padded(out, static_cast<unsigned>(d.month()), 2);
  out += '-';
  append_padded(out, static_cast<unsigned>(d.day()), 2);
}

// Digits at [pos, pos + n) as a number; -1 unless they are all ASCII digits.
int digits_at(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

// 01:00 UTC on the last Sunday of `m`: both London transitions happen then (the EU rule).
Instant last_sunday_0100_utc(chr::year y, chr::month m) {
  chr::sys_days last{chr::year_month_day_last{y, chr::month_day_last{m}}};
  last -= chr::weekday{last} - chr::Sunday;
  return Instant{last} + chr::hours{1};
}

}  // namespace

std::optional<TimeOfDay> TimeOfDay::parse(std::string_view hh_mm) {
  if (hh_mm.size() != 5 || hh_mm[2] != ':') return std::nullopt;
  const int h = digits_at(hh_mm, 0, 2);
  const int m = digits_at(hh_mm, 3, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
  return TimeOfDay{h * 60 + m};
}

std::string TimeOfDay::to_string() const {
  std::string out;
  append_padded(out, minutes / 60, 2);
  out += ':';
  append_padded(out, minutes % 60, 2);
  return out;
}

std::string LocalDateTime::to_string() const {
  std::string out;
  append_date(out, date);
  out += 'T';
  out += time.to_string();
  out += ':';
  append_padded(out, second, 2);
  const int offset = utc_offset_minutes;
  out += offset < 0 ? '-' : '+';
  const int magnitude = offset < 0 ? -offset : offset;
  append_padded(out, magnitude / 60, 2);
  out += ':';
  append_padded(out, magnitude % 60, 2);
  return out;
}

Instant London::summer_time_starts(chr::year y) { return last_sunday_0100_utc(y, chr::March); }
Instant London::summer_time_ends(chr::year y) { return last_sunday_0100_utc(y, chr::October); }

int London::utc_offset_minutes(Instant t) {
  // Both transitions are months away from New Year, so the UTC year is the local year here.
  const chr::year y = chr::year_month_day{chr::floor<chr::days>(t)}.year();
  return (t >= summer_time_starts(y) && t < summer_time_ends(y)) ? 60 : 0;
}

LocalDateTime London::to_local(Instant t) {
  const int offset = utc_offset_minutes(t);
  const Instant wall = t + chr::minutes{offset};
  const chr::sys_days day = chr::floor<chr::days>(wall);
  const auto seconds_into_day = (wall - day).count();
  LocalDateTime local;
  local.date = Date{day};
  local.time = TimeOfDay{static_cast<int>(seconds_into_day / 60)};
  local.second = static_cast<int>(seconds_into_day % 60);
  local.utc_offset_minutes = offset;
  return local;
}

Instant London::to_instant(Date date, TimeOfDay time) {
  // The wall reading as if it were UTC, then try BST: it is right exactly when the instant it
  // gives is itself in BST. That picks the first (BST) reading in the repeated autumn hour and
  // falls through to GMT for the missing spring hour, as documented.
  const Instant wall = Instant{chr::sys_days{date}} + chr::minutes{time.minutes};
  const Instant as_bst = wall - chr::hours{1};
  if (utc_offset_minutes(as_bst) == 60) return as_bst;
  return wall;
}

std::optional<Date> parse_date(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  const int y = digits_at(iso, 0, 4);
  const int m = digits_at(iso, 5, 2);
  const int d = digits_at(iso, 8, 2);
  if (y < 1 || m < 1 || d < 1) return std::nullopt;
  const Date date{chr::year{y}, chr::month{static_cast<unsigned>(m)},
                  chr::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string to_string(Date d) {
  std::string out;
  append_date(out, d);
  return out;
}

std::optional<Instant> parse_instant(std::string_view iso) {
  // YYYY-MM-DDTHH:MM:SS then Z or +HH:MM / -HH:MM.
  if (iso.size() < 20 || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':') return std::nullopt;
  const std::optional<Date> date = parse_date(iso.substr(0, 10));
  const int h = digits_at(iso, 11, 2);
  const int m = digits_at(iso, 14, 2);
  const int s = digits_at(iso, 17, 2);
  if (!date || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return std::nullopt;
  int offset_minutes = 0;
  const std::string_view zone = iso.substr(19);
  if (zone == "Z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const int oh = digits_at(zone, 1, 2);
    const int om = digits_at(zone, 4, 2);
    if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 18 * 60) return std::nullopt;
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  return Instant{chr::sys_days{*date}} + chr::hours{h} + chr::minutes{m} + chr::seconds{s} -
         chr::minutes{offset_minutes};
}

std::string to_string(Instant t) {
  const chr::sys_days day = chr::floor<chr::days>(t);
  const auto seconds_into_day = (t - day).count();
  std::string out;
  append_date(out, Date{day});
  out += 'T';
  append_padded(out, seconds_into_day / 3600, 2);
  out += ':';
  append_padded(out, seconds_into_day / 60 % 60, 2);
  out += ':';
  append_padded(out, seconds_into_day % 60, 2);
  out += 'Z';
  return out;
}

}  // namespace bcma::domain
