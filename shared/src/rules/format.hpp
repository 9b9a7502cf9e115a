#pragma once
// Wording for the sentences care workers read: local clock times, dates, durations and doses.
// Kept apart from the checks so that every message speaks the same way.

#include <string>
#include <string_view>

#include "bcma/domain/decimal.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/time.hpp"

namespace bcma::rules::detail {

/// "10:05" on the local day of `now`; "10:05 yesterday", "08:00 tomorrow", otherwise
/// "08:00 on Monday 9 March" (with the year when it differs). In the repeated hour of the
/// autumn change the zone is added: "01:30 BST", "01:30 GMT".
std::string clock_time(domain::Instant t, domain::Instant now);
/// "the 08:00 dose" today; "the dose due at 23:30 yesterday" on another day. `capital` starts
/// it with "The".
std::string slot_phrase(domain::Instant slot, domain::Instant now, bool capital = false);
/// "Monday 9 March 2026".
std::string long_date(domain::Date d);
/// "9 March 2026".
std::string day_month_year(domain::Date d);
/// "Monday".
std::string_view weekday_name(std::chrono::weekday wd);
/// "45 minutes", "1 hour", "2 hours 5 minutes".
std::string duration(std::chrono::seconds d);
/// "1 tablet", "2 tablets", "2.5 ml", "0.5 patches".
std::string quantity_text(domain::Decimal q, std::string_view unit);
/// "2 tablets", "1 or 2 tablets", "5 to 10 ml".
std::string dose(const domain::DoseRange& d);
/// "Schedule 2".
std::string_view controlled_drug_name(domain::ControlledDrugCategory c);

}  // namespace bcma::rules::detail
