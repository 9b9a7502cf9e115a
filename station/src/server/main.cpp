// bcma-station: the care-home station server. Settings come from --config FILE (JSON), then
// from flags; docs/station.md lists them. Exit status: 0 after a clean stop (SIGTERM/SIGINT),
// 1 if the station could not start, 2 for a usage error.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bcma/station/server/config.hpp"
#include "bcma/station/server/log.hpp"
#include "bcma/station/server/station.hpp"

namespace {

using namespace bcma::station::server;

void usage(std::ostream& out) {
  out << "usage: bcma-station [--config FILE] [--SETTING VALUE]...\n"
         "\n"
         "Runs the station: scanners connect over TLS 1.3 with their paired certificates.\n"
         "Every setting may be given in the JSON configuration file (key) or as a flag\n"
         "(--key-with-dashes VALUE or --key=VALUE); flags win. --dir is short for --station-dir,\n"
         "--db for --database.\n\nsettings:\n";
  for (const auto& s : settings()) {
    std::string flag(s.key);
    for (auto& c : flag) {
      if (c == '_') c = '-';
    }
    out << "  --" << flag << std::string(flag.size() < 22 ? 22 - flag.size() : 1, ' ') << s.help
        << "\n";
  }
  out << "\nStops gracefully on SIGTERM or SIGINT. Exit status: 0 stopped cleanly, 1 could not\n"
         "start, 2 usage error.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<std::string> config_file;
  std::vector<std::pair<std::string, std::string>> flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a == "--help" || a == "-h") {
      usage(std::cout);
      return 0;
    }
    if (a.rfind("--", 0) != 0) {
      std::cerr << "bcma-station: unexpected argument '" << a << "'\n";
      usage(std::cerr);
      return 2;
    }
    std::string key = a.substr(2);
    std::string value;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      std::cerr << "bcma-station: --" << key << " needs a value\n";
      return 2;
    }
    if (key == "config") {
      config_file = value;
    } else {
      if (key == "dir") key = "station_dir";
      if (key == "db") key = "database";
      flags.emplace_back(key, value);
    }
  }

  StationConfig config;
  if (config_file) {
    auto loaded = load_config(*config_file);
    if (!loaded) {
      std::cerr << "bcma-station: " << loaded.error().message << "\n";
      return 2;
    }
    config = std::move(*loaded);
  }
  for (const auto& [key, value] : flags) {
    if (auto r = apply_setting(config, key, value); !r) {
      std::cerr << "bcma-station: --" << key << ": " << r.error().message << "\n";
      return 2;
    }
  }
  if (auto v = validate(config); !v) {
    std::cerr << "bcma-station: " << v.error().message << "\n";
    return 2;
  }

  std::unique_ptr<Logger> file_log;
  if (!config.log_file.empty()) {
    auto opened = Logger::open_file(config.log_file, config.log_level);
    if (!opened) {
      std::cerr << "bcma-station: " << opened.error().message << "\n";
      return 1;
    }
    file_log = std::move(*opened);
  }
  Logger stderr_log(config.log_level);
  Logger& log = file_log ? *file_log : stderr_log;

  auto station = Station::open(config, log);
  if (!station) {
    log.error("start_failed", "", {{"code", station.error().code}, {"detail", station.error().message}});
    std::cerr << "bcma-station: " << station.error().message << "\n";
    return 1;
  }
  // The transport sizes its pool the same way (ServerOptions::threads).
  const std::size_t threads =
      config.threads != 0 ? config.threads
                          : std::max<std::size_t>(2, std::thread::hardware_concurrency());
  log.info("starting", "",
           {{"station_dir", config.station_dir.string()},
            {"network_threads", threads},
            {"database", config.database_path().string()},
            {"commit_batch_max", config.commit_batch_max},
            {"commit_wait_max_ms", static_cast<long long>(config.commit_wait_max.count())}});
  if (auto ran = (*station)->run(/*handle_signals=*/true); !ran) {
    log.error("run_failed", "", {{"code", ran.error().code}, {"detail", ran.error().message}});
    return 1;
  }
  return 0;
}
