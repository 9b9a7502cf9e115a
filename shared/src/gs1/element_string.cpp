#include "bcma/gs1/element_string.hpp"

#include <array>

#include "internal.hpp"

namespace bcma::gs1 {
namespace {

bool starts_with_scheme(std::string_view input) {
  for (std::string_view scheme : {"https://", "http://", "HTTPS://", "HTTP://"})
    if (input.substr(0, scheme.size()) == scheme) return true;
  return false;
}

// Symbology identifiers (ISO/IEC 15424) whose data is GS1 element strings: FNC1 in first
// position. ZXing reports rectangular Data Matrix (DMRE) as ]d7 / ]d8, GS1 content included.
constexpr std::array<std::string_view, 7> kGs1Symbologies = {"]C1", "]e0", "]d2", "]Q3", "]J1", "]d7", "]d8"};
// Plain-data modes of Data Matrix and QR Code, which carry GS1 Digital Link URIs.
constexpr std::array<std::string_view, 2> kDigitalLinkSymbologies = {"]d1", "]Q1"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view value) {
  for (std::string_view item : list)
    if (item == value) return true;
  return false;
}

}  // namespace

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kEmpty: return "empty";
    case ErrorCode::kBadSymbology: return "bad_symbology";
    case ErrorCode::kUnknownAi: return "unknown_ai";
    case ErrorCode::kTruncatedAi: return "truncated_ai";
    case ErrorCode::kTooShort: return "too_short";
    case ErrorCode::kTooLong: return "too_long";
    case ErrorCode::kMissingSeparator: return "missing_separator";
    case ErrorCode::kUnexpectedSeparator: return "unexpected_separator";
    case ErrorCode::kBadCharacter: return "bad_character";
    case ErrorCode::kBadCheckDigit: return "bad_check_digit";
    case ErrorCode::kBadDate: return "bad_date";
    case ErrorCode::kBadValue: return "bad_value";
    case ErrorCode::kMissingRequiredAi: return "missing_required_ai";
    case ErrorCode::kForbiddenPair: return "forbidden_pair";
    case ErrorCode::kRepeatedAiMismatch: return "repeated_ai_mismatch";
    case ErrorCode::kBadEscape: return "bad_escape";
    case ErrorCode::kBadUri: return "bad_uri";
    case ErrorCode::kBadPercentEncoding: return "bad_percent_encoding";
  }
  return "unknown";
}

Form detect_form(std::string_view input) {
  if (input.empty()) return Form::kPlain;
  if (input[0] == ']') return Form::kScanData;
  if (input[0] == '(') return Form::kBracketed;
  if (input[0] == '^') return Form::kUnbracketed;
  if (starts_with_scheme(input)) return Form::kDigitalLink;
  return Form::kPlain;
}

const std::string* Message::find(std::string_view ai) const {
  for (const ElementString& element : elements)
    if (element.ai == ai) return &element.value;
  return nullptr;
}

Result<Message, Error> parse_scan_data(std::string_view input) {
  using detail::fail;
  if (input.empty()) return fail(ErrorCode::kEmpty, 0, "No data was given.");
  if (input[0] != ']' || input.size() < 3)
    return fail(ErrorCode::kBadSymbology, 0, "Scan data starts with a symbology identifier such as ]d2.");
  const std::string_view symbology = input.substr(0, 3);
  if (one_of(kGs1Symbologies, symbology)) {
    auto elements = detail::split_element_data(input, 3, kGroupSeparator);
    if (!elements) return Unexpected(std::move(elements).error());
    return detail::finish(std::move(elements).value(), Form::kScanData, std::string(symbology));
  }
  if (one_of(kDigitalLinkSymbologies, symbology) && starts_with_scheme(input.substr(3))) {
    auto elements = detail::split_digital_link(input, 3);
    if (!elements) return Unexpected(std::move(elements).error());
    return detail::finish(std::move(elements).value(), Form::kDigitalLink, std::string(symbology));
  }
  return fail(ErrorCode::kBadSymbology, 0,
              "Symbology identifier " + std::string(symbology) +
                  " does not mark GS1 data (GS1 symbols read as ]d2, ]Q3, ]C1, ]e0 or ]J1).");
}

Result<Message, Error> parse(std::string_view input) {
  switch (detect_form(input)) {
    case Form::kScanData: return parse_scan_data(input);
    case Form::kBracketed: return parse_bracketed(input);
    case Form::kUnbracketed: return parse_unbracketed(input);
    case Form::kDigitalLink: return parse_digital_link(input);
    case Form::kPlain: break;
  }
  if (input.empty()) return detail::fail(ErrorCode::kEmpty, 0, "No data was given.");
  return detail::fail(ErrorCode::kUnknownAi, 0,
                      "Not GS1 data: no symbology identifier, '(', '^' or http(s):// URI.");
}

}  // namespace bcma::gs1
