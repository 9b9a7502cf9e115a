#include "bcma/scan/expiry_date.hpp"

#include <string>

namespace bcma::scan {

int resolve_gs1_year(int yy, int current_year) {
  const int current_yy = current_year % 100;
  const int century = current_year - current_yy;
  const int difference = yy - current_yy;
  if (difference >= 51) return century - 100 + yy;
  if (difference <= -50) return century + 100 + yy;
  return century + yy;
}

int days_in_month(int year, int month) {
  switch (month) {
    case 1: case 3: case 5: case 7: case 8: case 10: case 12: return 31;
    case 4: case 6: case 9: case 11: return 30;
    case 2: {
      const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      return leap ? 29 : 28;
    }
    default: return 0;
  }
}

Result<ExpiryDate> parse_gs1_date(std::string_view yymmdd, int current_year,
                                  bool allow_day_zero) {
  if (yymmdd.size() != 6) return fail("bad_date", "A GS1 date has six digits (YYMMDD).");
  for (char c : yymmdd) {
    if (c < '0' || c > '9') return fail("bad_date", "A GS1 date has only digits (YYMMDD).");
  }
  auto two = [&](std::size_t at) { return (yymmdd[at] - '0') * 10 + (yymmdd[at + 1] - '0'); };
  ExpiryDate date;
  date.year = resolve_gs1_year(two(0), current_year);
  date.month = two(2);
  const int day = two(4);
  if (date.month < 1 || date.month > 12)
    return fail("bad_date", "Month " + std::string(yymmdd.substr(2, 2)) + " does not exist.");
  const int last_day = days_in_month(date.year, date.month);
  if (day == 0) {
    if (!allow_day_zero)
      return fail("bad_date", "Day 00 is not allowed in this date.");
    date.day = last_day;
    date.day_was_zero = true;
  } else if (day > last_day) {
    return fail("bad_date", "Day " + std::string(yymmdd.substr(4, 2)) + " is past the end of " +
                                std::to_string(date.year) + "-" +
                                std::string(yymmdd.substr(2, 2)) + ".");
  } else {
    date.day = day;
  }
  return date;
}

}  // namespace bcma::scan
