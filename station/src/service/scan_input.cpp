#include "scan_input.hpp"

namespace bcma::station::service::detail {

scan::Scan classify_input(const ScanInput& input, const scan::Context& context) {
  switch (input.entry) {
    case ScanInput::Entry::kScanned:
      return scan::classify(input.decode, context);
    case ScanInput::Entry::kTyped:
      return scan::classify_text(input.decode.text, context);
    case ScanInput::Entry::kUnableToScan:
      break;
  }
  scan::Scan none;
  none.kind = scan::Kind::kUnknown;
  none.data = scan::Unknown{scan::UnknownReason::kEmpty, "Nothing was scanned."};
  return none;
}

store::ScanEvidence evidence_of(const ScanInput& input) {
  switch (input.entry) {
    case ScanInput::Entry::kScanned:
      return store::ScanEvidence::scanned(input.decode.text, input.decode.symbology);
    case ScanInput::Entry::kTyped:
      return store::ScanEvidence::unable_to_scan(
          (input.reason.empty() ? std::string("not scanned") : input.reason) +
          "; typed by hand: " + input.decode.text);
    case ScanInput::Entry::kUnableToScan:
      break;
  }
  return store::ScanEvidence::unable_to_scan(input.reason);
}

std::string_view entry_name(ScanInput::Entry entry) {
  switch (entry) {
    case ScanInput::Entry::kScanned: return "scanned";
    case ScanInput::Entry::kTyped: return "typed";
    case ScanInput::Entry::kUnableToScan: return "unable_to_scan";
  }
  return "unable_to_scan";
}

std::string_view kind_words(scan::Kind kind) {
  switch (kind) {
    case scan::Kind::kResidentWristband: return "a resident's wristband";
    case scan::Kind::kMedicinePack: return "a medicine pack";
    case scan::Kind::kPharmacyLabel: return "a pharmacy label";
    case scan::Kind::kStaffBadge: return "a staff badge";
    case scan::Kind::kLocation: return "a location barcode";
    case scan::Kind::kUnknown: break;
  }
  return "a barcode bcma does not use";
}

std::optional<WristbandKeys> wristband_keys(const scan::Scan& scan) {
  const auto* band = std::get_if<scan::ResidentWristband>(&scan.data);
  if (scan.kind != scan::Kind::kResidentWristband || band == nullptr) return std::nullopt;
  if (!band->gsrn && !band->nhs_number) return std::nullopt;
  return WristbandKeys{band->gsrn, band->nhs_number};
}

}  // namespace bcma::station::service::detail
