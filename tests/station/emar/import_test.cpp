// Importing a feed that the station can represent whole: what lands in the store.
#include <gtest/gtest.h>

#include <algorithm>

#include "bcma/station/emar/errors.hpp"
#include "bcma/station/emar/import.hpp"
#include "emar_test_support.hpp"

namespace bcma::station::emar::testing {
namespace {

namespace st = store::testing;
using namespace std::chrono_literals;
using domain::Decimal;

const domain::Prescription* find(const std::vector<domain::Prescription>& list, const std::string& medication_id) {
  auto it = std::find_if(list.begin(), list.end(), [&](const auto& p) { return p.medication_id == medication_id; });
  return it == list.end() ? nullptr : &*it;
}

class RegularFeed : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = import_file(station.s(), fixture("regular-feed.json"));
    ASSERT_TRUE(r) << r.error().message;
    summary = std::move(*r);
    auto a = station.s().current_prescriptions(station.home.alice, station.clock.now());
    auto b = station.s().current_prescriptions(station.home.bob, station.clock.now());
    ASSERT_TRUE(a && b);
    alice = std::move(*a);
    bob = std::move(*b);
  }
  Station station;
  ImportSummary summary;
  std::vector<domain::Prescription> alice;
  std::vector<domain::Prescription> bob;
};

TEST_F(RegularFeed, EveryRequestAndHandedOverDispenseIsImportedAndNothingQueued) {
  EXPECT_EQ(summary.count(Action::kImported), 10) << summary_text(summary);  // 8 requests, 2 labels
  EXPECT_EQ(summary.count(Action::kQueued), 0) << summary_text(summary);
  EXPECT_EQ(summary.count(Action::kIgnored), 4);  // 2 patients, the pharmacy, a dispense in progress
  EXPECT_EQ(outcome(summary, "disp-lactulose-1").action, Action::kIgnored);
  EXPECT_NE(outcome(summary, "disp-lactulose-1").detail.find("not handed over"), std::string::npos);
  EXPECT_EQ(alice.size(), 3U);
  EXPECT_EQ(bob.size(), 5U);
}

TEST_F(RegularFeed, RegularRoundsBecomeRoundNamesWithTheDoseInTablets) {
  const auto* p = find(alice, st::kVmpParacetamol);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->level, domain::MedicationLevel::kVmp);
  EXPECT_EQ(p->medication_name, "Paracetamol 500mg tablets");
  EXPECT_EQ(p->route_id, kOral);
  EXPECT_EQ(p->route_name, "Oral");
  EXPECT_EQ(p->dose.min, Decimal::from_int(2));
  EXPECT_EQ(p->dose.max, Decimal::from_int(2));
  EXPECT_EQ(p->dose.unit, "tablet");
  ASSERT_EQ(p->times.size(), 4U);
  EXPECT_EQ(p->times[0].round, "MORN");
  EXPECT_EQ(p->times[3].round, "NIGHT");
  EXPECT_EQ(p->days.kind, domain::DayPattern::Kind::kEveryDay);
  EXPECT_EQ(p->starts, at("2026-03-09T10:15:00Z"));
  EXPECT_FALSE(p->ends);
  EXPECT_EQ(p->status, domain::PrescriptionStatus::kActive);
  EXPECT_EQ(p->instructions, "Take TWO tablets four times a day");
}

TEST_F(RegularFeed, WeeklyOnADayKeepsItsDayAndInstructions) {
  const auto* p = find(alice, kVmpAlendronate);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->days.kind, domain::DayPattern::Kind::kDaysOfWeek);
  EXPECT_EQ(p->days.weekdays, 0b0000001);  // Monday
  ASSERT_EQ(p->times.size(), 1U);
  EXPECT_EQ(p->times[0].round, "WAKE");
  EXPECT_NE(p->instructions.find("Additional: Swallow whole with a full glass of water"), std::string::npos)
      << p->instructions;
}

