#pragma once
// The station server (station/src/server) running in the test process on a fresh database and
// the wall clock, with its own CA, and the real bcma-scanner process run against it on
// 127.0.0.1 over TLS 1.3: what every scanner end-to-end test starts from.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../support/station_home.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/server/log.hpp"
#include "bcma/station/server/station.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::fw::testing {

struct ScannerRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_file(const std::filesystem::path& p);

class ScannerStationTest : public ::testing::Test {
 protected:
  /// Seeds the demo-sized home (Edith's paracetamol due this minute), starts the station and
  /// writes the care worker's badge (badge.png) and Edith's wristband (edith.png).
  void SetUp() override;
  void TearDown() override;

  /// Called while the database is seeded, before the station opens it; `at` is this minute.
  virtual void seed_more(station::store::Store& db, domain::Instant now, domain::TimeOfDay at);

  std::filesystem::path station_dir() const { return dir_ / "station"; }

  void write_barcode(const std::string& name, const std::string& data);

  /// Pairs `device` with the CA in `ca_dir` (what `bcma station pair` does); the bundle file.
  std::filesystem::path pair(const std::string& device, const std::filesystem::path& ca_dir);

  /// Runs bcma-scanner with `script` (written next to the images) and waits for it; a hung
  /// scanner fails the test after 60 s instead of hanging the suite.
  ScannerRun scan(const std::string& script, const std::filesystem::path& bundle,
                  const std::string& data = "scanner");

  /// What the station stored for a resident today, read through a second connection.
  std::vector<station::store::AdministrationRecord> records_of(domain::ResidentId resident);

  domain::SystemClock clock_;
  std::filesystem::path dir_;
  std::filesystem::path images_;
  StationHome home_;
  std::unique_ptr<station::server::Logger> log_;
  std::unique_ptr<station::server::Station> station_;
  std::thread thread_;
};

}  // namespace bcma::fw::testing
