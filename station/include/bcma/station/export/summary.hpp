#pragma once
/// \file
/// The evaluation summary (docs/audit-export.md, "Summary"): the pilot's headline figures for a
/// period and for each week in it, derived from the recorded events only. It names nobody.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::exporting {

/// Counts for one stretch of time. Rates are derived from these counts (see the functions).
struct SummaryCounts {
  std::int64_t doses_given = 0;
  std::int64_t given_scanned = 0;  ///< wristband and every pack scanned
  std::int64_t given_manual = 0;   ///< at least one "unable to scan" (manual entry)
  std::int64_t verdicts = 0;       ///< item checks answered by the rules engine
  std::int64_t blocked = 0;
  std::int64_t warned = 0;
  std::map<std::string, std::int64_t> intercepted_by_reason;  ///< warn/block verdicts per reason
  std::int64_t overrides = 0;
  std::int64_t timed_doses = 0;    ///< given doses answering a scheduled slot
  std::int64_t on_time = 0;        ///< of those, within the medicine's window
  std::int64_t waste_thousandths = 0;  ///< dose units wasted, in thousandths
  std::int64_t residents = 0;      ///< residents with an administration recorded
};

struct WeekSummary {
  domain::Date week_start{};  ///< the Monday (Europe/London) that starts the week
  SummaryCounts counts;
};

struct EvaluationSummary {
  domain::Instant from{};
  domain::Instant to{};
  SummaryCounts total;
  std::vector<WeekSummary> weeks;  ///< weeks with any event, oldest first
};

/// given_scanned / doses_given; 0 when nothing was given.
double scan_compliance(const SummaryCounts& c);
/// overrides / (blocked + warned); 0 when nothing was intercepted.
double override_rate(const SummaryCounts& c);
/// on_time / timed_doses; 0 when no scheduled dose was given.
double on_time_rate(const SummaryCounts& c);
/// Dose units wasted per resident per 28-day cycle over `days`; 0 without residents.
double waste_per_resident_per_cycle(const SummaryCounts& c, double days);

/// Computes the summary of events with time >= from and < to. A record that was later
/// corrected counts as its correction. Errors: `invalid_argument` (to <= from), `sqlite_error`.
Result<EvaluationSummary> evaluation_summary(store::Database& db, domain::Instant from,
                                             domain::Instant to);

/// The summary as JSON (stable key order), figures rounded to 4 decimal places.
nlohmann::ordered_json to_json(const EvaluationSummary& s);
/// The summary as a plain-text table for a terminal.
std::string to_text(const EvaluationSummary& s);

}  // namespace bcma::station::exporting
