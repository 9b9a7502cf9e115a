// Protocol 1.1 end to end: the real bcma-scanner process against the real station server on
// 127.0.0.1 over TLS 1.3 with mutual authentication (the server runs in this process on a
// fresh database, on the wall clock). An override with a reason, a controlled drug witnessed
// at the trolley, and a round checked and recorded offline from the station's snapshot, each
// asserted on what the care worker sees and what the station stored.
#include <gtest/gtest.h>

#include <string>

#include "scanner_station_fixture.hpp"

namespace bcma::fw::testing {
namespace {

using V11Run = ScannerRun;

class ScannerV11ProcessTest : public ScannerStationTest {
 protected:
  // Arthur's morphine is due at this very minute too.
  void seed_more(station::store::Store& db, domain::Instant now, domain::TimeOfDay at) override {
    auto morphine = db.prescription_at(home_.arthur_morphine, now);
    ASSERT_TRUE(morphine) << morphine.error().message;
    morphine->times = {domain::DoseTime{"", at}};
    ASSERT_TRUE(db.put_prescription(*morphine, now - std::chrono::hours{1},
                                    station::store::Actor{std::nullopt, "test"}));
  }

  void SetUp() override {
    ScannerStationTest::SetUp();
    if (HasFatalFailure()) return;
    write_barcode("carer.png", "(8017)" + home_.care_worker_badge);
    write_barcode("senior.png", "(8017)" + home_.senior_badge);
    write_barcode("arthur.png", "(8018)" + home_.arthur_gsrn);
    bundle_ = pair("scanner-11", station_dir());
  }

  /// The scanner's output, standard error after standard output.
  V11Run run_scanner(const std::string& script) {
    V11Run run = scan(script, bundle_);
    run.out += run.err;
    return run;
  }

  std::string pack(const std::string& gtin) const {
    return "scan-synth (01)" + gtin + "(17)271231(10)B123\n";
  }

  std::filesystem::path bundle_;
};

TEST_F(ScannerV11ProcessTest, ASeniorOverridesABlockWithAReasonAndTheStationRecordsIt) {
  // The pack's barcode is damaged: the number typed by hand is checked in full but blocked
  // (invalid_barcode) until someone allowed to confirm a manual identification overrides.
  const V11Run r = run_scanner(
      "scan senior.png\ntype 2468\nkey confirm\nexpect scan_wristband\n"
      "scan edith.png\nexpect resident\nchoose confirm\nexpect scan_item\n"
      "choose unable_to_scan\nchoose pack_damaged\nexpect item_entry\ntype " +
      home_.paracetamol_gtin +
      "\nkey confirm\nexpect verdict\nchoose override\nexpect override_reason\n"
      "choose pharmacist_advised\nexpect quantity\nkey confirm\nexpect recorded\nsync 20\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("[screen verdict] BLOCKED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[override] Override: give anyway (recorded)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[outbox] empty"), std::string::npos) << r.out;
  const auto records = records_of(home_.edith);
  ASSERT_EQ(records.size(), 1u) << r.out;
  const auto& rec = records.front().record;
  ASSERT_TRUE(rec.override);
  EXPECT_EQ(rec.override->by, home_.senior);
  EXPECT_NE(rec.override->reason.find("pharmacist_advised"), std::string::npos) << rec.override->reason;
  ASSERT_TRUE(rec.verdict);
  EXPECT_EQ(rec.verdict->decision, rules::Decision::kBlock);
}

TEST_F(ScannerV11ProcessTest, AControlledDrugIsWitnessedAtTheTrolley) {
  const V11Run r = run_scanner(
      "scan carer.png\ntype 1234\nkey confirm\nexpect scan_wristband\n"
      "scan arthur.png\nexpect resident\nchoose confirm\n" + pack(home_.morphine_gtin) +
      "expect verdict\nchoose acknowledge\nchoose give\nexpect witness_badge\n"
      "scan senior.png\nexpect witness_pin\ntype 2468\nkey confirm\nexpect quantity\n"
      "key confirm\nexpect recorded\nsync 20\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("[screen verdict] WARNING"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Controlled drug: a second person must witness."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[outbox] empty"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("2468"), std::string::npos) << "no PIN is ever printed";
  const auto records = records_of(home_.arthur);
  ASSERT_EQ(records.size(), 1u) << r.out;
  const auto& rec = records.front().record;
  EXPECT_EQ(rec.staff_id, home_.care_worker);
  ASSERT_TRUE(rec.witness);
  EXPECT_EQ(*rec.witness, home_.senior);
  EXPECT_EQ(rec.prescription_id, home_.arthur_morphine);
  // No PIN went into the outbox either: the record named the confirmation.
  EXPECT_NE(read_file(dir_ / "station.log").find("witness_confirmed"), std::string::npos);
}

TEST_F(ScannerV11ProcessTest, OfflineTheRoundIsCheckedFromTheSnapshotAndDeliveredOnce) {
  const V11Run r = run_scanner(
      "scan carer.png\ntype 1234\nkey confirm\nexpect scan_wristband\n"
      "disconnect\n"
      "scan edith.png\nexpect resident\nchoose confirm\n" + pack(home_.paracetamol_gtin) +
      "expect verdict\nchoose give\nexpect quantity\nkey confirm\nexpect recorded\n"
      "connect\nsync 20\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("[link] down"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[screen verdict] PROCEED (checked offline)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[outbox] empty"), std::string::npos) << r.out;
  const auto records = records_of(home_.edith);
  ASSERT_EQ(records.size(), 1u) << "delivered once, recorded once: " << r.out;
  const auto& rec = records.front().record;
  EXPECT_EQ(rec.prescription_id, home_.edith_regular);
  EXPECT_EQ(rec.outcome, domain::Outcome::kGiven);
  EXPECT_EQ(rec.quantity, domain::Decimal::from_int(2));
  ASSERT_TRUE(rec.verdict);
  EXPECT_EQ(rec.verdict->decision, rules::Decision::kProceed) << "the station's own re-check";
  // The snapshot was served once, at sign-in.
  EXPECT_NE(read_file(dir_ / "station.log").find("\"round_snapshot\""), std::string::npos);
}

}  // namespace
}  // namespace bcma::fw::testing
