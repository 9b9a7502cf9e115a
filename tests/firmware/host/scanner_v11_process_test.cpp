// Protocol 1.1 end to end: the real bcma-scanner process against the real station server on
// 127.0.0.1 over TLS 1.3 with mutual authentication (the server runs in this process on a
// fresh database, on the wall clock). An override with a reason, a controlled drug witnessed
// at the trolley, and a round checked and recorded offline from the station's snapshot, each
// asserted on what the care worker sees and what the station stored.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "../support/station_home.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/fw/sim/barcode_maker.hpp"
#include "bcma/fw/sim/image_file.hpp"
#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/server/config.hpp"
#include "bcma/station/server/log.hpp"
#include "bcma/station/server/station.hpp"
#include "bcma/station/store/pin_hash.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::fw::testing {
namespace {

using namespace std::chrono_literals;
namespace v11_server = station::server;
namespace v11_store = station::store;
namespace v11_pki = station::pki;

struct V11Run {
  int exit_code = -1;
  std::string out;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ScannerV11ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/bcma-scanner-v11-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    v11_pki::InitOptions init;
    init.station_name = "station.test.bcma";
    init.organisation = "Test Care Home";
    ASSERT_TRUE(v11_pki::CertificateAuthority::initialise(station_dir(), init,
                                                          std::chrono::system_clock::now()));
    {
      v11_store::StoreOptions options;
      options.pin_cost = v11_store::PinHashCost::minimum();
      auto db = v11_store::Store::open(station_dir() / "station.db", clock_, options);
      ASSERT_TRUE(db) << db.error().message;
      // Edith's paracetamol and Arthur's morphine are due at this very minute.
      const domain::Instant now = clock_.now();
      const domain::TimeOfDay at = domain::London::to_local(now).time;
      auto home = seed_station_home(*db, now, at);
      ASSERT_TRUE(home) << home.error().message;
      home_ = *home;
      auto morphine = db->prescription_at(home_.arthur_morphine, now);
      ASSERT_TRUE(morphine) << morphine.error().message;
      morphine->times = {domain::DoseTime{"", at}};
      ASSERT_TRUE(db->put_prescription(*morphine, now - 1h, v11_store::Actor{std::nullopt, "test"}));
    }
    auto log = v11_server::Logger::open_file((dir_ / "station.log").string(), v11_server::LogLevel::info);
    ASSERT_TRUE(log);
    log_ = std::move(*log);
    v11_server::StationConfig config;
    config.station_dir = station_dir();
    config.port = 0;
    auto station = v11_server::Station::open(config, *log_);
    ASSERT_TRUE(station) << station.error().message;
    station_ = std::move(*station);
    thread_ = std::thread([this] { (void)station_->run(false); });

    images_ = dir_ / "images";
    std::filesystem::create_directories(images_);
    barcode("carer.png", "(8017)" + home_.care_worker_badge);
    barcode("senior.png", "(8017)" + home_.senior_badge);
    barcode("edith.png", "(8018)" + home_.edith_gsrn);
    barcode("arthur.png", "(8018)" + home_.arthur_gsrn);

    auto ca = v11_pki::CertificateAuthority::open(station_dir());
    ASSERT_TRUE(ca);
    auto bundle = ca->issue_device("scanner-11", std::chrono::system_clock::now());
    ASSERT_TRUE(bundle);
    bundle_ = dir_ / "scanner-11.bundle.json";
    ASSERT_TRUE(v11_pki::write_device_bundle(bundle_, *bundle));
  }

  void TearDown() override {
    if (station_) {
      station_->stop();
      thread_.join();
      station_.reset();
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path station_dir() const { return dir_ / "station"; }

  void barcode(const std::string& name, const std::string& data) {
    sim::BarcodeSpec spec;
    spec.data = data;
    auto symbol = sim::make_barcode(spec);
    ASSERT_TRUE(symbol) << symbol.error().message;
    ASSERT_TRUE(sim::write_png(images_ / name, symbol->view()));
  }

  V11Run run_scanner(const std::string& script) {
    const auto script_file = images_ / "round.script";
    std::ofstream(script_file) << script;
    const auto out = dir_ / "scanner.out";
    const std::string station = "127.0.0.1:" + std::to_string(station_->port());
    std::vector<std::string> args = {BCMA_SCANNER, "--bundle", bundle_.string(), "--station", station,
                                     "--data", (dir_ / "scanner").string(), "--script",
                                     script_file.string(), "--request-timeout", "10000"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(o, 1);
      ::dup2(o, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    V11Run run;
    int status = 0;
    for (int i = 0; i < 1200; ++i) {  // a hung scanner fails the test, not the suite
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        break;
      }
      std::this_thread::sleep_for(50ms);
    }
    if (run.exit_code == -1 && ::waitpid(pid, &status, WNOHANG) == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ADD_FAILURE() << "bcma-scanner did not finish within 60 s";
    }
    run.out = slurp(out);
    return run;
  }

  /// What the station stored for a resident today, read through a second connection.
  std::vector<v11_store::AdministrationRecord> records_of(domain::ResidentId resident) {
    std::vector<v11_store::AdministrationRecord> out;
    auto db = v11_store::Store::open(station_dir() / "station.db", clock_);
    EXPECT_TRUE(db);
    if (!db) return out;
    auto history = db->history(resident, clock_.now() - 24h);
    EXPECT_TRUE(history) << history.error().message;
    if (!history) return out;
    for (const auto& d : *history) {
      auto r = db->administration(d.record_id);
      EXPECT_TRUE(r) << r.error().message;
      if (r) out.push_back(std::move(*r));
    }
    return out;
  }

  std::string pack(const std::string& gtin) const {
    return "scan-synth (01)" + gtin + "(17)271231(10)B123\n";
  }

  domain::SystemClock clock_;
  std::filesystem::path dir_;
  std::filesystem::path images_;
  std::filesystem::path bundle_;
  StationHome home_;
  std::unique_ptr<v11_server::Logger> log_;
  std::unique_ptr<v11_server::Station> station_;
  std::thread thread_;
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
  EXPECT_NE(slurp(dir_ / "station.log").find("witness_confirmed"), std::string::npos);
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
  EXPECT_NE(slurp(dir_ / "station.log").find("\"round_snapshot\""), std::string::npos);
}

}  // namespace
}  // namespace bcma::fw::testing
