#pragma once
/// \file
/// Scan classification: from what a reader decoded (symbology + content) to what was scanned
/// (a resident's wristband, a medicine pack, a pharmacy label, a staff badge, a location), or
/// `unknown` with the reason. Pure code: the same rules run on the station and the scanner.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bcma/gs1/element_string.hpp"

namespace bcma::scan {

/// What a barcode reader reported.
struct Decode {
  std::string format;      ///< reader's format name, e.g. "DataMatrix", "Code128", "EAN-13"
  std::string symbology;   ///< ISO/IEC 15424 symbology identifier, e.g. "]d2", "]C0", "]E0"
  bool gs1 = false;        ///< the reader says the content is GS1 (FNC1 in first position)
  std::string text;        ///< content as decoded, GS (0x1D) between element strings
};

/// Expiry from AI 17. DD=00 means the last day of the month.
struct ExpiryDate {
  int year = 0;    ///< four digits (GS1 century rule applied)
  int month = 0;   ///< 1..12
  int day = 0;     ///< 1..31, already resolved from DD=00
  bool day_was_zero = false;
  friend bool operator==(const ExpiryDate&, const ExpiryDate&) = default;
};

struct ResidentWristband {
  std::optional<std::string> gsrn;        ///< AI 8018, 18 digits
  std::optional<std::string> nhs_number;  ///< ten digits, from a plain or embedded NHS number
};

struct MedicinePack {
  std::string gtin;                        ///< always 14 digits
  std::optional<ExpiryDate> expiry;        ///< AI 17
  std::optional<std::string> batch;        ///< AI 10
  std::optional<std::string> serial;       ///< AI 21
  std::vector<gs1::ElementString> national_numbers;  ///< AIs 710-717
  bool from_linear = false;                ///< EAN-13/UPC with no GS1 data beyond the GTIN
};

/// A pharmacy dispensing label (design: docs/pharmacy-label.md).
struct PharmacyLabel {
  std::string resident_gsrn;               ///< whose medicine it is (AI 8018)
  std::string dispensed_item;              ///< the pharmacy's dispensed-item identifier
  std::optional<std::string> gtin;         ///< the product, when the label carries it
  std::optional<ExpiryDate> expiry;
  std::optional<std::string> batch;
};

struct StaffBadge {
  std::string gsrn;                        ///< AI 8017
};

struct Location {
  std::string gln;                         ///< AI 414
};

struct Unknown {
  std::string reason;                      ///< plain English: why this is not something we use
};

enum class Kind : std::uint8_t {
  kResidentWristband, kMedicinePack, kPharmacyLabel, kStaffBadge, kLocation, kUnknown
};
std::string_view to_string(Kind kind);  ///< snake_case: "resident_wristband", "medicine_pack", ...

struct Scan {
  Kind kind = Kind::kUnknown;
  std::variant<Unknown, ResidentWristband, MedicinePack, PharmacyLabel, StaffBadge, Location> data;
  std::optional<gs1::Message> gs1;         ///< the parsed GS1 message, when the content was GS1
  std::optional<gs1::Error> gs1_error;     ///< why GS1 content was rejected (kind is kUnknown)
};

/// Classifies one decode. Never fails: anything unusable is `Kind::kUnknown` with a reason.
Scan classify(const Decode& decode);

/// Classifies text typed or pasted by a person, or given on a command line, in any form that
/// `gs1::detect_form` recognises (plain text may be an NHS number or an EAN-13).
Scan classify_text(std::string_view text);

}  // namespace bcma::scan
