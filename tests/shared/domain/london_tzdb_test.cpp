// Proves the hand-written Europe/London rule in shared/ against the real tz database in the
// operating system's tzdata, read two ways:
//  - Howard Hinnant's date/tz (USE_OS_TZDB). It reads only the explicit transitions in the
//    TZif file and ignores the file's footer rule, so after the last explicit change
//    (2037-10-25) it reports GMT for ever: it is the oracle for 2000-2037.
//  - glibc's localtime_r, which applies the footer rule: the oracle for 2000-2040.

#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "bcma/domain/time.hpp"

#if !defined(USE_OS_TZDB) || !USE_OS_TZDB
#error "date::date-tz must read the OS tz database (USE_OS_TZDB=1), not download one"
#endif

namespace bcma::domain {
namespace {

namespace chr = std::chrono;

constexpr int kFirstYear = 2000;
constexpr int kLastDateTzYear = 2037;  // the last year with explicit transitions in TZif
constexpr int kLastYear = 2040;

Instant year_start(int y) { return Instant{chr::sys_days{chr::year{y} / 1 / 1}}; }

LocalDateTime wall_reading(Instant t, chr::seconds offset) {
  const Instant wall = t + offset;
  const chr::sys_days day = chr::floor<chr::days>(wall);
  const auto s = (wall - day).count();
  LocalDateTime l;
  l.date = Date{day};
  l.time = TimeOfDay{static_cast<int>(s / 60)};
  l.second = static_cast<int>(s % 60);
  l.utc_offset_minutes = static_cast<int>(offset.count() / 60);
  return l;
}

bool same(const LocalDateTime& a, const LocalDateTime& b) {
  return a.date == b.date && a.time == b.time && a.second == b.second &&
         a.utc_offset_minutes == b.utc_offset_minutes;
}

/// The wall clock at `t` by the tz database through date/tz.
LocalDateTime date_tz_local(Instant t) {
  static const date::time_zone* zone = date::locate_zone("Europe/London");
  return wall_reading(t, zone->get_info(t).offset);
}

/// The instant of a wall reading through date/tz, resolved as London::to_instant documents:
/// `first` is the period holding it (the first of two when repeated), or the period before a
/// gap when it does not exist.
Instant date_tz_instant(Date d, TimeOfDay t) {
  static const date::time_zone* zone = date::locate_zone("Europe/London");
  const Instant wall = Instant{chr::sys_days{d}} + chr::minutes{t.minutes};
  return wall - zone->get_info(date::local_seconds{wall.time_since_epoch()}).first.offset;
}

/// glibc's reading of the same tzdata, for the duration of a test.
class GlibcLondon {
 public:
  GlibcLondon() {
    if (const char* tz = std::getenv("TZ")) saved_ = tz;
    setenv("TZ", "Europe/London", 1);
    tzset();
  }
  ~GlibcLondon() {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  GlibcLondon(const GlibcLondon&) = delete;
  GlibcLondon& operator=(const GlibcLondon&) = delete;

  LocalDateTime local(Instant t) const {
    const std::time_t tt = static_cast<std::time_t>(t.time_since_epoch().count());
    std::tm tm{};
    localtime_r(&tt, &tm);
    return wall_reading(t, chr::seconds{tm.tm_gmtoff});
  }

 private:
  std::optional<std::string> saved_;
};

class LondonAgainstTzDatabase : public ::testing::Test {
 protected:
  // date/tz where it has the explicit transitions, glibc after them.
  void compare_local(Instant t) {
    const LocalDateTime ours = London::to_local(t);
    const bool use_date_tz = t < year_start(kLastDateTzYear + 1);
    const LocalDateTime theirs = use_date_tz ? date_tz_local(t) : glibc_.local(t);
    if (!same(ours, theirs)) {
      fail(to_string(t) + ": ours " + ours.to_string() + (use_date_tz ? ", date/tz " : ", glibc ") +
           theirs.to_string());
    }
  }

  // date/tz's resolution where it has the transitions. glibc has no such query, so after 2037
  // the reading is checked from its definition: an existing reading reads back and is the
  // first of its kind; a missing one is read with the offset before the change.
  void compare_instant(Date d, TimeOfDay t) {
    const Instant ours = London::to_instant(d, t);
    const std::string what = to_string(d) + " " + t.to_string() + " -> " + to_string(ours);
    if (chr::year_month_day{d}.year() <= chr::year{kLastDateTzYear}) {
      const Instant dtz = date_tz_instant(d, t);
      if (ours != dtz) fail(what + ", date/tz " + to_string(dtz));
      return;
    }
    const LocalDateTime back = glibc_.local(ours);
    if (back.date == d && back.time == t) {
      const LocalDateTime hour_before = glibc_.local(ours - chr::hours{1});
      if (hour_before.date == d && hour_before.time == t) fail(what + ": not the first occurrence");
    } else {
      const Instant as_gmt = Instant{chr::sys_days{d}} + chr::minutes{t.minutes};
      const bool in_gap = glibc_.local(as_gmt - chr::hours{1}).utc_offset_minutes == 0 &&
                          glibc_.local(as_gmt).utc_offset_minutes == 60;
      if (!in_gap || ours != as_gmt) fail(what + ": glibc reads it back as " + back.to_string());
    }
  }

