#include "station_harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "bcma/domain/time.hpp"
#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/store/store.hpp"

extern char** environ;

namespace bcma::station::server::testing {

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Spawns `argv` with stdout to `out_fd` (or a file) and stderr to `err_file`.
pid_t spawn(const std::vector<std::string>& argv, int out_fd, const std::filesystem::path& out_file,
            const std::filesystem::path& err_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
  }
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv.at(0).c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

}  // namespace

namespace {

CliResult run_program(const char* exe, const std::vector<std::string>& args) {
  CliResult result;
  TempDir io;
  std::vector<std::string> argv{exe};
  argv.insert(argv.end(), args.begin(), args.end());
  const pid_t pid = spawn(argv, -1, io.path() / "out", io.path() / "err");
  if (pid < 0) {
    ADD_FAILURE() << "cannot start " << exe;
    return result;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(io.path() / "out");
  result.err = read_file(io.path() / "err");
  return result;
}

}  // namespace

CliResult run_bcma(const std::vector<std::string>& args) { return run_program(BCMA_CLI, args); }

CliResult run_station(const std::vector<std::string>& args) {
  return run_program(BCMA_STATION_EXE, args);
}

// --- TestHome ------------------------------------------------------------------------------------

TestHome::TestHome() {
  // What `bcma station init` does (tested on its own), without a process per test.
  pki::InitOptions init;
  init.station_name = "station.test.bcma";
  init.organisation = "Test Care Home";
  auto ca = pki::CertificateAuthority::initialise(station_dir(), init, std::chrono::system_clock::now());
  if (!ca) throw std::runtime_error("CA initialise failed: " + ca.error().message);

  static const domain::SystemClock clock;  // the store keeps a pointer to it
  store::StoreOptions options;
  options.pin_cost = store::PinHashCost::minimum();
  auto db = store::Store::open(database(), clock, options);
  if (!db) throw std::runtime_error("cannot open the database: " + db.error().message);
  auto seeded = store::testing::seed_home(*db);
  if (!seeded) throw std::runtime_error("seeding failed: " + seeded.error().message);
  seed = *seeded;
  const store::Actor actor = store::testing::setup_actor();

  store::ProductBatch batch;
  pack_gtin = store::testing::gtin("0501234577777");
  batch.gtins = {{pack_gtin, store::testing::kAmppParacetamol32, std::chrono::year{2020} / 1 / 1,
                  std::nullopt}};
  if (auto r = db->import_products(batch, actor); !r) throw std::runtime_error(r.error().message);

  domain::Resident r;
  r.nhs_number = store::testing::test_nhs_number(3003);
  cara_gsrn = store::testing::gsrn("80180000000000003");
  r.wristband_gsrn = cara_gsrn;
  r.given_name = "Cara";
  r.family_name = "Cole";
  r.date_of_birth = std::chrono::year{1936} / 2 / 9;
  r.no_known_allergies = true;
  auto added = db->add_resident(r, actor);
  if (!added) throw std::runtime_error(added.error().message);
  cara = *added;

  // One dose a day, at this very minute: a pack scan now is on time.
  const domain::Instant now = clock.now();
  domain::Prescription rx;
  rx.resident_id = cara;
  rx.medication_id = store::testing::kVmpParacetamol;
  rx.route_id = "26643006";
  rx.route_name = "oral";
  rx.dose = {domain::Decimal::from_int(2), domain::Decimal::from_int(2), "tablet"};
  rx.times = {{"", domain::London::to_local(now).time}};
  rx.starts = now - std::chrono::hours{24};
  auto put = db->put_prescription(rx, rx.starts, actor);
  if (!put) throw std::runtime_error(put.error().message);
  cara_rx = put->id;
}

transport::DeviceBundle TestHome::pair(const std::string& device_id) {
  auto ca = pki::CertificateAuthority::open(station_dir());
  if (!ca) throw std::runtime_error("CA open failed: " + ca.error().message);
  auto bundle = ca->issue_device(device_id, std::chrono::system_clock::now());
  if (!bundle) throw std::runtime_error("pairing failed: " + bundle.error().message);
  return *bundle;
}

transport::DeviceBundle TestHome::pair_with_cli(const std::string& device_id) {
  const auto out = dir.path() / "bundles";
  const CliResult r = run_bcma({"station", "pair", "--dir", station_dir().string(), "--device",
                                device_id, "--out", out.string()});
  if (r.exit_code != 0) throw std::runtime_error("bcma station pair failed: " + r.err);
  auto bundle = transport::load_device_bundle(out / (device_id + ".bundle.json"));
  if (!bundle) throw std::runtime_error("bundle: " + bundle.error().message);
  return *bundle;
}

// --- StationProcess ------------------------------------------------------------------------------

std::unique_ptr<StationProcess> StationProcess::start(const TestHome& home,
                                                      const std::vector<std::string>& extra) {
  auto p = std::unique_ptr<StationProcess>(new StationProcess());
  static int counter = 0;
  p->log_file_ = home.dir.path() / ("station-" + std::to_string(++counter) + ".log");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe failed";
    return nullptr;
  }
  std::vector<std::string> argv{BCMA_STATION_EXE, "--dir", home.station_dir().string(),
                                "--port", "0", "--log-level", "debug"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  p->pid_ = spawn(argv, fds[1], {}, p->log_file_);
  ::close(fds[1]);
  if (p->pid_ < 0) {
    ::close(fds[0]);
    ADD_FAILURE() << "cannot start " << BCMA_STATION_EXE;
    return nullptr;
  }
  // Read stdout until the listening line. The station writes nothing else there, and the pipe
  // is closed only after this: a later write would otherwise kill it with SIGPIPE.
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{fds[0], POLLIN, 0};
    if (::poll(&pfd, 1, 100) <= 0) continue;
    char chunk[512];
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;  // exited
    buffer.append(chunk, static_cast<std::size_t>(n));
    if (auto nl = buffer.find('\n'); nl != std::string::npos) {
      auto j = nlohmann::json::parse(buffer.substr(0, nl), nullptr, false);
      if (j.is_object() && j.value("event", "") == "listening") {
        p->port_ = j.value("port", std::uint16_t{0});
      }
      break;
    }
  }
  // Keep the read end open in a detached reader so a stray write never blocks or kills.
  std::thread([fd = fds[0]] {
    char sink[256];
    while (::read(fd, sink, sizeof sink) > 0) {
    }
    ::close(fd);
  }).detach();
  if (p->port_ == 0) {
    ADD_FAILURE() << "bcma-station did not report a port; its log:\n" << p->log_text();
    return nullptr;
  }
  return p;
}

