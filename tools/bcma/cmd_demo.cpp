// bcma demo: a morning medication round at a demo care home, end to end, in under a minute.
// A station database and CA are made in a working folder, the home is loaded, the wristbands,
// badges, packs and labels are printed as images with zint, a scanner is paired, the station
// serves on loopback over TLS, and the real scanner simulator (bcma-scanner, a separate
// process) plays the round from the images. Everything is left in the folder to inspect.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bcma/domain/time.hpp"
#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/pki/layout.hpp"
#include "bcma/station/reports/report.hpp"
#include "bcma/station/server/config.hpp"
#include "bcma/station/server/log.hpp"
#include "bcma/station/server/station.hpp"
#include "bcma/station/service/home_file.hpp"
#include "bcma/station/store/store.hpp"
#include "commands.hpp"
#include "demo/demo.hpp"
#include "demo/demo_home.hpp"

extern char** environ;

namespace bcma::cli {

namespace {

namespace fs = std::filesystem;
namespace server = station::server;

constexpr std::string_view kDemoUsage =
    "usage: bcma demo [--dir DIR]\n"
    "       bcma demo scans\n"
    "\n"
    "Plays a morning medication round at a demo care home (eight residents, 33 prescriptions)\n"
    "end to end: makes a station database and certificate authority in DIR (default\n"
    "./bcma-demo), prints the wristbands, badges, packs and labels as barcode images, pairs a\n"
    "scanner, serves the station on 127.0.0.1 over TLS and plays the round on the real scanner\n"
    "simulator (bcma-scanner) from those images. The station runs on a simulated clock from\n"
    "07:55 today, so the round is a morning round whenever you run it. DIR is kept to inspect\n"
    "(station/station.db, barcodes/, station.log); running again replaces it.\n"
    "\n"
    "`bcma demo scans` shows what bcma makes of a set of sample barcodes instead.\n"
    "Exit status: 0 the round played as scripted, 1 it did not, 2 usage error.\n";

// Marks a folder as made by bcma demo, so that a second run may replace it and nothing else.
constexpr std::string_view kMarker = ".bcma-demo";
constexpr std::string_view kDevice = "scanner-01";

int failed(Io io, std::string_view what) {
  io.err << "bcma demo: " << what << "\n";
  return kExitFailed;
}

Result<void> prepare_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::exists(dir / kMarker, ec)) {
      if (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec)) {
        return fail("io", dir.string() + " exists and was not made by bcma demo: choose another --dir");
      }
    } else {
      fs::remove_all(dir, ec);
      if (ec) return fail("io", "cannot replace " + dir.string() + ": " + ec.message());
    }
  }
  fs::create_directories(dir, ec);
  if (ec) return fail("io", "cannot create " + dir.string() + ": " + ec.message());
  std::ofstream(dir / kMarker) << "made by bcma demo; a new run replaces this folder\n";
  return {};
}

Result<void> write_file(const fs::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) return fail("io", "cannot write " + file.string());
  return {};
}

// The scanner simulator is built beside bcma (build/<preset>/bin).
fs::path scanner_binary() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (ec ? fs::path("bcma-scanner") : self.parent_path() / "bcma-scanner");
}

Result<int> run_process(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (int rc = ::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ); rc != 0) {
    return fail("spawn_failed", "cannot start " + argv[0] + ": " + std::generic_category().message(rc));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return fail("spawn_failed", "lost " + argv[0]);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return fail("spawn_failed", argv[0] + " was killed by signal " + std::to_string(WTERMSIG(status)));
}

// What the round produced, read back from the audit log: the station's own record of it.
struct Tally {
  std::map<std::string, int> decisions;
  std::map<std::string, int> reasons;
  std::map<std::string, int> outcomes;
  int scans = 0;
};

Result<Tally> tally(const fs::path& db) {
  const domain::SystemClock clock;
  auto store = station::store::Store::open(db, clock);
  if (!store) return Unexpected(std::move(store).error());
  auto entries = store->audit_entries(1, 1'000'000);
  if (!entries) return Unexpected(std::move(entries).error());
  Tally t;
  for (const auto& e : *entries) {
    if (e.device_id != kDevice) continue;
    const auto payload = nlohmann::json::parse(e.payload, nullptr, false);
    if (payload.is_discarded()) continue;
    if (e.kind == "scan") {
      ++t.scans;
    } else if (e.kind == "verdict") {
      ++t.decisions[payload.value("decision", "?")];
      for (const auto& r : payload.value("reasons", nlohmann::json::array())) {
        ++t.reasons[r.value("code", "?")];
      }
    } else if (e.kind == "administration") {
      ++t.outcomes[payload.value("outcome", "?")];
    }
  }
  auto verified = store->verify_audit();
  if (!verified) return Unexpected(std::move(verified).error());
  return t;
}

