// Checks on the resident, the scanned item and the product: expiry, recalls, allergies,
// labels, unusable scans and controlled drugs.

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace bcma::rules::testing {
namespace {

using domain::Allergy;

World amlodipine_world() {
  World w;
  w.with(regular(10, amlodipine_5(), {at(8, 0), at(20, 0)}, fixed("1", "tablet")))
      .scanning(amlodipine_5());
  return w;
}

TEST(Expiry, DayZeroMeansTheEndOfALeapFebruary) {
  World w = amlodipine_world();
  w.item = pack_scan(amlodipine_5(), expiry(2028, 2, 0), "B1");
  EXPECT_FALSE(w.evaluate(local(2028, 2, 29, 20, 59)).has(ReasonCode::kExpired));
  const Verdict v = w.evaluate(local(2028, 3, 1, 8, 0));
  const Reason* r = find_reason(v, ReasonCode::kExpired);
  ASSERT_NE(r, nullptr) << codes(v);
  EXPECT_EQ(r->message,
            "Amlodipine 5mg tablets (Accord Healthcare Ltd), batch B1, has expired: it could be "
            "used until the end of 29 February 2028 (end of month), and today is 1 March 2028. "
            "Do not use this pack.");
}

TEST(Expiry, DayZeroInAnOrdinaryFebruaryEndsOnThe28th) {
  World w = amlodipine_world();
  w.item = pack_scan(amlodipine_5(), expiry(2027, 2, 0), "B1");
  EXPECT_FALSE(w.evaluate(local(2027, 2, 28, 20, 0)).has(ReasonCode::kExpired));
  EXPECT_TRUE(w.evaluate(local(2027, 3, 1, 8, 0)).has(ReasonCode::kExpired));
  // The engine resolves DD=00 itself, whatever day a scan carries with it.
  scan::ExpiryDate e = expiry(2027, 2, 0);
  e.day = 31;
  w.item = pack_scan(amlodipine_5(), e, "B1");
  EXPECT_TRUE(w.evaluate(local(2027, 3, 1, 8, 0)).has(ReasonCode::kExpired));
}

TEST(Expiry, UsesTheHomesLocalDay) {
  World w = amlodipine_world();
  w.item = pack_scan(amlodipine_5(), expiry(2026, 6, 30), "B1");
  // 23:59 BST on 30 June is 22:59 UTC: still usable.
  EXPECT_FALSE(w.evaluate(utc("2026-06-30T22:59:00Z")).has(ReasonCode::kExpired));
  // 00:30 BST on 1 July is 23:30 UTC on 30 June: expired in the home.
  EXPECT_TRUE(w.evaluate(utc("2026-06-30T23:30:00Z")).has(ReasonCode::kExpired));
}

TEST(Expiry, AnImpossibleDateIsAnUnusableBarcode) {
  World w = amlodipine_world();
  w.item = pack_scan(amlodipine_5(), expiry(2026, 2, 30), "B1");
  const Verdict v = w.evaluate(local(2026, 2, 1, 8, 0));
  EXPECT_TRUE(v.has(ReasonCode::kInvalidBarcode)) << codes(v);
  EXPECT_FALSE(v.has(ReasonCode::kExpired));
  EXPECT_EQ(v.decision, Decision::kBlock);
}

TEST(Recalls, MatchByGtinOrByVmpAndByBatchIgnoringCase) {
  World w = amlodipine_world();
  w.recalls = {{"", amlodipine_5().vmp.id, "b12345", "MHRA EL(26)A/07"}};
  Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
  const Reason* r = find_reason(v, ReasonCode::kRecalledBatch);
  ASSERT_NE(r, nullptr) << codes(v);
  EXPECT_EQ(r->message,
            "Batch b12345 of Amlodipine 5mg tablets (Accord Healthcare Ltd) has been recalled "
            "(MHRA EL(26)A/07). Do not use this pack; set it aside for return.");
  // Another GTIN's recall does not touch this pack.
  w.recalls = {{"05099999999999", "", "B12345", ""}};
  EXPECT_FALSE(w.evaluate(local(2026, 3, 4, 8, 0)).has(ReasonCode::kRecalledBatch));
  // A recall with no batch covers every batch.
  w.recalls = {{amlodipine_5().gtin, "", "", "MHRA EL(26)A/09"}};
  v = w.evaluate(local(2026, 3, 4, 8, 0));
  ASSERT_TRUE(v.has(ReasonCode::kRecalledBatch)) << codes(v);
  EXPECT_EQ(message_of(v, ReasonCode::kRecalledBatch).rfind("All batches of", 0), 0U);
}

TEST(Allergies, MatchAtSubstanceVtmVmpAndAmpLevel) {
  struct Case {
    Allergy allergy;
    domain::ProductMatch scanned;
    bool matches;
    const char* says;
  };
  const std::vector<Case> cases = {
      {{Allergy::Level::kSubstance, std::string(kParacetamol), "Paracetamol - rash"},
       co_codamol_30_500(),
       true,
       "Co-codamol 30mg/500mg tablets (Zentiva) contains Paracetamol."},
      {{Allergy::Level::kSubstance, std::string(kCodeine), "Codeine - vomiting"},
       paracetamol_500(),
       false,
       ""},
      {{Allergy::Level::kVtm, "90332006", "Paracetamol"},
       panadol_500(),
       true,
       "is a form of Paracetamol."},
      {{Allergy::Level::kVmp, paracetamol_500().vmp.id, "Paracetamol tablets"},
       panadol_500(),
       true,
       "is Paracetamol 500mg tablets."},
      {{Allergy::Level::kAmp, panadol_500().amp.id, "Panadol (excipient)"},
       panadol_500(),
       true,
       "This pack is Panadol 500mg tablets (Haleon UK Trading Ltd)."},
      {{Allergy::Level::kAmp, panadol_500().amp.id, "Panadol (excipient)"},
       paracetamol_500(),
       false,
       ""},
  };
  for (const Case& c : cases) {
    World w;
    w.with(prn(20, paracetamol_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")))
        .with(prn(21, co_codamol_30_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")));
    w.resident.allergies = {c.allergy};
    w.resident.no_known_allergies = false;
    w.scanning(c.scanned);
    const Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
    ASSERT_EQ(v.has(ReasonCode::kAllergy), c.matches) << c.allergy.description << " " << codes(v);
    if (c.matches) {
      const std::string& m = message_of(v, ReasonCode::kAllergy);
      EXPECT_EQ(m.rfind("Jane Smith has a recorded allergy: " + c.allergy.description + ". ", 0),
                0U)
          << m;
      EXPECT_NE(m.find(c.says), std::string::npos) << m;
      EXPECT_EQ(v.decision, Decision::kBlock);
    }
  }
}

TEST(Labels, ALabelForThisResidentIsAccepted) {
  World w = amlodipine_world();
  w.item = label_scan(jane(), amlodipine_5());
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 8, 0)).decision, Decision::kProceed);
  w.label_owner = jane();
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 8, 0)).decision, Decision::kProceed);
}

