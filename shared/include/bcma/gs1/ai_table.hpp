#pragma once
/// \file
/// The GS1 Application Identifier table: every AI of the GS1 Barcode Syntax Dictionary (the
/// machine-readable companion of the GS1 General Specifications), with per-component length,
/// character set and content checks ("linters"), association rules and GS1 Digital Link roles.
/// The facts live in one place, shared/src/gs1/ai_table_data.cpp; docs/gs1.md says where they
/// came from.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace bcma::gs1 {

enum class Charset : std::uint8_t {
  kNumeric,  ///< N: digits 0-9
  kCset82,   ///< X: GS1 AI encodable character set 82
  kCset39,   ///< Y: GS1 AI encodable character set 39 (upper case, digits, # - /)
  kCset64,   ///< Z: GS1 AI encodable character set 64 (file-safe base64, optional = padding)
};

/// Content checks a component may carry beyond its character set and length. The names follow
/// the Syntax Dictionary's linters.
enum class Linter : std::uint8_t {
  kCsum,            ///< GS1 mod-10 check digit in the last position (GTIN, GLN, SSCC, GSRN, ...)
  kCsumAlpha,       ///< GS1 alphanumeric check character pair in the last two positions (GMN)
  kKey,             ///< starts with a GS1 Company Prefix: at least 4 leading digits
  kKeyOff1,         ///< as kKey, after a leading indicator / extension digit
  kYymmd0,          ///< YYMMDD date where DD = 00 means "last day of the month"
  kYymmdd,          ///< YYMMDD date, a real day
  kYyyymmdd,        ///< YYYYMMDD date, a real day
  kHh,              ///< hour 00-23
  kMi,              ///< minute 00-59
  kSs,              ///< second 00-59
  kHhmi,            ///< HHMM: hour 00-23, minute 00-59
  kIso4217,         ///< ISO 4217 numeric currency code
  kIso3166,         ///< ISO 3166-1 numeric country code
  kIso3166Or999,    ///< ISO 3166-1 numeric country code, or 999 (unknown)
  kIso3166Alpha2,   ///< ISO 3166-1 alpha-2 country code
  kIso5218,         ///< ISO/IEC 5218 sex code: 0, 1, 2 or 9
  kPcenc,           ///< every % starts a valid %XX escape
  kYesNo,           ///< 0 or 1
  kZero,            ///< the digit 0
  kNonZero,         ///< not all zeros
  kWinding,         ///< winding direction 0, 1 or 9
  kPieceOfTotal,    ///< piece number PP of total TT (equal widths, 1 <= PP <= TT)
  kMediaType,       ///< AIDC media type 01-10 or 80-99
  kPackageType,     ///< PackageTypeCode (UN/ECE Rec. 21 plus GS1 codes)
  kPosInSeqSlash,   ///< "pos/end" with no zero prefixes and pos <= end
  kHasNonDigit,     ///< contains at least one non-digit
  kImporterIdx,     ///< EU 2018/574 importer index character: - 0-9 A-Z _ a-z
  kCouponCode,      ///< North American coupon code (AI 8110)
  kCouponPosOffer,  ///< positive offer file coupon code (AI 8112)
  kIban,            ///< ISO 13616 IBAN: country code and mod-97 check
  kNoZeroPrefix,    ///< a number without a leading zero
  kLatitude,        ///< 10 digits, 0000000000-1800000000
  kLongitude,       ///< 10 digits, 0000000000-3600000000
  kHyphen,          ///< the character '-'
  kCount,
};

/// A set of linters: bit `1 << Linter` per member, applied in enum order.
using LinterSet = std::uint64_t;
constexpr LinterSet linter_bit(Linter linter) {
  return LinterSet{1} << static_cast<unsigned>(linter);
}

/// One component of an AI's data field (most AIs have one; some, like 8001, have several).
struct Component {
  Charset charset = Charset::kNumeric;
  std::uint8_t min_length = 0;  ///< equal to max_length for fixed-length components
  std::uint8_t max_length = 0;
  bool optional = false;        ///< only trailing components are optional
  LinterSet linters = 0;

  constexpr bool fixed_length() const { return min_length == max_length; }
  constexpr bool has(Linter linter) const { return (linters & linter_bit(linter)) != 0; }
};

inline constexpr std::size_t kMaxComponents = 5;

/// One AI. Ranges of the dictionary (3100-3105, 91-99, ...) give each member its own entry.
struct AiDefinition {
  std::string_view ai;             ///< 2 to 4 digits
  std::string_view title;          ///< data title, e.g. "USE BY or EXPIRY"; empty for 8110/8112
  bool predefined_length = false;  ///< never followed by FNC1 (the dictionary's "*" flag)
  bool dl_data_attribute = false;  ///< may be a GS1 Digital Link query attribute ("?" flag)
  bool dl_primary_key = false;     ///< a GS1 Digital Link primary key ("dlpkey")
  std::span<const Component> components;
  /// Mandatory associations: space-separated clauses that must all hold; a clause is a
  /// comma-separated list of alternatives, one of which must be present; an alternative is AIs
  /// or patterns joined by '+', all of which must be present. In a pattern 'n' is any digit.
  std::string_view requires_;
  /// AIs or patterns (comma-separated) that must not appear with this AI. An AI never excludes
  /// itself through a pattern.
  std::string_view excludes;
  /// Digital Link key qualifiers: '|'-separated alternative sequences of comma-separated AIs,
  /// in path order, each optional (e.g. "22,10,21|235" for GTIN). Empty: none accepted.
  std::string_view dl_qualifiers;

  /// Sum of the mandatory components' minimum lengths.
  std::uint16_t min_length() const;
  /// Sum of all components' maximum lengths.
  std::uint16_t max_length() const;
  bool fixed_length() const { return min_length() == max_length(); }
};

/// The AI definition for exactly `ai` (2 to 4 digits), or nullptr.
const AiDefinition* find_ai(std::string_view ai);

/// The length of every AI that starts with the two digits at the start of `data` (GS1 fixes the
/// AI length by its first two digits), or 0 if no AI starts with them or `data` has fewer than
/// two digits.
std::size_t ai_length_for_prefix(std::string_view data);

/// The AI at the start of `data` (the prefix of the length the first two digits call for), or
/// nullptr if `data` does not start with a complete, known AI.
const AiDefinition* match_ai_prefix(std::string_view data);

/// Every AI in the table, in lexical order.
std::span<const AiDefinition> all_ais();

/// True if `ai` matches `pattern`: same length, and equal digits where the pattern has a digit
/// ('n' in the pattern matches any digit). "310n" matches 3100-3109; "31nn" matches 3100-3199.
bool ai_matches_pattern(std::string_view ai, std::string_view pattern);

}  // namespace bcma::gs1
