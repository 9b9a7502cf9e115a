// Every report on a home built through the store API (and one round played through the scan
// service), each figure checked against the hand calculation written beside it.
#include <gtest/gtest.h>

#include <filesystem>

#include "bcma/station/reports/report.hpp"
#include "bcma/station/service/scenario.hpp"
#include "bcma/station/stock/cycle.hpp"
#include "bcma/station/stock/stock.hpp"
#include "stock_fixture.hpp"

namespace bcma::station::reports {
namespace {

using namespace std::chrono;
using domain::Decimal;
using domain::Outcome;
using stock::testing::at;
using stock::testing::Home;
namespace t = stock::testing;
using Lines = std::vector<std::vector<std::string>>;

Decimal n(std::int64_t v) { return Decimal::from_int(v); }

Lines text(const Report& r) {
  Lines out;
  for (const auto& row : r.rows) {
    std::vector<std::string> line;
    for (std::size_t i = 0; i < row.size(); ++i) line.push_back(cell_text(row[i], r.columns[i].type));
    out.push_back(std::move(line));
  }
  return out;
}

Report run(Home& h, std::string_view name, domain::Instant from, domain::Instant to) {
  auto r = run_report(name, h.s(), from, to);
  EXPECT_TRUE(r) << r.error().code << ": " << r.error().message;
  if (!r) return {};
  for (const auto& row : r->rows) EXPECT_EQ(row.size(), r->columns.size()) << name;
  return *r;
}

void book(Home& h, const std::string& ref, std::vector<stock::ReceivedPack> packs, domain::Instant when) {
  stock::BookingRequest req;
  req.delivery_reference = ref;
  for (const auto& p : packs) req.expected_labels.push_back(*p.label_id);
  req.received = std::move(packs);
  req.witness = h.nurse;
  req.at = when;
  h.advance_to(when);
  auto b = stock::book_in(h.s(), req, h.as(h.carer));
  ASSERT_TRUE(b) << b.error().message;
}

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override { t::build_home(h); }
  Home h;
};

TEST_F(ReportsTest, RunReportRefusesUnknownNamesAndEmptyRanges) {
  auto unknown = run_report("nope", h.s(), at(0, 0), at(1, 0));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "unknown_report");
  auto empty = run_report("waste", h.s(), at(1, 0), at(1, 0));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, "invalid_range");
  // Every report runs on an empty home.
  for (const auto& info : catalogue()) {
    auto r = run_report(info.name, h.s(), at(0, 0), at(28, 0));
    EXPECT_TRUE(r) << info.name << ": " << r.error().message;
  }
}

