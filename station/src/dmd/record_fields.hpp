#pragma once
// Private to the dm+d import: reading a record's optional fields, shared by the file handlers.

#include <optional>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"
#include "record_parser.hpp"
#include "schema.hpp"
#include "values.hpp"

namespace bcma::station::dmd::detail {

using OptText = std::optional<std::string>;

inline OptText opt(const Record& r, int field) {
  return r.has(field) ? OptText(std::string(r.get(field))) : std::nullopt;
}

/// A flag field that dm+d omits when false.
inline Result<bool> flag_or_false(const Record& r, int field, std::string_view what) {
  return r.has(field) ? parse_flag(r.get(field), what) : Result<bool>(false);
}

/// An optional date, as ISO text for the store.
inline Result<OptText> opt_date(const Record& r, int field, std::string_view what) {
  if (!r.has(field)) return OptText{};
  auto d = parse_dmd_date(r.get(field), what);
  if (!d) return Unexpected(std::move(d).error());
  return OptText(domain::to_string(*d));
}

/// Field indexes by name, looked up once per handler (`static const Fields f(...)`).
struct Fields {
  explicit Fields(const RecordSpec& s) : spec(s) {}
  const RecordSpec& spec;
  int operator()(std::string_view name) const { return spec.field(name); }
};

inline const RecordSpec& record_spec(FileKind kind, std::size_t i) {
  return file_spec(kind).records[i];
}

}  // namespace bcma::station::dmd::detail
