// Versioned prescriptions: a change is a new version from an effective time; history is kept.
#include <gtest/gtest.h>

#include "bcma/station/store/errors.hpp"
#include "store_fixture.hpp"

namespace bcma::station::store::testing {
namespace {

using namespace std::chrono_literals;
using domain::Decimal;

class Prescriptions : public StoreTest {};

TEST_F(Prescriptions, StoredFieldsRoundTripWithDmdDerivedVmpAndIngredients) {
  auto p = store().prescription_at(seed_.alice_cocodamol, test_now());
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->version, 1);
  EXPECT_EQ(p->resident_id, seed_.alice);
  EXPECT_EQ(p->medication_name, "Co-codamol 8mg/500mg tablets");  // filled from dm+d
  EXPECT_EQ(p->vmp_id, kVmpCocodamol);
  ASSERT_EQ(p->ingredients.size(), 2u);
  EXPECT_EQ(p->ingredients[1].substance_id, kSubstanceParacetamol);
  EXPECT_TRUE(p->as_needed);
  ASSERT_TRUE(p->prn);
  EXPECT_EQ(p->prn->min_interval, 240min);
  EXPECT_EQ(p->prn->max_per_24h, Decimal::from_int(8));
  EXPECT_EQ(p->prn->indication, "for pain");
  EXPECT_EQ(p->dose.min, Decimal::from_int(1));
  EXPECT_EQ(p->dose.max, Decimal::from_int(2));

  domain::Prescription weekly;
  weekly.resident_id = seed_.bob;
  weekly.level = domain::MedicationLevel::kAmp;
  weekly.medication_id = kAmpParacetamol;
  weekly.route_id = "26643006";
  weekly.route_name = "oral";
  weekly.dose = {Decimal::from_thousandths(500), Decimal::from_thousandths(500), "tablet"};
  weekly.times = {{"", domain::TimeOfDay{7 * 60 + 30}}};
  weekly.days.kind = domain::DayPattern::Kind::kDaysOfWeek;
  weekly.days.weekdays = 0b0000100;  // Wednesday
  weekly.starts = test_now();
  weekly.ends = test_now() + std::chrono::days{84};
  weekly.time_critical = true;
  weekly.window = 20min;
  weekly.instructions = "Take on an empty stomach";
  auto stored = store().put_prescription(weekly, test_now(), setup_actor());
  ASSERT_TRUE(stored) << stored.error().message;
  auto back = store().prescription_at(stored->id, test_now());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->level, domain::MedicationLevel::kAmp);
  EXPECT_EQ(back->vmp_id, kVmpParacetamol);  // the AMP's VMP
  EXPECT_EQ(back->dose.min, Decimal::from_thousandths(500));
  ASSERT_EQ(back->times.size(), 1u);
  EXPECT_EQ(back->times[0].time.minutes, 450);
  EXPECT_EQ(back->days.kind, domain::DayPattern::Kind::kDaysOfWeek);
  EXPECT_EQ(back->days.weekdays, 0b0000100);
  EXPECT_EQ(back->ends, test_now() + std::chrono::days{84});
  EXPECT_TRUE(back->time_critical);
  EXPECT_EQ(back->window, 20min);
  EXPECT_EQ(back->instructions, "Take on an empty stomach");
}

TEST_F(Prescriptions, AChangeIsANewVersionAndHistoryIsKept) {
  auto v1 = store().prescription_at(seed_.alice_paracetamol, test_now());
  ASSERT_TRUE(v1);
  domain::Prescription change = *v1;
  change.dose = {Decimal::from_int(1), Decimal::from_int(1), "tablet"};
  change.times = {{"MORN", {}}, {"EVE", {}}};
  const auto effective = test_now() + 4h;  // from noon today
  auto v2 = store().put_prescription(change, effective, Actor{seed_.nurse, "station"});
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->id, seed_.alice_paracetamol);
  EXPECT_EQ(v2->version, 2);

  // Before the effective time, version 1 is in force; from it, version 2.
  auto before = store().current_prescriptions(seed_.alice, effective - 1s);
  auto after = store().current_prescriptions(seed_.alice, effective);
  ASSERT_TRUE(before && after);
  ASSERT_EQ(before->size(), 2u);
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*before)[0].version, 1);
  EXPECT_EQ((*before)[0].dose.min, Decimal::from_int(2));
  EXPECT_EQ((*after)[0].version, 2);
  EXPECT_EQ((*after)[0].dose.min, Decimal::from_int(1));
  EXPECT_EQ((*after)[0].times.size(), 2u);

  auto history = store().prescription_history(seed_.alice_paracetamol);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].prescription.version, 1);
  EXPECT_EQ((*history)[1].effective_from, effective);
  EXPECT_EQ((*history)[1].recorded_at, test_now());
  EXPECT_EQ((*history)[0].prescription.times.size(), 4u);

  // Stopping is a version too; the stopped version is still returned (the engine explains it).
  domain::Prescription stop = (*after)[0];
  stop.status = domain::PrescriptionStatus::kStopped;
  ASSERT_TRUE(store().put_prescription(stop, effective + 24h, setup_actor()));
  auto later = store().current_prescriptions(seed_.alice, effective + 25h);
  ASSERT_TRUE(later);
  EXPECT_EQ((*later)[0].status, domain::PrescriptionStatus::kStopped);
  EXPECT_EQ((*later)[0].version, 3);
}

TEST_F(Prescriptions, NothingIsInForceBeforeTheFirstVersion) {
  auto early = store().current_prescriptions(seed_.alice, test_now() - std::chrono::days{31});
  ASSERT_TRUE(early);
  EXPECT_TRUE(early->empty());
  EXPECT_EQ(store().prescription_at(seed_.alice_paracetamol, test_now() - std::chrono::days{31})
                .error().code,
            errc::kUnknownPrescription);
}

TEST_F(Prescriptions, BadPrescriptionsAreRefusedAndNothingIsWritten) {
  const domain::Prescription good = *store().prescription_at(seed_.alice_paracetamol, test_now());
  struct Case {
    const char* name;
    void (*mutate)(domain::Prescription&);
    domain::Instant effective;
    const char* code;
  };
  const auto now = test_now();
  const Case cases[] = {
      {"version effective before the latest", [](domain::Prescription&) {}, now - std::chrono::days{31},
       errc::kVersionOrder},
      {"unknown prescription id", [](domain::Prescription& p) { p.id = 9999; }, now,
       errc::kUnknownPrescription},
      {"moved to another resident", [](domain::Prescription& p) { p.resident_id = 2; }, now,
       errc::kPrescriptionNotForResident},
      {"unknown resident", [](domain::Prescription& p) { p.id = 0; p.resident_id = 404; }, now,
       errc::kUnknownResident},
      {"medication not in dm+d", [](domain::Prescription& p) { p.medication_id = "111"; }, now,
       errc::kUnknownProduct},
      {"dose of zero",
       [](domain::Prescription& p) { p.dose.min = Decimal{}; p.dose.max = Decimal{}; }, now,
       errc::kInvalidPrescription},
      {"round the home does not have", [](domain::Prescription& p) { p.times = {{"ELEVENSES", {}}}; },
       now, errc::kInvalidPrescription},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    domain::Prescription p = good;
    c.mutate(p);
    const std::string before = dump_database(path_);
    auto r = store().put_prescription(p, c.effective, setup_actor());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, c.code) << r.error().message;
    EXPECT_EQ(dump_database(path_), before);
  }
}

}  // namespace
}  // namespace bcma::station::store::testing
