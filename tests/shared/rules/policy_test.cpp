// Reason names, the default policy table, and what changing a policy does to a verdict.

#include <gtest/gtest.h>

#include <set>

#include "fixtures.hpp"

namespace bcma::rules::testing {
namespace {

using domain::Role;

TEST(ReasonNames, AreUniqueStableAndReadBack) {
  std::set<std::string_view> names;
  ASSERT_EQ(all_reason_codes().size(), static_cast<std::size_t>(kReasonCodeCount));
  for (ReasonCode c : all_reason_codes()) {
    const std::string_view name = to_string(c);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(reason_from_string(name), c);
    for (char ch : name) EXPECT_TRUE((ch >= 'a' && ch <= 'z') || ch == '_') << name;
  }
  // A few pinned: these strings are in audit logs and scenario files.
  EXPECT_EQ(to_string(ReasonCode::kWrongResident), "wrong_resident");
  EXPECT_EQ(to_string(ReasonCode::kPrnMaxExceeded), "prn_max_exceeded");
  EXPECT_EQ(to_string(ReasonCode::kControlledDrugWitnessRequired),
            "controlled_drug_witness_required");
  EXPECT_EQ(to_string(ReasonCode::kInvalidBarcode), "invalid_barcode");
  EXPECT_EQ(to_string(ReasonCode::kPrescriptionInvalid), "prescription_invalid");
  EXPECT_FALSE(reason_from_string("Wrong_Resident"));
  EXPECT_FALSE(reason_from_string(""));
}

TEST(Decisions, NamesReadBack) {
  for (Decision d : {Decision::kProceed, Decision::kWarn, Decision::kBlock}) {
    EXPECT_EQ(decision_from_string(to_string(d)), d);
  }
  EXPECT_FALSE(decision_from_string("deny"));
}

struct Row {
  ReasonCode code;
  Decision decision;
  std::vector<Role> roles;
  bool witness;
};

// The table docs/rules.md documents; a change to either must change both.
TEST(DefaultPolicy, MatchesTheDocumentedTable) {
  const std::vector<Role> none;
  const std::vector<Role> senior{Role::kSenior, Role::kNurse, Role::kManager};
  const std::vector<Role> clinician{Role::kNurse, Role::kPharmacist};
  const std::vector<Row> table = {
      {ReasonCode::kWrongResident, Decision::kBlock, none, false},
      {ReasonCode::kResidentNotPresent, Decision::kBlock, senior, false},
      {ReasonCode::kResidentDischarged, Decision::kBlock, none, false},
      {ReasonCode::kUnknownProduct,
       Decision::kBlock,
       {Role::kSenior, Role::kNurse, Role::kManager, Role::kPharmacist},
       false},
      {ReasonCode::kNotPrescribed, Decision::kBlock, none, false},
      {ReasonCode::kBrandMismatch, Decision::kBlock, clinician, false},
      {ReasonCode::kRouteMismatch, Decision::kBlock, clinician, false},
      {ReasonCode::kExpired, Decision::kBlock, none, false},
      {ReasonCode::kRecalledBatch, Decision::kBlock, none, false},
      {ReasonCode::kNotStarted, Decision::kBlock, senior, false},
      {ReasonCode::kStopped, Decision::kBlock, none, false},
      {ReasonCode::kOnHold, Decision::kBlock, clinician, false},
      {ReasonCode::kTooEarly, Decision::kBlock, senior, false},
      {ReasonCode::kTooLate, Decision::kWarn, none, false},
      {ReasonCode::kAlreadyGiven, Decision::kBlock, senior, true},
      {ReasonCode::kNotDueToday, Decision::kBlock, clinician, false},
      {ReasonCode::kPrnTooSoon, Decision::kBlock, senior, false},
      {ReasonCode::kPrnMaxExceeded, Decision::kBlock, none, false},
      {ReasonCode::kAllergy, Decision::kBlock, clinician, true},
      {ReasonCode::kDoseExceedsPrescribed, Decision::kBlock, none, false},
      {ReasonCode::kControlledDrugWitnessRequired, Decision::kWarn, none, false},
      {ReasonCode::kTimeCritical, Decision::kWarn, none, false},
      {ReasonCode::kInvalidBarcode, Decision::kBlock, senior, false},
      {ReasonCode::kResidentNotIdentified, Decision::kBlock, none, false},
      {ReasonCode::kBatchUnverified, Decision::kWarn, none, false},
      {ReasonCode::kDoseBelowPrescribed, Decision::kWarn, none, false},
      {ReasonCode::kPrescriptionInvalid, Decision::kBlock, clinician, false},
  };
  ASSERT_EQ(table.size(), static_cast<std::size_t>(kReasonCodeCount));
  const Policy p = Policy::defaults();
  for (const Row& row : table) {
    const ReasonPolicy& rp = p.for_reason(row.code);
    EXPECT_EQ(rp.decision, row.decision) << to_string(row.code);
    EXPECT_EQ(rp.override_roles, row.roles) << to_string(row.code);
    EXPECT_EQ(rp.override_needs_witness, row.witness) << to_string(row.code);
  }
}

TEST(DefaultPolicy, TheMandatedBlocksCannotBeOverriddenByACareWorker) {
  const Policy p = Policy::defaults();
  for (ReasonCode c : {ReasonCode::kWrongResident, ReasonCode::kAllergy, ReasonCode::kExpired,
                       ReasonCode::kRecalledBatch, ReasonCode::kPrnMaxExceeded}) {
    EXPECT_EQ(p.decision(c), Decision::kBlock) << to_string(c);
  }
  for (ReasonCode c : all_reason_codes()) {
    EXPECT_FALSE(p.may_override(c, Role::kCareWorker)) << to_string(c);
    EXPECT_FALSE(p.may_override(c, Role::kEvaluator)) << to_string(c);
  }
  EXPECT_FALSE(p.may_override(ReasonCode::kWrongResident, Role::kManager));
  EXPECT_TRUE(p.may_override(ReasonCode::kAllergy, Role::kPharmacist));
}

TEST(DefaultPolicy, RoundsWindowsLimitsAndWitnesses) {
  const Policy p = Policy::defaults();
  EXPECT_EQ(p.round_time("MORN"), domain::TimeOfDay::hm(8, 0));
  EXPECT_EQ(p.round_time("NOON"), domain::TimeOfDay::hm(12, 0));
  EXPECT_EQ(p.round_time("EVE"), domain::TimeOfDay::hm(17, 0));
  EXPECT_EQ(p.round_time("NIGHT"), domain::TimeOfDay::hm(22, 0));
  EXPECT_FALSE(p.round_time("CM"));
  EXPECT_EQ(p.default_window, Minutes{60});
  EXPECT_EQ(p.time_critical_window, Minutes{15});
  ASSERT_EQ(p.ingredient_limits.size(), 1U);
  EXPECT_EQ(p.ingredient_limits[0].substance_id, kParacetamol);
  EXPECT_EQ(p.ingredient_limits[0].max_per_24h, dec("4000"));
  EXPECT_EQ(p.witness_categories.size(), 3U);
}

World late_amlodipine() {
  World w;
  w.with(regular(10, amlodipine_5(), {at(8, 0)}, fixed("1", "tablet"))).scanning(amlodipine_5());
  return w;
}

TEST(PolicyChanges, AWarnMadeABlockBlocks) {
  World w = late_amlodipine();
  const Instant now = local(2026, 3, 4, 10, 0);
  EXPECT_EQ(w.evaluate(now).decision, Decision::kWarn);
  w.policy.for_reason(ReasonCode::kTooLate).decision = Decision::kBlock;
  const Verdict v = w.evaluate(now);
  EXPECT_EQ(v.decision, Decision::kBlock);
  EXPECT_EQ(
      v.summary.rfind("Do not give. Amlodipine 5mg tablets: the 08:00 dose was due by 09:00", 0),
      0U)
      << v.summary;
}

TEST(PolicyChanges, ABlockMadeAWarnStillListsTheReason) {
  World w = late_amlodipine();
  w.proposed = dec("2");
  const Instant now = local(2026, 3, 4, 8, 0);
  EXPECT_EQ(w.evaluate(now).decision, Decision::kBlock);
  w.policy.for_reason(ReasonCode::kDoseExceedsPrescribed).decision = Decision::kWarn;
  const Verdict v = w.evaluate(now);
  EXPECT_EQ(v.decision, Decision::kWarn);
  EXPECT_TRUE(v.has(ReasonCode::kDoseExceedsPrescribed));
}

TEST(PolicyChanges, AReasonSetToProceedIsStillReported) {
  World w = late_amlodipine();
  w.policy.for_reason(ReasonCode::kTooLate).decision = Decision::kProceed;
  const Verdict v = w.evaluate(local(2026, 3, 4, 10, 0));
  EXPECT_EQ(v.decision, Decision::kProceed);
  ASSERT_TRUE(v.has(ReasonCode::kTooLate));
  EXPECT_EQ(v.summary.rfind(
                "Give 1 tablet of Amlodipine 5mg tablets (oral) for the 08:00 dose. Note:", 0),
            0U)
      << v.summary;
}

TEST(PolicyChanges, AnotherCategoryCanNeedAWitness) {
  World w;
  w.with(prn(21, co_codamol_30_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")))
      .scanning(co_codamol_30_500());
  EXPECT_FALSE(w.evaluate(local(2026, 3, 4, 12, 0)).witness_required);
  w.policy.witness_categories.push_back(domain::ControlledDrugCategory::kSchedule5);
  const Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
  EXPECT_TRUE(v.witness_required);
  EXPECT_EQ(v.decision, Decision::kWarn);
}

TEST(Verdicts, TheDecisionIsTheMostSevereAndBlocksAreListedFirst) {
  World w;
  w.with(prn(70, oxycodone_5(), fixed("1", "capsule"), Minutes{240}, dec("4")));
  w.scanning(oxycodone_5());
  w.item = pack_scan(oxycodone_5(), expiry(2026, 3, 3), "B77");
  w.proposed = dec("0.5");
  const Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
  EXPECT_EQ(v.decision, Decision::kBlock) << codes(v);
  ASSERT_EQ(v.reasons.size(), 3U) << codes(v);
  EXPECT_EQ(v.reasons[0].code, ReasonCode::kExpired);
  EXPECT_EQ(v.reasons[1].code, ReasonCode::kControlledDrugWitnessRequired);
  EXPECT_EQ(v.reasons[2].code, ReasonCode::kDoseBelowPrescribed);
  EXPECT_TRUE(v.witness_required);
  EXPECT_EQ(v.summary.rfind("Do not give. Shortec 5mg capsules", 0), 0U) << v.summary;
  EXPECT_NE(v.summary.find("(and 2 more reasons)"), std::string::npos) << v.summary;
}

TEST(Verdicts, WithoutAPolicyTheDefaultsApply) {
  World w = late_amlodipine();
  Snapshot s;
  s.resident = &w.resident;
  s.prescriptions = w.prescriptions;
  s.item = &w.item;
  s.product = &*w.product;
  s.policy = nullptr;
  EXPECT_EQ(evaluate(s, local(2026, 3, 4, 10, 0)).decision, Decision::kWarn);
  EXPECT_EQ(evaluate(s, local(2026, 3, 4, 6, 0)).decision, Decision::kBlock);
}

}  // namespace
}  // namespace bcma::rules::testing
