// GS1 YYMMDD dates: the century rule for two-digit years and DD=00 as the month's last day.
#include <gtest/gtest.h>

#include <string_view>

#include "bcma/scan/expiry_date.hpp"

namespace bcma::scan {
namespace {

struct YearCase {
  int current_year;
  int yy;
  int year;
};

// GS1 General Specifications: 51..99 years ahead of the current YY -> previous century;
// 50..99 behind -> next century; otherwise this century.
constexpr YearCase kYears[] = {
    {2025, 25, 2025}, {2025, 0, 2000},   {2025, 75, 2075}, {2025, 76, 1976},
    {2025, 99, 1999}, {2000, 50, 2050},  {2000, 51, 1951}, {2060, 11, 2011},
    {2060, 10, 2110}, {2060, 9, 2109},   {2099, 49, 2149}, {2099, 50, 2050},
    {2099, 0, 2100},  {2101, 52, 2052},
};

class Gs1Year : public ::testing::TestWithParam<YearCase> {};

TEST_P(Gs1Year, FollowsTheGs1CenturyRule) {
  const YearCase& c = GetParam();
  EXPECT_EQ(resolve_gs1_year(c.yy, c.current_year), c.year)
      << "YY " << c.yy << " seen in " << c.current_year;
}

INSTANTIATE_TEST_SUITE_P(Table, Gs1Year, ::testing::ValuesIn(kYears));

struct DateCase {
  std::string_view yymmdd;
  int current_year;
  int year, month, day;
  bool day_was_zero;
};

constexpr DateCase kDates[] = {
    {"251231", 2025, 2025, 12, 31, false},
    {"270600", 2025, 2027, 6, 30, true},    // DD=00: last day of June
    {"250100", 2025, 2025, 1, 31, true},
    {"240200", 2025, 2024, 2, 29, true},    // leap year
    {"250200", 2025, 2025, 2, 28, true},
    {"000200", 2025, 2000, 2, 29, true},    // 2000 is a leap year (divisible by 400)
    {"000200", 2099, 2100, 2, 28, true},    // 2100 is not
    {"240229", 2025, 2024, 2, 29, false},
    {"761001", 2025, 1976, 10, 1, false},   // 51 years ahead: previous century
};

class Gs1Date : public ::testing::TestWithParam<DateCase> {};

TEST_P(Gs1Date, ResolvesToACalendarDate) {
  const DateCase& c = GetParam();
  auto date = parse_gs1_date(c.yymmdd, c.current_year);
  ASSERT_TRUE(date.has_value()) << c.yymmdd << ": " << date.error().message;
  EXPECT_EQ(*date, (ExpiryDate{c.year, c.month, c.day, c.day_was_zero})) << c.yymmdd;
}

INSTANTIATE_TEST_SUITE_P(Table, Gs1Date, ::testing::ValuesIn(kDates));

struct BadDateCase {
  std::string_view yymmdd;
  bool allow_day_zero;
};

constexpr BadDateCase kBadDates[] = {
    {"251301", true}, {"250001", true}, {"250231", true}, {"250229", true},
    {"250431", true}, {"25123", true},  {"2512311", true}, {"25a231", true},
    {"", true},       {"250100", false},
};

class Gs1BadDate : public ::testing::TestWithParam<BadDateCase> {};

TEST_P(Gs1BadDate, IsRejectedAsBadDate) {
  auto date = parse_gs1_date(GetParam().yymmdd, 2025, GetParam().allow_day_zero);
  ASSERT_FALSE(date.has_value()) << GetParam().yymmdd;
  EXPECT_EQ(date.error().code, "bad_date");
  EXPECT_FALSE(date.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(Table, Gs1BadDate, ::testing::ValuesIn(kBadDates));

TEST(DaysInMonth, KnowsLeapYearsAndRejectsMonthsOutOfRange) {
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(1900, 2), 28);
  EXPECT_EQ(days_in_month(2000, 2), 29);
  EXPECT_EQ(days_in_month(2025, 4), 30);
  EXPECT_EQ(days_in_month(2025, 12), 31);
  EXPECT_EQ(days_in_month(2025, 0), 0);
  EXPECT_EQ(days_in_month(2025, 13), 0);
}

}  // namespace
}  // namespace bcma::scan
