#pragma once
// Private to the export: audit-log entries turned into pseudonymised rows.

#include <cstdint>
#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/export/pseudonymiser.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::exporting::detail {

struct SeqRange {
  std::optional<std::int64_t> first;  ///< both empty: nothing in the period
  std::optional<std::int64_t> last;
};

/// The sequence numbers from the first entry at or after `from` to the last before `to`, and
/// not past `through` when given. Errors: `sqlite_error`.
Result<SeqRange> range_for(store::Database& db, domain::Instant from, domain::Instant to,
                           std::optional<std::int64_t> through = std::nullopt);

/// Calls `sink` with each entry's row, in sequence order, every column of `export_columns()`
/// present (null when it does not apply). Errors: `sqlite_error`, `corrupt_data`; an error
/// returned by `sink` stops the walk and is returned.
Result<void> for_each_row(store::Database& db, const Pseudonymiser& pseudonyms, SeqRange range,
                          const std::function<Result<void>(const nlohmann::ordered_json&)>& sink);

}  // namespace bcma::station::exporting::detail