TEST_F(RegularFeed, PrnKeepsItsMinimumIntervalMaximumAndIndication) {
  const auto* p = find(alice, st::kVmpCocodamol);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->as_needed);
  ASSERT_TRUE(p->prn);
  EXPECT_EQ(p->prn->min_interval, 240min);  // "every 4 to 6 hours": at least 4 hours apart
  ASSERT_TRUE(p->prn->max_per_24h);
  EXPECT_EQ(*p->prn->max_per_24h, Decimal::from_int(8));
  EXPECT_EQ(p->prn->indication, "for pain");
  EXPECT_EQ(p->dose.min, Decimal::from_int(1));
  EXPECT_EQ(p->dose.max, Decimal::from_int(2));
  EXPECT_TRUE(p->times.empty());
}

TEST_F(RegularFeed, BrandPrescribedAtClockTimesIsAnAmpWithExplicitTimes) {
  const auto* p = find(bob, kAmpSinemet);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->level, domain::MedicationLevel::kAmp);
  EXPECT_EQ(p->vmp_id, kVmpCocareldopa);
  ASSERT_EQ(p->times.size(), 4U);
  EXPECT_TRUE(p->times[0].round.empty());
  EXPECT_EQ(p->times[0].time, domain::TimeOfDay::hm(6, 0));
  EXPECT_EQ(p->times[3].time, domain::TimeOfDay::hm(18, 0));
}

TEST_F(RegularFeed, DoseRangeInMillilitresIsARange) {
  const auto* p = find(bob, kVmpLactulose);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->dose.min, Decimal::from_int(10));
  EXPECT_EQ(p->dose.max, Decimal::from_int(15));
  EXPECT_EQ(p->dose.unit, "ml");
}

TEST_F(RegularFeed, MilligramsBecomeWholeTabletsAndTheOriginalIsShown) {
  const auto* p = find(bob, kVmpMethotrexate);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->dose.min, Decimal::from_int(3));  // 7.5 mg of 2.5 mg tablets
  EXPECT_NE(p->instructions.find("Prescribed as 7.5 mg (3 tablet)"), std::string::npos) << p->instructions;
  EXPECT_NE(p->instructions.find("Patient instruction: Once a week only"), std::string::npos);
  EXPECT_EQ(p->days.weekdays, 0b0100000);  // Saturday
  // boundsDuration 12 weeks from authoredOn, in local days (across the clock change).
  ASSERT_TRUE(p->ends);
  EXPECT_EQ(*p->ends, at("2026-06-01T10:10:00Z"));  // 11:10 BST, as authored at 11:10 GMT

  const auto* course = find(bob, st::kVmpParacetamol);
  ASSERT_NE(course, nullptr);
  EXPECT_EQ(course->dose.min, Decimal::from_int(2));  // 1 g of 500 mg tablets
}

TEST_F(RegularFeed, CountEndsTheCourseAfterItsLastDose) {
  const auto* course = find(bob, st::kVmpParacetamol);
  ASSERT_NE(course, nullptr);
  // From 11:20 on the 9th: 12:00, 17:00; 08:00, 12:00, 17:00 on the 10th; 08:00 on the 11th.
  ASSERT_TRUE(course->ends);
  EXPECT_EQ(*course->ends, at("2026-03-11T12:00:00Z"));
}

TEST_F(RegularFeed, PatchEveryNDaysIsAnchoredOnItsStatedStart) {
  const auto* p = find(bob, kVmpBuprenorphinePatch);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->days.kind, domain::DayPattern::Kind::kEveryNDays);
  EXPECT_EQ(p->days.every_n_days, 7);
  EXPECT_EQ(p->days.anchor, domain::Date{std::chrono::year{2026} / 3 / 9});
  EXPECT_EQ(p->starts, at("2026-03-09T00:00:00Z"));
  EXPECT_EQ(p->dose.unit, "patch");
  EXPECT_EQ(p->route_id, "45890007");
  EXPECT_NE(p->instructions.find("Site: Upper arm or chest"), std::string::npos);
}

