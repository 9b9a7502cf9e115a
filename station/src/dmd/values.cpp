#include "values.hpp"

#include <array>

#include "bcma/station/dmd/errors.hpp"

namespace bcma::station::dmd::detail {

namespace {

__extension__ typedef __int128 Wide;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Unexpected<Error> invalid(std::string_view what, std::string_view text, std::string_view why) {
  return fail(errc::kInvalidValue, std::string(what) + " '" + std::string(text) + "' " + std::string(why));
}

Wide pow10(int n) {
  Wide v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

// The mass units the rules engine adds up, each a thousandth of the one before.
constexpr std::array<std::string_view, 4> kMassChain{"gram", "mg", "microgram", "nanogram"};

int mass_step(std::string_view unit) {
  if (unit == "g") return 0;
  for (std::size_t i = 0; i < kMassChain.size(); ++i) {
    if (kMassChain[i] == unit) return static_cast<int>(i);
  }
  return -1;
}

// p/q of `unit` as exact thousandths, stepping a mass unit down when that makes it exact.
std::optional<StoreStrength> exact_in(Wide p, Wide q, std::string_view unit) {
  const int step = mass_step(unit);
  const int last = step < 0 ? 0 : static_cast<int>(kMassChain.size()) - 1 - step;
  for (int k = 0; k <= last; ++k) {
    const Wide scaled = p * 1000 * pow10(3 * k);
    if (scaled % q != 0) continue;
    const Wide t = scaled / q;
    if (t > static_cast<Wide>(9'000'000'000'000'000LL)) return std::nullopt;
    return StoreStrength{static_cast<std::int64_t>(t),
                         k == 0 ? std::string(unit) : std::string(kMassChain[static_cast<std::size_t>(step + k)])};
  }
  return std::nullopt;
}

}  // namespace

Result<std::uint64_t> parse_id(std::string_view text, std::string_view what) {
  if (!all_digits(text) || text.size() < 6 || text.size() > 18 || text[0] == '0') {
    return invalid(what, text, "is not a SNOMED CT identifier (6 to 18 digits)");
  }
  std::uint64_t v = 0;
  for (char c : text) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

Result<domain::Date> parse_dmd_date(std::string_view text, std::string_view what) {
  auto d = domain::parse_date(text);
  if (!d) return invalid(what, text, "is not a date (YYYY-MM-DD)");
  return *d;
}

Result<bool> parse_flag(std::string_view text, std::string_view what) {
  if (!all_digits(text) || text.size() > 4) return invalid(what, text, "is not a flag (0 or 1)");
  int v = 0;
  for (char c : text) v = v * 10 + (c - '0');
  if (v > 1) return invalid(what, text, "is not a flag (0 or 1)");
  return v == 1;
}

Result<std::int64_t> parse_pence(std::string_view text, std::string_view what) {
  if (!all_digits(text) || text.size() > 12) return invalid(what, text, "is not a price in pence");
  std::int64_t v = 0;
  for (char c : text) v = v * 10 + (c - '0');
  return v;
}

Result<Exact> parse_number(std::string_view text, std::string_view what) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(frac))) {
    return invalid(what, text, "is not a number");
  }
  std::string_view w = whole;
  while (w.size() > 1 && w[0] == '0') w.remove_prefix(1);
  std::string_view f = frac;
  while (!f.empty() && f.back() == '0') f.remove_suffix(1);
  if (w.size() + f.size() > 18) return invalid(what, text, "has too many digits");
  Exact v;
  for (char c : w) v.mantissa = v.mantissa * 10 + (c - '0');
  for (char c : f) v.mantissa = v.mantissa * 10 + (c - '0');
  v.scale = static_cast<int>(f.size());
  v.text = std::string(w) + (f.empty() ? "" : "." + std::string(f));
  return v;
}

std::optional<std::int64_t> thousandths(const Exact& v) {
  if (v.scale > 3) return std::nullopt;
  std::int64_t t = v.mantissa;
  for (int i = v.scale; i < 3; ++i) t *= 10;
  return t;
}

StoreStrength store_strength(const std::optional<Exact>& numerator, std::string_view numerator_unit,
                             const std::optional<Exact>& denominator, std::string_view denominator_unit,
                             bool denominator_is_dose_unit) {
  if (!numerator) return {0, ""};
  const Wide n = numerator->mantissa;
  const Wide n_den = pow10(numerator->scale);
  std::string unit(numerator_unit);
  if (denominator && denominator->mantissa != 0) {
    if (denominator_is_dose_unit) {
      // (n / 10^a) / (d / 10^b) per one dose unit.
      const Wide p = n * pow10(denominator->scale);
      const Wide q = n_den * denominator->mantissa;
      if (auto s = exact_in(p, q, numerator_unit)) return *s;
    }
    const bool per_one = denominator->mantissa == 1 && denominator->scale == 0;
    unit += "/" + (per_one ? std::string() : denominator->text + " ") + std::string(denominator_unit);
    if (auto s = exact_in(n, n_den, unit)) return *s;
  } else if (auto s = exact_in(n, n_den, numerator_unit)) {
    return *s;
  }
  // Not representable in thousandths of any unit: one of a unit that says the exact amount.
  return {1000, numerator->text + " " + unit};
}

}  // namespace bcma::station::dmd::detail
