#pragma once
// Private to the eMAR feed: who a resource is for (subject -> NHS number -> resident) and what
// medicine it names (a dm+d code, directly or through a Medication resource).

#include <optional>
#include <string>

#include "bcma/core/result.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/station/store/store.hpp"
#include "feed.hpp"
#include "fhir_json.hpp"

namespace bcma::station::emar::detail {

struct Subject {
  std::string nhs_number;                  ///< as found (may be invalid); "" if none
  std::optional<domain::Resident> resident;  ///< set when it is a resident in the home
};

/// Resolves `subject` of the resource in `entry`: Reference.identifier with the NHS number
/// system, or a reference to a Patient in the feed carrying one. The resident must be in the
/// home (not discharged or deceased), and a Patient's birth date and family name must agree
/// with the home's record. Problems: invalid_resource, unresolved_subject, invalid_nhs_number,
/// unknown_patient, resident_left, patient_mismatch. Errors: the store's `sqlite_error`.
Result<Subject> resolve_subject(const FeedEntry& entry, const Feed& feed, store::Store& store,
                                Problems& problems);

struct MedicationCode {
  std::string code;
  std::string display;
  std::string pointer;  ///< where the coding is (in the resource, or "#med" contained)
};

/// The dm+d code of `medicationCodeableConcept` or of the Medication `medicationReference`
/// points at. Problems: invalid_resource, not_dmd_coded, ambiguous_medication.
std::optional<MedicationCode> medication_code(const FeedEntry& entry, const Feed& feed,
                                              Problems& problems);

/// The NHS numbers in a Patient's (or any resource's) identifier list.
std::vector<std::string> nhs_numbers_of(const Json& resource);

}  // namespace bcma::station::emar::detail
