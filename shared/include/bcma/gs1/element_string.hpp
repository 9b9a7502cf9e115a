#pragma once
/// \file
/// GS1 element strings: parsing every input form a care home meets into a validated list of
/// (AI, value) pairs, and writing them back out in each form.
///
/// Forms (see `detect_form`):
///  - scan data: a GS1 symbology identifier (`]d2`, `]Q3`, `]C1`, `]e0`, `]J1`, and ZXing's
///    `]d8`/`]d7` for rectangular DataMatrix when the content is GS1) followed by element strings
///    with GS (0x1D) after each variable-length value that is not last; or `]d1` / `]Q1` (plain
///    Data Matrix / QR) followed by a GS1 Digital Link URI;
///  - bracketed: `(01)09506000134352(17)251231`, with `\(` for a literal bracket in a value;
///  - unbracketed: `^0109506000134352172512311`... with `^` as FNC1;
///  - GS1 Digital Link URI: `https://any.domain/01/09506000134352/10/ABC?17=251231`.
///
/// Nothing malformed is ever accepted; every error says what and the byte position in the input.
/// An identical repeat of an AI is collapsed into its first occurrence; otherwise elements keep
/// the order in which they were read. docs/gs1.md has the details.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"

namespace bcma::gs1 {

/// GS (ASCII 29): the separator after a variable-length value in scan data (FNC1 as decoded).
inline constexpr char kGroupSeparator = '\x1D';

/// Stable error codes. `to_string` gives the snake_case name used in JSON output.
enum class ErrorCode : std::uint8_t {
  kEmpty,               ///< no data at all
  kBadSymbology,        ///< unknown or non-GS1 symbology identifier
  kUnknownAi,           ///< no such Application Identifier
  kTruncatedAi,         ///< data ends inside an AI
  kTooShort,            ///< value shorter than the AI's (minimum) length
  kTooLong,             ///< value longer than the AI's maximum length
  kMissingSeparator,    ///< a variable-length value runs into the next AI without FNC1/GS
  kUnexpectedSeparator, ///< FNC1/GS where none may be (empty value, doubled, leading)
  kBadCharacter,        ///< character outside the AI's character set (N, CSET 82/39/64)
  kBadCheckDigit,       ///< GS1 mod-10 (GTIN, GLN, SSCC, GSRN, ...) or alphanumeric check pair
  kBadDate,             ///< impossible date or time (month, day, hour ranges; DD=00 only where allowed)
  kBadValue,            ///< value fails another rule of its AI (ISO code, percent encoding, ...)
  kMissingRequiredAi,   ///< an AI needs another that is absent (10 and 21 need 01)
  kForbiddenPair,       ///< two AIs that must not appear together (8017 with 8018)
  kRepeatedAiMismatch,  ///< the same AI twice with different values
  kBadEscape,           ///< bracketed form: a bracket or backslash not escaped properly
  kBadUri,              ///< Digital Link: not a valid GS1 Digital Link URI
  kBadPercentEncoding,  ///< Digital Link: malformed `%XX`
};

std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::size_t position = 0;  ///< byte offset into the original input where the problem starts
  std::string message;       ///< plain English, names the AI where there is one

  friend bool operator==(const Error&, const Error&) = default;
};

enum class Form : std::uint8_t { kScanData, kBracketed, kUnbracketed, kDigitalLink, kPlain };

/// The form the `bcma gs1 parse` contract detects: starts with `]` scan data, `(` bracketed,
/// `^` unbracketed, `http://` or `https://` Digital Link, anything else plain data.
Form detect_form(std::string_view input);

/// One element string, in the order it appeared.
struct ElementString {
  std::string ai;
  std::string value;

  friend bool operator==(const ElementString&, const ElementString&) = default;
};

/// A validated message: every AI known, every value valid, associations satisfied.
struct Message {
  Form form = Form::kUnbracketed;
  std::string symbology;  ///< e.g. "]d2" for scan data, empty otherwise
  std::vector<ElementString> elements;

  /// First value of `ai`, or nullptr.
  const std::string* find(std::string_view ai) const;
  bool has(std::string_view ai) const { return find(ai) != nullptr; }
};

/// Parses scan data, bracketed, unbracketed or Digital Link input (detected as `detect_form`).
/// Plain data is an error (kBadSymbology for scan data that is not GS1; kUnknownAi otherwise):
/// callers that accept plain data check `detect_form` first.
/// Errors, in every form: kEmpty, kUnknownAi, kTruncatedAi, kTooShort, kTooLong, kBadCharacter,
/// kBadCheckDigit, kBadDate, kBadValue, kMissingRequiredAi, kForbiddenPair, kRepeatedAiMismatch;
/// plus per form as below.
Result<Message, Error> parse(std::string_view input);
/// Also kBadSymbology, kMissingSeparator, kUnexpectedSeparator (and the Digital Link errors for
/// a URI in `]d1` / `]Q1`). A separator after a predefined-length value is tolerated; a value
/// past its maximum length is kMissingSeparator if a known AI starts there, else kTooLong.
Result<Message, Error> parse_scan_data(std::string_view input);
/// Also kBadEscape (a backslash not followed by '(').
Result<Message, Error> parse_bracketed(std::string_view input);
/// As parse_scan_data, with '^' for FNC1 and a leading '^'.
Result<Message, Error> parse_unbracketed(std::string_view input);
/// Also kBadUri (scheme, domain, no primary key, qualifiers out of order or in the query, an AI
/// that is no permitted attribute) and kBadPercentEncoding. Non-AI query parameters and the
/// fragment are ignored; GTIN-8/12/13 under (01) is padded to 14 digits.
Result<Message, Error> parse_digital_link(std::string_view uri);

/// Validates an already split list of element strings (AI table, values, associations).
/// Positions in errors are offsets into the canonical element string of `elements`.
/// Errors: kEmpty, kUnknownAi and the value and association errors of `parse`.
Result<Message, Error> validate(std::vector<ElementString> elements);

/// Canonical unbracketed form: leading `^`, a `^` after each variable-length value that is not
/// last, none after predefined-length values.
std::string to_element_string(const Message& message);
/// Bracketed form with `(` in values escaped as `\(`.
std::string to_bracketed(const Message& message);
/// Raw scan data as a reader transmits it: symbology identifier (default `]d2`), GS separators.
std::string to_scan_data(const Message& message, std::string_view symbology = "]d2");
/// GS1 Digital Link URI on `domain` (e.g. "https://id.gs1.org"). Fails with kBadUri when the
/// message has no Digital Link primary key or its qualifiers are not in a permitted order.
Result<std::string, Error> to_digital_link(const Message& message,
                                           std::string_view domain = "https://id.gs1.org");

}  // namespace bcma::gs1
