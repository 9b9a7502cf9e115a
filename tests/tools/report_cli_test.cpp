// `bcma report` as a pharmacist runs it: the real binary, on a database built by playing a
// scenario (`bcma scenario run --keep-db`, tests/tools/fixtures/report_round.json), with every
// figure checked against the arithmetic written beside it.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"

namespace bcma::test {
namespace {

namespace fs = std::filesystem;

ProcessResult run_bcma(std::vector<std::string> args) {
  args.insert(args.begin(), BCMA_EXE);
  return run_process(args);
}

std::vector<std::string> csv_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

bool contains(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

class ReportCliTest : public ::testing::Test {
 protected:
  // One database for the whole suite: playing the scenario is the expensive part.
  static void SetUpTestSuite() {
    const std::string scenario =
        (fs::path(BCMA_SOURCE_DIR) / "tests/tools/fixtures/report_round.json").string();
    const auto played = run_bcma({"scenario", "run", "--keep-db", scenario});
    ASSERT_EQ(played.exit_code, 0) << played.out << played.err;
    const std::string marker = "database kept at ";
    const auto at = played.err.find(marker);
    ASSERT_NE(at, std::string::npos) << played.err;
    const auto end = played.err.find('\n', at);
    database_ = new fs::path(played.err.substr(at + marker.size(), end - at - marker.size()));
    ASSERT_TRUE(fs::exists(*database_)) << *database_;
  }
  static void TearDownTestSuite() {
    if (database_ != nullptr) {
      std::error_code ec;
      fs::remove_all(database_->parent_path(), ec);  // the scenario's own temporary directory
    }
    delete database_;
    database_ = nullptr;
  }
  static std::string db() { return database_->string(); }

  static fs::path* database_;
};

fs::path* ReportCliTest::database_ = nullptr;

TEST_F(ReportCliTest, ListNamesEveryReportWithItsReaders) {
  const auto r = run_bcma({"report", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> names;
  for (const auto& line : csv_lines(r.out)) names.push_back(line.substr(0, line.find('\t')));
  EXPECT_EQ(names, (std::vector<std::string>{"stock_on_hand", "reorder", "stock_discrepancies",
                                             "cd_register", "waste", "refusals_omissions",
                                             "prn_use", "timing", "prevented_errors", "overrides",
                                             "prescribing_alerts"}));
  EXPECT_TRUE(contains(r.out, "prescribing_alerts\tPrescribing alerts\t(pharmacist)")) << r.out;
}

TEST_F(ReportCliTest, RefusalsAndOmissionsOverTenDaysAsCsv) {
  // Jane's amlodipine, 10-20 March: history given on the 10th, 12th, 14th, 16th, 18th and
  // 19th, refused on the 11th, 13th and 15th, omitted (asleep) on the 17th, and given on the
  // 20th through the scanner: 11 doses, 7 given, 3 refused, 1 omitted; not given 4/11 =
  // 36.36 % -> 36.4; refused on 3 of the last 14 days; 4 x 4 = 16 >= 11 doses, so flagged.
  // John's one dose was given: no row.
  const auto r = run_bcma({"report", "refusals_omissions", "--db", db(), "--from", "2026-03-10",
                           "--to", "2026-03-20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(csv_lines(r.out),
            (std::vector<std::string>{
                "Resident,Medicine,Doses recorded,Given,Refused,Omitted,Most common reason,"
                "Not given %,Days refused (last 14),Flag",
                "Jane Smith,Amlodipine 5mg tablets,11,7,3,1,asleep,36.4,3,"
                "not given at a quarter or more of doses"}));
}

TEST_F(ReportCliTest, RefusalsAndOmissionsHonourTheRange) {
  // 14-19 March: given 14th, 16th, 18th, 19th; refused 15th; omitted 17th: 6 doses, 2 not
  // given = 33.3 %; the 20th (to is inclusive of the 19th only) is left out.
  const auto r = run_bcma({"report", "refusals_omissions", "--db", db(), "--from", "2026-03-14",
                           "--to", "2026-03-19"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = csv_lines(r.out);
  ASSERT_EQ(lines.size(), 2U) << r.out;
  EXPECT_EQ(lines[1], "Jane Smith,Amlodipine 5mg tablets,6,4,1,1,asleep,33.3,1,"
                      "not given at a quarter or more of doses");
}

TEST_F(ReportCliTest, PreventedErrorsForTheRoundAsCsv) {
  // The 20th: Jane's 06:50 scan blocked too_early and given after Mike's override; John's
  // paracetamol blocked not_prescribed and never given. Equal counts sort by name.
  const auto r = run_bcma({"report", "prevented_errors", "--db", db(), "--from", "2026-03-20",
                           "--to", "2026-03-20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(csv_lines(r.out),
            (std::vector<std::string>{"Reason,Scans blocked,Scans warned,Doses given after override",
                                      "not_prescribed,1,0,0", "too_early,1,0,1",
                                      "Total (reasons),2,0,1"}));
}

TEST_F(ReportCliTest, UtcInstantsBoundTheRangeExactly) {
  // 06:00Z-07:00Z on the 20th (GMT, before the clocks change) holds Jane's 06:50 scan only;
  // John's 08:00 scan is outside it.
  const auto r = run_bcma({"report", "prevented_errors", "--db", db(), "--from",
                           "2026-03-20T06:00:00Z", "--to", "2026-03-20T07:00:00Z"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(csv_lines(r.out),
            (std::vector<std::string>{"Reason,Scans blocked,Scans warned,Doses given after override",
                                      "too_early,1,0,1", "Total (reasons),1,0,1"}));
}

TEST_F(ReportCliTest, JsonCarriesTheSameFigures) {
  const auto r = run_bcma({"report", "prevented_errors", "--db", db(), "--from", "2026-03-20",
                           "--to", "2026-03-20", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["name"], "prevented_errors");
  EXPECT_EQ(json["rows"], nlohmann::json::parse(R"json([
      {"reason": "not_prescribed", "blocked": 1, "warned": 0, "overridden": 0},
      {"reason": "too_early", "blocked": 1, "warned": 0, "overridden": 1},
      {"reason": "Total (reasons)", "blocked": 2, "warned": 0, "overridden": 1}])json"));
}

TEST_F(ReportCliTest, UsageErrorsExitTwoNamingTheBadArgument) {
  struct Case {
    std::vector<std::string> args;
    const char* named;  ///< what the message must name
  };
  const std::string d = db();
  const std::vector<Case> cases{
      {{"report", "timing", "--db", d, "--from", "2026-13-01", "--to", "2026-03-20"}, "--from"},
      {{"report", "timing", "--db", d, "--from", "2026-03-20", "--to", "2026-03-10"}, "--to"},
      {{"report", "timing", "--db", d, "--from", "2026-03-01", "--to", "2026-03-20", "--format",
        "xml"},
       "--format"},
      {{"report", "timing", "--from", "2026-03-01", "--to", "2026-03-20"}, "--db"},
      {{"report", "timing", "--db", d, "--from", "2026-03-01", "--to", "2026-03-20", "--color"},
       "--color"},
  };
  for (const auto& c : cases) {
    const auto r = run_bcma(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.named;
    EXPECT_EQ(r.out, "") << c.named;
    EXPECT_TRUE(contains(r.err, "bcma report: ")) << r.err;
    EXPECT_TRUE(contains(r.err.substr(0, r.err.find('\n')), c.named))
        << "the first line should name " << c.named << ":\n" << r.err;
    EXPECT_TRUE(contains(r.err, "usage: bcma report NAME")) << r.err;
  }
}

TEST_F(ReportCliTest, AnUnknownReportIsAUsageErrorThatPointsAtTheList) {
  const auto r = run_bcma({"report", "wastage", "--db", db(), "--from", "2026-03-01", "--to",
                           "2026-03-20"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(contains(r.err, "no report called 'wastage'")) << r.err;
  EXPECT_TRUE(contains(r.err, "bcma report list")) << r.err;
}

TEST_F(ReportCliTest, AMissingDatabaseIsAClearErrorAndNothingIsCreated) {
  const fs::path missing = database_->parent_path() / "no-such-dir-or-file.db";
  const auto r = run_bcma({"report", "waste", "--db", missing.string(), "--from", "2026-03-01",
                           "--to", "2026-03-20"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(contains(r.err, missing.string())) << r.err;
  EXPECT_TRUE(contains(r.err, "no database")) << r.err;
  EXPECT_FALSE(fs::exists(missing));
  EXPECT_FALSE(fs::exists(missing.string() + "-wal"));
  EXPECT_FALSE(fs::exists(missing.string() + "-journal"));
}

}  // namespace
}  // namespace bcma::test