TEST_F(ReportsTest, WasteCostsComeFromDmdPricesAndTrendPerCycle) {
  ASSERT_TRUE(stock::set_cycle_anchor(h.s(), year{2026} / 3 / 2, h.as(h.manager)));
  const auto oxy = h.prn(h.alice, t::kOxyVmp, n(1), n(4));
  h.label("L1", h.alice, t::kParaAmpp, n(32));
  h.label("L3", h.alice, t::kOxyAmpp, n(56), oxy);
  h.label("L5", h.carol, t::kCocoAmpp, n(30));
  h.label("L4", h.bob, t::kAmloAmpp, n(28));
  book(h, "DN-1",
       {{"L1", h.alice, t::kParaAmpp, n(32), "B1", std::nullopt},
        {"L3", h.alice, t::kOxyAmpp, n(56), "B3", std::nullopt},
        {"L5", h.carol, t::kCocoAmpp, n(30), "B5", std::nullopt},
        {"L4", h.bob, t::kAmloAmpp, n(28), "B4", std::nullopt}},
       at(0, 9));
  h.advance_to(at(31, 12));
  // cycle 1: 2 paracetamol dropped = 2 x 320p/32 = 20p; 1 oxycodone refused and destroyed
  // (recorded as a dose outcome) = 1120p/56 = 20p.
  ASSERT_TRUE(stock::record_waste(h.s(), {stock::WasteReason::kDropped, "", std::nullopt, std::string("L1"), n(2),
                                          std::nullopt, at(1, 10)},
                                  h.as(h.carer)));
  h.record(h.alice, oxy, Outcome::kRefusedAndDestroyed, n(1), at(3, 10), std::nullopt, "L3", {}, h.nurse);
  // cycle 2: 30 co-codamol expired = 450p; 5 amlodipine contaminated: no price in dm+d.
  ASSERT_TRUE(stock::record_waste(h.s(), {stock::WasteReason::kExpired, "", std::nullopt, std::string("L5"), n(30),
                                          std::nullopt, at(30, 10)},
                                  h.as(h.carer)));
  ASSERT_TRUE(stock::record_waste(h.s(), {stock::WasteReason::kContaminated, "", std::nullopt, std::string("L4"), n(5),
                                          std::nullopt, at(31, 10)},
                                  h.as(h.carer)));
  const Report r = run(h, "waste", at(0, 0), at(56, 0));
  EXPECT_EQ(text(r),
            (Lines{{"Co-codamol 30mg/500mg tablets (Zentiva)", "expired", "Carol Cole", "1", "30", "4.50", ""},
                   {"Paracetamol 500mg tablets (Accord)", "dropped", "Alice Archer", "1", "2", "0.20", ""},
                   {"Shortec 5mg capsules", "refused_destroyed", "Alice Archer", "1", "1", "0.20", ""},
                   {"Amlodipine 5mg tablets (Accord)", "contaminated", "Bob Baker", "1", "5", "0.00",
                    "some entries have no dm+d price"},
                   {"Total", "", "", "4", "38", "4.90", ""}}));
  ASSERT_TRUE(r.chart);
  EXPECT_EQ(r.chart->categories,
            (std::vector<std::string>{"2026-03-02 to 2026-03-29", "2026-03-30 to 2026-04-26"}));
  ASSERT_EQ(r.chart->series.size(), 1U);
  EXPECT_EQ(r.chart->series[0].values, (std::vector<double>{0.40, 4.50}));
  EXPECT_NE(to_csv(r).find("Co-codamol 30mg/500mg tablets (Zentiva),expired,Carol Cole,1,30,4.50,\r\n"),
            std::string::npos);
}

TEST_F(ReportsTest, RefusalsAndOmissionsFlagAMedicineRefusedOnMostDays) {
  const auto para = h.regular(h.alice, t::kParaVmp, n(2), {"MORN", "NIGHT"});
  const auto bob_para = h.regular(h.bob, t::kParaVmp, n(2), {"MORN"});
  h.label("L1", h.alice, t::kParaAmpp, n(32), para);
  h.label("L2", h.bob, t::kParaAmpp, n(32), bob_para);
  for (int d = 0; d < 14; ++d) {
    // Alice: MORN refused on days 0-8 (9 days), given on 9-13; NIGHT omitted "asleep" on days
    // 0 and 1, given on 2-13. Bob: MORN given, refused on day 5.
    if (d <= 8) {
      h.record(h.alice, para, Outcome::kRefused, n(0), at(d, 8), at(d, 8));
    } else {
      h.record(h.alice, para, Outcome::kGiven, n(2), at(d, 8), at(d, 8), "L1");
    }
    if (d <= 1) {
      h.record(h.alice, para, Outcome::kOmitted, n(0), at(d, 22), at(d, 22), std::nullopt, "asleep");
    } else {
      h.record(h.alice, para, Outcome::kGiven, n(2), at(d, 22), at(d, 22), "L1");
    }
    h.record(h.bob, bob_para, d == 5 ? Outcome::kRefused : Outcome::kGiven, n(d == 5 ? 0 : 2), at(d, 8), at(d, 8),
             d == 5 ? std::nullopt : std::optional<std::string>("L2"));
  }
  const Report r = run(h, "refusals_omissions", at(0, 0), at(14, 0));
  // Alice: 28 doses, 17 given (5 + 12), 9 refused, 2 omitted; 11/28 = 39.29 % -> 39.3.
  // Bob: 14 doses, 13 given, 1 refused; 1/14 = 7.14 % -> 7.1.
  EXPECT_EQ(text(r),
            (Lines{{"Alice Archer", "Paracetamol 500mg tablets", "28", "17", "9", "2", "asleep", "39.3", "9",
                    "refused on 9 of the last 14 days: review; not given at a quarter or more of doses"},
                   {"Bob Baker", "Paracetamol 500mg tablets", "14", "13", "1", "0", "", "7.1", "1", ""}}));
}

