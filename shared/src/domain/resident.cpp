#include "bcma/domain/resident.hpp"

#include "enum_names.hpp"

namespace bcma::domain {
namespace {

constexpr std::array<detail::EnumName<ResidentStatus>, 5> kResidentStatusNames{{
    {ResidentStatus::kPresent, "present"},
    {ResidentStatus::kInHospital, "in_hospital"},
    {ResidentStatus::kOnLeave, "on_leave"},
    {ResidentStatus::kDischarged, "discharged"},
    {ResidentStatus::kDeceased, "deceased"},
}};

constexpr std::array<detail::EnumName<Role>, 6> kRoleNames{{
    {Role::kCareWorker, "care_worker"},
    {Role::kSenior, "senior"},
    {Role::kNurse, "nurse"},
    {Role::kManager, "manager"},
    {Role::kPharmacist, "pharmacist"},
    {Role::kEvaluator, "evaluator"},
}};

}  // namespace

std::string_view to_string(ResidentStatus s) { return detail::name_of(kResidentStatusNames, s); }

std::optional<ResidentStatus> resident_status_from_string(std::string_view text) {
  return detail::value_of(kResidentStatusNames, text);
}

std::string_view to_string(Role r) { return detail::name_of(kRoleNames, r); }

std::optional<Role> role_from_string(std::string_view text) {
  return detail::value_of(kRoleNames, text);
}

}  // namespace bcma::domain
