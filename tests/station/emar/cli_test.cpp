// `bcma emar ...` as the pharmacist and the home run it: the real binary, a real database file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../../tools/child_process.hpp"
#include "emar_test_support.hpp"

namespace bcma::station::emar::testing {
namespace {

namespace st = store::testing;
using Json = nlohmann::json;
using test::run_process;

class EmarCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(BCMA_CLI).empty()) GTEST_SKIP() << "the bcma binary is not part of this build";
  }
  test::ProcessResult bcma(std::vector<std::string> args) {
    args.insert(args.begin(), {BCMA_CLI, "emar"});
    return run_process(args);
  }
  Station station;
  std::string db = station.file.string();
};

TEST_F(EmarCli, ImportPrintsTheSummaryAndExitsZeroWhenEverythingWasApplied) {
  const auto r = bcma({"import", fixture("regular-feed.json").string(), "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Imported 10, updated 0, unchanged 0, queued for review 0, ignored 4."), std::string::npos)
      << r.out;
  const auto again = bcma({"import", fixture("regular-feed.json").string(), "--db", db, "--json"});
  EXPECT_EQ(again.exit_code, 0);
  const Json j = Json::parse(again.out);
  EXPECT_EQ(j["unchanged"], 10);
  EXPECT_EQ(j["resources"][3]["id"], "rx-para-regular");
}

TEST_F(EmarCli, QueuedResourcesAreListedWithReasonsAndTheExitStatusSaysSo) {
  const auto r = bcma({"import", fixture("review-feed.json").string(), "--db", db});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("queued for review 21"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("- unknown_medication at /medicationCodeableConcept/coding/0: dm+d code 3999911000001105"),
            std::string::npos)
      << r.out;

  const auto review = bcma({"review", "--db", db});
  EXPECT_EQ(review.exit_code, 0) << review.err;
  EXPECT_NE(review.out.find("Review queue: 21 open"), std::string::npos) << review.out;
  EXPECT_NE(review.out.find("Not imported because:"), std::string::npos);
  const auto json = bcma({"review", "--db", db, "--json"});
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_EQ(Json::parse(json.out).size(), 21U);
}

TEST_F(EmarCli, DuePrintsTheResidentsDosesAsJson) {
  ASSERT_EQ(bcma({"import", fixture("regular-feed.json").string(), "--db", db}).exit_code, 0);
  const auto r = bcma({"due", "--resident", "999 001 0013", "--date", "2026-03-16", "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["resident"]["nhs_number"], kAliceNhs);
  ASSERT_EQ(j["doses"].size(), 5U);
  EXPECT_EQ(j["doses"][0]["round"], "WAKE");
  EXPECT_EQ(j["prn"][0]["max_per_24h"], "8");

  const auto nobody = bcma({"due", "--resident", kNobodyNhs, "--date", "2026-03-16", "--db", db});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.err.find("unknown_resident"), std::string::npos) << nobody.err;
}

TEST_F(EmarCli, ExportWritesABundleOfWhatWasAdministered) {
  ASSERT_EQ(bcma({"import", fixture("regular-feed.json").string(), "--db", db}).exit_code, 0);
  auto alice = station.s().current_prescriptions(station.home.alice, station.clock.now());
  ASSERT_TRUE(alice);
  store::NewAdministration a;
  a.record_id = st::uuid(7);
  a.resident_id = station.home.alice;
  a.prescription_id = alice->front().id;
  a.outcome = domain::Outcome::kRefused;
  a.wristband = store::ScanEvidence::unable_to_scan("band unreadable");
  a.event_time = station.clock.now();
  a.device_id = "scanner-01";
  a.staff_id = station.home.carer;
  ASSERT_TRUE(station.s().record_administration(a));

  const auto out = station.dir.path() / "out.json";
  const auto r = bcma({"export", "--since", "2026-03-10", "--db", db, "--out", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("exported 1 MedicationAdministration"), std::string::npos) << r.err;
  const Json bundle = Json::parse(read_text(out));
  ASSERT_EQ(bundle["entry"].size(), 1U);
  EXPECT_EQ(bundle["entry"][0]["resource"]["status"], "not-done");
  const auto stdout_export = bcma({"export", "--since", "2026-03-11T00:00:00Z", "--db", db});
  EXPECT_EQ(stdout_export.exit_code, 0);
  EXPECT_TRUE(Json::parse(stdout_export.out)["entry"].empty());
}

TEST_F(EmarCli, ARefusedFeedExitsOneAndChangesNothing) {
  const std::string before = st::dump_database(station.file);
  const auto r = bcma({"import", fixture("malformed.json").string(), "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("(invalid_json)"), std::string::npos) << r.err;
  EXPECT_EQ(st::dump_database(station.file), before);
}

TEST_F(EmarCli, UsageErrorsAndAMissingDatabase) {
  EXPECT_EQ(bcma({"import", fixture("regular-feed.json").string()}).exit_code, 2);
  EXPECT_EQ(bcma({"due", "--resident", kAliceNhs, "--date", "10/03/2026", "--db", db}).exit_code, 2);
  EXPECT_EQ(bcma({"export", "--db", db}).exit_code, 2);
  EXPECT_EQ(bcma({"frobnicate", "--db", db}).exit_code, 2);
  const auto missing = station.dir.path() / "absent.db";
  const auto r = bcma({"review", "--db", missing.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no station database"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(missing));  // not created as a side effect
  const auto help = run_process({BCMA_CLI, "help"});
  EXPECT_NE(help.out.find("emar"), std::string::npos);
}

}  // namespace
}  // namespace bcma::station::emar::testing
