#pragma once
/// \file
/// The GS1 Application Identifier table, transcribed from the GS1 General Specifications and
/// the GS1 Barcode Syntax Dictionary. It is the one place AI facts are kept.

#include <cstdint>
#include <span>
#include <string_view>

namespace bcma::gs1 {

enum class Charset : std::uint8_t {
  kNumeric,  ///< N: digits
  kCset82,   ///< X: GS1 AI encodable character set 82
  kCset39,   ///< Y: character set 39 (upper case, digits, # - /)
  kCset64,   ///< Z: character set 64 (file-safe base64 alphabet and =)
};

/// Content checks a component may carry beyond its character set and length.
enum class Linter : std::uint8_t {
  kNone,
  kCsum,          ///< GS1 mod-10 check digit in the last position
  kCsumAlpha,     ///< alphanumeric check character pair (GMN, 8013)
  kKey,           ///< a GS1 key with a valid GS1 Company Prefix shape
  kYymmdd,        ///< a real date
  kYymmd0,        ///< a date where DD=00 means the last day of the month
  kYymmddhh,      ///< date and hour
  kHhmi,          ///< hours and minutes
  kHh, kMi, kSs,  ///< time components
  kIso4217,       ///< ISO currency code
  kIso3166,       ///< ISO numeric country code
  kIso3166List,   ///< up to five numeric country codes
  kIso3166Alpha2, ///< ISO alpha-2 country code
  kIso5218,       ///< sex code 0, 1, 2 or 9
  kPcenc,         ///< percent-encoded text
  kYesNo,         ///< 0 or 1
  kZero,          ///< the digit 0
  kNonZero,       ///< not all zeros
  kLatitude, kLongitude,
  kWinding,       ///< 0, 1 or 9
  kPieceOfTotal,  ///< piece number not above total
  kMediaType,     ///< AIDC media type code
  kPackageType,   ///< package type code
  kPosInSeqSlash, ///< position in sequence "n/m"
  kHasNonDigit,   ///< contains at least one non-digit
  kImporterIdx,   ///< importer index character
  kCouponCode, kCouponPosOffer, kIban, kNoZeroPrefix, kPcsIsoCountry,
  kYyyymmd0, kYyyymmdd, kYymmddhhmm, kHyphen, kMmoptss,
};

/// One component of an AI's data field (most AIs have one; some, like 253, have several).
struct Component {
  Charset charset;
  std::uint8_t min_length;   ///< equal to max_length for fixed-length components
  std::uint8_t max_length;
  bool optional;             ///< only the trailing components may be optional
  std::span<const Linter> linters;
};

/// One AI (or, for ranges like 3100-3105, each member gets its own entry).
struct AiDefinition {
  std::string_view ai;
  std::string_view title;              ///< the data title, e.g. "USE BY OR EXPIRY"
  bool predefined_length;              ///< true: never followed by FNC1/GS (the "*" flag)
  std::span<const Component> components;
  std::string_view requires_;          ///< Syntax Dictionary `req=` clauses, space-separated groups
  std::string_view excludes;           ///< `ex=` list
  std::string_view dl_primary_key;     ///< `dlpkey` qualifiers; empty if not a DL primary key
  bool is_dl_primary_key;

  std::uint16_t min_length() const;
  std::uint16_t max_length() const;
  bool fixed_length() const { return min_length() == max_length(); }
};

/// The AI definition for exactly `ai` (2 to 4 digits), or nullptr.
const AiDefinition* find_ai(std::string_view ai);

/// The AI at the start of `data` (tries 2, 3 and 4 digit prefixes), or nullptr.
const AiDefinition* match_ai_prefix(std::string_view data);

/// Every AI in the table, in lexical order.
std::span<const AiDefinition> all_ais();

}  // namespace bcma::gs1
