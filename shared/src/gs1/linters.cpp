#include "linters.hpp"

#include <array>
#include <cstdint>

#include "bcma/gs1/gtin.hpp"
#include "code_lists.hpp"
#include "chars.hpp"

namespace bcma::gs1::detail {
namespace {

bool is_hex(char c) { return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }

int digit(char c) { return c - '0'; }
int number(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + digit(c);
  return value;
}
unsigned long long big_number(std::string_view digits) {
  unsigned long long value = 0;
  for (char c : digits) value = value * 10 + static_cast<unsigned long long>(digit(c));
  return value;
}
bool all_digits(std::string_view data) {
  for (char c : data)
    if (!is_digit(c)) return false;
  return true;
}

LintFailure failure(ErrorCode code, std::size_t offset, std::string message) {
  return LintFailure{code, offset, std::move(message)};
}
LintFailure bad_value(std::size_t offset, std::string message) {
  return failure(ErrorCode::kBadValue, offset, std::move(message));
}
LintFailure bad_date(std::size_t offset, std::string message) {
  return failure(ErrorCode::kBadDate, offset, std::move(message));
}

// GS1 AI encodable character set 82 in its defined order.
constexpr std::string_view kCset82 =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
// Check characters of the alphanumeric check character pair (CSET 32).
constexpr std::string_view kCset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

constexpr std::array<std::int8_t, 256> make_cset82_values() {
  std::array<std::int8_t, 256> values{};
  for (auto& v : values) v = -1;
  for (std::size_t i = 0; i < kCset82.size(); ++i)
    values[static_cast<unsigned char>(kCset82[i])] = static_cast<std::int8_t>(i);
  return values;
}
constexpr auto kCset82Values = make_cset82_values();

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[static_cast<std::size_t>(month - 1)];
}

// Two-digit years: the GS1 century rule puts YY within -49..+50 years of today, which for any
// year up to 2049 never reaches 2100, so YY is a leap year exactly when YY % 4 == 0 (2000 is).
std::optional<LintFailure> check_date(std::string_view data, bool four_digit_year,
                                      bool day_zero_allowed) {
  const std::size_t year_digits = four_digit_year ? 4 : 2;
  const int year = four_digit_year ? number(data.substr(0, 4)) : 2000 + number(data.substr(0, 2));
  const int month = number(data.substr(year_digits, 2));
  const int day = number(data.substr(year_digits + 2, 2));
  if (month < 1 || month > 12)
    return bad_date(year_digits, "month " + std::string(data.substr(year_digits, 2)) +
                                     " is not 01 to 12");
  if (day == 0 && day_zero_allowed) return std::nullopt;
  if (day < 1 || day > days_in_month(year, month))
    return bad_date(year_digits + 2, "day " + std::string(data.substr(year_digits + 2, 2)) +
                                         " does not exist in that month");
  return std::nullopt;
}

std::optional<LintFailure> check_range(std::string_view data, int max, const char* what) {
  if (number(data) > max) return bad_date(0, std::string(what) + " " + std::string(data) +
                                                 " is out of range");
  return std::nullopt;
}

std::optional<LintFailure> check_company_prefix(std::string_view data, std::size_t offset) {
  constexpr std::size_t kMinimumPrefix = 4;  // the shortest GS1 Company Prefix has 4 digits
  if (data.size() < offset + kMinimumPrefix)
    return bad_value(0, "too short to start with a GS1 Company Prefix");
  for (std::size_t i = offset; i < offset + kMinimumPrefix; ++i)
    if (!is_digit(data[i])) return bad_value(i, "does not start with a GS1 Company Prefix (digits)");
  return std::nullopt;
}

std::optional<LintFailure> check_mod10(std::string_view data) {
  const auto expected = mod10_check_digit(data.substr(0, data.size() - 1));
  if (!expected) return failure(ErrorCode::kBadCheckDigit, 0, "has no check digit");
  if (*expected != data.back())
    return failure(ErrorCode::kBadCheckDigit, data.size() - 1,
                   std::string("check digit is ") + data.back() + ", expected " + *expected);
  return std::nullopt;
}

std::optional<LintFailure> check_alpha_pair(std::string_view data) {
  if (data.size() < 2) return failure(ErrorCode::kBadCheckDigit, 0, "too short for a check character pair");
  for (std::size_t i = data.size() - 2; i < data.size(); ++i)
    if (kCset32.find(data[i]) == std::string_view::npos)
      return failure(ErrorCode::kBadCheckDigit, i, "check character is not in CSET 32");
  const auto expected = check_character_pair(data.substr(0, data.size() - 2));
  if (!expected || *expected != data.substr(data.size() - 2))
    return failure(ErrorCode::kBadCheckDigit, data.size() - 2,
                   "check character pair is " + std::string(data.substr(data.size() - 2)) +
                       ", expected " + expected.value_or("?"));
  return std::nullopt;
}

std::optional<LintFailure> check_percent_encoding(std::string_view data) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '%') continue;
    if (i + 2 >= data.size() || !is_hex(data[i + 1]) || !is_hex(data[i + 2]))
      return bad_value(i, "'%' is not followed by two hexadecimal digits");
    i += 2;
  }
  return std::nullopt;
}