TEST_F(RegularFeed, DispensesBecomeLabelsLinkedToTheirPrescriptions) {
  auto para = station.s().dispensed_item("9521234000013RX000451");
  ASSERT_TRUE(para) << para.error().message;
  EXPECT_EQ(para->resident_id, station.home.alice);
  EXPECT_EQ(para->ampp_id, st::kAmppParacetamol32);
  EXPECT_EQ(para->quantity, Decimal::from_int(32));
  EXPECT_EQ(para->dispensed_on, domain::Date{std::chrono::year{2026} / 3 / 9});
  EXPECT_EQ(para->pharmacy, "Main Street Pharmacy");  // from the referenced Organization
  const auto* rx = find(alice, st::kVmpParacetamol);
  ASSERT_NE(rx, nullptr);
  EXPECT_EQ(para->prescription_id, rx->id);

  // Linked through the request's business identifier rather than a reference.
  auto sinemet = station.s().dispensed_item("9521234000013RX000452");
  ASSERT_TRUE(sinemet);
  EXPECT_EQ(sinemet->prescription_id, find(bob, kAmpSinemet)->id);
  EXPECT_EQ(sinemet->pharmacy, "Main Street Pharmacy");
  // Not handed over yet: not expected for booking in.
  EXPECT_FALSE(station.s().dispensed_item("9521234000013RX000453"));
}

TEST_F(RegularFeed, ALabelCanBeBookedInAfterTheImport) {
  store::NewStockEntry in;
  in.kind = store::StockKind::kReceipt;
  in.label_id = "9521234000013RX000451";
  in.quantity = Decimal::from_int(32);
  in.event_time = station.clock.now();
  ASSERT_TRUE(station.s().record_stock(in, store::Actor{station.home.carer, "station"}));
  auto balance = station.s().stock_balance(st::kAmpParacetamol, station.home.alice);
  ASSERT_TRUE(balance);
  EXPECT_EQ(*balance, Decimal::from_int(32));
}

TEST_F(RegularFeed, ImportingTheSameFeedAgainChangesNothing) {
  const std::string before = st::dump_database(station.file);
  station.clock.advance(std::chrono::hours{3});
  auto again = import_file(station.s(), fixture("regular-feed.json"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->count(Action::kImported), 0);
  EXPECT_EQ(again->count(Action::kUpdated), 0);
  EXPECT_EQ(again->count(Action::kUnchanged), 10) << summary_text(*again);
  EXPECT_EQ(st::dump_database(station.file), before);
}

TEST_F(RegularFeed, EveryChangeIsAuditedAndTheChainVerifies) {
  auto v = station.s().verify_audit();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact());
  const std::string links = st::raw_sql(station.file,
                                        "SELECT count(*) FROM audit_log WHERE subject LIKE 'emar_request:%'");
  EXPECT_EQ(links, "16");  // each new request: linked, then applied
  EXPECT_EQ(st::raw_sql(station.file, "SELECT count(*) FROM audit_log WHERE subject LIKE 'prescription:%'"), "8");
  EXPECT_EQ(st::raw_sql(station.file, "SELECT count(*) FROM audit_log WHERE subject LIKE 'dispensed_item:%'"), "2");
}

TEST_F(RegularFeed, TheSummaryNamesEveryResource) {
  const std::string text = summary_text(summary);
  EXPECT_NE(text.find("Imported 10, updated 0, unchanged 0, queued for review 0, ignored 4."), std::string::npos)
      << text;
  EXPECT_NE(text.find("MedicationRequest/rx-sinemet-times: imported"), std::string::npos) << text;
  const std::string json = summary_json(summary);
  EXPECT_NE(json.find(R"("imported":10)"), std::string::npos) << json;
}

}  // namespace
}  // namespace bcma::station::emar::testing
