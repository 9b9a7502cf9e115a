#pragma once
/// \file
/// The FHIR code and identifier systems the eMAR feed reads and writes (docs/emar-feed.md).

#include <string_view>

namespace bcma::station::emar::fhir {

inline constexpr std::string_view kNhsNumber = "https://fhir.nhs.uk/Id/nhs-number";
inline constexpr std::string_view kDmd = "https://dmd.nhs.uk";
inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";
/// The pharmacy label barcode (AI 253: GDTI with the dispensing serial, docs/pharmacy-label.md)
/// as a MedicationDispense identifier: the GS1 Digital Link path of the key.
inline constexpr std::string_view kPharmacyLabel = "https://id.gs1.org/253";
/// A member of staff, by the GSRN on their badge (AI 8017).
inline constexpr std::string_view kStaffBadge = "https://id.gs1.org/8017";
/// Record ids are UUIDs: identifiers `urn:uuid:...` in this system.
inline constexpr std::string_view kUri = "urn:ietf:rfc:3986";
/// performer.function codes (witness, performer).
inline constexpr std::string_view kPerformFunction =
    "http://terminology.hl7.org/CodeSystem/med-admin-perform-function";
/// The home's non-administration codes (docs/store.md): not a national code set, so the
/// statusReason always carries the description as text too.
inline constexpr std::string_view kNonAdministrationReason = "urn:bcma:non-administration-reason";

}  // namespace bcma::station::emar::fhir
