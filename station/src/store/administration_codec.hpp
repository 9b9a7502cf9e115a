#pragma once
// Private to the store: the canonical content of an administration record (for duplicate
// detection) and its audit payloads.

#include <optional>
#include <string>

#include "bcma/core/result.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::store {

/// SHA-256 (hex) over every field the client sent, in a fixed length-prefixed encoding, with
/// the record id already normalised. Two deliveries are "the same record" exactly when these
/// match. Errors: crypto_failure.
Result<std::string> administration_content_hash(const NewAdministration& in,
                                                const std::string& record_id);

/// The audit payload of a recorded administration (compact JSON, keys in a fixed order).
std::string administration_payload(const NewAdministration& in, const std::string& record_id,
                                   const std::optional<std::string>& code, int prescription_version,
                                   const std::optional<std::string>& ampp_id,
                                   const std::optional<std::string>& corrects);

/// The audit payload of the override carried by `in` (which must have one).
std::string override_payload(const NewAdministration& in, const std::string& record_id);

}  // namespace bcma::station::store
