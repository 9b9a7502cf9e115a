#pragma once
/// \file
/// Scan classification: from what a reader decoded (symbology + content) to what was scanned
/// (a resident's wristband, a medicine pack, a pharmacy label, a staff badge, a location), or
/// `unknown` with the reason. Pure code: the same rules run on the station and the scanner.
///
/// The rules, in order (docs/pharmacy-label.md has the reasoning and examples):
///  - GS1 data (a GS1 symbology, a GS1 Digital Link, or typed GS1 text) is parsed and validated
///    by `bcma::gs1`; any GS1 error makes the scan `unknown` with that error, and the reason
///    names what the code appeared to be (e.g. "a resident wristband (AI 8018)").
///  - (8018) with (253) and no (8017): pharmacy label. (8018) with (01) but no (253): unknown
///    (ambiguous: not a wristband, not a complete label). (8018) otherwise: resident wristband.
///  - (8017): staff badge, unless it also carries (01) or (253) (ambiguous).
///  - (01) (and no (253)): medicine pack, unless the GTIN is in a range no medicine uses
///    (restricted circulation, coupons, ISBN/ISSN, refund receipts, variable measure).
///  - (414): location. Anything else GS1: unknown, naming the identifier it carried.
///  - EAN-13, UPC-A, EAN-8 (no GS1 data): medicine pack with the GTIN normalised to 14 digits.
///  - Plain Code 128 or DataMatrix holding only an NHS number: resident wristband.
///
/// An NHS number is read from a (8018) GSRN only when the GSRN starts with a GS1 company prefix
/// that the deployment has configured as NHS-issued (`Context::add_nhs_gsrn_prefix`): DCB1077
/// builds such a GSRN as prefix (7 digits) + NHS number (10) + GS1 check digit (1). Any other
/// GSRN is a plain GSRN: ten of its digits are never taken to be an NHS number by guesswork.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/gs1/element_string.hpp"
#include "bcma/scan/expiry_date.hpp"

namespace bcma::scan {

/// What a barcode reader reported.
struct Decode {
  std::string format;      ///< reader's format name, e.g. "DataMatrix", "Code128", "EAN-13"
  std::string symbology;   ///< ISO/IEC 15424 symbology identifier, e.g. "]d2", "]C0", "]E0"
  bool gs1 = false;        ///< the reader says the content is GS1 (FNC1 in first position)
  std::string text;        ///< content as decoded, GS (0x1D) between element strings
};

/// What classification needs from its surroundings: the year now (the GS1 century rule for
/// two-digit years depends on it; it comes from the caller's clock, never the wall clock) and
/// the deployment's NHS GSRN prefixes.
class Context {
 public:
  explicit Context(int current_year) : current_year_(current_year) {}

  /// Declares that GSRNs starting with `prefix` (a 7-digit GS1 company prefix) embed an NHS
  /// number (DCB1077: prefix + NHS number + check digit).
  /// Errors (`bcma::Error::code`): "bad_nhs_gsrn_prefix" unless exactly seven digits.
  Result<void> add_nhs_gsrn_prefix(std::string_view prefix);

  int current_year() const { return current_year_; }
  std::span<const std::string> nhs_gsrn_prefixes() const { return nhs_gsrn_prefixes_; }

