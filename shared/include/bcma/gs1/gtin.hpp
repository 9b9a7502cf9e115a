#pragma once
/// \file
/// GS1 check digits and GTIN normalisation.

#include <optional>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"
#include "bcma/gs1/element_string.hpp"

namespace bcma::gs1 {

/// The GS1 mod-10 check digit ('0'..'9') for `digits` (the data without its check digit), or
/// nullopt if `digits` is empty or not all digits. Used by GTIN, GLN, SSCC, GSRN, GDTI, ...
std::optional<char> mod10_check_digit(std::string_view digits);

/// True if the last digit of `digits` is the mod-10 check digit of the rest.
bool has_valid_mod10(std::string_view digits);

/// The GS1 alphanumeric check character pair (two CSET 32 characters) for `data`, the CSET 82
/// characters of a GMN or MUDI without the pair; nullopt if a character is outside CSET 82 or
/// `data` is longer than 97 characters.
std::optional<std::string> check_character_pair(std::string_view data);

/// GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14 to 14 digits with leading zeros.
/// Errors: kBadCharacter (not digits), kTooShort / kTooLong (not 8, 12, 13 or 14 digits),
/// kBadCheckDigit.
Result<std::string, Error> normalise_gtin(std::string_view gtin);

}  // namespace bcma::gs1
