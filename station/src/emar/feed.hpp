#pragma once
// Private to the eMAR feed: the feed's text as FHIR resources (a Bundle's entries, one
// resource, or NDJSON lines), with where each came from, and reference resolution inside it.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "fhir_json.hpp"

namespace bcma::station::emar::detail {

struct FeedEntry {
  const Json* resource = nullptr;  ///< never null; an unusable entry points at the entry itself
  std::string type;                ///< resourceType ("" when missing)
  std::string id;                  ///< id ("" when missing)
  std::string full_url;            ///< Bundle entry fullUrl, may be empty
  std::string where;               ///< "entry 3", "line 4", "resource"
  std::size_t order = 0;           ///< position in the feed
  /// Set when the entry cannot be used at all (a DELETE, a nested Bundle, not an object...).
  std::optional<ReviewReason> refused;
};

class Feed {
 public:
  /// Errors: `invalid_json` (where the text stops being JSON: line and column, or the NDJSON
  /// line), `invalid_feed` (JSON, but not a FHIR resource or Bundle).
  static Result<Feed> parse(std::string_view text);

  const std::vector<FeedEntry>& entries() const { return entries_; }

  /// Resolves a Reference.reference from the resource of `from`: "#id" (contained), a fullUrl,
  /// or "Type/id" (relative to `from`'s fullUrl base, or by type and id). Nullptr if not found.
  const Json* resolve(std::string_view reference, const FeedEntry& from) const;

 private:
  std::vector<std::unique_ptr<Json>> documents_;
  std::vector<FeedEntry> entries_;
};

/// "Type/id" from "Type/id", "https://x/fhir/Type/id" or ".../Type/id/_history/2"; empty if the
/// reference has no such tail.
std::pair<std::string, std::string> type_and_id(std::string_view reference);

}  // namespace bcma::station::emar::detail
