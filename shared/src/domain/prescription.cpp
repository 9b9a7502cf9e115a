#include "bcma/domain/prescription.hpp"

#include "enum_names.hpp"

namespace bcma::domain {
namespace {

// snake_case like every other name; the FHIR importer maps MedicationRequest.status
// "on-hold" to kOnHold.
constexpr std::array<detail::EnumName<PrescriptionStatus>, 5> kStatusNames{{
    {PrescriptionStatus::kActive, "active"},
    {PrescriptionStatus::kOnHold, "on_hold"},
    {PrescriptionStatus::kStopped, "stopped"},
    {PrescriptionStatus::kCancelled, "cancelled"},
    {PrescriptionStatus::kCompleted, "completed"},
}};

}  // namespace

std::string_view to_string(PrescriptionStatus s) { return detail::name_of(kStatusNames, s); }

std::optional<PrescriptionStatus> prescription_status_from_string(std::string_view text) {
  return detail::value_of(kStatusNames, text);
}

}  // namespace bcma::domain