 private:
  int current_year_;
  std::vector<std::string> nhs_gsrn_prefixes_;
};

struct ResidentWristband {
  std::optional<std::string> gsrn;        ///< AI 8018, 18 digits (absent for a plain NHS number)
  std::optional<std::string> srin;        ///< AI 8019 service relation instance, when present
  std::optional<std::string> nhs_number;  ///< ten digits: plain, or embedded in an NHS GSRN
};

struct MedicinePack {
  std::string gtin;                        ///< always 14 digits
  std::optional<ExpiryDate> expiry;        ///< AI 17
  std::optional<std::string> batch;        ///< AI 10
  std::optional<std::string> serial;       ///< AI 21
  std::vector<gs1::ElementString> national_numbers;  ///< AIs 710-717, in scan order
  bool from_linear = false;                ///< EAN-13/UPC-A/EAN-8 (or typed GTIN): GTIN only
};

/// A pharmacy dispensing label (design: docs/pharmacy-label.md): (8018) + (253) [+ (01) (17) (10)].
struct PharmacyLabel {
  std::string resident_gsrn;               ///< whose medicine it is (AI 8018)
  std::optional<std::string> resident_nhs_number;  ///< when the GSRN is an NHS GSRN
  std::string dispensed_item;              ///< AI 253 GDTI: pharmacy document type + serial
  std::optional<std::string> gtin;         ///< the product (AI 01), when the label carries it
  std::optional<ExpiryDate> expiry;        ///< AI 17 (needs 01)
  std::optional<std::string> batch;        ///< AI 10 (needs 01)
};

struct StaffBadge {
  std::string gsrn;                        ///< AI 8017
};

struct Location {
  std::string gln;                         ///< AI 414
};

/// Why a scan is not something bcma uses. Stable; `to_string` gives the snake_case name.
enum class UnknownReason : std::uint8_t {
  kEmpty,                 ///< nothing was decoded
  kUnreadableGs1,         ///< GS1 content that fails validation (`Scan::gs1_error` says how)
  kBadGtin,               ///< an EAN/UPC or typed GTIN with a wrong length or check digit
  kNotAMedicine,          ///< a GTIN from a range no medicine uses (coupon, book, in-store...)
  kBadNhsNumber,          ///< ten digits shaped like an NHS number that is not valid
  kBadEmbeddedNhsNumber,  ///< an NHS GSRN (configured prefix) whose NHS number is not valid
  kNhsNumberWrongCarrier, ///< a valid NHS number in a symbology wristbands do not use
  kAmbiguous,             ///< identifiers that do not belong together (e.g. 8018 with 01 only)
  kIncompleteLabel,       ///< a dispensed-item GDTI without a resident, or without a serial
  kNotMarkedGs1,          ///< GS1-shaped data in a code not marked as GS1 (no FNC1)
  kNotUsed,               ///< a valid code that is none of the things bcma scans
};
std::string_view to_string(UnknownReason reason);

struct Unknown {
  UnknownReason code = UnknownReason::kNotUsed;
  std::string reason;                      ///< plain English: what it is and what to do
};

enum class Kind : std::uint8_t {
  kResidentWristband, kMedicinePack, kPharmacyLabel, kStaffBadge, kLocation, kUnknown
};
std::string_view to_string(Kind kind);  ///< snake_case: "resident_wristband", "medicine_pack", ...

struct Scan {
  Kind kind = Kind::kUnknown;
  /// Holds the alternative that matches `kind` (Unknown for kUnknown).
  std::variant<Unknown, ResidentWristband, MedicinePack, PharmacyLabel, StaffBadge, Location> data;
  std::optional<gs1::Message> gs1;         ///< the parsed GS1 message, when the content was GS1
  std::optional<gs1::Error> gs1_error;     ///< why GS1 content was rejected (kind is kUnknown)

  const Unknown* unknown() const { return std::get_if<Unknown>(&data); }
};

/// Classifies one decode. Never fails: anything unusable is `Kind::kUnknown` with a reason.
/// GS1 error positions are byte offsets into `decode.text`.
Scan classify(const Decode& decode, const Context& context);

/// Classifies text typed or pasted by a person, or given on a command line: any form
/// `gs1::detect_form` recognises (scan data with its symbology identifier, bracketed,
/// unbracketed, Digital Link), or plain text that is an NHS number ("943 476 5919") or a GTIN
/// (EAN-13, UPC-A, EAN-8 or GTIN-14 digits). Surrounding whitespace is ignored. GS1 error
/// positions are byte offsets into `text` as given.
Scan classify_text(std::string_view text, const Context& context);

/// Classifies an already validated GS1 message (the rules above, from the GS1 step on).
Scan classify_message(gs1::Message message, const Context& context);

}  // namespace bcma::scan
