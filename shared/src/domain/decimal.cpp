#include "bcma/domain/decimal.hpp"

#include <cstdlib>

namespace bcma::domain {
namespace {

// Products and quotients of two thousandths values need more than 64 bits before they are
// scaled back; GCC's 128-bit integer keeps them exact. __extension__ marks the use as deliberate
// under -Wpedantic.
__extension__ typedef __int128 Wide;

// The documented range (+/- 9e12) leaves headroom below INT64_MAX for sums of a few values.
constexpr std::int64_t kMaxWhole = 9'000'000'000'000;
constexpr Wide kMaxThousandths = static_cast<Wide>(kMaxWhole) * Decimal::kScale;

std::optional<Decimal> checked(Wide t) {
  if (t > kMaxThousandths || t < -kMaxThousandths) return std::nullopt;
  return Decimal::from_thousandths(static_cast<std::int64_t>(t));
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  Wide whole = 0;
  std::size_t whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++whole_digits) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > kMaxWhole) return std::nullopt;
  }
  if (whole_digits == 0) return std::nullopt;  // "", "-", ".5", "+1"
  Wide fraction = 0;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    ++i;
    std::size_t fraction_digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++fraction_digits) {
      const int digit = text[i] - '0';
      if (fraction_digits < 3) {
        fraction = fraction * 10 + digit;
      } else if (digit != 0) {
        return std::nullopt;  // a fourth significant decimal place cannot be held exactly
      }
    }
    if (fraction_digits == 0 || i != text.size()) return std::nullopt;  // "5.", "1.2x"
    for (std::size_t d = fraction_digits; d < 3; ++d) fraction *= 10;
  }
  const Wide t = whole * kScale + fraction;
  return checked(negative ? -t : t);
}

std::string Decimal::to_string() const {
  const bool negative = t_ < 0;
  // Magnitude in unsigned arithmetic so that the most negative value cannot overflow.
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(t_) : static_cast<std::uint64_t>(t_);
  const std::uint64_t scale = static_cast<std::uint64_t>(kScale);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  std::uint64_t fraction = magnitude % scale;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 3 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += '.';
    out += digits;
  }
  return out;
}

std::optional<Decimal> Decimal::times(Decimal o) const {
  const Wide product = static_cast<Wide>(t_) * o.t_;
  if (product % kScale != 0) return std::nullopt;
  return checked(product / kScale);
}

std::optional<Decimal> Decimal::divided_by(Decimal o) const {
  if (o.t_ == 0) return std::nullopt;
  const Wide numerator = static_cast<Wide>(t_) * kScale;
  if (numerator % o.t_ != 0) return std::nullopt;
  return checked(numerator / o.t_);
}

}  // namespace bcma::domain
