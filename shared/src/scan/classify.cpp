// Scan classification entry points: decodes and typed text routed to GS1 parsing, linear GTINs
// or plain NHS numbers; the GS1 rules themselves are in classify_message.cpp.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bcma/gs1/ai_table.hpp"
#include "bcma/gs1/gtin.hpp"
#include "bcma/ident/nhs_number.hpp"
#include "bcma/scan/scan.hpp"
#include "classify_internal.hpp"

namespace bcma::scan {

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::kResidentWristband: return "resident_wristband";
    case Kind::kMedicinePack: return "medicine_pack";
    case Kind::kPharmacyLabel: return "pharmacy_label";
    case Kind::kStaffBadge: return "staff_badge";
    case Kind::kLocation: return "location";
    case Kind::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(UnknownReason reason) {
  switch (reason) {
    case UnknownReason::kEmpty: return "empty";
    case UnknownReason::kUnreadableGs1: return "unreadable_gs1";
    case UnknownReason::kBadGtin: return "bad_gtin";
    case UnknownReason::kNotAMedicine: return "not_a_medicine";
    case UnknownReason::kBadNhsNumber: return "bad_nhs_number";
    case UnknownReason::kBadEmbeddedNhsNumber: return "bad_embedded_nhs_number";
    case UnknownReason::kNhsNumberWrongCarrier: return "nhs_number_wrong_carrier";
    case UnknownReason::kAmbiguous: return "ambiguous";
    case UnknownReason::kIncompleteLabel: return "incomplete_label";
    case UnknownReason::kNotMarkedGs1: return "not_marked_gs1";
    case UnknownReason::kNotUsed: return "not_used";
  }
  return "not_used";
}

Result<void> Context::add_nhs_gsrn_prefix(std::string_view prefix) {
  bool digits = prefix.size() == 7;
  for (char c : prefix) digits = digits && c >= '0' && c <= '9';
  if (!digits) {
    return fail("bad_nhs_gsrn_prefix",
                "An NHS GSRN prefix is a 7-digit GS1 company prefix (GSRN = prefix + NHS "
                "number + check digit); got '" + std::string(prefix) + "'.");
  }
  nhs_gsrn_prefixes_.emplace_back(prefix);
  return ok();
}

namespace detail {

Scan make_unknown(UnknownReason code, std::string reason) {
  Scan scan;
  scan.kind = Kind::kUnknown;
  scan.data = Unknown{code, std::move(reason)};
  return scan;
}

}  // namespace detail

namespace {

using detail::make_unknown;

constexpr char kGs = gs1::kGroupSeparator;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// What invalid GS1 data appeared to be, so the reason can say what to do about it.
struct Apparent {
  std::string_view what;
  std::string_view action;
};

constexpr Apparent kApparentBoth{
    "a code with both a staff GSRN (8017) and a resident GSRN (8018)",
    "Do not use it: report the label."};
constexpr Apparent kApparentLabel{
    "a pharmacy label (AIs 8018 and 253)",
    "Do not use the label: ask the pharmacy to reprint it."};
constexpr Apparent kApparentWristband{
    "a resident wristband (AI 8018)",
    "Do not use it to identify the resident: check who they are another way and have the "
    "wristband replaced."};
constexpr Apparent kApparentBadge{
    "a staff badge (AI 8017)", "Log in another way and ask for a new badge."};
constexpr Apparent kApparentPack{
    "a medicine pack (AI 01)",
    "Set the pack aside and tell the pharmacy: the barcode may be damaged or misprinted, or "
    "the pack may not be genuine."};
constexpr Apparent kApparentLocation{"a location label (AI 414)", "Report the faulty label."};

// The AIs that begin element strings in unbracketed or scan data (after the symbology), as
// far as they can be found in data that failed to parse: walk fixed-length AIs by their
// length, variable-length ones to the next separator, stop at anything unrecognised.
std::vector<std::string_view> leading_ais(std::string_view data, char separator) {
  std::vector<std::string_view> ais;
  std::size_t at = 0;
  while (at < data.size()) {
    if (data[at] == separator) {
      ++at;
      continue;
    }
    const gs1::AiDefinition* def = gs1::match_ai_prefix(data.substr(at));
    if (def == nullptr) break;
    ais.push_back(def->ai);
    if (def->predefined_length) {
      at += def->ai.size() + def->max_length();
    } else {
      const std::size_t next = data.find(separator, at);
      if (next == std::string_view::npos) break;
      at = next + 1;
    }
  }
  return ais;
}

std::optional<Apparent> apparent_kind(std::string_view input, gs1::Form form) {
  auto carries = [&](std::string_view ai) {
    switch (form) {
      case gs1::Form::kBracketed:
        return input.find("(" + std::string(ai) + ")") != std::string_view::npos;
      case gs1::Form::kDigitalLink: {
        const std::string_view path = input.substr(0, input.find('?'));
        return path.find("/" + std::string(ai) + "/") != std::string_view::npos;
      }
      case gs1::Form::kScanData:
      case gs1::Form::kUnbracketed:
      case gs1::Form::kPlain: {
        std::size_t skip = 0;  // plain data starts with its first AI
        if (form == gs1::Form::kScanData) skip = 3;
        if (form == gs1::Form::kUnbracketed) skip = 1;
        const char separator = form == gs1::Form::kUnbracketed ? '^' : kGs;
        if (input.size() < skip) return false;
        for (auto found : leading_ais(input.substr(skip), separator)) {
          if (found == ai) return true;
        }
        return false;
      }
    }
    return false;
  };
  const bool recipient = carries("8018");
  const bool provider = carries("8017");
  if (recipient && provider) return kApparentBoth;
  if (recipient && carries("253")) return kApparentLabel;
  if (recipient) return kApparentWristband;
  if (provider) return kApparentBadge;
  if (carries("01")) return kApparentPack;
  if (carries("414")) return kApparentLocation;
  if (carries("253")) return kApparentLabel;
  return std::nullopt;
}

std::string without_final_period(std::string text) {
  while (!text.empty() && (text.back() == '.' || is_space(text.back()))) text.pop_back();
  return text;
}

std::string carrier_name(std::string_view format) {
  if (format.empty()) return "barcode";
  if (format == "Code128") return "Code 128 barcode";
  if (format == "QRCode") return "QR code";
  return std::string(format) + " code";
}

// Identifiers that by themselves say "GS1" (FNC1 in first position).
bool is_gs1_symbology(std::string_view symbology) {
  return symbology == "]d2" || symbology == "]Q3" || symbology == "]C1" || symbology == "]e0" ||
         symbology == "]J1";
}

bool is_linear_gtin_carrier(std::string_view format, std::string_view symbology) {
  return format == "EAN-13" || format == "UPC-A" || format == "EAN-8" || format == "UPC-E" ||
         symbology.starts_with("]E");
}

// Wristbands carry a plain NHS number in Code 128 or DataMatrix (and nowhere else we accept).
bool is_wristband_nhs_carrier(std::string_view format, std::string_view symbology) {
  return format == "Code128" || format.starts_with("DataMatrix") || symbology == "]C0" ||
         symbology == "]d1";
}

// Ten digits, with only spaces or hyphens between them: someone meant an NHS number.
bool nhs_shaped(std::string_view text) {
  std::size_t digits = 0;
  for (char c : text) {
    if (is_digit(c)) {
      ++digits;
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  return digits == 10;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

std::string_view trim(std::string_view text, std::size_t* leading = nullptr) {
  std::size_t start = 0;
  while (start < text.size() && is_space(text[start])) ++start;
  std::size_t end = text.size();
  while (end > start && is_space(text[end - 1])) --end;
  if (leading != nullptr) *leading = start;
  return text.substr(start, end - start);
}

Scan from_gs1(Result<gs1::Message, gs1::Error> parsed, std::string_view input, gs1::Form form,
              std::ptrdiff_t position_offset, const Context& context) {
  if (!parsed) return detail::unreadable_gs1(parsed.error(), input, form, position_offset);
  return classify_message(std::move(parsed).value(), context);
}

Scan bad_gtin(const gs1::Error& error, std::string_view carrier) {
  if (error.code == gs1::ErrorCode::kBadCheckDigit) {
    return make_unknown(UnknownReason::kBadGtin,
                        "The " + std::string(carrier) +
                            "'s check digit is wrong: it was misread or misprinted. Scan it "
                            "again; if it fails again, set the pack aside and tell the pharmacy.");
  }
  return make_unknown(UnknownReason::kBadGtin,
                      "The " + std::string(carrier) + " does not hold a valid GTIN (" +
                          without_final_period(error.message) + "). Scan the pack's other "
                          "barcode, or set it aside and tell the pharmacy.");
}

Scan linear(std::string_view format, std::string_view symbology, std::string_view text) {
  if (format == "UPC-E" || (symbology == "]E0" && text.size() == 8)) {
    return make_unknown(UnknownReason::kNotUsed,
                        "This is a UPC-E code (a shortened UPC), which bcma does not read. Scan "
                        "the pack's DataMatrix or EAN-13 barcode instead.");
  }
  auto gtin = gs1::normalise_gtin(text);
  if (!gtin) return bad_gtin(gtin.error(), carrier_name(format));
  return detail::linear_pack(std::move(gtin).value());
}

Scan nhs_number(std::string_view text, std::string_view format, std::string_view symbology,
                bool typed) {
  auto nhs = ident::NhsNumber::parse(text);
  if (!nhs) {
    return make_unknown(
        UnknownReason::kBadNhsNumber,
        "This looks like an NHS number but it is not valid. " + nhs.error().message +
            (typed ? " Check the number and enter it again."
                   : " Do not use it to identify the resident: check who they are another way "
                     "and have the wristband replaced."));
  }
  if (!typed && !is_wristband_nhs_carrier(format, symbology)) {
    return make_unknown(UnknownReason::kNhsNumberWrongCarrier,
                        "This " + carrier_name(format) +
                            " holds an NHS number, but wristbands carry it in Code 128 or "
                            "DataMatrix: it may be on a letter or a form rather than the "
                            "resident's wristband. Scan the wristband.");
  }
  ResidentWristband band;
  band.nhs_number = nhs->digits();
  Scan scan;
  scan.kind = Kind::kResidentWristband;
  scan.data = std::move(band);
  return scan;
}

// Data that parses as GS1 and carries an identifier we use, in a code not marked as GS1; or
// that starts with such an identifier, long enough to hold its value, but does not parse.
std::optional<Scan> unmarked_gs1(std::string_view text) {
  std::string unbracketed = "^";
  for (char c : text) unbracketed += (c == kGs ? '^' : c);
  auto parsed = gs1::parse_unbracketed(unbracketed);
  constexpr std::array kKeys{"01", "8017", "8018", "253", "414"};
  if (parsed) {
    for (const char* key : kKeys) {
      if (parsed->has(key)) {
        return make_unknown(UnknownReason::kNotMarkedGs1,
                            "This code holds GS1 data (AI " + std::string(key) +
                                ") but was not printed as a GS1 barcode (no FNC1), so its "
                                "fields cannot be relied on. Have it reprinted as a GS1 barcode.");
      }
    }
    return std::nullopt;
  }
  const gs1::AiDefinition* first = gs1::match_ai_prefix(text);
  if (first == nullptr || text.size() < first->ai.size() + first->min_length()) return std::nullopt;
  for (const char* key : kKeys) {
    if (first->ai != key) continue;
    auto apparent = apparent_kind(unbracketed, gs1::Form::kUnbracketed);
    if (!apparent) return std::nullopt;
    const gs1::Error& error = parsed.error();
    const std::size_t position = error.position > 0 ? error.position - 1 : 0;
    Scan scan = make_unknown(
        UnknownReason::kNotMarkedGs1,
        "This looks like " + std::string(apparent->what) +
            ", but it was not printed as a GS1 barcode (no FNC1) and its data is invalid: " +
            without_final_period(error.message) + " (" + std::string(gs1::to_string(error.code)) +
            " at byte " + std::to_string(position) + "). " + std::string(apparent->action));
    scan.gs1_error = gs1::Error{error.code, position, error.message};
    return scan;
  }
  return std::nullopt;
}

Scan classify_plain(std::string_view format, std::string_view symbology, std::string_view text,
                    const Context& context, bool typed) {
  if (is_linear_gtin_carrier(format, symbology)) return linear(format, symbology, text);
  if (gs1::detect_form(text) == gs1::Form::kDigitalLink)
    return from_gs1(gs1::parse_digital_link(text), text, gs1::Form::kDigitalLink, 0, context);
  const std::string_view trimmed = trim(text);
  if (nhs_shaped(trimmed)) return nhs_number(trimmed, format, symbology, typed);
  if (typed && all_digits(trimmed) &&
      (trimmed.size() == 8 || trimmed.size() == 12 || trimmed.size() == 13 ||
       trimmed.size() == 14)) {
    auto gtin = gs1::normalise_gtin(trimmed);
    if (!gtin) return bad_gtin(gtin.error(), "number");
    return detail::linear_pack(std::move(gtin).value());
  }
  if (auto scan = unmarked_gs1(text)) return std::move(*scan);
  if (typed) {
    return make_unknown(UnknownReason::kNotUsed,
                        "This text is not an NHS number, a GTIN or GS1 data. " +
                            std::string(detail::kWhatWeScan));
  }
  return make_unknown(UnknownReason::kNotUsed,
                      "This " + carrier_name(format) + " is not one bcma uses. " +
                          std::string(detail::kWhatWeScan));
}

// The GS1 symbology identifier to put in front of a reader's GS1 text, or empty when the
// format has none we know (then the text is parsed as unbracketed data).
std::string gs1_symbology_for(const Decode& decode) {
  if (is_gs1_symbology(decode.symbology)) return decode.symbology;
  // ZXing reports rectangular DataMatrix as ]d8/]d7 even when the content is GS1.
  if (decode.format.starts_with("DataMatrix") || decode.symbology.starts_with("]d")) return "]d2";
  if (decode.format == "QRCode" || decode.symbology.starts_with("]Q")) return "]Q3";
  if (decode.format == "Code128" || decode.symbology.starts_with("]C")) return "]C1";
  if (decode.format.starts_with("DataBar") || decode.symbology.starts_with("]e")) return "]e0";
  if (decode.format == "DotCode" || decode.symbology.starts_with("]J")) return "]J1";
  return {};
}

std::string_view format_for_symbology(std::string_view symbology) {
  if (symbology == "]C0") return "Code128";
  if (symbology == "]d1") return "DataMatrix";
  if (symbology == "]Q1") return "QRCode";
  if (symbology == "]E4") return "EAN-8";
  if (symbology.starts_with("]E")) return "EAN-13";
  return {};
}

}  // namespace

namespace detail {

Scan unreadable_gs1(gs1::Error error, std::string_view input, gs1::Form form,
                    std::ptrdiff_t position_offset) {
  const auto shifted = static_cast<std::ptrdiff_t>(error.position) + position_offset;
  error.position = shifted < 0 ? 0 : static_cast<std::size_t>(shifted);
  const std::string detail_text = without_final_period(error.message) + " (" +
                                  std::string(gs1::to_string(error.code)) + " at byte " +
                                  std::to_string(error.position) + ").";
  std::string reason;
  if (auto apparent = apparent_kind(input, form)) {
    reason = "This looks like " + std::string(apparent->what) + ", but its GS1 data is invalid: " +
             detail_text + " " + std::string(apparent->action);
  } else if (form == gs1::Form::kDigitalLink) {
    reason = "This web address is not a valid GS1 Digital Link: " + detail_text + " " +
             std::string(kWhatWeScan);
  } else {
    reason = "This code's GS1 data is invalid: " + detail_text + " Report the label.";
  }
  Scan scan = make_unknown(UnknownReason::kUnreadableGs1, std::move(reason));
  scan.gs1_error = std::move(error);
  return scan;
}

}  // namespace detail

Scan classify(const Decode& decode, const Context& context) {
  if (decode.text.empty())
    return make_unknown(UnknownReason::kEmpty, "Nothing was read from the barcode. Scan it again.");
  // A GS1 symbology identifier means FNC1 in first position, whatever the reader's flag says.
  if (!decode.gs1 && !is_gs1_symbology(decode.symbology))
    return classify_plain(decode.format, decode.symbology, decode.text, context, false);
  // Some readers put the symbology identifier in the text itself; GS1 data never starts with ].
  if (decode.text.front() == ']') {
    return from_gs1(gs1::parse_scan_data(decode.text), decode.text, gs1::Form::kScanData, 0,
                    context);
  }
  const std::string symbology = gs1_symbology_for(decode);
  if (!symbology.empty()) {
    const std::string input = symbology + decode.text;
    return from_gs1(gs1::parse_scan_data(input), input, gs1::Form::kScanData,
                    -static_cast<std::ptrdiff_t>(symbology.size()), context);
  }
  std::string input = "^";
  for (char c : decode.text) input += (c == kGs ? '^' : c);
  return from_gs1(gs1::parse_unbracketed(input), input, gs1::Form::kUnbracketed, -1, context);
}

Scan classify_text(std::string_view text, const Context& context) {
  std::size_t leading = 0;
  const std::string_view trimmed = trim(text, &leading);
  if (trimmed.empty()) return make_unknown(UnknownReason::kEmpty, "Nothing was entered.");
  const auto offset = static_cast<std::ptrdiff_t>(leading);
  const gs1::Form form = gs1::detect_form(trimmed);
  switch (form) {
    case gs1::Form::kScanData: {
      auto parsed = gs1::parse_scan_data(trimmed);
      if (!parsed && parsed.error().code == gs1::ErrorCode::kBadSymbology && trimmed.size() > 3) {
        // A non-GS1 symbology identifier (e.g. "]C0" from a keyboard-wedge scanner): the rest
        // is plain data from that kind of code.
        const std::string_view symbology = trimmed.substr(0, 3);
        return classify_plain(format_for_symbology(symbology), symbology, trimmed.substr(3),
                              context, false);
      }
      return from_gs1(std::move(parsed), trimmed, form, offset, context);
    }
    case gs1::Form::kBracketed:
    case gs1::Form::kUnbracketed:
    case gs1::Form::kDigitalLink:
      return from_gs1(gs1::parse(trimmed), trimmed, form, offset, context);
    case gs1::Form::kPlain:
      break;
  }
  return classify_plain({}, {}, trimmed, context, true);
}

}  // namespace bcma::scan
