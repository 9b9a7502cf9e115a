#pragma once
/// \file
/// The home's 28-day supply cycles. The pharmacy delivers once a cycle; counts are carried
/// forward at its start; waste and orders are compared cycle by cycle. Cycles run back to back
/// from an anchor day the home sets once (`set_cycle_anchor`); every date belongs to exactly one.

#include <optional>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::store {
class Store;
}

namespace bcma::station::stock {

inline constexpr int kCycleDays = 28;

/// One cycle: local days [first_day, first_day + 28), i.e. instants [starts, ends).
struct Cycle {
  domain::Date first_day{};
  domain::Date last_day{};  ///< inclusive: first_day + 27
  domain::Instant starts{};  ///< 00:00 Europe/London on first_day
  domain::Instant ends{};    ///< 00:00 Europe/London the day after last_day
  friend bool operator==(const Cycle&, const Cycle&) = default;
};

/// Cycles anchored on `anchor` (any day of any cycle).
class CycleCalendar {
 public:
  explicit CycleCalendar(domain::Date anchor) : anchor_(anchor) {}
  domain::Date anchor() const { return anchor_; }
  /// The cycle holding local date `day` (before or after the anchor alike).
  Cycle containing(domain::Date day) const;
  /// The cycle holding instant `t` (by its Europe/London date).
  Cycle containing(domain::Instant t) const;
  /// Every cycle overlapping [from, to), oldest first; empty when from >= to.
  std::vector<Cycle> overlapping(domain::Instant from, domain::Instant to) const;

 private:
  domain::Date anchor_;
};

/// Sets the first day of a cycle (the pharmacy's delivery cycle). Later settings win; earlier
/// ones stay in the file. Errors: `unknown_staff`, `sqlite_error`, `database_busy`.
Result<void> set_cycle_anchor(store::Store& store, domain::Date first_day,
                              const store::Actor& actor);

/// The calendar in force: the latest anchor set, or nullopt if none was ever set.
/// Errors: `sqlite_error`, `corrupt_data`.
Result<std::optional<CycleCalendar>> cycle_calendar(store::Store& store);

}  // namespace bcma::station::stock
