#pragma once
// Private to the eMAR feed: applying translated resources to the store. Each resource is applied
// in its own short transactions, ordered so that a crash at any point leaves a state that
// importing the feed again completes (docs/emar-feed.md "Crash safety").

#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/station/emar/import.hpp"
#include "bcma/station/store/store.hpp"
#include "candidate.hpp"
#include "emar_db.hpp"

namespace bcma::station::emar::detail {

class Importer {
 public:
  Importer(store::Store& store, const rules::Policy& policy, const ImportOptions& options)
      : store_(&store), policy_(&policy), options_(&options), now_(store.now()) {}

  /// Errors: the store's (sqlite_error, database_busy, crypto_failure, corrupt_data).
  Result<ResourceOutcome> apply_request(const RequestCandidate& c);
  Result<ResourceOutcome> apply_dispense(const DispenseCandidate& c);
  /// Puts the resource in the review queue unless the same content is already there with the
  /// same reasons; older versions and other-reason entries of it are superseded.
  Result<ResourceOutcome> queue(const Identity& identity, const std::vector<ReviewReason>& reasons,
                                ResourceOutcome out);

 private:
  struct Match {
    std::optional<RequestRow> row;
    std::optional<ReviewReason> conflict;
  };
  Result<Match> match(const RequestCandidate& c);
  Result<Match> match_prior(const RequestCandidate& c);
  /// Closes open entries sharing a key with `keys` whose version is not newer than `upto`
  /// (inside the caller's transaction); returns how many.
  Result<int> resolve_reviews(const std::vector<std::string>& keys, const std::optional<VersionKey>& upto,
                               const std::string& why);
  Result<ResourceOutcome> write_version(const RequestCandidate& c, std::optional<RequestRow> row,
                                        const std::optional<RequestRow>& prior, ResourceOutcome out);

  store::Store* store_;
  const rules::Policy* policy_;
  const ImportOptions* options_;
  domain::Instant now_;
};

/// True if the two hold the same prescribing (everything the feed sets; not ids or versions).
bool same_prescribing(const domain::Prescription& a, const domain::Prescription& b);

}  // namespace bcma::station::emar::detail