void print_tally(Io io, const Tally& t) {
  io.out << "\nSummary of the round (from the station's audit log)\n";
  io.out << "  scans: " << t.scans << "\n  verdicts:";
  for (const auto& [d, n] : t.decisions) io.out << " " << d << " " << n << ";";
  io.out << "\n  doses recorded:";
  for (const auto& [o, n] : t.outcomes) io.out << " " << o << " " << n << ";";
  io.out << "\n  errors stopped or flagged before they reached a resident:\n";
  for (const auto& [r, n] : t.reasons) io.out << "    " << r << ": " << n << "\n";
}

// The pharmacist's view of the morning: the prevented-errors report over the demo day, as the
// web page and `bcma report prevented_errors` show it.
Result<void> print_pharmacist_summary(Io io, const fs::path& db, const demo::DemoDay& day) {
  const domain::SystemClock clock;
  auto store = station::store::Store::open(db, clock);
  if (!store) return Unexpected(std::move(store).error());
  const domain::Instant from = domain::London::start_of_day(day.today);
  const domain::Instant to = from + std::chrono::hours(24);
  auto report = station::reports::run_report("prevented_errors", *store, from, to);
  if (!report) return Unexpected(std::move(report).error());
  io.out << "\nFor the pharmacist: " << report->title << " (" << domain::to_string(day.today) << ")\n";
  std::vector<std::size_t> width;
  for (const auto& c : report->columns) width.push_back(c.heading.size());
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : report->rows) {
    auto& line = cells.emplace_back();
    for (std::size_t i = 0; i < row.size(); ++i) {
      line.push_back(station::reports::cell_text(row[i], report->columns[i].type));
      width[i] = std::max(width[i], line.back().size());
    }
  }
  auto print_row = [&](const auto& texts) {
    io.out << " ";
    for (std::size_t i = 0; i < texts.size(); ++i) {
      io.out << " " << texts[i] << std::string(width[i] - std::string_view(texts[i]).size(), ' ');
    }
    io.out << "\n";
  };
  std::vector<std::string> headings;
  for (const auto& c : report->columns) headings.push_back(c.heading);
  print_row(headings);
  for (const auto& line : cells) print_row(line);
  return {};
}

// A configuration to serve the demo's database with its web pages after the demo.
Result<void> write_station_config(const fs::path& dir) {
  nlohmann::ordered_json config{{"station_dir", "station"},
                                {"port", server::kDefaultPort},
                                {"web_port", 8443},
                                {"nhs_gsrn_prefixes", "9520000"},
                                {"log_file", "station.log"}};
  return write_file(dir / "station.json", config.dump(2) + "\n");
}

}  // namespace