TEST_F(ReportsTest, TimingPutsTimeCriticalMedicinesOutsideTheirWindowFirst) {
  const auto sinemet = h.regular(h.bob, t::kSinemetVmp, n(1), {"MORN"}, true);
  const auto para = h.regular(h.alice, t::kParaVmp, n(2), {"MORN"});
  h.label("L7", h.bob, t::kSinemetAmpp, n(100), sinemet);
  h.label("L1", h.alice, t::kParaAmpp, n(32), para);
  // Sinemet, window 15 min: 08:10 on time, 08:20 late, 07:40 early, 08:00 on time.
  const int minutes[] = {10, 20, -20, 0};
  for (int d = 0; d < 4; ++d) {
    h.record(h.bob, sinemet, Outcome::kGiven, n(1), at(d, 8) + std::chrono::minutes{minutes[d]}, at(d, 8), "L7");
  }
  // Paracetamol, the home's 60 min: 09:30 late (90 min), 08:59 on time.
  h.record(h.alice, para, Outcome::kGiven, n(2), at(0, 9, 30), at(0, 8), "L1");
  h.record(h.alice, para, Outcome::kGiven, n(2), at(1, 8, 59), at(1, 8), "L1");
  const Report r = run(h, "timing", at(0, 0), at(4, 0));
  EXPECT_EQ(text(r), (Lines{{"Bob Baker", "Co-careldopa 25mg/100mg tablets", "yes", "15", "4", "2", "1", "1", "50", "20"},
                            {"Alice Archer", "Paracetamol 500mg tablets", "no", "60", "2", "1", "0", "1", "50", "90"}}));
  ASSERT_TRUE(r.chart);
  EXPECT_EQ(r.chart->categories, (std::vector<std::string>{"08:00"}));
  EXPECT_EQ(r.chart->series[0].values, (std::vector<double>{3}));  // on time
  EXPECT_EQ(r.chart->series[1].values, (std::vector<double>{1}));  // early
  EXPECT_EQ(r.chart->series[2].values, (std::vector<double>{2}));  // late
}

TEST_F(ReportsTest, PrnUseSuggestsStoppingOrMakingRegular) {
  ASSERT_TRUE(stock::set_cycle_anchor(h.s(), year{2026} / 3 / 2, h.as(h.manager)));
  const auto coco = h.prn(h.alice, t::kCocoVmp, n(1), n(8));
  h.prn(h.bob, t::kOxyVmp, n(1), n(4));
  const auto carol_para = h.prn(h.carol, t::kParaVmp, n(1), n(8));
  h.label("L5", h.alice, t::kCocoAmpp, n(30), coco);
  h.label("L8", h.carol, t::kParaAmpp, n(32), carol_para);
  for (int d = 0; d < 28; ++d) h.record(h.alice, coco, Outcome::kGiven, n(1), at(d, 10), std::nullopt, "L5");
  for (const auto& when : {at(1, 10), at(1, 16), at(5, 10), at(9, 10)}) {
    h.record(h.carol, carol_para, Outcome::kGiven, n(1), when, std::nullopt, "L8");
  }
  const Report r = run(h, "prn_use", at(0, 0), at(28, 0));
  const std::string cycle = "2026-03-02 to 2026-03-29";
  EXPECT_EQ(text(r),
            (Lines{{"Alice Archer", "Co-codamol 30mg/500mg tablets", cycle, "28", "28", "28", "28",
                    "used every day: consider a regular dose"},
                   {"Bob Baker", "Oxycodone 5mg capsules", cycle, "28", "0", "0", "0",
                    "never used in the cycle: consider stopping"},
                   {"Carol Cole", "Paracetamol 500mg tablets", cycle, "28", "4", "4", "3", ""}}));
}

