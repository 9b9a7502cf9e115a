#include "bcma/rules/policy.hpp"

#include <algorithm>

namespace bcma::rules {
namespace {

using domain::Role;

struct Row {
  ReasonCode code;
  Decision decision;
  std::vector<Role> override_roles;
  bool override_needs_witness = false;
};

// The safe default table. docs/rules.md gives the clinical reasoning for every row; change the
// two together.
std::vector<Row> default_rows() {
  const std::vector<Role> none;
  const std::vector<Role> senior_staff{Role::kSenior, Role::kNurse, Role::kManager};
  const std::vector<Role> clinicians{Role::kNurse, Role::kPharmacist};
  return {
      {ReasonCode::kWrongResident, Decision::kBlock, none},
      {ReasonCode::kResidentNotPresent, Decision::kBlock, senior_staff},
      {ReasonCode::kResidentDischarged, Decision::kBlock, none},
      {ReasonCode::kUnknownProduct,
       Decision::kBlock,
       {Role::kSenior, Role::kNurse, Role::kManager, Role::kPharmacist}},
      {ReasonCode::kNotPrescribed, Decision::kBlock, none},
      {ReasonCode::kBrandMismatch, Decision::kBlock, clinicians},
      {ReasonCode::kRouteMismatch, Decision::kBlock, clinicians},
      {ReasonCode::kExpired, Decision::kBlock, none},
      {ReasonCode::kRecalledBatch, Decision::kBlock, none},
      {ReasonCode::kNotStarted, Decision::kBlock, senior_staff},
      {ReasonCode::kStopped, Decision::kBlock, none},
      {ReasonCode::kOnHold, Decision::kBlock, clinicians},
      {ReasonCode::kTooEarly, Decision::kBlock, senior_staff},
      {ReasonCode::kTooLate, Decision::kWarn, none},
      {ReasonCode::kAlreadyGiven, Decision::kBlock, senior_staff, true},
      {ReasonCode::kNotDueToday, Decision::kBlock, clinicians},
      {ReasonCode::kPrnTooSoon, Decision::kBlock, senior_staff},
      {ReasonCode::kPrnMaxExceeded, Decision::kBlock, none},
      {ReasonCode::kAllergy, Decision::kBlock, clinicians, true},
      {ReasonCode::kDoseExceedsPrescribed, Decision::kBlock, none},
      {ReasonCode::kControlledDrugWitnessRequired, Decision::kWarn, none},
      {ReasonCode::kTimeCritical, Decision::kWarn, none},
      {ReasonCode::kInvalidBarcode, Decision::kBlock, senior_staff},
      {ReasonCode::kResidentNotIdentified, Decision::kBlock, none},
      {ReasonCode::kBatchUnverified, Decision::kWarn, none},
      {ReasonCode::kDoseBelowPrescribed, Decision::kWarn, none},
      {ReasonCode::kPrescriptionInvalid, Decision::kBlock, clinicians},
  };
}

}  // namespace

std::string_view to_string(Decision d) {
  switch (d) {
    case Decision::kProceed:
      return "proceed";
    case Decision::kWarn:
      return "warn";
    case Decision::kBlock:
      return "block";
  }
  return "block";
}

std::optional<Decision> decision_from_string(std::string_view text) {
  if (text == "proceed") return Decision::kProceed;
  if (text == "warn") return Decision::kWarn;
  if (text == "block") return Decision::kBlock;
  return std::nullopt;
}

bool Policy::may_override(ReasonCode c, domain::Role role) const {
  const ReasonPolicy& p = for_reason(c);
  return std::find(p.override_roles.begin(), p.override_roles.end(), role) !=
         p.override_roles.end();
}

Policy Policy::defaults() {
  Policy policy;
  policy.rounds = {
      {"WAKE", domain::TimeOfDay::hm(7, 0)},  {"MORN", domain::TimeOfDay::hm(8, 0)},
      {"NOON", domain::TimeOfDay::hm(12, 0)}, {"AFT", domain::TimeOfDay::hm(14, 0)},
      {"EVE", domain::TimeOfDay::hm(17, 0)},  {"NIGHT", domain::TimeOfDay::hm(22, 0)},
      {"HS", domain::TimeOfDay::hm(22, 0)},
  };
  policy.default_window = domain::Minutes{60};
  policy.time_critical_window = domain::Minutes{15};
  // A reason missing from the table would default to block with no override: the safe side.
  for (Row& row : default_rows()) {
    ReasonPolicy& p = policy.for_reason(row.code);
    p.decision = row.decision;
    p.override_roles = std::move(row.override_roles);
    p.override_needs_witness = row.override_needs_witness;
  }
  // Paracetamol (SNOMED 387517004): 4 g in 24 hours is the adult ceiling whatever the products.
  policy.ingredient_limits.push_back(
      IngredientLimit{"387517004", "Paracetamol", domain::Decimal::from_int(4000), "mg"});
  policy.witness_categories = {domain::ControlledDrugCategory::kSchedule1,
                               domain::ControlledDrugCategory::kSchedule2,
                               domain::ControlledDrugCategory::kSchedule2Exempt};
  return policy;
}

}  // namespace bcma::rules
