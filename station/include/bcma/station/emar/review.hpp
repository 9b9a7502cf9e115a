#pragma once
/// \file
/// The review queue: resources from the pharmacy's feed that the station did not import, each
/// with the exact reasons, kept until a later version of the same resource is imported.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::emar {

/// One reason a resource was not imported.
struct ReviewReason {
  std::string code;      ///< a `reason::k...` code (errors.hpp)
  std::string message;   ///< what is wrong and what would fix it
  std::string location;  ///< JSON pointer inside the resource, e.g. "/dosageInstruction/0/timing"
  friend bool operator==(const ReviewReason&, const ReviewReason&) = default;
};

enum class ReviewStatus : std::uint8_t {
  kOpen,        ///< waiting for the pharmacy
  kResolved,    ///< this or a later version of the resource was imported
  kSuperseded,  ///< the same resource came again with other reasons (a newer entry holds them)
};
std::string_view to_string(ReviewStatus s);  ///< "open", "resolved", "superseded"

struct ReviewEntry {
  std::int64_t id = 0;
  ReviewStatus status = ReviewStatus::kOpen;
  std::string resource_type;
  std::string resource_id;
  std::string nhs_number;     ///< as the feed gave it; may be empty
  std::string resident_name;  ///< when the NHS number is a resident of the home
  std::string medication;     ///< "42109611000001109 Paracetamol 500mg tablets", as the feed coded it
  std::vector<ReviewReason> reasons;
  /// What the station holds instead, e.g. "prescription 3 version 2 (active) stays in force".
  std::string station_holds;
  domain::Instant first_seen{};
  std::optional<domain::Instant> resolved_at;
  std::string resolution;     ///< why it was closed
  std::string resource_json;  ///< the resource as received
};

/// Open entries oldest first, or every entry with `include_closed`.
/// Errors: `sqlite_error`, `corrupt_data`.
Result<std::vector<ReviewEntry>> review_queue(store::Store& store, bool include_closed = false);

/// The queue as a pharmacist reads it.
std::string review_text(const std::vector<ReviewEntry>& entries);
/// The queue as a JSON array (without the resources' full text unless `with_resources`).
std::string review_json(const std::vector<ReviewEntry>& entries, bool with_resources = false);

}  // namespace bcma::station::emar
