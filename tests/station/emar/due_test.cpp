// What is due on a local date, from the imported prescriptions, through rules::due_doses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bcma/station/emar/due.hpp"
#include "bcma/station/emar/import.hpp"
#include "emar_test_support.hpp"

namespace bcma::station::emar::testing {
namespace {

using Json = nlohmann::json;

domain::Date day(int m, int d) { return std::chrono::year{2026} / m / d; }

class Due : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = import_file(station.s(), fixture("regular-feed.json"));
    ASSERT_TRUE(r) << r.error().message;
  }
  Json due(const char* nhs, domain::Date date) {
    auto r = due_report(station.s(), nhs, date);
    EXPECT_TRUE(r) << r.error().message;
    return r ? Json::parse(due_json(*r)) : Json();
  }
  static std::vector<std::string> slots(const Json& j) {
    std::vector<std::string> out;
    for (const auto& d : j["doses"]) out.push_back(d["time"].get<std::string>() + " " + d["medication"].get<std::string>());
    return out;
  }
  Station station;
};

TEST_F(Due, ARegularDayListsEachRoundWithItsLocalTimeAndWindow) {
  const Json j = due(kAliceNhs, day(3, 10));
  EXPECT_EQ(j["resident"]["name"], "Alice Archer");
  EXPECT_EQ(j["date"], "2026-03-10");
  EXPECT_EQ(j["time_zone"], "Europe/London");
  ASSERT_EQ(j["doses"].size(), 4U) << j.dump(2);  // alendronate is Mondays only
  const Json& first = j["doses"][0];
  EXPECT_EQ(first["time"], "08:00");
  EXPECT_EQ(first["round"], "MORN");
  EXPECT_EQ(first["slot"], "2026-03-10T08:00:00+00:00");
  EXPECT_EQ(first["window_opens"], "2026-03-10T07:00:00+00:00");
  EXPECT_EQ(first["window_closes"], "2026-03-10T09:00:00+00:00");
  EXPECT_EQ(first["medication"], "Paracetamol 500mg tablets");
  EXPECT_EQ(first["dose"]["min"], "2");
  EXPECT_EQ(first["dose"]["unit"], "tablet");
  EXPECT_EQ(first["route"], "Oral");
  EXPECT_EQ(j["doses"][3]["round"], "NIGHT");
  EXPECT_EQ(j["doses"][3]["slot"], "2026-03-10T22:00:00+00:00");
}

TEST_F(Due, PrnMedicinesCarryTheirLimits) {
  const Json j = due(kAliceNhs, day(3, 10));
  ASSERT_EQ(j["prn"].size(), 1U);
  const Json& prn = j["prn"][0];
  EXPECT_EQ(prn["medication"], "Co-codamol 8mg/500mg tablets");
  EXPECT_EQ(prn["min_interval_minutes"], 240);
  EXPECT_EQ(prn["max_per_24h"], "8");
  EXPECT_EQ(prn["indication"], "for pain");
  EXPECT_EQ(prn["dose"]["min"], "1");
  EXPECT_EQ(prn["dose"]["max"], "2");
  EXPECT_EQ(prn["in_force_from"], "2026-03-10T00:00:00+00:00");
  EXPECT_EQ(prn["in_force_until"], "2026-03-11T00:00:00+00:00");
}

TEST_F(Due, WeeklyMedicinesAreDueOnlyOnTheirDay) {
  const Json monday = due(kAliceNhs, day(3, 16));
  ASSERT_EQ(monday["doses"].size(), 5U);
  EXPECT_EQ(monday["doses"][0]["time"], "07:00");
  EXPECT_EQ(monday["doses"][0]["round"], "WAKE");
  EXPECT_EQ(monday["doses"][0]["medication"], "Alendronic acid 70mg tablets");

  const Json saturday = due(kBobNhs, day(3, 14));
  EXPECT_EQ(slots(saturday),
            (std::vector<std::string>{"06:00 Sinemet 25mg/100mg tablets (Organon)", "08:00 Lactulose 3.35g/5ml oral solution",
                                      "08:00 Methotrexate 2.5mg tablets", "10:00 Sinemet 25mg/100mg tablets (Organon)",
                                      "14:00 Sinemet 25mg/100mg tablets (Organon)", "17:00 Lactulose 3.35g/5ml oral solution",
                                      "18:00 Sinemet 25mg/100mg tablets (Organon)"}));
  EXPECT_EQ(saturday["doses"][0]["round"], "");  // a clock time, not a round
  const Json patch_day = due(kBobNhs, day(3, 16));
  bool patch = false;
  for (const auto& d : patch_day["doses"]) patch |= d["medication"] == "Buprenorphine 5micrograms/hour transdermal patches";
  EXPECT_TRUE(patch);
}

TEST_F(Due, ACourseStopsAfterItsLastDose) {
  const Json wednesday = due(kBobNhs, day(3, 11));
  int course = 0;
  for (const auto& d : wednesday["doses"]) course += d["medication"] == "Paracetamol 500mg tablets" ? 1 : 0;
  EXPECT_EQ(course, 1);  // the sixth dose at 08:00; none after
  const Json thursday = due(kBobNhs, day(3, 12));
  for (const auto& d : thursday["doses"]) EXPECT_NE(d["medication"], "Paracetamol 500mg tablets");
}

TEST_F(Due, SummerTimeShowsTheBstOffset) {
  const Json j = due(kAliceNhs, day(3, 30));  // a Monday, the day after the clocks went forward
  ASSERT_EQ(j["doses"].size(), 5U);
  EXPECT_EQ(j["doses"][0]["slot"], "2026-03-30T07:00:00+01:00");  // WAKE
  EXPECT_EQ(j["doses"][1]["slot"], "2026-03-30T08:00:00+01:00");  // MORN
  EXPECT_EQ(j["doses"][1]["window_opens"], "2026-03-30T07:00:00+01:00");
}

TEST_F(Due, AChangeDuringTheDayGivesEachSlotTheVersionInForceThen) {
  station.clock.set(*domain::parse_instant("2026-03-11T10:00:00Z"));
  auto r = import_file(station.s(), fixture("updates-feed.json"));
  ASSERT_TRUE(r);
  const Json j = due(kAliceNhs, day(3, 11));
  int para = 0;
  for (const auto& d : j["doses"]) {
    if (d["medication"] == "Paracetamol 500mg tablets") {
      ++para;
      EXPECT_EQ(d["time"], "08:00");  // on hold from 10:00
      EXPECT_EQ(d["version"], 1);
    }
  }
  EXPECT_EQ(para, 1);
  ASSERT_EQ(j["prn"].size(), 2U);  // the old co-codamol until 10:00, the new one after
  EXPECT_EQ(j["prn"][0]["in_force_until"], "2026-03-11T10:00:00+00:00");
  EXPECT_EQ(j["prn"][1]["in_force_from"], "2026-03-11T10:00:00+00:00");
  EXPECT_EQ(j["prn"][1]["max_per_24h"], "4");
}

TEST_F(Due, UnknownOrInvalidNhsNumbersAreErrors) {
  auto nobody = due_report(station.s(), kNobodyNhs, day(3, 10));
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, "unknown_resident");
  auto bad = due_report(station.s(), "9990010014", day(3, 10));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "invalid_nhs_number");
}

}  // namespace
}  // namespace bcma::station::emar::testing
