// The real bcma-scanner process against a real station on 127.0.0.1 over TLS 1.3 with mutual
// authentication: the station server (station/src/server) runs in this process on a fresh
// database; the scanner is paired through the station's CA, reads real PNG barcodes and
// synthesised camera frames, and plays a round from a script. Asserts what the care worker
// would see (the printed screens) and what the station stored.
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
#include "bcma/transport/credentials.hpp"

namespace bcma::fw::testing {
namespace {

using namespace std::chrono_literals;
namespace server = station::server;
namespace store = station::store;
namespace pki = station::pki;

struct ScannerRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ScannerProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/bcma-scanner-e2e-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    pki::InitOptions init;
    init.station_name = "station.test.bcma";
    init.organisation = "Test Care Home";
    auto ca = pki::CertificateAuthority::initialise(station_dir(), init, std::chrono::system_clock::now());
    ASSERT_TRUE(ca) << ca.error().message;
    {
      store::StoreOptions options;
      options.pin_cost = store::PinHashCost::minimum();
      auto db = store::Store::open(station_dir() / "station.db", clock_, options);
      ASSERT_TRUE(db) << db.error().message;
      // Edith's paracetamol is due at this very minute, so that a scan now proceeds.
      const domain::Instant now = clock_.now();
      auto home = seed_station_home(*db, now, domain::London::to_local(now).time);
      ASSERT_TRUE(home) << home.error().message;
      home_ = *home;
    }
    auto log = server::Logger::open_file((dir_ / "station.log").string(), server::LogLevel::info);
    ASSERT_TRUE(log);
    log_ = std::move(*log);
    server::StationConfig config;
    config.station_dir = station_dir();
    config.port = 0;
    auto station = server::Station::open(config, *log_);
    ASSERT_TRUE(station) << station.error().message;
    station_ = std::move(*station);
    thread_ = std::thread([this] { (void)station_->run(false); });

    images_ = dir_ / "images";
    std::filesystem::create_directories(images_);
    write_barcode("badge.png", "(8017)" + home_.care_worker_badge);
    write_barcode("edith.png", "(8018)" + home_.edith_gsrn);
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

  void write_barcode(const std::string& name, const std::string& data) {
    sim::BarcodeSpec spec;
    spec.data = data;
    auto symbol = sim::make_barcode(spec);
    ASSERT_TRUE(symbol) << symbol.error().message;
    ASSERT_TRUE(sim::write_png(images_ / name, symbol->view()));
  }

  /// Pairs `device` with this station's CA (what `bcma station pair` does); the bundle file.
  std::filesystem::path pair(const std::string& device, const std::filesystem::path& ca_dir) {
    auto ca = pki::CertificateAuthority::open(ca_dir);
    EXPECT_TRUE(ca) << ca.error().message;
    auto bundle = ca->issue_device(device, std::chrono::system_clock::now());
    EXPECT_TRUE(bundle) << bundle.error().message;
    const auto file = dir_ / (device + ".bundle.json");
    auto written = pki::write_device_bundle(file, *bundle);
    EXPECT_TRUE(written) << written.error().message;
    return file;
  }

