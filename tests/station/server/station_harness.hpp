#pragma once
// Test support for the station process tests: a station directory made with the real `bcma
// station` commands and seeded through the store, the real `bcma-station` binary as a child
// process, and scanners built on the transport's ClientLink.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "../store_test_support.hpp"
#include "bcma/transport/client_link.hpp"
#include "bcma/transport/credentials.hpp"
#include "bcma/v1/envelope.pb.h"

namespace bcma::station::server::testing {

using namespace std::chrono_literals;
using store::testing::TempDir;

/// Long enough for anything that should happen promptly under sanitizers; a test fails rather
/// than hangs.
inline constexpr std::chrono::milliseconds kPatience = 20s;

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
/// Runs the real `bcma` command line with `args` and waits for it.
CliResult run_bcma(const std::vector<std::string>& args);
/// Runs `bcma-station` with `args` and waits for it (for starts that must fail).
CliResult run_station(const std::vector<std::string>& args);

/// A station directory: PKI and database as `bcma station init` makes them, the store seeded with
/// seed_home, plus a resident (Cara) whose one prescription is due now, so that her pack
/// scans proceed whatever the time of day the tests run.
struct TestHome {
  TestHome();
  std::filesystem::path station_dir() const { return dir.path() / "station"; }
  std::filesystem::path database() const { return station_dir() / "station.db"; }
  /// Pairs a scanner through the station CA, as `bcma station pair` does.
  transport::DeviceBundle pair(const std::string& device_id);
  /// Pairs a scanner with the real `bcma station pair` and loads the bundle it wrote.
  transport::DeviceBundle pair_with_cli(const std::string& device_id);

  TempDir dir;
  store::testing::Seed seed;
  domain::ResidentId cara = 0;
  domain::PrescriptionId cara_rx = 0;
  std::string cara_gsrn;
  std::string pack_gtin;  ///< paracetamol 500mg x32, valid from 2020 on
};

/// `bcma-station` as a child process: stdout is read until its "listening" line, stderr (the
/// JSON log) goes to a file the test can read.
class StationProcess {
 public:
  /// Starts the station for `home` on 127.0.0.1, port 0, with `extra` flags. Fails the test
  /// (and returns null) if it does not report a port within kPatience.
  static std::unique_ptr<StationProcess> start(const TestHome& home,
                                               const std::vector<std::string>& extra = {});
  ~StationProcess();  ///< SIGKILL if still running
  StationProcess(const StationProcess&) = delete;
  StationProcess& operator=(const StationProcess&) = delete;

  std::uint16_t port() const { return port_; }
  void signal(int signo);
  /// The exit status, or nullopt if it did not exit normally within `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  /// Every JSON log line with "event" == `event`.
  std::vector<nlohmann::json> events(std::string_view event) const;
  /// Waits up to kPatience for a log line with that event (and device, if given).
  bool wait_for_event(std::string_view event, std::string_view device = {}) const;
  std::string log_text() const;

 private:
  StationProcess() = default;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::filesystem::path log_file_;
  bool exited_ = false;
};

/// A scanner: one ClientLink on its own io_context thread, with blocking request helpers.
class Scanner {
 public:
  /// `max_frame_size`: the link's own limit (raise it to send what the station must refuse).
  Scanner(const transport::DeviceBundle& bundle, std::uint16_t port,
          std::size_t max_frame_size = transport::kDefaultMaxFrameSize);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  transport::ClientLink& link() { return *link_; }
  bool wait_connected() { return link_->wait_for(transport::LinkState::connected, kPatience); }

  /// Sends `envelope` (giving it the next request id unless it has one) and returns the
  /// response with the same request id; nullopt on timeout or failure to send.
  std::optional<v1::Envelope> request(v1::Envelope envelope,
                                      std::chrono::milliseconds timeout = kPatience);
  /// Sends without waiting; returns the request id used.
  std::uint64_t send(v1::Envelope envelope);
  Result<void, transport::TransportError> send_raw(std::string payload);
  /// The response to `request_id` (others received meanwhile are kept for later).
  std::optional<v1::Envelope> response(std::uint64_t request_id,
                                       std::chrono::milliseconds timeout = kPatience);
  /// The next frame of any kind.
  std::optional<v1::Envelope> next(std::chrono::milliseconds timeout);

  // The round, step by step. Each fails the calling test on an unexpected answer.
  void hello();
  std::string login(const std::string& badge, const std::string& pin);  ///< the session id
  v1::ResidentSummary scan_resident(const std::string& session, const std::string& gsrn);
  v1::Verdict scan_pack(const std::string& session, const std::string& resident_id,
                        const std::string& gtin14);

  const std::string& device_id() const { return device_id_; }

 private:
  std::string device_id_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::thread thread_;
  std::unique_ptr<transport::ClientLink> link_;
  std::uint64_t next_id_ = 1;
  std::vector<v1::Envelope> stash_;
};

/// The first column of the first row of `sql` ("" if none), read through its own
/// connection that waits for the running station's writes (unlike store::testing::raw_sql,
/// which fails at once on a busy database). Fails the test on an SQL error.
std::string query(const std::filesystem::path& database, const std::string& sql);

/// A RecordOutcome envelope. `verdict_id` empty: none.
v1::Envelope record_envelope(const std::string& session, const std::string& outcome_id,
                             const std::string& resident_id, const std::string& verdict_id,
                             bool given);
/// The GS1 element string of a pack of `gtin14` (with expiry, batch and serial).
std::string pack_text(const std::string& gtin14);

}  // namespace bcma::station::server::testing
