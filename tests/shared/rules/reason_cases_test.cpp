// Every reason code: at least one case that produces it and a near miss that does not.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>

#include "fixtures.hpp"

namespace bcma::rules::testing {
namespace {

using domain::Outcome;
using domain::ResidentStatus;

struct ReasonCase {
  const char* name;
  ReasonCode code;
  bool expected;                          // the code is among the reasons
  std::function<void(World&)> setup;      // applied to the base world
  Instant now = local(2026, 3, 4, 8, 0);  // a Wednesday, GMT
  // For a near miss that should give the dose without any question: no reasons at all.
  bool clean = false;
};

void PrintTo(const ReasonCase& c, std::ostream* os) { *os << c.name; }

// Jane Smith, amlodipine 5 mg one tablet at 08:00, scanning an amlodipine pack.
World base() {
  World w;
  w.with(regular(10, amlodipine_5(), {at(8, 0)}, fixed("1", "tablet"))).scanning(amlodipine_5());
  return w;
}

void only(World& w, domain::Prescription rx, const domain::ProductMatch& p) {
  w.prescriptions = {std::move(rx)};
  w.scanning(p);
}

domain::Prescription paracetamol_prn() {
  return prn(20, paracetamol_500(), range("1", "2", "tablet"), Minutes{240}, dec("8"));
}

domain::Prescription tegretol_by_brand() {
  domain::Prescription rx = regular(30, tegretol_retard_200(), {at(8, 0)}, fixed("1", "tablet"));
  rx.level = domain::MedicationLevel::kAmp;
  rx.medication_id = tegretol_retard_200().amp.id;
  rx.medication_name = tegretol_retard_200().amp.name;
  return rx;
}

domain::Prescription co_careldopa_critical() {
  domain::Prescription rx = regular(40, co_careldopa_25_100(), {at(8, 0)}, fixed("1", "tablet"));
  rx.time_critical = true;
  return rx;
}

domain::Prescription alendronate_mondays() {
  domain::Prescription rx = regular(50, alendronic_acid_70(), {at(8, 0)}, fixed("1", "tablet"));
  rx.days.kind = domain::DayPattern::Kind::kDaysOfWeek;
  rx.days.weekdays = 0b0000001;  // Monday
  return rx;
}

// Four doses of two tablets within the last 24 hours of Wednesday 17:20 when `first` is late
// enough; the earliest one is `first`.
std::vector<domain::PastDose> four_double_doses(Instant first) {
  return {given(20, first, "2"), given(20, local(2026, 3, 4, 4, 40), "2"),
          given(20, local(2026, 3, 4, 9, 0), "2"), given(20, local(2026, 3, 4, 13, 10), "2")};
}

const std::vector<ReasonCase>& cases() {
  static const std::vector<ReasonCase> kCases = {
      {"label for another resident", ReasonCode::kWrongResident, true,
       [](World& w) {
         w.item = label_scan(john(), amlodipine_5());
         w.label_owner = john();
       }},
      {"label for another resident known only by wristband number", ReasonCode::kWrongResident,
       true, [](World& w) { w.item = label_scan(john(), amlodipine_5()); }},
      {"label for this resident", ReasonCode::kWrongResident, false,
       [](World& w) {
         w.item = label_scan(jane(), amlodipine_5());
         w.label_owner = jane();
       },
       local(2026, 3, 4, 8, 0), true},

      {"resident in hospital", ReasonCode::kResidentNotPresent, true,
       [](World& w) { w.resident.status = ResidentStatus::kInHospital; }},
      {"resident on leave", ReasonCode::kResidentNotPresent, true,
       [](World& w) { w.resident.status = ResidentStatus::kOnLeave; }},
      {"resident present", ReasonCode::kResidentNotPresent, false, [](World&) {},
       local(2026, 3, 4, 8, 0), true},

      {"resident deceased", ReasonCode::kResidentDischarged, true,
       [](World& w) { w.resident.status = ResidentStatus::kDeceased; }},
      {"resident discharged", ReasonCode::kResidentDischarged, true,
       [](World& w) { w.resident.status = ResidentStatus::kDischarged; }},
      {"resident only on leave", ReasonCode::kResidentDischarged, false,
       [](World& w) { w.resident.status = ResidentStatus::kOnLeave; }},

      {"GTIN not in the medicines list", ReasonCode::kUnknownProduct, true,
       [](World& w) { w.product.reset(); }},
      {"GTIN known", ReasonCode::kUnknownProduct, false, [](World&) {}, local(2026, 3, 4, 8, 0),
       true},

      {"product not prescribed", ReasonCode::kNotPrescribed, true,
       [](World& w) { w.scanning(amoxicillin_500()); }},
      {"product prescribed", ReasonCode::kNotPrescribed, false, [](World&) {},
       local(2026, 3, 4, 8, 0), true},

      {"other brand of a brand-specific prescription", ReasonCode::kBrandMismatch, true,
       [](World& w) { only(w, tegretol_by_brand(), carbamazepine_200_mr_teva()); }},
      {"the prescribed brand", ReasonCode::kBrandMismatch, false,
       [](World& w) { only(w, tegretol_by_brand(), tegretol_retard_200()); },
       local(2026, 3, 4, 8, 0), true},

      {"prescribed by gastrostomy, product oral only", ReasonCode::kRouteMismatch, true,
       [](World& w) {
         w.prescriptions[0].route_id = kGastrostomy;
         w.prescriptions[0].route_name = "gastrostomy";
       }},
      {"prescribed orally", ReasonCode::kRouteMismatch, false, [](World&) {},
       local(2026, 3, 4, 8, 0), true},

      {"expired yesterday", ReasonCode::kExpired, true,
       [](World& w) { w.item = pack_scan(amlodipine_5(), expiry(2026, 3, 3), "B12345"); }},
      {"expires today: usable to the end of the day", ReasonCode::kExpired, false,
       [](World& w) { w.item = pack_scan(amlodipine_5(), expiry(2026, 3, 4), "B12345"); },
       local(2026, 3, 4, 8, 0), true},

      {"batch recalled", ReasonCode::kRecalledBatch, true,
       [](World& w) {
         w.recalls.push_back({amlodipine_5().gtin, "", "B12345", "MHRA EL(26)A/07"});
       }},
      {"another batch recalled", ReasonCode::kRecalledBatch, false,
       [](World& w) {
         w.recalls.push_back({amlodipine_5().gtin, "", "B12346", "MHRA EL(26)A/07"});
       },
       local(2026, 3, 4, 8, 0), true},

      {"starts a second later", ReasonCode::kNotStarted, true,
       [](World& w) {
         w.prescriptions[0].starts = local(2026, 3, 4, 8, 0) + std::chrono::seconds{1};
       }},
      {"starts now", ReasonCode::kNotStarted, false,
       [](World& w) { w.prescriptions[0].starts = local(2026, 3, 4, 8, 0); },
       local(2026, 3, 4, 8, 0), true},

      {"stopped", ReasonCode::kStopped, true,
       [](World& w) { w.prescriptions[0].status = domain::PrescriptionStatus::kStopped; }},
      {"course completed", ReasonCode::kStopped, true,
       [](World& w) { w.prescriptions[0].status = domain::PrescriptionStatus::kCompleted; }},
      {"ends now (end is exclusive)", ReasonCode::kStopped, true,
       [](World& w) { w.prescriptions[0].ends = local(2026, 3, 4, 8, 0); }},
      {"ends a second from now", ReasonCode::kStopped, false,
       [](World& w) {
         w.prescriptions[0].ends = local(2026, 3, 4, 8, 0) + std::chrono::seconds{1};
       },
       local(2026, 3, 4, 8, 0), true},

      {"on hold", ReasonCode::kOnHold, true,
       [](World& w) { w.prescriptions[0].status = domain::PrescriptionStatus::kOnHold; }},
      {"active", ReasonCode::kOnHold, false, [](World&) {}, local(2026, 3, 4, 8, 0), true},

      {"61 minutes early with a 60 minute window", ReasonCode::kTooEarly, true, [](World&) {},
       local(2026, 3, 4, 6, 59)},
      {"59 minutes early", ReasonCode::kTooEarly, false, [](World&) {}, local(2026, 3, 4, 7, 1),
       true},
      {"exactly 60 minutes early", ReasonCode::kTooEarly, false, [](World&) {},
       local(2026, 3, 4, 7, 0), true},

      {"61 minutes late", ReasonCode::kTooLate, true, [](World&) {}, local(2026, 3, 4, 9, 1)},
      {"59 minutes late", ReasonCode::kTooLate, false, [](World&) {}, local(2026, 3, 4, 8, 59),
       true},

      {"the 08:00 slot recorded as given", ReasonCode::kAlreadyGiven, true,
       [](World& w) {
         w.history.push_back(given(10, local(2026, 3, 4, 7, 55), "1", local(2026, 3, 4, 8, 0)));
       }},
      {"the 08:00 slot recorded as refused", ReasonCode::kAlreadyGiven, true,
       [](World& w) {
         w.history.push_back(
             given(10, local(2026, 3, 4, 7, 58), "0", local(2026, 3, 4, 8, 0), Outcome::kRefused));
       }},
      {"only yesterday's 08:00 slot recorded", ReasonCode::kAlreadyGiven, false,
       [](World& w) {
         w.history.push_back(given(10, local(2026, 3, 3, 8, 2), "1", local(2026, 3, 3, 8, 0)));
       },
       local(2026, 3, 4, 8, 0), true},

      {"Monday-only medicine on a Wednesday", ReasonCode::kNotDueToday, true,
       [](World& w) { only(w, alendronate_mondays(), alendronic_acid_70()); }},
      {"Monday-only medicine on a Monday", ReasonCode::kNotDueToday, false,
       [](World& w) { only(w, alendronate_mondays(), alendronic_acid_70()); },
       local(2026, 3, 2, 8, 0), true},

      {"PRN a minute before the 4 hour interval", ReasonCode::kPrnTooSoon, true,
       [](World& w) {
         only(w, paracetamol_prn(), paracetamol_500());
         w.history.push_back(given(20, local(2026, 3, 4, 10, 5), "2"));
       },
       local(2026, 3, 4, 14, 4)},
      {"PRN exactly 4 hours later", ReasonCode::kPrnTooSoon, false,
       [](World& w) {
         only(w, paracetamol_prn(), paracetamol_500());
         w.history.push_back(given(20, local(2026, 3, 4, 10, 5), "2"));
       },
       local(2026, 3, 4, 14, 5), true},

      {"PRN maximum: 8 tablets in the last 24 hours", ReasonCode::kPrnMaxExceeded, true,
       [](World& w) {
         only(w, paracetamol_prn(), paracetamol_500());
         w.history = four_double_doses(local(2026, 3, 4, 0, 30));
       },
       local(2026, 3, 4, 17, 20)},
      {"PRN maximum: the first of those doses 24 h and a minute ago", ReasonCode::kPrnMaxExceeded,
       false,
       [](World& w) {
         only(w, paracetamol_prn(), paracetamol_500());
         w.history = four_double_doses(local(2026, 3, 3, 17, 19));
       },
       local(2026, 3, 4, 17, 20), true},

      {"allergic to an ingredient", ReasonCode::kAllergy, true,
       [](World& w) {
         only(w, regular(60, amoxicillin_500(), {at(8, 0)}, fixed("1", "capsule")),
              amoxicillin_500());
         w.resident.allergies.push_back(
             {domain::Allergy::Level::kSubstance, std::string(kAmoxicillin), "Amoxicillin - rash"});
       }},
      {"allergic to something else", ReasonCode::kAllergy, false,
       [](World& w) {
         only(w, regular(60, amoxicillin_500(), {at(8, 0)}, fixed("1", "capsule")),
              amoxicillin_500());
         w.resident.allergies.push_back(
             {domain::Allergy::Level::kSubstance, "387207008", "Ibuprofen - bronchospasm"});
       },
       local(2026, 3, 4, 8, 0), true},

      {"two tablets where one is prescribed", ReasonCode::kDoseExceedsPrescribed, true,
       [](World& w) { w.proposed = dec("2"); }},
      {"the prescribed one tablet", ReasonCode::kDoseExceedsPrescribed, false,
       [](World& w) { w.proposed = dec("1"); }, local(2026, 3, 4, 8, 0), true},

      {"Schedule 2 controlled drug", ReasonCode::kControlledDrugWitnessRequired, true,
       [](World& w) {
         only(w, prn(70, oxycodone_5(), fixed("1", "capsule"), Minutes{240}, dec("4")),
              oxycodone_5());
       }},
      {"Schedule 5 (co-codamol) needs no witness", ReasonCode::kControlledDrugWitnessRequired,
       false,
       [](World& w) {
         only(w, prn(71, co_codamol_30_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")),
              co_codamol_30_500());
       },
       local(2026, 3, 4, 8, 0), true},

      {"time-critical, 16 minutes late", ReasonCode::kTimeCritical, true,
       [](World& w) { only(w, co_careldopa_critical(), co_careldopa_25_100()); },
       local(2026, 3, 4, 8, 16)},
      {"time-critical, 15 minutes late", ReasonCode::kTimeCritical, false,
       [](World& w) { only(w, co_careldopa_critical(), co_careldopa_25_100()); },
       local(2026, 3, 4, 8, 15), true},

      {"a wristband scanned as the medicine", ReasonCode::kInvalidBarcode, true,
       [](World& w) { w.item = wristband_scan(jane()); }},
      {"an unreadable code", ReasonCode::kInvalidBarcode, true,
       [](World& w) {
         w.item = scan::Scan{};
         w.item.data =
             scan::Unknown{scan::UnknownReason::kBadGtin, "an EAN-13 with a wrong check digit"};
       }},
      {"a medicine pack", ReasonCode::kInvalidBarcode, false, [](World&) {},
       local(2026, 3, 4, 8, 0), true},

      {"no wristband scanned", ReasonCode::kResidentNotIdentified, true,
       [](World& w) { w.resident_identified = false; }},
      {"wristband scanned", ReasonCode::kResidentNotIdentified, false, [](World&) {},
       local(2026, 3, 4, 8, 0), true},

      {"recall and a pack barcode without a batch", ReasonCode::kBatchUnverified, true,
       [](World& w) {
         w.item = ean13_scan(amlodipine_5());
         w.recalls.push_back({amlodipine_5().gtin, "", "X9", "MHRA EL(26)A/08"});
       }},
      {"recall of another batch and the batch on the pack", ReasonCode::kBatchUnverified, false,
       [](World& w) {
         w.recalls.push_back({amlodipine_5().gtin, "", "X9", "MHRA EL(26)A/08"});
       },
       local(2026, 3, 4, 8, 0), true},

      {"half a tablet where one is prescribed", ReasonCode::kDoseBelowPrescribed, true,
       [](World& w) { w.proposed = dec("0.5"); }},
      {"one tablet", ReasonCode::kDoseBelowPrescribed, false,
       [](World& w) { w.proposed = dec("1"); }, local(2026, 3, 4, 8, 0), true},

      {"round the home has not mapped", ReasonCode::kPrescriptionInvalid, true,
       [](World& w) { w.prescriptions[0].times = {round("TEATIME")}; }},
      {"round the home has mapped", ReasonCode::kPrescriptionInvalid, false,
       [](World& w) { w.prescriptions[0].times = {round("MORN")}; }, local(2026, 3, 4, 8, 0), true},
  };
  return kCases;
}

class ReasonCases : public ::testing::TestWithParam<ReasonCase> {};

TEST_P(ReasonCases, ProducesTheReasonOnlyWhenItApplies) {
  const ReasonCase& c = GetParam();
  World w = base();
  c.setup(w);
  const Verdict v = w.evaluate(c.now);
  EXPECT_EQ(v.has(c.code), c.expected) << c.name << " -> " << codes(v);
  if (c.clean) {
    EXPECT_EQ(v.decision, Decision::kProceed) << c.name << " -> " << codes(v);
    EXPECT_TRUE(v.reasons.empty()) << c.name << " -> " << codes(v);
  }
  if (c.expected) {
    // The decision is at least as severe as the home's policy for that reason, and every
    // reason carries a sentence.
    EXPECT_GE(v.decision, w.policy.decision(c.code)) << codes(v);
    for (const Reason& r : v.reasons) EXPECT_FALSE(r.message.empty()) << to_string(r.code);
    EXPECT_FALSE(v.summary.empty());
  }
}

std::string case_name(const ::testing::TestParamInfo<ReasonCase>& info) {
  std::string name = std::to_string(info.index) + "_" + std::string(to_string(info.param.code)) +
                     (info.param.expected ? "_yes" : "_no");
  return name;
}

INSTANTIATE_TEST_SUITE_P(Table, ReasonCases, ::testing::ValuesIn(cases()), case_name);

TEST(ReasonCasesTable, EveryCodeHasACaseAndANearMiss) {
  std::map<ReasonCode, std::set<bool>> seen;
  for (const ReasonCase& c : cases()) seen[c.code].insert(c.expected);
  for (ReasonCode code : all_reason_codes()) {
    EXPECT_EQ(seen[code].size(), 2U) << to_string(code) << " needs a case and a near miss";
  }
}

TEST(ReasonCasesTable, TheBaseWorldProceeds) {
  const Verdict v = base().evaluate(local(2026, 3, 4, 8, 0));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_TRUE(v.reasons.empty());
  EXPECT_EQ(v.prescription_id, 10);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 8, 0));
  EXPECT_EQ(v.summary, "Give 1 tablet of Amlodipine 5mg tablets (oral) for the 08:00 dose.");
}

}  // namespace
}  // namespace bcma::rules::testing