TEST_F(ReportsTest, StockOnHandProjectsRunOutFromSchedulesAndPrnUse) {
  const auto para = h.regular(h.alice, t::kParaVmp, n(2), {"MORN", "NIGHT"});
  const auto coco = h.prn(h.alice, t::kCocoVmp, n(1), n(8));
  h.label("L1", h.alice, t::kParaAmpp, n(32), para);
  h.label("L5", h.alice, t::kCocoAmpp, n(30), coco);
  h.label("L4", h.bob, t::kAmloAmpp, n(28));
  book(h, "DN-1",
       {{"L1", h.alice, t::kParaAmpp, n(32), "B1", std::nullopt},
        {"L5", h.alice, t::kCocoAmpp, n(30), "B5", std::nullopt},
        {"L4", h.bob, t::kAmloAmpp, n(28), "B4", std::nullopt}},
       at(0, 7));
  for (int d = 0; d < 3; ++d) {
    h.record(h.alice, para, Outcome::kGiven, n(2), at(d, 8), at(d, 8), "L1");
    h.record(h.alice, para, Outcome::kGiven, n(2), at(d, 22), at(d, 22), "L1");
  }
  h.record(h.alice, coco, Outcome::kGiven, n(2), at(1, 15), std::nullopt, "L5");
  h.record(h.alice, coco, Outcome::kGiven, n(1), at(2, 15), std::nullopt, "L5");
  const Report r = run(h, "stock_on_hand", at(0, 0), at(3, 0));
  // Paracetamol: 32 - 12 = 20 on hand; 4 a day -> 5 days -> 2026-03-04 + 5 = 03-09.
  // Co-codamol: 30 - 3 = 27; PRN 3 used over 3 days -> 1 a day -> 27 days -> 03-31.
  EXPECT_EQ(text(r),
            (Lines{{"Alice Archer", "Co-codamol 30mg/500mg tablets", "27", "1", "27", "2026-03-31", ""},
                   {"Alice Archer", "Paracetamol 500mg tablets", "20", "4", "5", "2026-03-09", "runs out within a week"},
                   {"Bob Baker", "Amlodipine 5mg tablets", "28", "", "", "", "no active prescription"}}));
}

TEST_F(ReportsTest, PrescribingAlerts) {
  // Alice: paracetamol 2 x 4 a day = 4000 mg, plus co-codamol PRN up to 8 a day = 4000 mg of
  // paracetamol: 8000 mg possible against the home's 4000 mg.
  h.regular(h.alice, t::kParaVmp, n(2), {"MORN", "NOON", "EVE", "NIGHT"});
  h.prn(h.alice, t::kCocoVmp, n(2), n(8));
  // Bob: amlodipine in stock, never prescribed.
  h.label("L4", h.bob, t::kAmloAmpp, n(28));
  book(h, "DN-1", {{"L4", h.bob, t::kAmloAmpp, n(28), "B4", std::nullopt}}, at(0, 7));
  // Carol: ten regular medicines (the same one, which is also a duplicate).
  for (int i = 0; i < 10; ++i) h.regular(h.carol, t::kAmloVmp, n(1), {"MORN"});
  const Report r = run(h, "prescribing_alerts", at(0, 0), at(1, 0));
  std::string ten;
  for (int i = 0; i < 10; ++i) ten += std::string(i ? "; " : "") + "Amlodipine 5mg tablets";
  EXPECT_EQ(text(r),
            (Lines{{"Alice Archer", "duplicate ingredient",
                    "Paracetamol 500mg tablets; Co-codamol 30mg/500mg tablets (PRN)",
                    "Paracetamol is in 2 active prescriptions"},
                   {"Alice Archer", "daily total above maximum",
                    "Paracetamol 500mg tablets; Co-codamol 30mg/500mg tablets",
                    "up to 8000 mg of Paracetamol a day possible; the maximum is 4000 mg"},
                   {"Bob Baker", "stock without active prescription", "Amlodipine 5mg tablets (Accord)",
                    "28 in stock: return or ask the prescriber"},
                   {"Carol Cole", "duplicate ingredient", ten, "Amlodipine is in 10 active prescriptions"},
                   {"Carol Cole", "10 or more regular medicines", "",
                    "10 regular medicines: review for polypharmacy"}}));
}

