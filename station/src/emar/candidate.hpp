#pragma once
// Private to the eMAR feed: what translation makes of one resource before anything is written.

#include <compare>
#include <optional>
#include <string>
#include <vector>

#include "bcma/domain/prescription.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/records.hpp"
#include "dmd.hpp"
#include "feed.hpp"
#include "fhir_json.hpp"

namespace bcma::station::emar::detail {

/// Orders the versions of one request: authoredOn, then meta.lastUpdated, then meta.versionId
/// (compared as numbers when both are). docs/emar-feed.md "Versions".
struct VersionKey {
  domain::Instant authored_on{};
  std::optional<domain::Instant> last_updated;
  std::string version_id;
  std::string text() const;  ///< "authoredOn 2026-03-01T10:00:00Z, versionId 2"
};
/// Nullopt when the order cannot be decided (e.g. same authoredOn, one lastUpdated missing, or
/// version ids that are not numbers and differ).
std::optional<std::strong_ordering> compare(const VersionKey& a, const VersionKey& b);

/// What identifies a resource for the review queue and for matching its other versions.
struct Identity {
  std::string resource_type;
  std::string resource_id;
  std::vector<std::string> keys;  ///< "system|value" per identifier; "Type/id" when none
  std::optional<VersionKey> version;
  std::string content_sha256;
  std::string resource_json;      ///< canonical
  std::string nhs_number;
  std::string medication;         ///< "code display" as the feed coded it
};

struct RequestCandidate {
  const FeedEntry* entry = nullptr;
  Identity identity;
  Problems problems;
  std::string fhir_status;                  ///< "active", "entered-in-error"...
  std::vector<std::string> prior_keys;      ///< priorPrescription, as keys
  std::vector<std::string> prior_resource_ids;  ///< priorPrescription, as MedicationRequest ids
  domain::Prescription prescription;        ///< id and version unset
  std::string supply_json;                  ///< dispenseRequest, compact JSON ("{}" when none)
};

struct DispenseCandidate {
  const FeedEntry* entry = nullptr;
  Identity identity;
  Problems problems;
  bool ignored = false;                     ///< not yet handed over: nothing to do
  std::string ignored_why;
  bool withdrawn = false;                   ///< cancelled, stopped, declined, entered-in-error
  store::DispensedItem item;                ///< prescription_id unset
  std::optional<DmdPack> pack;
  std::vector<std::string> authorizing_keys;
  std::vector<std::string> authorizing_resource_ids;
  std::string authorizing_text;             ///< the reference as written, for messages
};

}  // namespace bcma::station::emar::detail
