#pragma once
// Private to the export: who the database names, and a scrubber that removes every such
// identifier from free text before it leaves the home.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/station/export/pseudonymiser.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::exporting::detail {

struct Person {
  std::string key;   ///< what the pseudonym is made from: NHS number or badge GSRN
  std::string role;  ///< staff only: "care_worker", ...
};

class People {
 public:
  /// Reads residents and staff. Errors: `sqlite_error`.
  static Result<People> load(store::Database& db);

  /// The pseudonym of resident or staff `id`; an id the database does not know (never expected:
  /// foreign keys hold) still gets a stable pseudonym of the id itself.
  std::string resident(const Pseudonymiser& p, std::int64_t id) const;
  std::string staff(const Pseudonymiser& p, std::int64_t id) const;
  std::optional<std::string> staff_role(std::int64_t id) const;
  /// Badge GSRN -> staff id, for sign-ins recorded by badge.
  std::optional<std::int64_t> staff_by_badge(std::string_view badge) const;

  /// `text` with every name, NHS number (plain and 3-3-4), date of birth (ISO, dd/mm/yyyy,
  /// dd-mm-yyyy, dd.mm.yyyy) and GSRN replaced by "[removed]", case-insensitively, and any other
  /// run of 8 or more digits likewise (an identifier the database does not hold).
  std::string scrub(std::string_view text) const;

 private:
  std::map<std::int64_t, Person> residents_;
  std::map<std::int64_t, Person> staff_;
  std::map<std::string, std::int64_t, std::less<>> badges_;
  std::vector<std::string> terms_;  ///< lower-case, longest first
};

}  // namespace bcma::station::exporting::detail
