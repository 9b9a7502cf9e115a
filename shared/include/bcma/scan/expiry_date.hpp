#pragma once
/// \file
/// GS1 YYMMDD dates (AI 17 expiry and its kin) resolved to a calendar date: the GS1 century
/// rule for two-digit years, and DD=00 meaning the last day of the month.

#include <cstdint>
#include <string_view>

#include "bcma/core/result.hpp"

namespace bcma::scan {

/// A resolved GS1 date, e.g. an expiry from AI 17.
struct ExpiryDate {
  int year = 0;              ///< four digits, GS1 century rule applied
  int month = 0;             ///< 1..12
  int day = 0;               ///< 1..31, already resolved when DD was 00
  bool day_was_zero = false; ///< the data said DD=00 ("end of month"), shown as such to people

  friend bool operator==(const ExpiryDate&, const ExpiryDate&) = default;
};

/// The four-digit year for a two-digit GS1 year `yy` (0..99), seen in `current_year`
/// (GS1 General Specifications, "determination of century in dates"): if `yy` is 51 to 99
/// years ahead of the current two-digit year it is in the previous century; if it is 50 to 99
/// years behind, in the next century; otherwise in the current century.
/// So in 2025, "75" is 2075 and "76" is 1976; in 2060, "10" is 2110.
int resolve_gs1_year(int yy, int current_year);

/// Days in `month` (1..12) of `year`, Gregorian leap years; 0 for a month out of range.
int days_in_month(int year, int month);

/// Parses a six-digit GS1 YYMMDD date. DD=00 means the last day of the month (AI 17's
/// `yymmd0` rule); `allow_day_zero` false rejects it (for AIs whose dates must be exact).
/// Errors (`bcma::Error::code`): "bad_date" (not six digits, month not 1..12, day past the end
/// of the month, or DD=00 where not allowed). The message says which.
Result<ExpiryDate> parse_gs1_date(std::string_view yymmdd, int current_year,
                                  bool allow_day_zero = true);

}  // namespace bcma::scan
