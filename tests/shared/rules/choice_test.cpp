// Which prescription a scan answers when several match the product.

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace bcma::rules::testing {
namespace {

// Regular paracetamol 1 g at 08:00 (id 1) and PRN paracetamol 1 or 2 tablets (id 2).
World regular_and_prn() {
  World w;
  w.with(regular(1, paracetamol_500(), {at(8, 0)}, fixed("2", "tablet")))
      .with(prn(2, paracetamol_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")))
      .scanning(paracetamol_500());
  return w;
}

TEST(PrescriptionChoice, ARegularDoseDueNowComesFirst) {
  const World w = regular_and_prn();
  const Verdict v = w.evaluate(local(2026, 3, 4, 8, 10));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.prescription_id, 1);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 8, 0));
  EXPECT_EQ(v.dose->min, dec("2"));
}

TEST(PrescriptionChoice, APrnThatMayBeGivenBeatsARegularDoseThatMayNot) {
  World w = regular_and_prn();
  w.history = {given(1, local(2026, 3, 4, 8, 5), "2", local(2026, 3, 4, 8, 0))};
  const Verdict v = w.evaluate(local(2026, 3, 4, 13, 0));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.prescription_id, 2);
  EXPECT_FALSE(v.slot);
}

TEST(PrescriptionChoice, WhenEveryReadingBlocksThePrnExplainsTheWait) {
  World w = regular_and_prn();
  w.history = {given(1, local(2026, 3, 4, 8, 5), "2", local(2026, 3, 4, 8, 0))};
  const Verdict v = w.evaluate(local(2026, 3, 4, 11, 0));
  EXPECT_EQ(v.decision, Decision::kBlock) << codes(v);
  EXPECT_EQ(v.prescription_id, 2);
  ASSERT_EQ(v.reasons.size(), 1U) << codes(v);
  EXPECT_EQ(v.reasons[0].message,
            "Paracetamol 500mg tablets: last given at 08:05; the next dose is allowed from 12:05 "
            "(at least 4 hours apart).");
}

TEST(PrescriptionChoice, TwoRegularPrescriptionsOfOneProductPickTheOneDue) {
  World w;
  w.with(regular(1, amlodipine_5(), {at(8, 0)}, fixed("1", "tablet")))
      .with(regular(2, amlodipine_5(), {at(22, 0)}, fixed("2", "tablet")))
      .scanning(amlodipine_5());
  Verdict v = w.evaluate(local(2026, 3, 4, 22, 10));
  EXPECT_EQ(v.prescription_id, 2);
  EXPECT_EQ(v.dose->max, dec("2"));
  v = w.evaluate(local(2026, 3, 4, 7, 50));
  EXPECT_EQ(v.prescription_id, 1);
}

TEST(PrescriptionChoice, AGenericPrescriptionIsSatisfiedByAnyBrand) {
  World w = regular_and_prn();
  w.scanning(panadol_500());
  const Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.prescription_id, 1);
}

TEST(PrescriptionChoice, ABrandPrescriptionOnlyByThatBrand) {
  World w;
  domain::Prescription rx =
      regular(5, tegretol_retard_200(), {at(8, 0), at(20, 0)}, fixed("1", "tablet"));
  rx.level = domain::MedicationLevel::kAmp;
  rx.medication_id = tegretol_retard_200().amp.id;
  rx.medication_name = "Tegretol Prolonged Release 200mg tablets";
  w.with(rx).scanning(tegretol_retard_200());
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 8, 0)).decision, Decision::kProceed);
  w.scanning(carbamazepine_200_mr_teva());
  Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
  EXPECT_TRUE(v.has(ReasonCode::kBrandMismatch)) << codes(v);
  EXPECT_EQ(v.prescription_id, 5) << "the verdict still names the prescription it is about";
  EXPECT_EQ(v.slot, local(2026, 3, 4, 8, 0));
  // Without the VMP of the prescribed brand, another brand is simply not prescribed.
  w.prescriptions[0].vmp_id.clear();
  v = w.evaluate(local(2026, 3, 4, 8, 0));
  EXPECT_TRUE(v.has(ReasonCode::kNotPrescribed)) << codes(v);
  EXPECT_FALSE(v.has(ReasonCode::kBrandMismatch));
}

TEST(PrescriptionChoice, AnotherResidentsPrescriptionsAreIgnored) {
  World w;
  domain::Prescription johns = regular(7, amoxicillin_500(), {at(8, 0)}, fixed("1", "capsule"));
  johns.resident_id = john().id;
  w.with(johns).scanning(amoxicillin_500());
  const Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
  EXPECT_TRUE(v.has(ReasonCode::kNotPrescribed)) << codes(v);
  EXPECT_FALSE(v.prescription_id);
}

TEST(PrescriptionChoice, TheChoiceDoesNotDependOnListOrder) {
  World a = regular_and_prn();
  a.history = {given(1, local(2026, 3, 4, 8, 5), "2", local(2026, 3, 4, 8, 0))};
  World b = a;
  std::swap(b.prescriptions[0], b.prescriptions[1]);
  for (int hour : {7, 8, 9, 11, 13, 20}) {
    const Instant now = local(2026, 3, 4, hour, 10);
    EXPECT_EQ(a.evaluate(now).prescription_id, b.evaluate(now).prescription_id) << hour;
  }
}

}  // namespace
}  // namespace bcma::rules::testing
