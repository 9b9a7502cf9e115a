#pragma once
// Regular schedules: which local days a medicine is due, the UTC instants of its doses (slots),
// the windows around them, and which slot a scan at `now` answers.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bcma/domain/administration.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/rules/policy.hpp"

namespace bcma::rules::detail {

/// +/- around a slot within which the dose is on time: the medicine's own window, else the
/// tight window for a time-critical medicine, else the home's window.
domain::Minutes on_time_window(const domain::Prescription& p, const Policy& policy);
/// +/- around a slot within which a scan is taken to answer that slot. For a time-critical
/// medicine it is at least the home's window, so that a dose 30 minutes late is still "the
/// 08:00 dose" (late, and said so) rather than an unexplained too_late.
domain::Minutes recognition_window(const domain::Prescription& p, const Policy& policy);

bool is_due_on(const domain::DayPattern& days, domain::Date d);
/// "every day", "on Mondays only", "on Mondays and Thursdays", "every other day", "every 3 days".
std::string describe(const domain::DayPattern& days);

/// Appends the slots of `p` on local date `d` that fall within [starts, ends), ascending and
/// without duplicates (two times can meet on the spring-forward day). Rounds the policy does
/// not map are skipped: `check_prescription` rejects such a prescription first.
void append_slots(const domain::Prescription& p, const Policy& policy, domain::Date d,
                  std::vector<domain::Instant>& out);
/// The first slot strictly after `t`, searching far enough for any valid day pattern.
std::optional<domain::Instant> next_slot_after(const domain::Prescription& p, const Policy& policy,
                                               domain::Instant t);

/// The latest record answering slot `slot` of `p` (any outcome), or nullptr.
const domain::PastDose* record_for(const domain::Prescription& p, domain::Instant slot,
                                   std::span<const domain::PastDose> history);

/// What a scan at `now` means for a regular prescription.
struct SlotFinding {
  enum class State : std::uint8_t {
    kDueNow,           ///< a slot's window contains now and it is not recorded
    kAlreadyRecorded,  ///< the slot this scan answers is recorded (any outcome)
    kTooEarly,         ///< nearer the next slot, whose window has not opened
    kTooLate,          ///< nearer a previous slot, unrecorded, whose window has closed
    kNotDueToday,      ///< today is not one of its days
    kNoMoreDoses,      ///< no slot before or after within its start and end
  };
  State state = State::kNoMoreDoses;
  std::optional<domain::Instant> slot;             ///< the slot it answers (or explains)
  const domain::PastDose* record = nullptr;        ///< the record closing `slot`
  std::optional<domain::Instant> other_slot;       ///< the neighbour named in messages
  const domain::PastDose* other_record = nullptr;  ///< the record of `other_slot`, if any
};
SlotFinding find_slot(const domain::Prescription& p, const Policy& policy,
                      std::span<const domain::PastDose> history, domain::Instant now);

}  // namespace bcma::rules::detail
