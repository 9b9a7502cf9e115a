// The evaluation summary against the week worked by hand in export_fixture.cpp.
#include <gtest/gtest.h>

#include "bcma/station/export/summary.hpp"
#include "export_fixture.hpp"

namespace bcma::station::exporting::testing {
namespace {

class SummaryTest : public ExportTest {};

TEST_F(SummaryTest, TheWeekMatchesTheHandCalculation) {
  auto s = evaluation_summary(store().database(), week_from_, week_to_);
  ASSERT_TRUE(s) << s.error().message;
  const SummaryCounts& c = s->total;
  EXPECT_EQ(c.doses_given, 3);
  EXPECT_EQ(c.given_scanned, 2);
  EXPECT_EQ(c.given_manual, 1);
  EXPECT_NEAR(scan_compliance(c), 2.0 / 3.0, 1e-9);
  EXPECT_EQ(c.verdicts, 3);
  EXPECT_EQ(c.blocked, 1);
  EXPECT_EQ(c.warned, 1);
  EXPECT_EQ(c.intercepted_by_reason, (std::map<std::string, std::int64_t>{{"too_early", 1},
                                                                        {"wrong_resident", 1}}));
  EXPECT_EQ(c.overrides, 1);
  EXPECT_DOUBLE_EQ(override_rate(c), 0.5);
  EXPECT_EQ(c.timed_doses, 3);
  EXPECT_EQ(c.on_time, 2);
  EXPECT_EQ(c.waste_thousandths, 2000);
  EXPECT_EQ(c.residents, 2);
  EXPECT_DOUBLE_EQ(waste_per_resident_per_cycle(c, 7.0), 4.0);
  ASSERT_EQ(s->weeks.size(), 1U);
  EXPECT_EQ(s->weeks[0].week_start, domain::Date{std::chrono::year{2026} / 3 / 16});
  EXPECT_EQ(s->weeks[0].counts.doses_given, 3);

  const auto j = to_json(*s);
  EXPECT_EQ(j["total"]["scan_compliance"], 0.6667);
  EXPECT_EQ(j["total"]["on_time_rate"], 0.6667);
  EXPECT_EQ(j["total"]["waste_per_resident_per_cycle"], 4.0);
  EXPECT_EQ(j["weeks"][0]["week_start"], "2026-03-16");
}

TEST_F(SummaryTest, ACorrectedRecordCountsAsItsCorrection) {
  // The Tuesday dose is corrected to "refused": given falls to 2, both scanned.
  clock_.set(week_from_ + std::chrono::hours{24 * 2});
  store::NewAdministration fix;
  fix.record_id = store::testing::uuid(90);
  fix.corrects = store::testing::uuid(2);
  fix.resident_id = seed_.alice;
  fix.prescription_id = seed_.alice_paracetamol;
  fix.slot = week_from_ + std::chrono::hours{24 + 8};
  fix.outcome = domain::Outcome::kRefused;
  fix.code = "refused";
  fix.wristband = store::ScanEvidence::unable_to_scan("correction at the station");
  fix.event_time = week_from_ + std::chrono::hours{24 + 9};
  fix.device_id = "station";
  fix.staff_id = seed_.nurse;
  fix.note = "recorded against the wrong dose";
  auto a = store().record_administration(fix);
  ASSERT_TRUE(a) << a.error().code << ": " << a.error().message;
  auto s = evaluation_summary(store().database(), week_from_, week_to_);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->total.doses_given, 2);
  EXPECT_EQ(s->total.given_scanned, 2);
  EXPECT_EQ(s->total.given_manual, 0);
  EXPECT_EQ(s->total.on_time, 2);
}

TEST_F(SummaryTest, WeeksSplitOnMondaysAndAnEmptyPeriodIsZero) {
  auto s = evaluation_summary(store().database(), week_from_ + std::chrono::hours{24 * 3},
                              week_to_ + std::chrono::hours{24 * 7});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->total.doses_given, 1);  // Thursday's only
  auto empty = evaluation_summary(store().database(), week_to_, week_to_ + std::chrono::hours{24});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->total.doses_given, 0);
  EXPECT_EQ(scan_compliance(empty->total), 0.0);
  EXPECT_TRUE(empty->weeks.empty());
  auto bad = evaluation_summary(store().database(), week_to_, week_from_);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "invalid_argument");
}

}  // namespace
}  // namespace bcma::station::exporting::testing
