// PRN: minimum intervals, maxima per prescription and per ingredient across products, the
// home's ingredient limits, and dose ranges.

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace bcma::rules::testing {
namespace {

using domain::Outcome;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Jane has PRN paracetamol 500 mg (id 20) and PRN co-codamol 30/500 (id 21), each 1 or 2
// tablets, at least 4 hours apart, at most 8 tablets in 24 hours.
World pain_relief() {
  World w;
  w.with(prn(20, paracetamol_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")))
      .with(prn(21, co_codamol_30_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")));
  return w;
}

// 3.5 g of paracetamol by Wednesday 14:00: co-codamol 2+2+2 and paracetamol 1.
void three_and_a_half_grams(World& w) {
  w.history = {given(21, local(2026, 3, 4, 2, 0), "2"), given(21, local(2026, 3, 4, 6, 0), "2"),
               given(20, local(2026, 3, 4, 10, 0), "1"), given(21, local(2026, 3, 4, 14, 0), "2")};
}

TEST(PrnMaxima, ParacetamolAndCoCodamolAddUpPerIngredient) {
  World w = pain_relief();
  three_and_a_half_grams(w);
  w.scanning(paracetamol_500());
  w.proposed = dec("2");
  Verdict v = w.evaluate(local(2026, 3, 4, 18, 0));
  const Reason* r = find_reason(v, ReasonCode::kPrnMaxExceeded);
  ASSERT_NE(r, nullptr) << codes(v);
  EXPECT_EQ(r->message,
            "Paracetamol: 3.5 g given in the last 24 hours (Co-codamol 30mg/500mg tablets and "
            "Paracetamol 500mg tablets); 2 tablets of Paracetamol 500mg tablets (1 g) would make "
            "4.5 g, over the maximum of 4 g in 24 hours (Paracetamol 500mg tablets: at most 8 "
            "tablets in 24 hours). It can be given from 02:00 tomorrow.");
  EXPECT_EQ(r->prescription_id, 20);
  EXPECT_EQ(v.decision, Decision::kBlock);
  // Each product alone is well under its own 8 tablets: only the ingredient total stops it.
  EXPECT_EQ(v.reasons.size(), 1U) << codes(v);

  w.proposed = dec("1");
  v = w.evaluate(local(2026, 3, 4, 18, 0));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);

  // The same from the co-codamol side.
  w.scanning(co_codamol_30_500());
  w.proposed = dec("2");
  v = w.evaluate(local(2026, 3, 4, 18, 0));
  ASSERT_TRUE(v.has(ReasonCode::kPrnMaxExceeded)) << codes(v);
  EXPECT_EQ(v.prescription_id, 21);
}

TEST(PrnMaxima, WithNoQuantityTheRangeIsCutToWhatFits) {
  World w = pain_relief();
  three_and_a_half_grams(w);
  w.scanning(paracetamol_500());
  const Verdict v = w.evaluate(local(2026, 3, 4, 18, 0));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  ASSERT_TRUE(v.dose);
  EXPECT_EQ(v.dose->min, dec("1"));
  EXPECT_EQ(v.dose->max, dec("1"));
  EXPECT_EQ(v.summary,
            "Give 1 tablet of Paracetamol 500mg tablets (oral) when required for pain. No more "
            "than 1 tablet: more would go over the 24-hour maximum.");
}

TEST(PrnMaxima, CountsTheRolling24HoursBeforeNow) {
  World w = pain_relief();
  w.scanning(paracetamol_500());
  const Instant now = local(2026, 3, 4, 18, 0);
  // 7 tablets' worth: one dose of 2 exactly 24 hours ago does not count, one a second later does.
  w.history = {given(20, now - std::chrono::hours{24}, "2"),
               given(21, local(2026, 3, 4, 2, 0), "2"), given(21, local(2026, 3, 4, 6, 0), "2"),
               given(20, local(2026, 3, 4, 10, 0), "2")};
  w.proposed = dec("2");
  EXPECT_FALSE(w.evaluate(now).has(ReasonCode::kPrnMaxExceeded)) << codes(w.evaluate(now));
  w.history[0].event_time += std::chrono::seconds{1};
  EXPECT_TRUE(w.evaluate(now).has(ReasonCode::kPrnMaxExceeded)) << codes(w.evaluate(now));
}

TEST(PrnMaxima, DosesNotTakenDoNotCount) {
  World w = pain_relief();
  w.scanning(paracetamol_500());
  w.history = {given(21, local(2026, 3, 4, 2, 0), "2"), given(21, local(2026, 3, 4, 6, 0), "2"),
               given(20, local(2026, 3, 4, 10, 0), "2"),
               given(20, local(2026, 3, 4, 13, 0), "2", std::nullopt, Outcome::kRefused),
               given(20, local(2026, 3, 4, 13, 30), "2", std::nullopt, Outcome::kNotRequired)};
  w.proposed = dec("2");
  const Verdict v = w.evaluate(local(2026, 3, 4, 18, 0));
  EXPECT_FALSE(v.has(ReasonCode::kPrnMaxExceeded)) << codes(v);
  EXPECT_FALSE(v.has(ReasonCode::kPrnTooSoon)) << codes(v);
}

TEST(PrnMaxima, TheTightestPrescriptionLimitAppliesAcrossProducts) {
  // Co-codamol at most 4 tablets a day caps paracetamol from any product at 2 g.
  World w = pain_relief();
  w.prescriptions[1].prn->max_per_24h = dec("4");
  w.scanning(paracetamol_500());
  w.history = {given(20, local(2026, 3, 4, 6, 0), "2"), given(20, local(2026, 3, 4, 10, 0), "1")};
  w.proposed = dec("2");
  const Verdict v = w.evaluate(local(2026, 3, 4, 14, 0));
  const Reason* r = find_reason(v, ReasonCode::kPrnMaxExceeded);
  ASSERT_NE(r, nullptr) << codes(v);
  EXPECT_TRUE(contains(r->message,
                       "over the maximum of 2 g in 24 hours (Co-codamol "
                       "30mg/500mg tablets: at most 4 tablets in 24 hours)"))
      << r->message;
  w.proposed = dec("1");
  EXPECT_FALSE(w.evaluate(local(2026, 3, 4, 14, 0)).has(ReasonCode::kPrnMaxExceeded));
}

TEST(PrnMaxima, TheHomeLimitAppliesToRegularDosesToo) {
  // Regular paracetamol 1 g four times a day plus a PRN co-codamol with no maximum of its own:
  // the fourth regular dose would make 5 g.
  World w;
  w.with(regular(1, paracetamol_500(), {round("MORN"), round("NOON"), round("EVE"), round("NIGHT")},
                 fixed("2", "tablet")))
      .with(prn(21, co_codamol_30_500(), range("1", "2", "tablet"), Minutes{240}, std::nullopt))
      .scanning(paracetamol_500());
  w.history = {given(1, local(2026, 3, 4, 8, 0), "2", local(2026, 3, 4, 8, 0)),
               given(1, local(2026, 3, 4, 12, 0), "2", local(2026, 3, 4, 12, 0)),
               given(21, local(2026, 3, 4, 14, 30), "2"),
               given(1, local(2026, 3, 4, 17, 0), "2", local(2026, 3, 4, 17, 0))};
  const Verdict v = w.evaluate(local(2026, 3, 4, 22, 0));
  const Reason* r = find_reason(v, ReasonCode::kPrnMaxExceeded);
  ASSERT_NE(r, nullptr) << codes(v);
  EXPECT_TRUE(contains(r->message,
                       "would make 5 g, over the maximum of 4 g in 24 hours (the "
                       "home's limit for Paracetamol)"))
      << r->message;
  EXPECT_EQ(v.slot, local(2026, 3, 4, 22, 0));
  EXPECT_EQ(v.decision, Decision::kBlock);
}

TEST(PrnMaxima, HomeLimitsConvertUnits) {
  World w = pain_relief();
  w.policy.ingredient_limits = {{std::string(kParacetamol), "Paracetamol", dec("3"), "g"}};
  w.prescriptions[0].prn->max_per_24h.reset();
  w.prescriptions[1].prn->max_per_24h.reset();
  w.scanning(paracetamol_500());
  w.history = {given(21, local(2026, 3, 4, 2, 0), "2"), given(21, local(2026, 3, 4, 6, 0), "2"),
               given(20, local(2026, 3, 4, 10, 0), "1")};
  w.proposed = dec("1");
  EXPECT_FALSE(w.evaluate(local(2026, 3, 4, 18, 0)).has(ReasonCode::kPrnMaxExceeded));
  w.proposed = dec("2");
  const Verdict v = w.evaluate(local(2026, 3, 4, 18, 0));
  ASSERT_TRUE(v.has(ReasonCode::kPrnMaxExceeded)) << codes(v);
  EXPECT_TRUE(contains(message_of(v, ReasonCode::kPrnMaxExceeded), "maximum of 3 g"));
}

TEST(PrnMaxima, PerPrescriptionMaximumInDoseUnitsWithoutIngredients) {
  domain::ProductMatch lactulose = paracetamol_500();
  lactulose.vmp.id = "36028711000001107";
  lactulose.vmp.name = "Lactulose 3.3g/5ml oral solution";
  lactulose.vmp.ingredients.clear();
  lactulose.vmp.unit_dose_unit = "ml";
  World w;
  w.with(prn(30, lactulose, range("5", "15", "ml"), Minutes{0}, dec("30"))).scanning(lactulose);
  w.history = {given(30, local(2026, 3, 3, 20, 0), "15"), given(30, local(2026, 3, 4, 8, 0), "5")};
  w.proposed = dec("15");
  Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
  const Reason* r = find_reason(v, ReasonCode::kPrnMaxExceeded);
  ASSERT_NE(r, nullptr) << codes(v);
  EXPECT_EQ(r->message,
            "Lactulose 3.3g/5ml oral solution: 20 ml given in the last 24 hours; 15 ml more would "
            "be over the maximum of 30 ml in 24 hours. It can be given from 20:00.");
  w.proposed = dec("10");
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 12, 0)).decision, Decision::kProceed);
  w.proposed.reset();
  v = w.evaluate(local(2026, 3, 4, 12, 0));
  EXPECT_EQ(v.dose->max, dec("10")) << codes(v);
  EXPECT_EQ(v.summary.substr(0, 60),
            "Give 5 to 10 ml of Lactulose 3.3g/5ml oral solution (oral) w");
}

TEST(PrnMaxima, ADoseOverTheMaximumOnItsOwnSaysSo) {
  World w;
  w.with(prn(20, paracetamol_500(), range("1", "4", "tablet"), Minutes{0}, dec("2")))
      .scanning(paracetamol_500());
  w.proposed = dec("3");
  const Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
  ASSERT_TRUE(v.has(ReasonCode::kPrnMaxExceeded)) << codes(v);
  EXPECT_TRUE(
      contains(message_of(v, ReasonCode::kPrnMaxExceeded), "This dose alone is over the maximum."));
}

TEST(PrnMaxima, RecordedIngredientsCountEvenWithoutThePrescription) {
  // A dose from a prescription no longer current still carries what it contained.
  World w = pain_relief();
  w.scanning(paracetamol_500());
  domain::PastDose old = given(99, local(2026, 3, 4, 2, 0), "8");
  old.ingredients = paracetamol_500().vmp.ingredients;
  w.history = {old};
  w.proposed = dec("1");
  const Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
  ASSERT_TRUE(v.has(ReasonCode::kPrnMaxExceeded)) << codes(v);
  EXPECT_TRUE(contains(message_of(v, ReasonCode::kPrnMaxExceeded), "(another medicine)"));
}

TEST(PrnInterval, AnotherProductWithTheSameIngredientCounts) {
  World w = pain_relief();
  w.scanning(paracetamol_500());
  w.history = {given(21, local(2026, 3, 4, 10, 5), "2")};
  const Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
  const Reason* r = find_reason(v, ReasonCode::kPrnTooSoon);
  ASSERT_NE(r, nullptr) << codes(v);
  EXPECT_EQ(r->message,
            "Paracetamol 500mg tablets: Co-codamol 30mg/500mg tablets, which also contains "
            "Paracetamol, was given at 10:05; the next dose is allowed from 14:05 (at least 4 "
            "hours apart).");
}

TEST(PrnInterval, UnrelatedMedicinesDoNotCount) {
  World w = pain_relief();
  w.with(regular(1, amlodipine_5(), {at(10, 0)}, fixed("1", "tablet")));
  w.scanning(paracetamol_500());
  w.history = {given(1, local(2026, 3, 4, 10, 0), "1", local(2026, 3, 4, 10, 0))};
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 11, 0)).decision, Decision::kProceed);
}

