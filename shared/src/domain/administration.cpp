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

}  // namespace bcma::domain
