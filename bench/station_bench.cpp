// The station under load: a real Station (bcma::station_server, the code bcma-station runs) in
// this process on 127.0.0.1, and N simulated scanners, each with its own paired certificate,
// its own TLS 1.3 connection and its own sign-in, all on one io_context thread (ClientLink's
// callbacks, no thread per scanner). Each scanner runs closed-loop with no think time: it
// sends the next request as soon as the answer to the last one arrives, so this is a stress
// far above a ward's real rate (one scan every few seconds per care worker).
//
// BM_ScanToVerdict: ScanItem (a pack for the resident on the scanner's screen) -> Verdict.
// BM_RecordToAck:   RecordOutcome (a refusal, new outcome id each time) -> Acknowledgement
//                   RECORDED, which the station sends only after the batch is committed.
// Counters: per_s (answers per second in the measured window), p50_ms and p99_ms (request
// sent -> answer received), errors (answers that were not the expected message), and for
// records the mean batch size of the group commit.
//
// Each run gets a fresh database, so that history left by one run does not slow the next.
// BCMA_BENCH_DIR chooses where the databases live (default: the system temp directory): put
// it on the disk a station would use, since every acknowledgement waits for an fsync.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "../tests/station/store_test_support.hpp"
#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/server/station.hpp"
#include "bcma/transport/client_link.hpp"
#include "bcma/v1/envelope.pb.h"

