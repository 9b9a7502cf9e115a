#pragma once
// Private to the eMAR feed: MedicationRequest and MedicationDispense resources as the station's
// prescriptions and dispensed items, with every problem that stops them being imported. Reads
// the store (residents, dm+d) and writes nothing.

#include "bcma/core/result.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/station/store/store.hpp"
#include "candidate.hpp"
#include "feed.hpp"

namespace bcma::station::emar::detail {

/// Errors: the store's `sqlite_error`, `corrupt_data`, `crypto_failure` (problems with the
/// resource itself are in `RequestCandidate::problems`).
Result<RequestCandidate> translate_request(const FeedEntry& entry, const Feed& feed,
                                           store::Store& store, const rules::Policy& policy);

/// Errors: as translate_request.
Result<DispenseCandidate> translate_dispense(const FeedEntry& entry, const Feed& feed,
                                             store::Store& store);

/// The identity of any resource: keys, version (meta and `authoredOn` if present), content hash.
/// Errors: `crypto_failure`.
Result<Identity> identify(const FeedEntry& entry);

/// Every modifierExtension in the resource: the station cannot know what it changes.
void refuse_modifier_extensions(const Json& resource, const std::string& pointer, Problems& problems);

}  // namespace bcma::station::emar::detail
