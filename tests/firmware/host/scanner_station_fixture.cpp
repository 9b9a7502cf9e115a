#include "scanner_station_fixture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "bcma/fw/sim/barcode_maker.hpp"
#include "bcma/fw/sim/image_file.hpp"
#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/server/config.hpp"
#include "bcma/station/store/pin_hash.hpp"

namespace bcma::fw::testing {

using namespace std::chrono_literals;
namespace server = station::server;
namespace store = station::store;
namespace pki = station::pki;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void ScannerStationTest::SetUp() {
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
    const domain::TimeOfDay at = domain::London::to_local(now).time;
    auto home = seed_station_home(*db, now, at);
    ASSERT_TRUE(home) << home.error().message;
    home_ = *home;
    seed_more(*db, now, at);
    if (HasFatalFailure()) return;
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

void ScannerStationTest::seed_more(store::Store&, domain::Instant, domain::TimeOfDay) {}

void ScannerStationTest::TearDown() {
  if (station_) {
    station_->stop();
    thread_.join();
    station_.reset();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ScannerStationTest::write_barcode(const std::string& name, const std::string& data) {
  sim::BarcodeSpec spec;
  spec.data = data;
  auto symbol = sim::make_barcode(spec);
  ASSERT_TRUE(symbol) << symbol.error().message;
  ASSERT_TRUE(sim::write_png(images_ / name, symbol->view()));
}

std::filesystem::path ScannerStationTest::pair(const std::string& device,
                                               const std::filesystem::path& ca_dir) {
  auto ca = pki::CertificateAuthority::open(ca_dir);
  EXPECT_TRUE(ca) << ca.error().message;
  auto bundle = ca->issue_device(device, std::chrono::system_clock::now());
  EXPECT_TRUE(bundle) << bundle.error().message;
  const auto file = dir_ / (device + ".bundle.json");
  auto written = pki::write_device_bundle(file, *bundle);
  EXPECT_TRUE(written) << written.error().message;
  return file;
}

ScannerRun ScannerStationTest::scan(const std::string& script, const std::filesystem::path& bundle,
                                    const std::string& data) {
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

std::vector<store::AdministrationRecord> ScannerStationTest::records_of(domain::ResidentId resident) {
  std::vector<store::AdministrationRecord> out;
  auto db = store::Store::open(station_dir() / "station.db", clock_);
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

}  // namespace bcma::fw::testing
