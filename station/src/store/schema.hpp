#pragma once
// Private to the store: the schema and its ordered migrations (docs/store.md "Schema").

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::store::schema {

/// The schema version this code writes: the number of the last migration.
inline constexpr int kVersion = 5;

/// The version recorded in the file (0 for a new, empty file). Errors: sqlite_error.
Result<int> read_version(Database& db);

/// Brings the file up to kVersion, each migration in its own IMMEDIATE transaction with its
/// schema_version row. A file newer than the code is refused untouched.
/// Errors: schema_too_new, migration_failed, database_busy.
Result<int> migrate(Database& db, domain::Instant now);

}  // namespace bcma::station::store::schema
