#include "bcma/domain/time.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace bcma::domain {
namespace {

namespace chr = std::chrono;

Date ymd(int y, unsigned m, unsigned d) { return Date{chr::year{y}, chr::month{m}, chr::day{d}}; }
Instant utc(const char* iso) {
  const std::optional<Instant> t = parse_instant(iso);
  EXPECT_TRUE(t) << iso;
  return t.value_or(Instant{});
}

TEST(TimeOfDay, ParsesAndFormatsHoursAndMinutes) {
  EXPECT_EQ(TimeOfDay::parse("08:00")->minutes, 480);
  EXPECT_EQ(TimeOfDay::parse("00:00")->minutes, 0);
  EXPECT_EQ(TimeOfDay::parse("23:59")->minutes, 1439);
  EXPECT_EQ(TimeOfDay::hm(22, 30).to_string(), "22:30");
  EXPECT_EQ(TimeOfDay{5}.to_string(), "00:05");
  for (const char* bad : {"24:00", "8:00", "08:60", "0800", "08:00:00", "", "ab:cd", "-1:00"}) {
    EXPECT_FALSE(TimeOfDay::parse(bad)) << bad;
  }
}

TEST(Dates, ParseOnlyRealCalendarDates) {
  EXPECT_EQ(parse_date("2026-03-29"), ymd(2026, 3, 29));
  EXPECT_EQ(parse_date("2028-02-29"), ymd(2028, 2, 29));
  for (const char* bad : {"2027-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-3-29",
                          "26-03-29", "2026/03/29", "0000-01-01", "2026-03-29T", " 2026-03-29"}) {
    EXPECT_FALSE(parse_date(bad)) << bad;
  }
  EXPECT_EQ(to_string(ymd(2026, 3, 9)), "2026-03-09");
  EXPECT_EQ(to_string(ymd(987, 1, 2)), "0987-01-02");
}

TEST(Instants, ParseUtcAndOffsetsAndFormatAsUtc) {
  EXPECT_EQ(to_string(utc("2026-03-29T08:00:00Z")), "2026-03-29T08:00:00Z");
  EXPECT_EQ(to_string(utc("2026-03-29T08:00:00+01:00")), "2026-03-29T07:00:00Z");
  EXPECT_EQ(to_string(utc("2026-03-29T00:30:00+01:00")), "2026-03-28T23:30:00Z");
  EXPECT_EQ(to_string(utc("2026-01-01T00:00:00-05:30")), "2026-01-01T05:30:00Z");
  EXPECT_EQ(to_string(Instant{}), "1970-01-01T00:00:00Z");
  for (const char* bad :
       {"2026-03-29T08:00:00", "2026-03-29 08:00:00Z", "2026-03-29T08:00Z", "2026-03-29T24:00:00Z",
        "2026-03-29T08:00:60Z", "2026-02-30T08:00:00Z", "2026-03-29T08:00:00.5Z",
        "2026-03-29T08:00:00+0100", "2026-03-29T08:00:00+19:00", "2026-03-29T08:00:00z"}) {
    EXPECT_FALSE(parse_instant(bad)) << bad;
  }
}

TEST(London, ClocksChangeAtOneAmUtcOnTheLastSundays) {
  EXPECT_EQ(to_string(London::summer_time_starts(chr::year{2026})), "2026-03-29T01:00:00Z");
  EXPECT_EQ(to_string(London::summer_time_ends(chr::year{2026})), "2026-10-25T01:00:00Z");
  EXPECT_EQ(to_string(London::summer_time_starts(chr::year{2024})), "2024-03-31T01:00:00Z");
  EXPECT_EQ(to_string(London::summer_time_ends(chr::year{2024})), "2024-10-27T01:00:00Z");
  // A year whose last Sunday of March is the 25th (the earliest possible).
  EXPECT_EQ(to_string(London::summer_time_starts(chr::year{2029})), "2029-03-25T01:00:00Z");
}

TEST(London, ReadsTheWallClockEitherSideOfEachChange) {
  struct Case {
    const char* utc;
    const char* local;
  };
  for (const Case& c : {
           Case{"2026-03-29T00:59:59Z", "2026-03-29T00:59:59+00:00"},
           Case{"2026-03-29T01:00:00Z", "2026-03-29T02:00:00+01:00"},
           Case{"2026-10-25T00:59:59Z", "2026-10-25T01:59:59+01:00"},
           Case{"2026-10-25T01:00:00Z", "2026-10-25T01:00:00+00:00"},
           Case{"2026-07-01T23:30:00Z", "2026-07-02T00:30:00+01:00"},
           Case{"2026-12-31T23:59:59Z", "2026-12-31T23:59:59+00:00"},
       }) {
    EXPECT_EQ(London::to_local(utc(c.utc)).to_string(), c.local) << c.utc;
  }
}

TEST(London, MissingSpringHourIsReadWithTheWinterOffset) {
  const Date spring = ymd(2026, 3, 29);
  EXPECT_EQ(to_string(London::to_instant(spring, TimeOfDay::hm(0, 30))), "2026-03-29T00:30:00Z");
  EXPECT_EQ(to_string(London::to_instant(spring, TimeOfDay::hm(1, 0))), "2026-03-29T01:00:00Z");
  EXPECT_EQ(to_string(London::to_instant(spring, TimeOfDay::hm(1, 30))), "2026-03-29T01:30:00Z");
  EXPECT_EQ(to_string(London::to_instant(spring, TimeOfDay::hm(2, 30))), "2026-03-29T01:30:00Z");
  EXPECT_EQ(to_string(London::to_instant(spring, TimeOfDay::hm(8, 0))), "2026-03-29T07:00:00Z");
  // 01:30 in the gap is shown to people as 02:30 BST, the time the clock says.
  EXPECT_EQ(London::to_local(London::to_instant(spring, TimeOfDay::hm(1, 30))).time,
            TimeOfDay::hm(2, 30));
}

TEST(London, RepeatedAutumnHourMapsToItsFirstOccurrence) {
  const Date autumn = ymd(2026, 10, 25);
  EXPECT_EQ(to_string(London::to_instant(autumn, TimeOfDay::hm(0, 59))), "2026-10-24T23:59:00Z");
  EXPECT_EQ(to_string(London::to_instant(autumn, TimeOfDay::hm(1, 0))), "2026-10-25T00:00:00Z");
  EXPECT_EQ(to_string(London::to_instant(autumn, TimeOfDay::hm(1, 30))), "2026-10-25T00:30:00Z");
  EXPECT_EQ(to_string(London::to_instant(autumn, TimeOfDay::hm(2, 0))), "2026-10-25T02:00:00Z");
  EXPECT_EQ(to_string(London::to_instant(autumn, TimeOfDay::hm(8, 0))), "2026-10-25T08:00:00Z");
}

TEST(London, ChangeDaysAreTwentyThreeAndTwentyFiveHoursLong) {
  auto length = [](Date d) {
    const Date next{chr::sys_days{d} + chr::days{1}};
    return London::start_of_day(next) - London::start_of_day(d);
  };
  EXPECT_EQ(length(ymd(2026, 3, 29)), chr::hours{23});
  EXPECT_EQ(length(ymd(2026, 10, 25)), chr::hours{25});
  EXPECT_EQ(length(ymd(2026, 3, 28)), chr::hours{24});
  EXPECT_EQ(length(ymd(2026, 7, 14)), chr::hours{24});
}

TEST(London, LocalDateFollowsTheLocalMidnight) {
  EXPECT_EQ(London::local_date(utc("2026-06-30T23:30:00Z")), ymd(2026, 7, 1));
  EXPECT_EQ(London::local_date(utc("2026-01-31T23:30:00Z")), ymd(2026, 1, 31));
  EXPECT_EQ(London::utc_offset_minutes(utc("2026-06-30T12:00:00Z")), 60);
  EXPECT_EQ(London::utc_offset_minutes(utc("2026-01-30T12:00:00Z")), 0);
}

TEST(Clocks, FixedClockIsMovedOnlyByItsOwner) {
  FixedClock clock(utc("2026-03-04T08:00:00Z"));
  EXPECT_EQ(to_string(clock.now()), "2026-03-04T08:00:00Z");
  clock.advance(chr::minutes{61});
  EXPECT_EQ(to_string(clock.now()), "2026-03-04T09:01:00Z");
  clock.set(utc("2026-10-25T01:00:00Z"));
  EXPECT_EQ(to_string(clock.now()), "2026-10-25T01:00:00Z");
}

}  // namespace
}  // namespace bcma::domain
