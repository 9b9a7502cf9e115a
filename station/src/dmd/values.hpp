#pragma once
// Private: reading dm+d field values exactly. Identifiers are SNOMED CT ids (6 to 18 digits);
// numbers are decimal text ("160", "0.5", "62.5") kept exactly; dates are YYYY-MM-DD; flags are
// 0 or 1 ("1" or "0001").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"

namespace bcma::station::dmd::detail {

/// Errors: invalid_value ("<what> 'x' is not a SNOMED CT identifier").
Result<std::uint64_t> parse_id(std::string_view text, std::string_view what);
/// Errors: invalid_value.
Result<domain::Date> parse_dmd_date(std::string_view text, std::string_view what);
/// Errors: invalid_value.
Result<bool> parse_flag(std::string_view text, std::string_view what);
/// A price in pence: digits only. Errors: invalid_value.
Result<std::int64_t> parse_pence(std::string_view text, std::string_view what);

/// An exact decimal: `mantissa / 10^scale`.
struct Exact {
  std::int64_t mantissa = 0;
  int scale = 0;
  std::string text;  ///< normalised: "62.5", "160", "0.0125"
};
/// Non-negative "123", "12.5", "0.0125" (up to 18 significant digits). Errors: invalid_value.
Result<Exact> parse_number(std::string_view text, std::string_view what);
/// Thousandths when the value has at most three decimal places.
std::optional<std::int64_t> thousandths(const Exact& v);

/// An ingredient strength as the store holds it: thousandths of `unit` per dose unit.
struct StoreStrength {
  std::int64_t thousandths = 0;
  std::string unit;
};
/// Strength per unit dose from dm+d's numerator (and optional denominator). When the
/// denominator is in the dose unit (250 mg / 5 ml with dose unit ml) the result is per one
/// dose unit (50 mg). Mass units step down (mg to microgram to nanogram) when that makes the
/// value exact in thousandths. Anything else keeps the ratio in the unit ("microgram/hour",
/// "mg/3 ml") so that no dose conversion can silently use it. No numerator: 0 and "".
StoreStrength store_strength(const std::optional<Exact>& numerator, std::string_view numerator_unit,
                             const std::optional<Exact>& denominator, std::string_view denominator_unit,
                             bool denominator_is_dose_unit);

}  // namespace bcma::station::dmd::detail
