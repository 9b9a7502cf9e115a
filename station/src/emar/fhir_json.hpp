#pragma once
// Private to the eMAR feed: reading FHIR JSON without exceptions escaping. Every accessor takes
// the JSON pointer of the object it reads from and reports a malformed element as a problem at
// its exact pointer; an absent (or null) element is simply absent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bcma/core/result.hpp"
#include "bcma/domain/decimal.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/emar/review.hpp"

namespace bcma::station::emar::detail {

using Json = nlohmann::json;

/// The problems found in one resource; each becomes a review reason.
class Problems {
 public:
  void add(std::string code, std::string location, std::string message);
  bool empty() const { return list_.empty(); }
  std::size_t size() const { return list_.size(); }
  const std::vector<ReviewReason>& list() const { return list_; }

 private:
  std::vector<ReviewReason> list_;
};

/// `pointer` + "/" + key, escaped as RFC 6901 requires.
std::string child(const std::string& pointer, std::string_view key);
std::string child(const std::string& pointer, std::size_t index);

/// The member, or nullptr when absent or null (or when `object` is not an object).
const Json* member(const Json& object, std::string_view key);
/// The member's text, or "" when it is absent, null or not a string.
std::string string_of(const Json& object, std::string_view key);

std::optional<std::string> get_string(const Json& object, std::string_view key,
                                      const std::string& pointer, Problems& problems);
std::optional<bool> get_bool(const Json& object, std::string_view key, const std::string& pointer,
                             Problems& problems);
/// A JSON number held exactly (at most three decimal places).
std::optional<domain::Decimal> get_decimal(const Json& object, std::string_view key,
                                           const std::string& pointer, Problems& problems);
/// A JSON integer (FHIR integer / positiveInt / unsignedInt), `min` or more.
std::optional<std::int64_t> get_integer(const Json& object, std::string_view key,
                                        const std::string& pointer, Problems& problems,
                                        std::int64_t min = 0);
const Json* get_object(const Json& object, std::string_view key, const std::string& pointer,
                       Problems& problems);
const Json* get_array(const Json& object, std::string_view key, const std::string& pointer,
                      Problems& problems);

/// A JSON number as an exact Decimal: integers directly, floating point through the shortest
/// text that reads back to the same double (which is the text the feed wrote, for any value
/// with up to 15 significant digits). Nullopt if more than three decimal places or too large.
std::optional<domain::Decimal> to_decimal(const Json& number);

/// A FHIR dateTime: a date ("2026-03-10", read as 00:00 Europe/London) or a date and time with
/// seconds and a zone ("2026-03-10T08:00:00Z", "+01:00"); fractions of a second are dropped.
/// Partial dates ("2026", "2026-03") and times without a zone are refused (`why` says which).
struct FhirDateTime {
  domain::Instant instant{};
  bool date_only = false;
  domain::Date date{};  ///< the date as written (date_only) or the local date of `instant`
};
std::optional<FhirDateTime> parse_datetime(std::string_view text, std::string* why);
std::optional<FhirDateTime> get_datetime(const Json& object, std::string_view key,
                                         const std::string& pointer, Problems& problems);

/// Every coding of `codeable` (a CodeableConcept) in `system`, in order.
struct Coding {
  std::string system;
  std::string code;
  std::string display;
  std::string pointer;
};
std::vector<Coding> codings(const Json& codeable, std::string_view system,
                            const std::string& pointer, Problems& problems);
/// CodeableConcept.text, else the first coding's display, else "".
std::string concept_text(const Json& codeable);

/// The resource as compact JSON with sorted keys: the same content always gives the same text.
std::string canonical(const Json& resource);
/// SHA-256, lower-case hex. Errors: `crypto_failure`.
Result<std::string> sha256_hex(std::string_view data);

/// Shortens a value for a message: at most 80 characters, with "..." when cut.
std::string quote(std::string_view value);

}  // namespace bcma::station::emar::detail
