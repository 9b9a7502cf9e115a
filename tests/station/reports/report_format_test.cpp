// The report data type: CSV per RFC 4180, JSON with typed values, and the registry.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bcma/station/reports/report.hpp"

namespace bcma::station::reports {
namespace {

using namespace std::chrono;

Report sample() {
  Report r;
  r.name = "sample";
  r.title = "Sample";
  r.explanation = "A sample.";
  r.from = sys_days{year{2026} / 3 / 2};
  r.to = sys_days{year{2026} / 3 / 30};
  r.columns = {{"name", "Name", ColumnType::kText},
               {"n", "Count", ColumnType::kInteger},
               {"q", "Quantity", ColumnType::kDecimal},
               {"cost", "Cost (£)", ColumnType::kPence},
               {"day", "Day", ColumnType::kDate},
               {"at", "Time", ColumnType::kTime},
               {"pct", "Rate %", ColumnType::kPercent}};
  r.rows.push_back({std::string("Smith, \"Jo\""), std::int64_t{3}, domain::Decimal::from_thousandths(2500),
                    std::int64_t{1234}, domain::Date{year{2026} / 3 / 29},
                    // 2026-03-29 07:00 UTC is 08:00 BST
                    domain::Instant{sys_days{year{2026} / 3 / 29} + hours{7}},
                    domain::Decimal::from_thousandths(12500)});
  r.rows.push_back({std::string("two\nlines"), Cell{}, Cell{}, std::int64_t{-5}, Cell{}, Cell{}, Cell{}});
  return r;
}

TEST(ReportFormatTest, CsvFollowsRfc4180) {
  EXPECT_EQ(to_csv(sample()),
            "Name,Count,Quantity,Cost (£),Day,Time,Rate %\r\n"
            "\"Smith, \"\"Jo\"\"\",3,2.5,12.34,2026-03-29,2026-03-29 08:00,12.5\r\n"
            "\"two\nlines\",,,-0.05,,,\r\n");
}

TEST(ReportFormatTest, JsonKeepsTypesAndOrder) {
  const auto j = nlohmann::ordered_json::parse(to_json(sample()));
  EXPECT_EQ(j["name"], "sample");
  EXPECT_EQ(j["from"], "2026-03-02T00:00:00Z");
  EXPECT_EQ(j["columns"][3]["type"], "pence");
  EXPECT_EQ(j["rows"][0]["n"], 3);
  EXPECT_EQ(j["rows"][0]["q"], "2.5");
  EXPECT_EQ(j["rows"][0]["cost"], "12.34");
  EXPECT_TRUE(j["rows"][1]["n"].is_null());
  EXPECT_TRUE(j["chart"].is_null());
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "title", "explanation", "from", "to", "columns", "rows", "chart"}));
}

TEST(ReportRegistryTest, EveryReportIsListedWithItsReaders) {
  std::vector<std::string> names;
  for (const auto& r : catalogue()) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"stock_on_hand", "reorder", "stock_discrepancies", "cd_register", "waste",
                                             "refusals_omissions", "prn_use", "timing", "prevented_errors",
                                             "overrides", "prescribing_alerts"}));
  EXPECT_TRUE(may_read("waste", domain::Role::kPharmacist));
  EXPECT_TRUE(may_read("cd_register", domain::Role::kManager));
  EXPECT_FALSE(may_read("waste", domain::Role::kCareWorker));
  EXPECT_FALSE(may_read("overrides", domain::Role::kEvaluator));  // names staff: not pseudonymised
  EXPECT_FALSE(may_read("prescribing_alerts", domain::Role::kManager));
  EXPECT_FALSE(may_read("no_such_report", domain::Role::kPharmacist));
  EXPECT_EQ(find_report("nope"), nullptr);
}

}  // namespace
}  // namespace bcma::station::reports
