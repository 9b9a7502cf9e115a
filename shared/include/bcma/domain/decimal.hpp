#pragma once
/// \file
/// `Decimal`: an exact quantity with three decimal places, for doses ("0.5 tablet", "2.5 ml"),
/// strengths ("62.5 micrograms") and stock. Binary floating point is never used for amounts a
/// care worker gives: 0.1 + 0.2 must equal 0.3.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bcma::domain {

class Decimal {
 public:
  static constexpr std::int64_t kScale = 1000;

  constexpr Decimal() = default;
  static constexpr Decimal from_thousandths(std::int64_t t) { return Decimal(t); }
  static constexpr Decimal from_int(std::int64_t whole) { return Decimal(whole * kScale); }
  /// "2", "2.5", "0.125", "-1.5". Nullopt for anything else, including more than three
  /// decimal places that are not zeros and values beyond +/- 9e12.
  static std::optional<Decimal> parse(std::string_view text);

  constexpr std::int64_t thousandths() const { return t_; }
  /// Shortest exact text: "2", "2.5", "0.125".
  std::string to_string() const;
  constexpr bool is_zero() const { return t_ == 0; }
  constexpr bool is_whole() const { return t_ % kScale == 0; }

  constexpr Decimal operator+(Decimal o) const { return Decimal(t_ + o.t_); }
  constexpr Decimal operator-(Decimal o) const { return Decimal(t_ - o.t_); }
  constexpr Decimal& operator+=(Decimal o) { t_ += o.t_; return *this; }
  constexpr Decimal& operator-=(Decimal o) { t_ -= o.t_; return *this; }
  /// Exact product, or nullopt if it needs more than three decimal places or overflows.
  std::optional<Decimal> times(Decimal o) const;
  /// Exact quotient, or nullopt if it is not representable with three decimal places or o is 0.
  std::optional<Decimal> divided_by(Decimal o) const;

  constexpr auto operator<=>(const Decimal&) const = default;

 private:
  constexpr explicit Decimal(std::int64_t t) : t_(t) {}
  std::int64_t t_ = 0;
};

}  // namespace bcma::domain