TEST_F(ReportsTest, StockDiscrepanciesRegisterAndReorder) {
  const auto oxy = h.prn(h.alice, t::kOxyVmp, n(1), n(4));
  h.label("L1", h.alice, t::kParaAmpp, n(32));
  h.label("L3", h.alice, t::kOxyAmpp, n(56), oxy);
  stock::BookingRequest req{"DN-7", {"L1", "L3"},
                            {{"L1", h.alice, t::kParaAmpp, n(30), "B1", std::nullopt},
                             {"L3", h.alice, t::kOxyAmpp, n(56), "B3", std::nullopt}},
                            h.nurse, at(0, 9)};
  h.advance_to(at(0, 9));
  ASSERT_TRUE(stock::book_in(h.s(), req, h.as(h.carer)));
  h.advance_to(at(1, 9));
  ASSERT_TRUE(stock::record_count(h.s(), {stock::CountKind::kPeriodic, t::kParaAmp, h.alice, n(29), std::nullopt,
                                          at(1, 9), ""},
                                  h.as(h.carer)));
  h.record(h.alice, oxy, Outcome::kGiven, n(1), at(1, 14), std::nullopt, "L3", {}, h.nurse);

  EXPECT_EQ(text(run(h, "stock_discrepancies", at(0, 0), at(2, 0))),
            (Lines{{"2026-03-02 09:00", "booking DN-7", "short", "Alice Archer",
                    "Paracetamol 500mg tablets (Accord) 32 tablet", "32", "30", "-2",
                    "less than dispensed (30 received, 32 on the label): booked in as received", "Cara Carer",
                    "Nina Nurse"},
                   {"2026-03-03 09:00", "periodic count", "discrepancy", "Alice Archer",
                    "Paracetamol 500mg tablets (Accord)", "30", "29", "-1", "count differs from the ledger",
                    "Cara Carer", ""}}));
  EXPECT_EQ(text(run(h, "cd_register", at(0, 0), at(2, 0))),
            (Lines{{"Shortec 5mg capsules", "Alice Archer", "2026-03-02 00:00", "opening balance", "", "0", "", "", "",
                    "", ""},
                   {"Shortec 5mg capsules", "Alice Archer", "2026-03-02 09:00", "receipt", "56", "56", "",
                    "Cara Carer", "Nina Nurse", "booked in: DN-7", ""},
                   {"Shortec 5mg capsules", "Alice Archer", "2026-03-03 14:00", "administration", "-1", "55", "",
                    "Cara Carer", "Nina Nurse", "dose given", ""}}));
  // No cycle anchor: the next cycle starts at the end of the range (2026-03-04). Oxycodone PRN
  // used 1 in the 28 days before: need 1, 55 usable, order 0. Paracetamol has no prescription.
  EXPECT_EQ(text(run(h, "reorder", at(0, 0), at(2, 0))),
            (Lines{{"Alice Archer", "Oxycodone 5mg capsules", "yes", "", "1", "55", "0", "1", "0", "0",
                    "cycle 2026-03-04 to 2026-03-31"},
                   {"Alice Archer", "Paracetamol 500mg tablets (Accord)", "", "", "", "", "29", "", "", "",
                    "not usable: no active prescription; return or destroy"}}));
}

TEST(ReportsScenarioTest, PreventedErrorsAndOverridesFromARoundPlayedThroughTheService) {
  store::testing::TempDir dir;
  service::scenario::RunOptions options;
  options.work_dir = dir.path();
  options.keep_database = true;
  auto played = service::scenario::run_file(
      std::filesystem::path(BCMA_SOURCE_DIR) / "tests/station/reports/prevented_errors_scenario.json", options);
  ASSERT_TRUE(played) << played.error().message;
  ASSERT_TRUE(played->passed) << (played->lines.empty() ? "" : played->lines.back());
  domain::FixedClock clock{sys_days{year{2026} / 3 / 20}};
  auto opened = store::Store::open(played->database, clock);
  ASSERT_TRUE(opened) << opened.error().message;
  const domain::Instant from = sys_days{year{2026} / 3 / 16};
  const domain::Instant to = sys_days{year{2026} / 3 / 18};
  auto prevented = run_report("prevented_errors", *opened, from, to);
  ASSERT_TRUE(prevented) << prevented.error().message;
  // Blocked: too_late twice (John, Jane on the 17th), too_early once (Jane on the 16th).
  // Overridden: one of each.
  EXPECT_EQ(text(*prevented), (Lines{{"too_late", "2", "0", "1"}, {"too_early", "1", "0", "1"},
                                     {"Total (reasons)", "3", "0", "2"}}));
  auto overrides = run_report("overrides", *opened, from, to);
  ASSERT_TRUE(overrides);
  Lines rows = text(*overrides);
  ASSERT_EQ(rows.size(), 2U);
  for (auto& row : rows) row.erase(row.begin());  // the time: as the scenario clock ran
  EXPECT_EQ(rows, (Lines{{"Jane Smith", "Amlodipine 5mg tablets", "block", "too_early", "day trip leaves at 07:15",
                          "Mike Manager", "", "given"},
                         {"Jane Smith", "Amlodipine 5mg tablets", "block", "too_late", "late breakfast; GP happy",
                          "Nina Nurse", "", "given"}}));
}

}  // namespace
}  // namespace bcma::station::reports
