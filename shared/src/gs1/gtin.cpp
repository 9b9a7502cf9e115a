#include "bcma/gs1/gtin.hpp"

#include <array>

#include "linters.hpp"
#include "chars.hpp"

namespace bcma::gs1 {
namespace {

using detail::is_digit;

constexpr std::size_t kPrimeCount = 97;

constexpr std::array<unsigned, kPrimeCount> make_primes() {
  std::array<unsigned, kPrimeCount> primes{};
  std::size_t found = 0;
  for (unsigned candidate = 2; found < kPrimeCount; ++candidate) {
    bool prime = true;
    for (unsigned d = 2; d * d <= candidate; ++d)
      if (candidate % d == 0) prime = false;
    if (prime) primes[found++] = candidate;
  }
  return primes;
}
constexpr auto kPrimes = make_primes();

Unexpected<Error> failure(ErrorCode code, std::size_t position, std::string message) {
  return Unexpected(Error{code, position, std::move(message)});
}

}  // namespace

std::optional<char> mod10_check_digit(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  unsigned sum = 0;
  unsigned weight = 3;  // the digit next to the check digit weighs 3, then 1, 3, ...
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!is_digit(*it)) return std::nullopt;
    sum += weight * static_cast<unsigned>(*it - '0');
    weight = 4 - weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool has_valid_mod10(std::string_view digits) {
  if (digits.size() < 2) return false;
  const auto expected = mod10_check_digit(digits.substr(0, digits.size() - 1));
  return expected && *expected == digits.back();
}

std::optional<std::string> check_character_pair(std::string_view data) {
  constexpr std::string_view kCset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  if (data.size() > kPrimeCount) return std::nullopt;
  unsigned sum = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const int value = detail::cset82_value(data[i]);
    if (value < 0) return std::nullopt;
    // The rightmost character weighs the first prime (2), the next the second (3), ...
    sum += static_cast<unsigned>(value) * kPrimes[data.size() - 1 - i];
  }
  sum %= 1021;
  return std::string{kCset32[sum >> 5U], kCset32[sum & 31U]};
}

Result<std::string, Error> normalise_gtin(std::string_view gtin) {
  if (gtin.empty()) return failure(ErrorCode::kEmpty, 0, "No GTIN was given.");
  for (std::size_t i = 0; i < gtin.size(); ++i)
    if (!is_digit(gtin[i]))
      return failure(ErrorCode::kBadCharacter, i,
                     "Character " + std::to_string(i + 1) + " of the GTIN is not a digit.");
  const std::size_t n = gtin.size();
  if (n > 14)
    return failure(ErrorCode::kTooLong, 14,
                   "A GTIN has at most 14 digits; this has " + std::to_string(n) + ".");
  if (n != 8 && n != 12 && n != 13 && n != 14)
    return failure(ErrorCode::kTooShort, 0,
                   "A GTIN has 8, 12, 13 or 14 digits; this has " + std::to_string(n) + ".");
  if (!has_valid_mod10(gtin)) {
    const char expected = *mod10_check_digit(gtin.substr(0, n - 1));
    return failure(ErrorCode::kBadCheckDigit, n - 1,
                   std::string("The GTIN check digit is ") + gtin.back() + ", expected " +
                       expected + ".");
  }
  return std::string(14 - n, '0') + std::string(gtin);
}

}  // namespace bcma::gs1
