#pragma once
/// \file
/// NHS numbers: ten digits, the last a modulus 11 check digit, shown as 3-3-4.

#include <cstdint>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"

namespace bcma::ident {

enum class NhsNumberError : std::uint8_t {
  kEmpty,           ///< nothing but whitespace
  kBadCharacter,    ///< a character other than digits, spaces and hyphens
  kWrongLength,     ///< not ten digits
  kBadCheckDigit,   ///< check digit does not match, or the remainder gives 10 (never issued)
  kBadGrouping,     ///< separators present but not in the 3-3-4 places
};

std::string_view to_string(NhsNumberError e);  ///< snake_case, e.g. "bad_check_digit"

struct NhsNumberFailure {
  NhsNumberError code;
  std::string message;
};

/// A valid NHS number, held as its ten digits.
class NhsNumber {
 public:
  /// Accepts "9434765919", "943 476 5919" and "943-476-5919" (when grouped, both separators in
  /// the 3-3-4 places and of one kind; surrounding whitespace ignored). Returns every error as a
  /// value: kEmpty, kBadCharacter, kWrongLength, kBadGrouping, kBadCheckDigit (checked in that
  /// order).
  static Result<NhsNumber, NhsNumberFailure> parse(std::string_view text);

  const std::string& digits() const { return digits_; }
  std::string formatted() const;  ///< "943 476 5919"
  /// Numbers 999 000 0000 to 999 999 9999 are reserved for testing and never issued.
  bool is_test_range() const;

  friend bool operator==(const NhsNumber&, const NhsNumber&) = default;

 private:
  explicit NhsNumber(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

/// The modulus 11 check digit for the first nine digits, or -1 when the remainder makes it 10
/// (no NHS number starts with those digits) or the input does not start with nine digits.
int nhs_check_digit(std::string_view nine_digits);

}  // namespace bcma::ident
