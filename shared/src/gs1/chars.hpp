#pragma once
// Character classes of the GS1 character sets, in the C locale whatever the process locale is
// (std::isdigit and friends follow the locale). Private to bcma::gs1.

namespace bcma::gs1::detail {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

}  // namespace bcma::gs1::detail
