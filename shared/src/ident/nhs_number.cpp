#include "bcma/ident/nhs_number.hpp"

#include <cctype>
#include <vector>

namespace bcma::ident {

std::string_view to_string(NhsNumberError e) {
  switch (e) {
    case NhsNumberError::kEmpty: return "empty";
    case NhsNumberError::kBadCharacter: return "bad_character";
    case NhsNumberError::kWrongLength: return "wrong_length";
    case NhsNumberError::kBadCheckDigit: return "bad_check_digit";
    case NhsNumberError::kBadGrouping: return "bad_grouping";
  }
  return "unknown";
}

int nhs_check_digit(std::string_view nine_digits) {
  if (nine_digits.size() < 9) return -1;
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    if (nine_digits[i] < '0' || nine_digits[i] > '9') return -1;
    sum += (nine_digits[i] - '0') * static_cast<int>(10 - i);
  }
  const int check = 11 - sum % 11;
  if (check == 11) return 0;
  if (check == 10) return -1;
  return check;
}

namespace {

bool is_separator(char c) { return c == ' ' || c == '-'; }

Unexpected<NhsNumberFailure> failure(NhsNumberError code, std::string message) {
  return Unexpected(NhsNumberFailure{code, std::move(message)});
}

}  // namespace

Result<NhsNumber, NhsNumberFailure> NhsNumber::parse(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty()) return failure(NhsNumberError::kEmpty, "No NHS number was given.");

  std::string digits;
  std::vector<std::size_t> separator_after;  // digit counts at which a separator appeared
  std::vector<char> separator_chars;
  bool any_separator = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (is_separator(c)) {
      // One separator per gap; it must follow the 3rd or 6th digit.
      if (i + 1 < text.size() && is_separator(text[i + 1]))
        return failure(NhsNumberError::kBadGrouping,
                       "Two separators in a row at character " + std::to_string(i + 1) + ".");
      separator_after.push_back(digits.size());
      separator_chars.push_back(c);
      any_separator = true;
    } else {
      return failure(NhsNumberError::kBadCharacter,
                     "Character " + std::to_string(i + 1) +
                         " is not a digit, space or hyphen: an NHS number is ten digits.");
    }
  }
  if (digits.size() != 10)
    return failure(NhsNumberError::kWrongLength,
                   "An NHS number has ten digits; this has " + std::to_string(digits.size()) + ".");
  // Grouped means fully grouped, one kind of separator: "943 4765919" or "943-476 5919" is
  // more likely a mangled number than a deliberate format.
  if (any_separator) {
    const bool three_three_four = separator_after.size() == 2 && separator_after[0] == 3 &&
                                  separator_after[1] == 6 && separator_chars.size() == 2 &&
                                  separator_chars[0] == separator_chars[1];
    if (!three_three_four)
      return failure(NhsNumberError::kBadGrouping,
                     "Separators may only split the number as 3-3-4, all spaces or all hyphens "
                     "(e.g. 943 476 5919).");
  }
  const int check = nhs_check_digit(digits);
  if (check < 0)
    return failure(NhsNumberError::kBadCheckDigit,
                   "No NHS number starts with these nine digits (their check digit would be "
                   "10): this is not a valid NHS number (check for a mistyped or swapped digit).");
  if (check != digits[9] - '0')
    return failure(NhsNumberError::kBadCheckDigit,
                   "The check digit does not match: this is not a valid NHS number "
                   "(check for a mistyped or swapped digit).");
  return NhsNumber(std::move(digits));
}

std::string NhsNumber::formatted() const {
  return digits_.substr(0, 3) + " " + digits_.substr(3, 3) + " " + digits_.substr(6);
}

bool NhsNumber::is_test_range() const { return digits_.compare(0, 3, "999") == 0; }

}  // namespace bcma::ident
