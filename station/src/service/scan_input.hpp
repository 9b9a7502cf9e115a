#pragma once
// Private to the service: scans as they reached the station, classified and kept as evidence.

#include <string>

#include "bcma/scan/scan.hpp"
#include "bcma/station/service/requests.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::service::detail {

/// What the scan was: a reader's decode is classified as read, typed text as typed. An
/// "unable to scan" input is `Kind::kUnknown` (empty).
scan::Scan classify_input(const ScanInput& input, const scan::Context& context);

/// How the record keeps it: scanned text and symbology, or for anything not scanned the
/// reason, with the typed text after it - a manual entry is never stored as if it were a scan.
store::ScanEvidence evidence_of(const ScanInput& input);

/// "scanned", "typed", "unable_to_scan".
std::string_view entry_name(ScanInput::Entry entry);

/// "a pharmacy label", "a staff badge"... for sentences.
std::string_view kind_words(scan::Kind kind);

/// The resident a wristband scan names: its GSRN or its NHS number, whichever is present.
struct WristbandKeys {
  std::optional<std::string> gsrn;
  std::optional<std::string> nhs_number;
};
std::optional<WristbandKeys> wristband_keys(const scan::Scan& scan);

}  // namespace bcma::station::service::detail