StationProcess::~StationProcess() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

void StationProcess::signal(int signo) { ::kill(pid_, signo); }

std::optional<int> StationProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exited_ = true;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return std::nullopt;
    }
    std::this_thread::sleep_for(20ms);
  }
  return std::nullopt;
}

std::string StationProcess::log_text() const { return read_file(log_file_); }

std::vector<nlohmann::json> StationProcess::events(std::string_view event) const {
  std::vector<nlohmann::json> out;
  std::istringstream in(log_text());
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.value("event", "") == event) out.push_back(std::move(j));
  }
  return out;
}

bool StationProcess::wait_for_event(std::string_view event, std::string_view device) const {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& e : events(event)) {
      if (device.empty() || e.value("device", "") == device) return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

// --- Scanner ---------------------------------------------------------------------------------

Scanner::Scanner(const transport::DeviceBundle& bundle, std::uint16_t port,
                 std::size_t max_frame_size)
    : device_id_(bundle.device_id), guard_(boost::asio::make_work_guard(io_)) {
  thread_ = std::thread([this] { io_.run(); });
  transport::ClientOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.max_frame_size = max_frame_size;
  options.retry_initial = 100ms;
  options.retry_max = 1s;
  auto link = transport::ClientLink::create(io_, bundle, options);
  if (!link) throw std::runtime_error("ClientLink: " + link.error().message);
  link_ = std::move(*link);
  link_->start();
}

Scanner::~Scanner() {
  link_->stop();
  link_.reset();
  guard_.reset();
  io_.stop();
  thread_.join();
}

std::uint64_t Scanner::send(v1::Envelope envelope) {
  if (envelope.request_id() == 0) envelope.set_request_id(next_id_++);
  auto sent = link_->send(envelope.SerializeAsString());
  if (!sent) ADD_FAILURE() << device_id_ << ": send failed: " << sent.error().message;
  return envelope.request_id();
}

Result<void, transport::TransportError> Scanner::send_raw(std::string payload) {
  return link_->send(std::move(payload));
}

std::optional<v1::Envelope> Scanner::next(std::chrono::milliseconds timeout) {
  if (!stash_.empty()) {
    v1::Envelope e = std::move(stash_.front());
    stash_.erase(stash_.begin());
    return e;
  }
  auto frame = link_->receive(timeout);
  if (!frame) return std::nullopt;
  v1::Envelope e;
  if (!e.ParseFromString(*frame)) {
    ADD_FAILURE() << device_id_ << ": the station sent a frame that is not an Envelope";
    return std::nullopt;
  }
  return e;
}

std::optional<v1::Envelope> Scanner::response(std::uint64_t request_id,
                                              std::chrono::milliseconds timeout) {
  for (auto it = stash_.begin(); it != stash_.end(); ++it) {
    if (it->request_id() == request_id) {
      v1::Envelope e = std::move(*it);
      stash_.erase(it);
      return e;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return std::nullopt;
    auto frame = link_->receive(left);
    if (!frame) return std::nullopt;
    v1::Envelope e;
    if (!e.ParseFromString(*frame)) {
      ADD_FAILURE() << device_id_ << ": the station sent a frame that is not an Envelope";
      return std::nullopt;
    }
    if (e.request_id() == request_id) return e;
    stash_.push_back(std::move(e));
  }
}

std::optional<v1::Envelope> Scanner::request(v1::Envelope envelope,
                                             std::chrono::milliseconds timeout) {
  const std::uint64_t id = send(std::move(envelope));
  return response(id, timeout);
}

void Scanner::hello() {
  v1::Envelope env;
  auto* h = env.mutable_device_hello();
  h->set_protocol_major(1);
  h->set_protocol_minor(0);
  h->set_device_id(device_id_);
  h->set_firmware_version("test-1.0");
  auto r = request(env);
  ASSERT_TRUE(r && r->has_hello_response()) << device_id_ << ": no HelloResponse";
  ASSERT_TRUE(r->hello_response().accepted()) << r->hello_response().message();
}

std::string Scanner::login(const std::string& badge, const std::string& pin) {
  v1::Envelope env;
  env.mutable_staff_login()->set_badge_gsrn(badge);
  env.mutable_staff_login()->set_pin(pin);
  auto r = request(env);
  if (!r || !r->has_staff_login_result()) {
    ADD_FAILURE() << device_id_ << ": no StaffLoginResult"
                  << (r && r->has_error() ? ": " + r->error().code() + " " + r->error().message() : "");
    return {};
  }
  EXPECT_EQ(r->staff_login_result().status(), v1::StaffLoginResult::STATUS_OK)
      << r->staff_login_result().message();
  return r->staff_login_result().session_id();
}

v1::ResidentSummary Scanner::scan_resident(const std::string& session, const std::string& gsrn) {
  v1::Envelope env;
  auto* s = env.mutable_scan_resident();
  s->set_session_id(session);
  s->set_entry(v1::ENTRY_METHOD_SCANNED);
  auto* d = s->mutable_decode();
  d->set_format("DataMatrix");
  d->set_symbology("]d2");
  d->set_gs1(true);
  d->set_text("8018" + gsrn);
  auto r = request(env);
  if (!r || !r->has_resident_summary()) {
    ADD_FAILURE() << device_id_ << ": no ResidentSummary"
                  << (r && r->has_error() ? ": " + r->error().code() + " " + r->error().message() : "");
    return {};
  }
  return r->resident_summary();
}

v1::Verdict Scanner::scan_pack(const std::string& session, const std::string& resident_id,
                               const std::string& gtin14) {
  v1::Envelope env;
  auto* s = env.mutable_scan_item();
  s->set_session_id(session);
  s->set_resident_id(resident_id);
  s->set_entry(v1::ENTRY_METHOD_SCANNED);
  auto* d = s->mutable_decode();
  d->set_format("DataMatrix");
  d->set_symbology("]d2");
  d->set_gs1(true);
  d->set_text(pack_text(gtin14));
  auto r = request(env);
  if (!r || !r->has_verdict()) {
    ADD_FAILURE() << device_id_ << ": no Verdict: " << (r ? r->DebugString() : "no answer in time");
    return {};
  }
  return r->verdict();
}

std::string query(const std::filesystem::path& database, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << database << ": " << sqlite3_errmsg(db);
    sqlite3_close_v2(db);
    return {};
  }
  sqlite3_busy_timeout(db, static_cast<int>(kPatience.count()));
  sqlite3_stmt* st = nullptr;
  std::string out;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(st, 0);
      if (text != nullptr) out = reinterpret_cast<const char*>(text);
      rc = SQLITE_DONE;
    }
  }
  if (rc != SQLITE_OK && rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  sqlite3_finalize(st);
  sqlite3_close_v2(db);
  return out;
}

std::string pack_text(const std::string& gtin14) {
  return "01" + gtin14 + "17" + "301231" + "10" + "B4711" + "\x1d" + "21" + "SN0001";
}

v1::Envelope record_envelope(const std::string& session, const std::string& outcome_id,
                             const std::string& resident_id, const std::string& verdict_id,
                             bool given) {
  v1::Envelope env;
  auto* r = env.mutable_record_outcome();
  r->set_outcome_id(outcome_id);
  r->set_session_id(session);
  r->set_resident_id(resident_id);
  r->set_verdict_id(verdict_id);
  if (given) {
    r->set_kind(v1::OUTCOME_KIND_GIVEN);
    r->mutable_quantity()->set_value("2");
    r->mutable_quantity()->set_unit("tablet");
  } else {
    r->set_kind(v1::OUTCOME_KIND_NOT_GIVEN);
    r->set_non_administration_code("refused");
  }
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  r->mutable_event_time()->set_seconds(now.time_since_epoch().count());
  return env;
}

}  // namespace bcma::station::server::testing