  void fail(const std::string& what) {
    if (++failures_ <= 10) ADD_FAILURE() << what;
  }

  GlibcLondon glibc_;
  int failures_ = 0;
};

TEST_F(LondonAgainstTzDatabase, EveryHourFrom2000To2040ReadsTheSameWallClock) {
  // date/tz hands out its periods (start, end, offset); every hour inside each one must read
  // with that period's offset. One lookup per period keeps the 359,000 hours quick.
  long checked = 0;
  Instant t = year_start(kFirstYear);
  static const date::time_zone* zone = date::locate_zone("Europe/London");
  while (t < year_start(kLastDateTzYear + 1)) {
    const date::sys_info info = zone->get_info(t);
    const Instant end = std::min<Instant>(info.end, year_start(kLastDateTzYear + 1));
    for (; t < end; t += chr::hours{1}, ++checked) {
      const LocalDateTime ours = London::to_local(t);
      const LocalDateTime theirs = wall_reading(t, info.offset);
      if (!same(ours, theirs))
        fail(to_string(t) + ": ours " + ours.to_string() + ", date/tz " + theirs.to_string());
    }
  }
  for (; t < year_start(kLastYear + 1); t += chr::hours{1}, ++checked) compare_local(t);
  EXPECT_EQ(failures_, 0);
  const long days = (chr::sys_days{chr::year{kLastYear + 1} / 1 / 1} -
                     chr::sys_days{chr::year{kFirstYear} / 1 / 1})
                        .count();
  EXPECT_EQ(checked, days * 24);
}

TEST_F(LondonAgainstTzDatabase, EveryChangeReadsTheSameWallClockMinuteByMinute) {
  int changes = 0;
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    for (Instant change :
         {London::summer_time_starts(chr::year{y}), London::summer_time_ends(chr::year{y})}) {
      ++changes;
      for (Instant t = change - chr::hours{3}; t <= change + chr::hours{3}; t += chr::minutes{1}) {
        compare_local(t);
      }
      compare_local(change - chr::seconds{1});
    }
  }
  EXPECT_EQ(changes, 82);
  EXPECT_EQ(failures_, 0);
}

TEST_F(LondonAgainstTzDatabase, LocalTimesOnEachChangeDayAndTheDaysEitherSideMapToTheSameInstant) {
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    for (Instant change :
         {London::summer_time_starts(chr::year{y}), London::summer_time_ends(chr::year{y})}) {
      const chr::sys_days day = chr::floor<chr::days>(change);
      for (int minutes = 0; minutes < 24 * 60; minutes += 60) {
        compare_instant(Date{day - chr::days{1}}, TimeOfDay{minutes});
        compare_instant(Date{day + chr::days{1}}, TimeOfDay{minutes});
      }
      for (int minutes = 0; minutes < 24 * 60; minutes += 15)
        compare_instant(Date{day}, TimeOfDay{minutes});
      // Every minute of the night the clocks change, gap and repeat included.
      for (int minutes = 0; minutes < 3 * 60; ++minutes)
        compare_instant(Date{day}, TimeOfDay{minutes});
    }
  }
  EXPECT_EQ(failures_, 0);
}

TEST_F(LondonAgainstTzDatabase, DateTzPeriodsStartExactlyAtThePredictedChanges) {
  const date::time_zone* zone = date::locate_zone("Europe/London");
  int changes = 0;
  for (Instant t = year_start(kFirstYear); t < year_start(kLastDateTzYear + 1);) {
    const date::sys_info info = zone->get_info(t);
    if (info.begin >= year_start(kFirstYear)) {
      const chr::year y = chr::year_month_day{chr::floor<chr::days>(info.begin)}.year();
      EXPECT_TRUE(info.begin == London::summer_time_starts(y) ||
                  info.begin == London::summer_time_ends(y))
          << to_string(Instant{info.begin});
      ++changes;
    }
    t = info.end;
  }
  EXPECT_EQ(changes, 2 * (kLastDateTzYear - kFirstYear + 1));
}

TEST_F(LondonAgainstTzDatabase, GlibcAgreesWithDateTzWhereBothHaveTheRule) {
  // The two oracles read the same tzdata; checking them against each other on a sample shows
  // the glibc reading used after 2037 is the same database, not another source.
  for (Instant t = year_start(2030); t < year_start(kLastDateTzYear + 1); t += chr::hours{7}) {
    const LocalDateTime a = glibc_.local(t);
    const LocalDateTime b = date_tz_local(t);
    if (!same(a, b)) fail(to_string(t) + ": glibc " + a.to_string() + ", date/tz " + b.to_string());
  }
  EXPECT_EQ(failures_, 0);
}

}  // namespace
}  // namespace bcma::domain
