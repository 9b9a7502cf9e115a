#pragma once
// Private to the service: badge lockout after repeated wrong PINs, read from the audit log (the
// store writes a `login_failed` entry for every refused sign-in), so that it survives a restart
// of the station and needs no table of its own.

#include <chrono>
#include <optional>
#include <string_view>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::service::detail {

struct LockState {
  int recent_failures = 0;  ///< wrong PINs in the window since the last good sign-in or unlock
  std::optional<domain::Instant> locked_until;
};

/// Walks the audit log backwards from the newest entry to the start of the window.
/// Errors: `sqlite_error`.
Result<LockState> lock_state(store::Database& db, std::string_view badge_gsrn, domain::Instant now,
                             int max_failures, std::chrono::minutes window);

}  // namespace bcma::station::service::detail