namespace {

using namespace bcma;
using namespace std::chrono_literals;
namespace st = bcma::station;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kWarmup = 1s;
constexpr auto kWindow = 4s;
constexpr auto kSetupPatience = 180s;

template <class T, class E>
T value(Result<T, E> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

/// The station directory (CA and the pool of paired scanners) shared by every run.
struct Pki {
  st::store::testing::TempDir dir;
  std::vector<transport::DeviceBundle> bundles;

  Pki() {
    st::pki::InitOptions init;
    init.station_name = "bench.station.bcma";
    init.organisation = "Bench Care Home";
    auto ca = st::pki::CertificateAuthority::initialise(station_dir(), init,
                                                        std::chrono::system_clock::now());
    if (!ca) throw std::runtime_error("CA: " + ca.error().message);
  }
  std::filesystem::path station_dir() const { return dir.path() / "station"; }

  const std::vector<transport::DeviceBundle>& scanners(std::size_t n) {
    if (bundles.size() < n) {
      auto ca = st::pki::CertificateAuthority::open(station_dir());
      if (!ca) throw std::runtime_error("CA: " + ca.error().message);
      while (bundles.size() < n) {
        auto b = ca->issue_device("bench-" + std::to_string(bundles.size()),
                                  std::chrono::system_clock::now());
        if (!b) throw std::runtime_error("pairing: " + b.error().message);
        bundles.push_back(std::move(*b));
      }
    }
    return bundles;
  }
};

Pki& pki() {
  static Pki p;
  return p;
}

/// A fresh database as `bcma station init` would leave it, seeded with the store tests' home
/// plus a resident whose one prescription is due at this very minute (so that her pack scans
/// proceed whatever the time of day).
struct Home {
  std::filesystem::path database;
  std::string gsrn;
  std::string resident_id;
  std::string pack_text;
  std::string badge;

  explicit Home(const std::filesystem::path& db) : database(db) {
    namespace t = st::store::testing;
    static const domain::SystemClock clock;
    st::store::StoreOptions options;
    options.pin_cost = st::store::PinHashCost::minimum();
    auto store = value(st::store::Store::open(database, clock, options), "database");
    const auto seed = value(t::seed_home(store), "seed");
    badge = seed.carer_badge;
    const st::store::Actor actor = t::setup_actor();
    st::store::ProductBatch batch;
    const std::string gtin = t::gtin("0501234577777");
    batch.gtins = {{gtin, t::kAmppParacetamol32, std::chrono::year{2020} / 1 / 1, std::nullopt}};
    if (auto r = store.import_products(batch, actor); !r) throw std::runtime_error(r.error().message);
    domain::Resident r;
    r.nhs_number = t::test_nhs_number(3003);
    gsrn = t::gsrn("80180000000000003");
    r.wristband_gsrn = gsrn;
    r.given_name = "Cara";
    r.family_name = "Cole";
    r.date_of_birth = std::chrono::year{1936} / 2 / 9;
    r.no_known_allergies = true;
    const auto cara = value(store.add_resident(r, actor), "resident");
    resident_id = std::to_string(cara);
    const domain::Instant now = clock.now();
    domain::Prescription rx;
    rx.resident_id = cara;
    rx.medication_id = t::kVmpParacetamol;
    rx.route_id = "26643006";
    rx.route_name = "oral";
    rx.dose = {domain::Decimal::from_int(2), domain::Decimal::from_int(2), "tablet"};
    rx.times = {{"", domain::London::to_local(now).time}};
    rx.starts = now - std::chrono::hours{24};
    (void)value(store.put_prescription(rx, rx.starts, actor), "prescription");
    pack_text = "01" + gtin + "17301231" + "10B4711" + "\x1d" + "21SN0001";
  }
};

/// The station in this process, serving on its own thread until destroyed.
struct RunningStation {
  std::unique_ptr<st::server::Logger> log;
  std::unique_ptr<st::server::Station> station;
  std::thread thread;

  RunningStation(const std::filesystem::path& database, const std::filesystem::path& log_file) {
    st::server::StationConfig config;
    config.station_dir = pki().station_dir();
    config.database = database;
    config.port = 0;
    log = value(st::server::Logger::open_file(log_file.string(), st::server::LogLevel::info), "log");
    station = value(st::server::Station::open(config, *log), "station");
    thread = std::thread([this] { (void)station->run(/*handle_signals=*/false); });
  }
  ~RunningStation() {
    station->stop();
    thread.join();
  }
};

enum class Mode { scan, record };

/// One simulated scanner. Everything but construction runs on the shared io thread.
struct Client {
  enum class Phase { connecting, hello, login, resident, first_scan, ready, running, idle, failed };
  std::unique_ptr<transport::ClientLink> link;
  Phase phase = Phase::connecting;
  std::string device_id;
  std::string session;
  std::string verdict_id;
  std::uint64_t next_id = 1;
  std::uint64_t awaiting = 0;
  std::uint64_t outcome_serial = 0;
  std::size_t index = 0;
  SteadyClock::time_point sent_at;
  struct Sample {
    SteadyClock::time_point done;
    double ms;
  };
  std::vector<Sample> samples;
  std::uint64_t errors = 0;
};

class Load {
 public:
  Load(Mode mode, std::size_t n, const Home& home, std::uint16_t port)
      : mode_(mode), home_(home), guard_(boost::asio::make_work_guard(io_)) {
    thread_ = std::thread([this] { io_.run(); });
    const auto& bundles = pki().scanners(n);
    clients_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      Client& c = clients_[i];
      c.index = i;
      c.device_id = bundles[i].device_id;
      transport::ClientOptions options;
      options.host = "127.0.0.1";
      options.port = port;
      options.connect_timeout = 60s;  // 500 handshakes at once on two cores
      // As real scanners do: while 500 sign-ins queue behind each other's PIN hashing (~130 ms
      // each, over a minute in all), a scanner waiting for its answer sends nothing else, and
      // the station's idle timeout (60 s) would close it.
      options.heartbeat_interval = 15s;
      options.heartbeat_payload = [] {
        v1::Envelope hb;
        hb.mutable_heartbeat();
        return hb.SerializeAsString();
      }();
      options.on_frame = [this, &c](std::string payload) { on_frame(c, payload); };
      options.on_state = [this, &c](transport::LinkState s, const transport::TransportError*) {
        if (s == transport::LinkState::connected && c.phase == Client::Phase::connecting) {
          c.phase = Client::Phase::hello;
          v1::Envelope e;
          auto* h = e.mutable_device_hello();
          h->set_protocol_major(1);
          h->set_device_id(c.device_id);
          h->set_firmware_version("bench");
          send(c, e);
        } else if (s == transport::LinkState::refused) {
          fail(c);
        }
      };
      c.link = value(transport::ClientLink::create(io_, bundles[i], std::move(options)), "link");
    }
    for (auto& c : clients_) c.link->start();
  }

  ~Load() {
    for (auto& c : clients_) c.link.reset();
    guard_.reset();
    io_.stop();
    thread_.join();
  }

  /// Every scanner signed in, on its resident, with a verdict in hand.
  bool wait_ready() {
    const auto deadline = SteadyClock::now() + kSetupPatience;
    while (SteadyClock::now() < deadline) {
      if (failed_ > 0) return false;
      if (ready_ == clients_.size()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  /// Runs the closed loop for warm-up plus window; returns the window's start and end.
  std::pair<SteadyClock::time_point, SteadyClock::time_point> run() {
    boost::asio::post(io_, [this] {
      for (auto& c : clients_) {
        c.phase = Client::Phase::running;
        next_request(c);
      }
    });
    const auto start = SteadyClock::now() + kWarmup;
    std::this_thread::sleep_for(kWarmup + kWindow);
    const auto end = SteadyClock::now();
    stopping_ = true;
    const auto deadline = SteadyClock::now() + 60s;
    while (idle_ < clients_.size() && SteadyClock::now() < deadline) std::this_thread::sleep_for(5ms);
    return {start, end};
  }

  const std::vector<Client>& clients() const { return clients_; }
  std::size_t failed() const { return failed_; }

 private:
  void send(Client& c, v1::Envelope& e) {
    e.set_request_id(c.next_id++);
    c.awaiting = e.request_id();
    c.sent_at = SteadyClock::now();
    if (!c.link->send(e.SerializeAsString())) fail(c);
  }

  void fail(Client& c) {
    if (c.phase == Client::Phase::failed) return;
    if (c.phase == Client::Phase::running) ++idle_;
    c.phase = Client::Phase::failed;
    ++failed_;
  }

  void scan_item(Client& c) {
    v1::Envelope e;
    auto* s = e.mutable_scan_item();
    s->set_session_id(c.session);
    s->set_resident_id(home_.resident_id);
    s->set_entry(v1::ENTRY_METHOD_SCANNED);
    auto* d = s->mutable_decode();
    d->set_format("DataMatrix");
    d->set_symbology("]d2");
    d->set_gs1(true);
    d->set_text(home_.pack_text);
    send(c, e);
  }

  void record(Client& c) {
    v1::Envelope e;
    auto* r = e.mutable_record_outcome();
    r->set_outcome_id(st::store::testing::uuid((static_cast<std::uint64_t>(c.index + 1) << 32) +
                                               ++c.outcome_serial));
    r->set_session_id(c.session);
    r->set_resident_id(home_.resident_id);
    r->set_verdict_id(c.verdict_id);
    r->set_kind(v1::OUTCOME_KIND_NOT_GIVEN);
    r->set_non_administration_code("refused");
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    r->mutable_event_time()->set_seconds(now.time_since_epoch().count());
    send(c, e);
  }

  void next_request(Client& c) {
    if (mode_ == Mode::scan) {
      scan_item(c);
    } else {
      record(c);
    }
  }

  void on_frame(Client& c, const std::string& payload) {
    v1::Envelope e;
    if (!e.ParseFromString(payload)) {
      ++c.errors;
      return;
    }
    if (e.has_heartbeat()) return;  // the link's own keep-alive
    if (e.request_id() != c.awaiting) {
      ++c.errors;
      return;
    }
    const auto now = SteadyClock::now();
    switch (c.phase) {
      case Client::Phase::hello: {
        if (!e.has_hello_response() || !e.hello_response().accepted()) return fail(c);
        c.phase = Client::Phase::login;
        v1::Envelope out;
        out.mutable_staff_login()->set_badge_gsrn(home_.badge);
        out.mutable_staff_login()->set_pin("1234");
        return send(c, out);
      }
      case Client::Phase::login: {
        if (!e.has_staff_login_result() ||
            e.staff_login_result().status() != v1::StaffLoginResult::STATUS_OK) {
          return fail(c);
        }
        c.session = e.staff_login_result().session_id();
        c.phase = Client::Phase::resident;
        v1::Envelope out;
        auto* s = out.mutable_scan_resident();
        s->set_session_id(c.session);
        s->set_entry(v1::ENTRY_METHOD_SCANNED);
        s->mutable_decode()->set_format("DataMatrix");
        s->mutable_decode()->set_symbology("]d2");
        s->mutable_decode()->set_gs1(true);
        s->mutable_decode()->set_text("8018" + home_.gsrn);
        return send(c, out);
      }
      case Client::Phase::resident:
        if (!e.has_resident_summary() ||
            e.resident_summary().status() != v1::ResidentSummary::STATUS_FOUND) {
          return fail(c);
        }
        c.phase = Client::Phase::first_scan;
        return scan_item(c);
      case Client::Phase::first_scan:
        if (!e.has_verdict()) return fail(c);
        c.verdict_id = e.verdict().verdict_id();
        c.phase = Client::Phase::ready;
        ++ready_;
        return;
      case Client::Phase::running: {
        const bool expected =
            mode_ == Mode::scan
                ? e.has_verdict()
                : e.has_acknowledgement() &&
                      e.acknowledgement().status() == v1::Acknowledgement::STATUS_RECORDED;
        if (expected) {
          c.samples.push_back(
              {now, std::chrono::duration<double, std::milli>(now - c.sent_at).count()});
        } else {
          ++c.errors;
        }
        if (stopping_) {
          c.phase = Client::Phase::idle;
          ++idle_;
          return;
        }
        return next_request(c);
      }
      default:
        ++c.errors;
        return;
    }
  }

  Mode mode_;
  const Home& home_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
  std::vector<Client> clients_;
  std::atomic<std::size_t> ready_{0};
  std::atomic<std::size_t> idle_{0};
  std::atomic<std::size_t> failed_{0};
  std::atomic<bool> stopping_{false};
};

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

void run_load(benchmark::State& state, Mode mode) {
  const auto n = static_cast<std::size_t>(state.range(0));
  static int run_number = 0;
  const char* where = std::getenv("BCMA_BENCH_DIR");
  const std::filesystem::path base =
      where != nullptr ? std::filesystem::path(where) : pki().dir.path();
  const std::string stem = "run-" + std::to_string(++run_number);
  std::optional<Home> home;
  std::optional<RunningStation> station;
  std::unique_ptr<Load> load;
  try {
    home.emplace(base / (stem + ".db"));
    station.emplace(home->database, base / (stem + ".log"));
    load = std::make_unique<Load>(mode, n, *home, station->station->port());
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    for (auto _ : state) {
    }
    return;
  }
  if (!load->wait_ready()) {
    state.SkipWithError("the scanners did not all sign in (see the station log)");
    for (auto _ : state) {
    }
    return;
  }
  const auto before = station->station->stats();
  for (auto _ : state) {
    const auto [start, end] = load->run();
    state.SetIterationTime(std::chrono::duration<double>(end - start).count());

    std::vector<double> ms;
    std::uint64_t errors = 0;
    for (const auto& c : load->clients()) {
      errors += c.errors;
      for (const auto& s : c.samples) {
        if (s.done >= start && s.done <= end) ms.push_back(s.ms);
      }
    }
    std::sort(ms.begin(), ms.end());
    const double seconds = std::chrono::duration<double>(end - start).count();
    state.counters["per_s"] = static_cast<double>(ms.size()) / seconds;
    state.counters["p50_ms"] = percentile(ms, 0.50);
    state.counters["p99_ms"] = percentile(ms, 0.99);
    state.counters["errors"] = static_cast<double>(errors + load->failed());
    state.SetItemsProcessed(static_cast<std::int64_t>(ms.size()));
  }
  if (mode == Mode::record) {
    const auto after = station->station->stats();
    const auto batches = after.batches - before.batches;
    state.counters["mean_batch"] =
        batches == 0 ? 0.0
                     : static_cast<double>(after.records - before.records) / static_cast<double>(batches);
  }
  load.reset();
  station.reset();
}

void BM_ScanToVerdict(benchmark::State& state) { run_load(state, Mode::scan); }
void BM_RecordToAck(benchmark::State& state) { run_load(state, Mode::record); }

BENCHMARK(BM_ScanToVerdict)->Arg(1)->Arg(10)->Arg(100)->Arg(500)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_RecordToAck)->Arg(1)->Arg(10)->Arg(100)->Arg(500)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