int cmd_demo(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kDemoUsage;
    return kExitOk;
  }
  const fs::path dir = p.option("dir").value_or("bcma-demo");
  auto rest = p.positionals();
  if (!p.ok() || rest.size() > 1 || (rest.size() == 1 && rest[0] != "scans")) {
    io.err << "bcma demo: " << (p.ok() ? "unexpected argument " + rest.back() : p.error()) << "\n"
           << kDemoUsage;
    return kExitUsage;
  }
  if (rest.size() == 1) return demo::demo_scans(io);

  const auto t0 = std::chrono::steady_clock::now();
  const demo::DemoDay day = demo::demo_day(domain::SystemClock().now());
  const auto local = domain::London::to_local(day.round_start);
  io.out << "bcma demo: the morning round at Riverside Care Home (demo), "
         << domain::to_string(day.today) << " from " << local.time.to_string() << "\n"
         << "working folder: " << dir.string() << " (kept for inspection)\n\n";

  if (auto r = prepare_dir(dir); !r) return failed(io, r.error().message);
  const fs::path station_dir = dir / "station";
  const fs::path db = station_dir / "station.db";

  // 1. The station: its own certificate authority and an empty database.
  const auto now = std::chrono::system_clock::now();
  station::pki::InitOptions init;
  init.station_name = "bcma-demo-station";
  init.organisation = "Riverside Care Home (demo)";
  auto ca = station::pki::CertificateAuthority::initialise(station_dir, init, now);
  if (!ca) return failed(io, "station CA: " + ca.error().message);

  // 2. The home, dated today, loaded through the same code the scenarios use.
  const fs::path home_file = dir / "home.json";
  if (auto w = write_file(home_file, demo::home_json(day)); !w) return failed(io, w.error().message);
  {
    const domain::FixedClock setup_clock(day.round_start - std::chrono::minutes(5));
    station::store::StoreOptions options;
    auto store = station::store::Store::open(db, setup_clock, options);
    if (!store) return failed(io, "database: " + store.error().message);
    auto loaded = station::service::load_home_file(*store, home_file);
    if (!loaded) return failed(io, "home: " + loaded.error().message);
    io.out << "[station] " << station_dir.string() << ": certificate authority and database; "
           << loaded->residents << " residents, " << loaded->staff << " staff, "
           << loaded->prescriptions << " prescriptions, " << loaded->labels
           << " pharmacy labels loaded from " << home_file.string() << "\n";
  }

  // 3. The barcodes on the trolley, printed by zint.
  const auto codes = demo::demo_codes(day);
  if (auto w = demo::write_codes(codes, dir / "barcodes"); !w) {
    return failed(io, "barcodes: " + w.error().message);
  }
  io.out << "[barcodes] " << codes.size() << " images in " << (dir / "barcodes").string()
         << " (wristbands, badges, packs, pharmacy labels)\n";

  // 4. Pairing: the scanner gets its own key and a certificate from the station's CA.
  auto bundle = ca->issue_device(kDevice, now);
  if (!bundle) return failed(io, "pairing: " + bundle.error().message);
  const fs::path bundle_file = dir / (std::string(kDevice) + ".bundle.json");
  if (auto w = station::pki::write_device_bundle(bundle_file, *bundle); !w) {
    return failed(io, "pairing: " + w.error().message);
  }
  io.out << "[pairing] " << kDevice << " paired: " << bundle_file.string() << "\n";

  // 5. The station, on loopback, TLS 1.3 with mutual authentication, on the demo's clock.
  server::StationConfig config;
  config.station_dir = station_dir;
  config.port = 0;
  config.nhs_gsrn_prefixes = "9520000";
  config.clock_start = day.round_start;
  config.log_file = (dir / "station.log").string();
  auto log = server::Logger::open_file(config.log_file, server::LogLevel::info);
  if (!log) return failed(io, "log: " + log.error().message);
  auto station = server::Station::open(config, **log);
  if (!station) return failed(io, "station: " + station.error().message);
  std::thread serving([&] { (void)(*station)->run(false); });
  const std::string address = "127.0.0.1:" + std::to_string((*station)->port());
  io.out << "[station] serving " << address << " (log: " << config.log_file << ")\n";

  // 6. The round, on the real scanner simulator.
  const fs::path script = dir / "round.script";
  if (auto w = write_file(script, demo::round_script()); !w) {
    (*station)->stop();
    serving.join();
    return failed(io, w.error().message);
  }
  io.out << "[scanner] bcma-scanner plays " << script.string()
         << "; what follows is what Carol sees and hears\n\n"
         << std::flush;
  auto exit_code = run_process({scanner_binary().string(), "--bundle", bundle_file.string(),
                                "--station", address, "--data", (dir / "scanner").string(),
                                "--script", script.string(), "--clock-start",
                                domain::to_string(day.round_start)});
  (*station)->stop();
  serving.join();
  if (!exit_code) return failed(io, exit_code.error().message);

  auto t = tally(db);
  if (!t) return failed(io, "reading the audit log: " + t.error().message);
  print_tally(io, *t);
  if (auto r = print_pharmacist_summary(io, db, day); !r) {
    return failed(io, "the pharmacist's summary: " + r.error().message);
  }
  if (auto r = write_station_config(dir); !r) return failed(io, r.error().message);
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - t0).count();
  io.out << "\nThe database is " << db.string() << " (audit chain verified). Try:\n"
         << "  bcma audit verify --db " << db.string() << "\n"
         << "  bcma report list; bcma report waste --db " << db.string() << "\n"
         << "  bcma audit summary --db " << db.string() << "\n"
         << "Web pages for the pharmacist, manager and evaluator: run\n"
         << "  bcma-station --config " << (dir / "station.json").string() << "\n"
         << "then open https://127.0.0.1:8443/ and sign in as Pat Pharmacist (badge\n"
         << "952111100000000066, PIN 9753) or Eve Evaluator (952111100000000073, PIN 8642). The\n"
         << "browser must trust the station's own CA: " << station::pki::pki_paths(station_dir).ca_cert.string() << "\n"
         << "Played in " << seconds << " s.\n";
  if (*exit_code != 0) {
    return failed(io, "the scanner stopped before the end of the round (exit " +
                          std::to_string(*exit_code) + "): see above");
  }
  return kExitOk;
}

}  // namespace bcma::cli
