#pragma once
/// \file
/// Time in a care home. Stored instants are UTC (`Instant`); schedules are in local time, which
/// for every home we serve is Europe/London (GMT in winter, BST = UTC+1 from 01:00 UTC on the
/// last Sunday of March to 01:00 UTC on the last Sunday of October). Logic never reads the wall
/// clock: it is given a `Clock` or an `Instant`.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bcma::domain {

using Instant = std::chrono::sys_seconds;
using Minutes = std::chrono::minutes;
using Date = std::chrono::year_month_day;

/// Minutes after local midnight, 0..1439, e.g. 08:00 = 480.
struct TimeOfDay {
  int minutes = 0;
  static std::optional<TimeOfDay> parse(std::string_view hh_mm);  ///< "08:00", "22:30"
  std::string to_string() const;                                   ///< "08:00"
  /// 08:00 is `TimeOfDay::hm(8, 0)`.
  static constexpr TimeOfDay hm(int hours, int minutes) { return TimeOfDay{hours * 60 + minutes}; }
  friend auto operator<=>(const TimeOfDay&, const TimeOfDay&) = default;
};

/// A local wall-clock reading in Europe/London.
struct LocalDateTime {
  Date date;
  TimeOfDay time;
  int second = 0;              ///< 0..59 past `time`
  int utc_offset_minutes = 0;  ///< 0 (GMT) or 60 (BST)
  /// ISO 8601 with offset, e.g. "2026-03-29T08:00:00+01:00".
  std::string to_string() const;
};

/// Europe/London. The rule in force since 1996; every date the product handles is after it.
class London {
 public:
  static LocalDateTime to_local(Instant t);
  static Date local_date(Instant t) { return to_local(t).date; }
  /// The instant of a local date and time. On the spring-forward day a time in the missing
  /// hour (01:00-01:59) does not exist: it is read with the GMT offset in force before the
  /// change, so 01:30 becomes 01:30 UTC (02:30 on the clock). On the fall-back day a time in
  /// the repeated hour (01:00-01:59) maps to its first occurrence (BST).
  static Instant to_instant(Date date, TimeOfDay time);
  /// UTC offset in minutes at an instant.
  static int utc_offset_minutes(Instant t);
  /// The instants the clocks go forward (01:00 UTC, last Sunday of March) and back (01:00 UTC,
  /// last Sunday of October) in `y`.
  static Instant summer_time_starts(std::chrono::year y);
  static Instant summer_time_ends(std::chrono::year y);
  /// Start of the local day (00:00 local) containing nothing but that date.
  static Instant start_of_day(Date date) { return to_instant(date, TimeOfDay{0}); }
};

/// Parses "2026-03-29" (strict ISO date, real calendar date, years 0001-9999).
std::optional<Date> parse_date(std::string_view iso);
std::string to_string(Date d);  ///< "2026-03-29"
/// Parses "2026-03-29T08:00:00Z" or with an offset "+01:00" to an instant. Strict: seconds are
/// required, no fractions, offsets up to +/-18:00; nullopt otherwise.
std::optional<Instant> parse_instant(std::string_view iso);
std::string to_string(Instant t);  ///< "2026-03-29T07:00:00Z"

/// The injected source of "now".
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

/// The real clock, for the edges (station server, scanner main loop).
class SystemClock final : public Clock {
 public:
  Instant now() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

/// The real clock moved by a fixed offset: a training or demo station playing a round on a
/// simulated day (it runs on in real time from the instant it was set to).
class ShiftedClock final : public Clock {
 public:
  ShiftedClock() = default;
  /// Reads `t` now.
  void start_at(Instant t) { offset_ = t - SystemClock().now(); }
  std::chrono::seconds offset() const { return offset_; }
  Instant now() const override { return SystemClock().now() + offset_; }

 private:
  std::chrono::seconds offset_{0};
};

/// A clock that returns what it is told: tests, scenarios, replays.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Instant t) : t_(t) {}
  Instant now() const override { return t_; }
  void set(Instant t) { t_ = t; }
  void advance(std::chrono::seconds d) { t_ += d; }

 private:
  Instant t_;
};

}  // namespace bcma::domain