std::optional<LintFailure> check_piece_of_total(std::string_view data) {
  if (data.empty() || data.size() % 2 != 0) return bad_value(0, "piece and total must have equal widths");
  const std::string_view piece = data.substr(0, data.size() / 2);
  const std::string_view total = data.substr(data.size() / 2);
  if (piece.find_first_not_of('0') == std::string_view::npos) return bad_value(0, "piece number is zero");
  if (total.find_first_not_of('0') == std::string_view::npos)
    return bad_value(piece.size(), "total number of pieces is zero");
  if (piece > total) return bad_value(0, "piece number exceeds the total");
  return std::nullopt;
}

std::optional<LintFailure> check_position_in_sequence(std::string_view data) {
  const std::size_t slash = data.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= data.size() ||
      !all_digits(data.substr(0, slash)) || !all_digits(data.substr(slash + 1)))
    return bad_value(0, "is not \"position/end\"");
  const std::string_view position = data.substr(0, slash);
  const std::string_view end = data.substr(slash + 1);
  if (position[0] == '0') return bad_value(0, "position has a zero prefix or is zero");
  if (end[0] == '0') return bad_value(slash + 1, "end has a zero prefix or is zero");
  if (position.size() > end.size() || (position.size() == end.size() && position > end))
    return bad_value(0, "position exceeds the end");
  return std::nullopt;
}

