#include "bcma/domain/administration.hpp"

#include "enum_names.hpp"

namespace bcma::domain {
namespace {

constexpr std::array<detail::EnumName<Outcome>, 6> kOutcomeNames{{
    {Outcome::kGiven, "given"},
    {Outcome::kRefused, "refused"},
    {Outcome::kRefusedAndDestroyed, "refused_destroyed"},
    {Outcome::kOmitted, "omitted"},
    {Outcome::kNotRequired, "not_required"},
    {Outcome::kSelfAdministered, "self_administered"},
}};

}  // namespace

std::string_view to_string(Outcome o) { return detail::name_of(kOutcomeNames, o); }

std::optional<Outcome> outcome_from_string(std::string_view text) {
  return detail::value_of(kOutcomeNames, text);
}

const std::vector<NonAdministrationCode>& default_non_administration_codes() {
  using O = Outcome;
  static const std::vector<NonAdministrationCode> codes{
      {"refused", "Refused", O::kRefused, false, true},
      {"refused_destroyed", "Refused and destroyed", O::kRefusedAndDestroyed, false, true},
      {"nausea_vomiting", "Nausea or vomiting", O::kOmitted, false, true},
      {"asleep", "Asleep", O::kOmitted, false, true},
      {"absent_on_leave", "Absent or on leave", O::kOmitted, false, true},
      {"in_hospital", "In hospital", O::kOmitted, false, true},
      {"not_required", "Not required (when required medicine)", O::kNotRequired, false, true},
      {"too_soon", "Too soon after the last dose", O::kOmitted, false, true},
      {"discontinued", "Discontinued", O::kOmitted, false, true},
      {"stock_unavailable", "Stock unavailable", O::kOmitted, false, true},
      {"destroyed_damaged", "Destroyed, damaged or contaminated", O::kOmitted, false, true},
      {"out_of_date", "Out of date", O::kOmitted, false, true},
      {"self_administering", "Self-administering", O::kSelfAdministered, false, true},
      {"other", "Other (say why)", O::kOmitted, true, true},
  };
  return codes;
}

}  // namespace bcma::domain
