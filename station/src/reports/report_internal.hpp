#pragma once
// Private to the reports: one builder per report, and what they share.

#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/station/reports/report.hpp"
#include "bcma/station/stock/cycle.hpp"
#include "bcma/station/store/store.hpp"
#include "stock_internal.hpp"

namespace bcma::station::reports::detail {

using stock::detail::dec;
using stock::detail::instant;
using stock::detail::to_db;

using Builder = Result<Report> (*)(store::Store&, domain::Instant, domain::Instant);

Result<Report> stock_on_hand(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> stock_discrepancies(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> cd_register(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> reorder(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> waste(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> refusals_omissions(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> prn_use(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> timing(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> prevented_errors(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> overrides(store::Store& store, domain::Instant from, domain::Instant to);
Result<Report> prescribing_alerts(store::Store& store, domain::Instant from, domain::Instant to);

/// A report with its heading filled in and no rows yet.
Report begin(std::string_view name, domain::Instant from, domain::Instant to,
             std::string explanation, std::vector<Column> columns);

/// The home's cycles over [from, to): from its anchor, or starting on from's local date when
/// the home never set one. Errors: `sqlite_error`, `corrupt_data`.
Result<stock::CycleCalendar> calendar(store::Store& store, domain::Instant from);
std::string cycle_label(const stock::Cycle& c);  ///< "2026-01-05 to 2026-02-01"

/// The stored policy, or the defaults for a home without one. Errors: `sqlite_error`, `corrupt_data`.
Result<rules::Policy> policy_or_defaults(store::Store& store);

/// Percent with one decimal place (rounded half up), as a Decimal; 0 when of == 0.
domain::Decimal percent(std::int64_t part, std::int64_t of);

/// Runs `sql` (bound by `bind`) and calls `row` for each result row.
template <class Bind, class RowFn>
Result<void> each_row(store::Database& db, std::string_view sql, Bind bind, RowFn row) {
  auto st = db.prepare(sql);
  if (!st) return Unexpected(std::move(st).error());
  bind(*st);
  for (;;) {
    auto r = st->step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) return {};
    row(*st);
  }
}

}  // namespace bcma::station::reports::detail