TEST(Labels, TheStoresOwnerWinsOverAnOldWristbandNumber) {
  // A replacement wristband: the label's GSRN is the old one, and the store resolved the label
  // to Jane from its dispensed-item number.
  World w = amlodipine_world();
  w.item = label_scan(jane(), amlodipine_5());
  std::get<scan::PharmacyLabel>(w.item.data).resident_gsrn = "801234500000000003";
  w.label_owner = jane();
  EXPECT_FALSE(w.evaluate(local(2026, 3, 4, 8, 0)).has(ReasonCode::kWrongResident));
  w.label_owner.reset();
  EXPECT_TRUE(w.evaluate(local(2026, 3, 4, 8, 0)).has(ReasonCode::kWrongResident));
}

TEST(Labels, AnNhsNumberOnTheLabelIsCompared) {
  World w = amlodipine_world();
  w.item = label_scan(jane(), amlodipine_5());
  auto& label = std::get<scan::PharmacyLabel>(w.item.data);
  label.resident_gsrn.clear();
  label.resident_nhs_number = john().nhs_number;
  const Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
  ASSERT_TRUE(v.has(ReasonCode::kWrongResident)) << codes(v);
  EXPECT_EQ(message_of(v, ReasonCode::kWrongResident),
            "This pharmacy label is for another person (NHS number 9434765870), not Jane Smith. "
            "Return it to that resident's medicines.");
}

