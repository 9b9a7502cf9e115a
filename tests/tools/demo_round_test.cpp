// `bcma demo`, the README's main job, run as a user runs it: the real bcma process, which
// starts a station on loopback and the real bcma-scanner process playing the round from
// barcode images. What it promises (issue 4) is checked in its output and in the database.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "child_process.hpp"

namespace {

namespace fs = std::filesystem;

class DemoRound : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bcma-demo-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(DemoRound, PlaysTheMorningRoundEndToEndAndLeavesAVerifiedDatabase) {
  const auto demo_dir = dir_ / "bcma-demo";
  const auto r = bcma::test::run_process({BCMA_EXE, "demo", "--dir", demo_dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // Every situation the round promises, as the care worker's screen shows it...
  for (const char* seen : {
           "This pharmacy label is for Mary Jones, not Jane Smith",  // wrong resident
           "allergy:",                                                 // Mary's amoxicillin
           "expired:",                                                 // last month's metformin
           "prn_too_soon:",                                            // Rose's paracetamol
           "too_early:",                                               // Frank's lunchtime metformin
           "controlled_drug_witness_required:",                        // oxycodone, fentanyl
           "[screen witness_pin]",                                     // ...and the witness signs
           "> choose refused",                                         // Arthur refuses
           "[outbox] empty: every record acknowledged",                // nothing left on the scanner
       }) {
    EXPECT_NE(r.out.find(seen), std::string::npos) << "missing: " << seen << "\n" << r.out;
  }
  // ...and in the station's own audit log.
  EXPECT_NE(r.out.find("doses recorded: given 18; refused 1;"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("For the pharmacist:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("https://127.0.0.1:8443/"), std::string::npos) << r.out;

  const auto db = demo_dir / "station" / "station.db";
  ASSERT_TRUE(fs::exists(db));
  EXPECT_TRUE(fs::exists(demo_dir / "barcodes" / "wristband-jane.png"));
  EXPECT_TRUE(fs::exists(demo_dir / "station.json"));
  const auto verify = bcma::test::run_process({BCMA_EXE, "audit", "verify", "--db", db.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(DemoRound, RefusesAFolderItDidNotMakeAndLeavesItAlone) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "notes.txt") << "someone's file\n";
  const auto r = bcma::test::run_process({BCMA_EXE, "demo", "--dir", dir_.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("was not made by bcma demo"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "notes.txt"));
  EXPECT_FALSE(fs::exists(dir_ / "station"));
}

}  // namespace