std::optional<LintFailure> check_iban(std::string_view data) {
  constexpr std::size_t kMinimumLength = 11;
  if (data.size() < kMinimumLength) return bad_value(0, "too short for an IBAN");
  if (!is_iso3166_alpha2(data.substr(0, 2))) return bad_value(0, "IBAN country code is not ISO 3166 alpha-2");
  unsigned remainder = 0;
  for (std::size_t n = 0; n < data.size(); ++n) {
    const std::size_t i = (n + 4) % data.size();  // the first four characters move to the end
    const char c = data[i];
    if (is_digit(c)) {
      remainder = (remainder * 10 + static_cast<unsigned>(digit(c))) % 97;
    } else if (is_upper(c)) {
      remainder = (remainder * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
    } else {
      return bad_value(i, "IBAN characters are digits and upper-case letters");
    }
  }
  if (remainder != 1) return bad_value(2, "IBAN check digits are wrong");
  return std::nullopt;
}

// The North American coupon code of AI (8110): variable-length fields each announced by a
// length indicator, then optional fields flagged 1, 2, 3, 4, 5, 6, 9 in that order.
class CouponReader {
 public:
  explicit CouponReader(std::string_view data) : data_(data) {}

  bool at_end() const { return pos_ >= data_.size(); }
  std::size_t pos() const { return pos_; }
  char peek() const { return data_[pos_]; }

  // One digit within [low, high] or equal to `also`; advances.
  std::optional<LintFailure> code(char low, char high, const char* what, char also = 'x') {
    if (at_end()) return bad_value(data_.size(), std::string(what) + " is missing");
    const char c = data_[pos_];
    if ((c < low || c > high) && c != also) return bad_value(pos_, std::string(what) + " is invalid");
    ++pos_;
    return std::nullopt;
  }
  // One digit from `allowed`; advances.
  std::optional<LintFailure> one_of(std::string_view allowed, const char* what) {
    if (at_end()) return bad_value(data_.size(), std::string(what) + " is missing");
    if (allowed.find(data_[pos_]) == std::string_view::npos)
      return bad_value(pos_, std::string(what) + " is invalid");
    ++pos_;
    return std::nullopt;
  }
  // Exactly `count` digits.
  std::optional<LintFailure> skip(std::size_t count, const char* what) {
    if (data_.size() - pos_ < count) return bad_value(pos_, std::string(what) + " is truncated");
    pos_ += count;
    return std::nullopt;
  }
  // A length indicator digit in [low, high] (or `none` meaning no field), then the field of
  // indicator + `add` digits.
  std::optional<LintFailure> field(char low, char high, int add, const char* what, char none = 'x') {
    if (at_end()) return bad_value(data_.size(), std::string(what) + " length indicator is missing");
    const char c = data_[pos_];
    if (c == none) {
      ++pos_;
      return std::nullopt;
    }
    if (c < low || c > high) return bad_value(pos_, std::string(what) + " length indicator is invalid");
    ++pos_;
    return skip(static_cast<std::size_t>(digit(c) + add), what);
  }
  std::string_view take(std::size_t count) const { return data_.substr(pos_, count); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

#define BCMA_GS1_TRY(expr)              \
  do {                                  \
    if (auto problem = (expr)) return problem; \
  } while (false)

std::optional<LintFailure> check_purchase(CouponReader& r, bool with_rules) {
  if (with_rules) BCMA_GS1_TRY(r.code('0', '3', "additional purchase rules code"));
  BCMA_GS1_TRY(r.field('1', '5', 0, "purchase requirement"));
  BCMA_GS1_TRY(r.code('0', '4', "purchase requirement code", '9'));
  BCMA_GS1_TRY(r.skip(3, "purchase family code"));
  return std::nullopt;
}

std::optional<LintFailure> check_coupon_date(CouponReader& r, const char* what) {
  if (r.take(6).size() < 6) return bad_value(r.pos(), std::string(what) + " is truncated");
  if (auto problem = check_date(r.take(6), false, false)) {
    problem->offset += r.pos();
    return problem;
  }
  return r.skip(6, what);
}

std::optional<LintFailure> check_coupon_code(std::string_view data) {
  for (std::size_t i = 0; i < data.size(); ++i)
    if (!is_digit(data[i])) return bad_value(i, "coupon code must be all digits");
  CouponReader r(data);
  BCMA_GS1_TRY(r.field('0', '6', 6, "company prefix"));
  BCMA_GS1_TRY(r.skip(6, "offer code"));
  BCMA_GS1_TRY(r.field('1', '5', 0, "save value"));
  BCMA_GS1_TRY(check_purchase(r, false));
  if (!r.at_end() && r.peek() == '1') {
    BCMA_GS1_TRY(r.skip(1, "field"));
    BCMA_GS1_TRY(check_purchase(r, true));
    BCMA_GS1_TRY(r.field('0', '6', 6, "second company prefix", '9'));
  }
  if (!r.at_end() && r.peek() == '2') {
    BCMA_GS1_TRY(r.skip(1, "field"));
    BCMA_GS1_TRY(check_purchase(r, false));
    BCMA_GS1_TRY(r.field('0', '6', 6, "third company prefix", '9'));
  }
  std::string_view expiry;
  if (!r.at_end() && r.peek() == '3') {
    BCMA_GS1_TRY(r.skip(1, "field"));
    expiry = r.take(6);
    BCMA_GS1_TRY(check_coupon_date(r, "expiration date"));
  }
  if (!r.at_end() && r.peek() == '4') {
    BCMA_GS1_TRY(r.skip(1, "field"));
    const std::string_view start = r.take(6);
    const std::size_t start_pos = r.pos();
    BCMA_GS1_TRY(check_coupon_date(r, "start date"));
    if (!expiry.empty() && start > expiry) return bad_value(start_pos, "coupon expires before it starts");
  }
  if (!r.at_end() && r.peek() == '5') {
    BCMA_GS1_TRY(r.skip(1, "field"));
    BCMA_GS1_TRY(r.field('0', '9', 6, "serial number"));
  }
  if (!r.at_end() && r.peek() == '6') {
    BCMA_GS1_TRY(r.skip(1, "field"));
    BCMA_GS1_TRY(r.field('1', '7', 6, "retailer company prefix or GLN"));
  }
  if (!r.at_end() && r.peek() == '9') {
    BCMA_GS1_TRY(r.skip(1, "field"));
    BCMA_GS1_TRY(r.one_of("01256", "save value code"));
    BCMA_GS1_TRY(r.code('0', '2', "save value applies to item"));
    BCMA_GS1_TRY(r.code('0', '9', "store coupon flag"));
    BCMA_GS1_TRY(r.code('0', '1', "don't multiply flag"));
  }
  if (!r.at_end()) return bad_value(r.pos(), "coupon code has excess data");
  return std::nullopt;
}

std::optional<LintFailure> check_coupon_positive_offer(std::string_view data) {
  for (std::size_t i = 0; i < data.size(); ++i)
    if (!is_digit(data[i])) return bad_value(i, "coupon code must be all digits");
  CouponReader r(data);
  BCMA_GS1_TRY(r.code('0', '1', "format code"));
  BCMA_GS1_TRY(r.field('0', '6', 6, "funder ID"));
  BCMA_GS1_TRY(r.skip(6, "offer code"));
  BCMA_GS1_TRY(r.field('0', '9', 6, "serial number"));
  if (!r.at_end()) return bad_value(r.pos(), "coupon code has excess data");
  return std::nullopt;
}

#undef BCMA_GS1_TRY

std::optional<LintFailure> check_cset64_padding(std::string_view data) {
  std::size_t pads = 0;
  while (pads < data.size() && data[data.size() - 1 - pads] == '=') ++pads;
  if (pads > 2 || (pads > 0 && data.size() % 3 != 0))
    return failure(ErrorCode::kBadCharacter, data.size() - pads, "has invalid '=' padding");
  for (std::size_t i = 0; i + pads < data.size(); ++i)
    if (!in_charset(Charset::kCset64, data[i]))
      return failure(ErrorCode::kBadCharacter, i, "character is outside CSET 64");
  return std::nullopt;
}

std::optional<LintFailure> run_linter(Linter linter, std::string_view data) {
  switch (linter) {
    case Linter::kCsum: return check_mod10(data);
    case Linter::kCsumAlpha: return check_alpha_pair(data);
    case Linter::kKey: return check_company_prefix(data, 0);
    case Linter::kKeyOff1: return check_company_prefix(data, 1);
    case Linter::kYymmd0: return check_date(data, false, true);
    case Linter::kYymmdd: return check_date(data, false, false);
    case Linter::kYyyymmdd: return check_date(data, true, false);
    case Linter::kHh: return check_range(data, 23, "hour");
    case Linter::kMi: return check_range(data, 59, "minute");
    case Linter::kSs: return check_range(data, 59, "second");
    case Linter::kHhmi:
      if (auto problem = check_range(data.substr(0, 2), 23, "hour")) return problem;
      if (auto problem = check_range(data.substr(2, 2), 59, "minute")) {
        problem->offset += 2;
        return problem;
      }
      return std::nullopt;
    case Linter::kIso4217:
      if (data.size() != 3 || !is_iso4217_numeric(number(data))) return bad_value(0, "is not an ISO 4217 currency code");
      return std::nullopt;
    case Linter::kIso3166:
      if (data.size() != 3 || !is_iso3166_numeric(number(data))) return bad_value(0, "is not an ISO 3166 country code");
      return std::nullopt;
    case Linter::kIso3166Or999:
      if (data.size() != 3 || (data != "999" && !is_iso3166_numeric(number(data))))
        return bad_value(0, "is not an ISO 3166 country code or 999");
      return std::nullopt;
    case Linter::kIso3166Alpha2:
      if (!is_iso3166_alpha2(data)) return bad_value(0, "is not an ISO 3166 alpha-2 country code");
      return std::nullopt;
    case Linter::kIso5218:
      if (data != "0" && data != "1" && data != "2" && data != "9") return bad_value(0, "is not an ISO/IEC 5218 sex code (0, 1, 2 or 9)");
      return std::nullopt;
    case Linter::kPcenc: return check_percent_encoding(data);
    case Linter::kYesNo:
      if (data != "0" && data != "1") return bad_value(0, "must be 0 or 1");
      return std::nullopt;
    case Linter::kZero:
      if (data != "0") return bad_value(0, "must be 0");
      return std::nullopt;
    case Linter::kNonZero:
      if (data.find_first_not_of('0') == std::string_view::npos) return bad_value(0, "must not be zero");
      return std::nullopt;
    case Linter::kWinding:
      if (data != "0" && data != "1" && data != "9") return bad_value(0, "winding direction must be 0, 1 or 9");
      return std::nullopt;
    case Linter::kPieceOfTotal: return check_piece_of_total(data);
    case Linter::kMediaType:
      if (data.size() != 2 || !is_aidc_media_type(number(data))) return bad_value(0, "is not an AIDC media type");
      return std::nullopt;
    case Linter::kPackageType:
      if (!is_package_type(data)) return bad_value(0, "is not a PackageTypeCode");
      return std::nullopt;
    case Linter::kPosInSeqSlash: return check_position_in_sequence(data);
    case Linter::kHasNonDigit:
      if (all_digits(data)) return bad_value(0, "must contain a non-digit");
      return std::nullopt;
    case Linter::kImporterIdx:
      if (data.size() != 1 || !(is_digit(data[0]) || is_upper(data[0]) || is_lower(data[0]) ||
                                data[0] == '-' || data[0] == '_'))
        return bad_value(0, "is not an importer index character");
      return std::nullopt;
    case Linter::kCouponCode: return check_coupon_code(data);
    case Linter::kCouponPosOffer: return check_coupon_positive_offer(data);
    case Linter::kIban: return check_iban(data);
    case Linter::kNoZeroPrefix:
      if (!data.empty() && data[0] == '0') return bad_value(0, "must not start with 0");
      return std::nullopt;
    case Linter::kLatitude:
      if (data.size() != 10 || big_number(data) > 1800000000ULL) return bad_value(0, "latitude is out of range");
      return std::nullopt;
    case Linter::kLongitude:
      if (data.size() != 10 || big_number(data) > 3600000000ULL) return bad_value(0, "longitude is out of range");
      return std::nullopt;
    case Linter::kHyphen:
      if (data != "-") return bad_value(0, "must be '-'");
      return std::nullopt;
    case Linter::kCount: break;
  }
  return std::nullopt;
}

}  // namespace

int cset82_value(char c) { return kCset82Values[static_cast<unsigned char>(c)]; }

bool in_charset(Charset charset, char c) {
  switch (charset) {
    case Charset::kNumeric: return is_digit(c);
    case Charset::kCset82: return cset82_value(c) >= 0;
    case Charset::kCset39: return is_digit(c) || is_upper(c) || c == '#' || c == '-' || c == '/';
    case Charset::kCset64: return is_digit(c) || is_upper(c) || is_lower(c) || c == '-' || c == '_';
  }
  return false;
}

std::optional<LintFailure> check_component(const Component& component, std::string_view data) {
  if (component.charset == Charset::kCset64) {
    if (auto problem = check_cset64_padding(data)) return problem;
  } else {
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (in_charset(component.charset, data[i])) continue;
      switch (component.charset) {
        case Charset::kNumeric: return failure(ErrorCode::kBadCharacter, i, "must be digits only");
        case Charset::kCset39: return failure(ErrorCode::kBadCharacter, i, "character is outside CSET 39");
        default: return failure(ErrorCode::kBadCharacter, i, "character is outside CSET 82");
      }
    }
  }
  for (unsigned i = 0; i < static_cast<unsigned>(Linter::kCount); ++i) {
    const auto linter = static_cast<Linter>(i);
    if (!component.has(linter)) continue;
    if (auto problem = run_linter(linter, data)) return problem;
  }
  return std::nullopt;
}

}  // namespace bcma::gs1::detail
