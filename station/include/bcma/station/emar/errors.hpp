#pragma once
/// \file
/// Stable codes of the eMAR feed: the errors that refuse a whole feed (`bcma::Error::code`) and
/// the reasons a single resource goes to the review queue (`ReviewReason::code`). Programs and
/// pharmacists' tools match on these strings: never rename one. docs/emar-feed.md lists each
/// with an example.

namespace bcma::station::emar::errc {

// A whole feed, export or query is refused: nothing was changed.
inline constexpr const char* kCannotRead = "cannot_read";      ///< the file cannot be read
inline constexpr const char* kInvalidJson = "invalid_json";    ///< not JSON / not NDJSON
inline constexpr const char* kInvalidFeed = "invalid_feed";    ///< JSON, but not FHIR resources
inline constexpr const char* kNoHome = "no_home";              ///< the station is not set up
inline constexpr const char* kInvalidArgument = "invalid_argument";
inline constexpr const char* kUnknownResident = "unknown_resident";

}  // namespace bcma::station::emar::errc

namespace bcma::station::emar::reason {

// Why a resource was not imported. Each queued resource carries one or more of these.
inline constexpr const char* kInvalidResource = "invalid_resource";   ///< a required element is missing or malformed
inline constexpr const char* kUnsupportedResource = "unsupported_resource";  ///< a DELETE entry, a nested Bundle
inline constexpr const char* kNotAnOrder = "not_an_order";            ///< intent plan/proposal, doNotPerform
inline constexpr const char* kUnsupportedStatus = "unsupported_status";  ///< draft, unknown
inline constexpr const char* kUnresolvedSubject = "unresolved_subject";  ///< no NHS number reachable
inline constexpr const char* kInvalidNhsNumber = "invalid_nhs_number";
inline constexpr const char* kUnknownPatient = "unknown_patient";      ///< not a resident of this home
inline constexpr const char* kResidentLeft = "resident_left";          ///< discharged or deceased
inline constexpr const char* kPatientMismatch = "patient_mismatch";    ///< the feed's name/birth date disagree
inline constexpr const char* kNotDmdCoded = "not_dmd_coded";           ///< no https://dmd.nhs.uk coding
inline constexpr const char* kAmbiguousMedication = "ambiguous_medication";  ///< codings disagree
inline constexpr const char* kUnknownMedication = "unknown_medication";  ///< code not in the home's dm+d
inline constexpr const char* kUnsupportedMedicationLevel = "unsupported_medication_level";  ///< VTM, pack
inline constexpr const char* kInvalidMedication = "invalid_medication";  ///< dm+d marks the VMP invalid
inline constexpr const char* kUnsupportedDose = "unsupported_dose";      ///< no dose, rate, wrong unit
inline constexpr const char* kDoseNotConvertible = "dose_not_convertible";  ///< mg that is not whole units
inline constexpr const char* kUnsupportedTiming = "unsupported_timing";  ///< cannot be a station schedule
inline constexpr const char* kUnmappedWhen = "unmapped_when";            ///< an event code the home has no round for
inline constexpr const char* kAmbiguousData = "ambiguous_data";          ///< elements that contradict each other
inline constexpr const char* kUnknownPrescription = "unknown_prescription";  ///< priorPrescription / authorizingPrescription not held
inline constexpr const char* kVersionConflict = "version_conflict";      ///< order of versions cannot be decided
inline constexpr const char* kRejectedByRules = "rejected_by_rules";     ///< rules::check_prescription refused it
inline constexpr const char* kInvalidLabel = "invalid_label";            ///< no or malformed label barcode
inline constexpr const char* kLabelConflict = "label_conflict";          ///< label already held with other content
inline constexpr const char* kDispenseMismatch = "dispense_mismatch";    ///< not what was prescribed / for whom
inline constexpr const char* kDispenseWithdrawn = "dispense_withdrawn";  ///< cancelled after it was booked

}  // namespace bcma::station::emar::reason
