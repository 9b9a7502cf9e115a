#pragma once
// Private to the eMAR feed: its own tables (schema migration 3, docs/emar-feed.md "Tables"):
// which FHIR request produced which prescription and version, and the review queue. Writes run
// inside the caller's IMMEDIATE transaction, each with its audit entry.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/station/emar/review.hpp"
#include "bcma/station/store/database.hpp"
#include "bcma/station/store/records.hpp"
#include "candidate.hpp"

namespace bcma::station::emar::detail {

struct RequestRow {
  std::int64_t id = 0;
  domain::PrescriptionId prescription_id = 0;
  std::string resource_id;
  std::optional<VersionKey> applied;   ///< the version last applied; nullopt: linked, not yet
  std::string content_sha256;          ///< of that version
  std::optional<std::int64_t> replaced_by;
  std::vector<std::string> keys;
};

/// Errors: `sqlite_error`.
Result<std::optional<RequestRow>> load_request(store::Database& db, std::int64_t id);
/// The distinct requests holding any of `keys`. Errors: `sqlite_error`.
Result<std::vector<std::int64_t>> requests_by_keys(store::Database& db, const std::vector<std::string>& keys);
/// The distinct requests last seen with FHIR id `resource_id`. Errors: `sqlite_error`.
Result<std::vector<std::int64_t>> requests_by_resource_id(store::Database& db, const std::string& resource_id);
/// The FHIR request and versionId behind a prescription version, if it came from the feed.
struct VersionSource {
  std::string resource_id;
  std::string version_id;
};
Result<std::optional<VersionSource>> version_source(store::Database& db, domain::PrescriptionId id, int version);
/// The latest request linked to a prescription (for prescriptions whose version came before the
/// links, nullopt). Errors: `sqlite_error`.
Result<std::optional<VersionSource>> latest_source(store::Database& db, domain::PrescriptionId id);

// Writes: inside the caller's transaction.
/// A new prescription id for `resident` with no version yet: `Store::put_prescription` then
/// adds version 1 to it. Reserving it in the same transaction as the link means a crash between
/// the two can never leave a prescription the feed does not know (which a re-import would
/// duplicate). Errors: `sqlite_error`.
Result<domain::PrescriptionId> reserve_prescription(store::Database& db, domain::ResidentId resident);
Result<std::int64_t> insert_request(store::Database& db, domain::PrescriptionId prescription,
                                    const std::string& resource_id, domain::Instant now);
Result<void> add_keys(store::Database& db, std::int64_t request, const std::vector<std::string>& keys);
Result<void> mark_applied(store::Database& db, std::int64_t request, const std::string& resource_id,
                          const VersionKey& version, const std::string& sha, const std::string& supply);
Result<void> mark_replaced(store::Database& db, std::int64_t request, std::int64_t by);
Result<void> link_version(store::Database& db, domain::PrescriptionId id, int version, std::int64_t request,
                          const std::string& resource_id, const std::string& version_id);

struct StoredReview {
  ReviewEntry entry;
  std::vector<std::string> keys;
  std::optional<VersionKey> version;
  std::string content_sha256;
};
/// Errors: `sqlite_error`, `corrupt_data`.
Result<std::vector<StoredReview>> load_reviews(store::Database& db, bool include_closed);
Result<std::int64_t> insert_review(store::Database& db, const Identity& identity,
                                   const std::vector<ReviewReason>& reasons, domain::Instant now);
Result<void> close_review(store::Database& db, std::int64_t id, ReviewStatus status, domain::Instant now,
                          const std::string& why);

/// Appends a `config` audit entry. Errors: as store::append_audit.
Result<void> audit(store::Database& db, const store::Actor& actor, std::string subject, std::string payload,
                   domain::Instant now);

std::string reasons_json(const std::vector<ReviewReason>& reasons);

}  // namespace bcma::station::emar::detail