  /// Runs bcma-scanner with `script` (written next to the images) and waits for it.
  ScannerRun scan(const std::string& script, const std::filesystem::path& bundle,
           const std::string& data = "scanner") {
    const auto script_file = images_ / "round.script";
    std::ofstream(script_file) << script;
    const auto out = dir_ / "scanner.out";
    const auto err = dir_ / "scanner.err";
    const std::string station = "127.0.0.1:" + std::to_string(station_->port());
    const std::string data_dir = (dir_ / data).string();
    std::vector<std::string> args = {BCMA_SCANNER, "--bundle", bundle.string(), "--station", station,
                                     "--data", data_dir, "--script", script_file.string(),
                                     "--request-timeout", "10000"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(o, 1);
      ::dup2(e, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ScannerRun run;
    int status = 0;
    // A hung scanner fails the test instead of hanging the suite.
    for (int i = 0; i < 1200; ++i) {
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
    run.out = read_file(out);
    run.err = read_file(err);
    return run;
  }

  /// What the station stored for Edith today.
  std::size_t edith_records() {
    auto db = store::Store::open(station_dir() / "station.db", clock_);
    EXPECT_TRUE(db);
    auto history = db->history(home_.edith, clock_.now() - 24h);
    EXPECT_TRUE(history) << history.error().message;
    return history ? history->size() : 0;
  }

  std::string pack_synth() const {
    return "scan-synth (01)" + home_.paracetamol_gtin + "(17)271231(10)B123";
  }

  domain::SystemClock clock_;
  std::filesystem::path dir_;
  std::filesystem::path images_;
  StationHome home_;
  std::unique_ptr<server::Logger> log_;
  std::unique_ptr<server::Station> station_;
  std::thread thread_;
};

TEST_F(ScannerProcessTest, PlaysARoundFromImagesOverTls) {
  const auto bundle = pair("scanner-01", station_dir());
  const ScannerRun r = scan("scan badge.png\ntype 1234\nkey confirm\nexpect scan_wristband\n"
                     "scan edith.png\nexpect resident\nchoose confirm\n" +
                         pack_synth() + " rotate=140 blur=0.8 noise=6\n"
                         "expect verdict\nchoose give\nkey confirm\nexpect recorded\nsync 20\n",
                     bundle);
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("[link] up"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[screen resident] Edith Clarke"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[screen verdict] PROCEED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[signal proceed] LED green"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[screen recorded] RECORDED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[outbox] empty"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("> type ****\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("type 1234"), std::string::npos) << "the PIN is never printed";
  EXPECT_EQ(r.out.find("PIN: 1234"), std::string::npos) << "the PIN is never printed";
  EXPECT_EQ(edith_records(), 1u);
}

TEST_F(ScannerProcessTest, AnUnknownDeviceIsRefused) {
  // A scanner that trusts this station but holds a certificate another station's CA issued:
  // this station never paired it.
  pki::InitOptions init;
  init.station_name = "station.other.bcma";
  init.organisation = "Another Home";
  ASSERT_TRUE(pki::CertificateAuthority::initialise(dir_ / "other", init, std::chrono::system_clock::now()));
  auto ours = transport::load_device_bundle(pair("scanner-03", station_dir()));
  ASSERT_TRUE(ours);
  auto stranger = transport::load_device_bundle(pair("stranger-01", dir_ / "other"));
  ASSERT_TRUE(stranger);
  stranger->ca_cert_pem = ours->ca_cert_pem;
  stranger->station_name = ours->station_name;
  const auto bundle = dir_ / "stranger-trusting.bundle.json";
  ASSERT_TRUE(pki::write_device_bundle(bundle, *stranger));
  const ScannerRun r = scan("scan badge.png\ntype 1234\nkey confirm\nexpect sign_in\n", bundle);
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  // In TLS 1.3 the client's handshake completes before the station has checked the client's
  // certificate, so the link may show "up" for a moment; then the station's alert arrives.
  EXPECT_NE(r.out.find("[link] refused: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("refused this scanner's certificate"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("[screen scan_wristband]"), std::string::npos) << "nobody signed in: " << r.out;
  EXPECT_EQ(edith_records(), 0u);
}

TEST_F(ScannerProcessTest, TheNetworkLostMidRoundDeliversTheRecordExactlyOnce) {
  const auto bundle = pair("scanner-02", station_dir());
  const ScannerRun r = scan("scan badge.png\ntype 1234\nkey confirm\nscan edith.png\nchoose confirm\n" +
                         pack_synth() + "\nexpect verdict\n"
                         "disconnect\nchoose give\nkey confirm\nexpect recorded\n"
                         "connect\nsync 20\n",
                     bundle);
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("[link] down"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[outbox] empty"), std::string::npos) << r.out;
  EXPECT_EQ(edith_records(), 1u) << "delivered once, recorded once";
}

}  // namespace
}  // namespace bcma::fw::testing