TEST(PrnInterval, NotRequiredOrRefusedDoNotStartTheInterval) {
  World w = pain_relief();
  w.scanning(paracetamol_500());
  w.history = {given(20, local(2026, 3, 4, 10, 0), "0", std::nullopt, Outcome::kNotRequired),
               given(20, local(2026, 3, 4, 10, 30), "0", std::nullopt, Outcome::kRefused)};
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 11, 0)).decision, Decision::kProceed);
}

TEST(DoseRanges, AreShownAndCheckedBothWays) {
  World w = pain_relief();
  w.scanning(paracetamol_500());
  Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
  EXPECT_EQ(v.summary,
            "Give 1 or 2 tablets of Paracetamol 500mg tablets (oral) when required for pain.");
  w.proposed = dec("2");
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 12, 0)).decision, Decision::kProceed);
  w.proposed = dec("3");
  v = w.evaluate(local(2026, 3, 4, 12, 0));
  EXPECT_EQ(message_of(v, ReasonCode::kDoseExceedsPrescribed),
            "Paracetamol 500mg tablets: 3 tablets is more than the prescribed dose of 1 or 2 "
            "tablets.");
  w.proposed = dec("0.5");
  v = w.evaluate(local(2026, 3, 4, 12, 0));
  EXPECT_EQ(message_of(v, ReasonCode::kDoseBelowPrescribed),
            "Paracetamol 500mg tablets: 0.5 tablets is less than the prescribed dose of 1 or 2 "
            "tablets.");
  EXPECT_EQ(v.decision, Decision::kWarn);
}

}  // namespace
}  // namespace bcma::rules::testing
