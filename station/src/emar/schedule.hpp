#pragma once
// Private to the eMAR feed: Dosage.timing as the home's schedule (rounds or clock times, days,
// start and end) and, for when-required doses, the minimum interval and the daily count.

#include <optional>
#include <string>
#include <vector>

#include "bcma/domain/prescription.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/rules/policy.hpp"
#include "fhir_json.hpp"

namespace bcma::station::emar::detail {

struct Schedule {
  std::vector<domain::DoseTime> times;  ///< regular only
  domain::DayPattern days;
  domain::Instant starts{};
  std::optional<domain::Instant> ends;  ///< exclusive
  std::optional<int> count;             ///< total number of doses (timing.repeat.count)
  domain::Minutes prn_min_interval{0};
  std::optional<int> prn_times_per_day; ///< "up to 4 times a day" when required
  std::vector<std::string> notes;       ///< how the timing was read, kept with the instructions
};

/// Reads `dosage.timing` for a regular (`as_needed` false) or when-required dose. `authored_on`
/// is the start when the timing gives none. Event codes map to the policy's rounds by name;
/// an offset turns a round into a clock time. Problems: unsupported_timing, unmapped_when,
/// ambiguous_data, invalid_resource.
std::optional<Schedule> read_schedule(const Json& dosage, const std::string& pointer,
                                      bool as_needed, const FhirDateTime& authored_on,
                                      const rules::Policy& policy, Problems& problems);

}  // namespace bcma::station::emar::detail