TEST(Labels, AnUnknownLabelWithoutAProductCannotBeChecked) {
  World w = amlodipine_world();
  w.item = label_scan(jane(), amlodipine_5());
  std::get<scan::PharmacyLabel>(w.item.data).gtin.reset();
  w.product.reset();
  const Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
  ASSERT_TRUE(v.has(ReasonCode::kUnknownProduct)) << codes(v);
  EXPECT_NE(message_of(v, ReasonCode::kUnknownProduct).find("25300000000011DISP0042"),
            std::string::npos);
}

TEST(UnusableScans, SayWhatWasScannedAndWhatToDo) {
  struct Case {
    scan::Kind kind;
    const char* starts;
  };
  for (const Case& c : {Case{scan::Kind::kStaffBadge, "This is a staff badge, not a medicine."},
                        Case{scan::Kind::kLocation, "This is a location barcode, not a medicine."},
                        Case{scan::Kind::kMedicinePack, "The scan of this item is incomplete."}}) {
    World w = amlodipine_world();
    w.item = scan::Scan{};
    w.item.kind = c.kind;  // a pack kind with no pack data is incomplete
    if (c.kind == scan::Kind::kStaffBadge) w.item.data = scan::StaffBadge{"801234500000000010"};
    if (c.kind == scan::Kind::kLocation) w.item.data = scan::Location{"5012345000017"};
    const Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
    ASSERT_EQ(v.reasons.size(), 1U) << codes(v);
    EXPECT_EQ(v.reasons[0].code, ReasonCode::kInvalidBarcode);
    EXPECT_EQ(v.reasons[0].message.rfind(c.starts, 0), 0U) << v.reasons[0].message;
    EXPECT_NE(v.reasons[0].message.find("Scan the 2D barcode on the medicine pack"),
              std::string::npos);
    EXPECT_FALSE(v.prescription_id);
  }
}

TEST(ProductChecks, StillApplyWhenNothingIsPrescribed) {
  World w = amlodipine_world();
  w.scanning(amoxicillin_500());
  w.item = pack_scan(amoxicillin_500(), expiry(2026, 1, 31), "B9");
  w.resident.allergies = {
      {Allergy::Level::kSubstance, std::string(kAmoxicillin), "Amoxicillin - anaphylaxis"}};
  const Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
  EXPECT_TRUE(v.has(ReasonCode::kNotPrescribed)) << codes(v);
  EXPECT_TRUE(v.has(ReasonCode::kExpired)) << codes(v);
  EXPECT_TRUE(v.has(ReasonCode::kAllergy)) << codes(v);
}

TEST(ControlledDrugs, ScheduleTwoNeedsAWitnessAndSaysSo) {
  World w;
  w.with(prn(70, oxycodone_5(), fixed("1", "capsule"), Minutes{240}, dec("4")))
      .scanning(oxycodone_5());
  const Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
  EXPECT_TRUE(v.witness_required);
  EXPECT_EQ(v.decision, Decision::kWarn);
  EXPECT_EQ(v.summary,
            "Check before giving. Shortec 5mg capsules (Qdem Pharmaceuticals Ltd) is a Schedule 2 "
            "controlled drug: a second member of staff must witness the dose and sign the "
            "register.");
  EXPECT_EQ(v.prescription_id, 70);
}

TEST(Residents, AbsentResidentsAreNamed) {
  World w = amlodipine_world();
  w.resident.status = domain::ResidentStatus::kInHospital;
  const Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
  EXPECT_EQ(message_of(v, ReasonCode::kResidentNotPresent),
            "Jane Smith is recorded as in hospital: doses are not given in the home until the "
            "record says Jane Smith is back.");
}

}  // namespace
}  // namespace bcma::rules::testing
