// bcma-scanner: the handheld's firmware as a program. With the simulator (the default) the
// camera, keypad, display and indicator are the host's (bcma::fw::host) and the round is
// driven by a script (--script FILE, or steps typed on stdin); with --linux they are the
// device's (V4L2, evdev, console). Either way it talks to a station over TLS 1.3 with the
// device bundle from `bcma station pair`. docs/scanner.md.

#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bcma/domain/time.hpp"
#include "bcma/fw/hal/tls_network_link.hpp"
#include "bcma/fw/host/camera.hpp"
#include "bcma/fw/host/devices.hpp"
#include "bcma/fw/host/terminal.hpp"
#include "bcma/fw/linux/devices.hpp"
#include "bcma/transport/credentials.hpp"
#include "bcma/v1/envelope.pb.h"
#include "scanner_loop.hpp"
#include "script.hpp"

namespace {

using namespace bcma::fw;
using namespace std::chrono_literals;

constexpr const char* kUsage =
    "usage: bcma-scanner --bundle FILE --station HOST:PORT [--data DIR] [--script FILE]\n"
    "                    [--inactivity SECONDS] [--request-timeout MS] [--clock-start ISO]\n"
    "       bcma-scanner --linux --bundle FILE --station HOST:PORT [--data DIR]\n"
    "                    [--camera /dev/video0] [--keys /dev/input/event0] [--console /dev/tty1]\n"
    "Runs the scanner's medication round against a station over TLS. The simulator (default)\n"
    "plays the steps of --script FILE, or steps read from stdin, and prints every screen and\n"
    "signal. --clock-start 2026-11-25T07:55:00Z runs the simulator's wall clock from that\n"
    "instant (training and demo stations on a simulated day; it must match the station's).\n"
    "Exit status: 0 done, 1 a step failed, 2 usage, 3 cannot start.\n";

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct Options {
  std::string bundle, station, data = "bcma-scanner-data", script;
  std::string camera = "/dev/video0", keys = "/dev/input/event0", console = "/dev/tty1";
  bool linux_backend = false;
  int inactivity = 120;
  int request_timeout_ms = 4000;
  std::optional<bcma::domain::Instant> clock_start;
};

bool parse_args(int argc, char** argv, Options& o, std::string& error) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--linux") {
      o.linux_backend = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      error = a + " needs a value";
      return false;
    }
    const std::string& v = args[++i];
    try {
      if (a == "--bundle") o.bundle = v;
      else if (a == "--station") o.station = v;
      else if (a == "--data") o.data = v;
      else if (a == "--script") o.script = v;
      else if (a == "--camera") o.camera = v;
      else if (a == "--keys") o.keys = v;
      else if (a == "--console") o.console = v;
      else if (a == "--inactivity") o.inactivity = std::stoi(v);
      else if (a == "--request-timeout") o.request_timeout_ms = std::stoi(v);
      else if (a == "--clock-start") {
        o.clock_start = bcma::domain::parse_instant(v);
        if (!o.clock_start) {
          error = "--clock-start needs an instant such as 2026-11-25T07:55:00Z, not '" + v + "'";
          return false;
        }
      }
      else {
        error = "unknown option " + a;
        return false;
      }
    } catch (const std::exception&) {
      error = a + " needs a number, not '" + v + "'";
      return false;
    }
  }
  if (o.bundle.empty() || o.station.empty()) {
    error = "--bundle and --station are required";
    return false;
  }
  return true;
}

/// Reports the link's state when it changes: a person at the terminal (and a test) sees when
/// the scanner is online, offline, or refused by the station.
class LinkWatch {
 public:
  LinkWatch(hal::TlsNetworkLink& link, std::ostream& out) : link_(link), out_(out) {}
  void check() {
    const auto now = link_.status();
    if (now == last_) return;
    last_ = now;
    out_ << "[link] " << hal::to_string(now);
    if (now != hal::LinkStatus::kUp && !link_.last_error().empty()) out_ << ": " << link_.last_error();
    out_ << "\n" << std::flush;
  }

 private:
  hal::TlsNetworkLink& link_;
  std::ostream& out_;
  std::optional<hal::LinkStatus> last_;
};

int run(const Options& o) {
  auto bundle = bcma::transport::load_device_bundle(o.bundle);
  if (!bundle) {
    std::cerr << "bcma-scanner: " << o.bundle << ": " << bundle.error().message << "\n";
    return 3;
  }
  const auto colon = o.station.rfind(':');
  int port = 0;
  try {
    port = colon == std::string::npos ? 0 : std::stoi(o.station.substr(colon + 1));
  } catch (const std::exception&) {
    port = 0;
  }
  if (port <= 0 || port > 65535) {
    std::cerr << "bcma-scanner: --station must be HOST:PORT, not '" << o.station << "'\n";
    return 2;
  }
  const std::string device_id = bundle->device_id;
  hal::TlsLinkOptions link_options;
  link_options.host = o.station.substr(0, colon);
  link_options.port = static_cast<std::uint16_t>(port);
  bcma::v1::Envelope heartbeat;
  heartbeat.set_request_id(round::kHeartbeatRequestId);
  heartbeat.mutable_heartbeat();
  link_options.heartbeat_payload = heartbeat.SerializeAsString();
  auto link = hal::TlsNetworkLink::create(std::move(*bundle), link_options);
  if (!link) {
    std::cerr << "bcma-scanner: " << link.error().message << "\n";
    return 3;
  }
  LinkWatch watch(**link, std::cout);

  app::LoopOptions loop_options;
  loop_options.device_id = device_id;
  loop_options.round.inactivity_timeout = std::chrono::seconds(o.inactivity);
  loop_options.request_timeout = std::chrono::milliseconds(o.request_timeout_ms);

  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);

  if (o.linux_backend) {
    embedded::V4l2Camera camera(o.camera, 1280, 720);
    auto keys = embedded::EvdevKeypad::open(o.keys);
    if (!keys) {
      std::cerr << "bcma-scanner: " << keys.error().message << "\n";
      return 3;
    }
    auto display = embedded::ConsoleDisplay::open(o.console);
    if (!display) {
      std::cerr << "bcma-scanner: " << display.error().message << "\n";
      return 3;
    }
    host::TerminalIndicator indicator(std::cout);  // the LED/buzzer driver is not written yet
    hal::SystemClock clock;
    auto loop = app::ScannerLoop::create({camera, **keys, **display, indicator, clock, **link},
                                         o.data, loop_options);
    if (!loop) {
      std::cerr << "bcma-scanner: " << loop.error().message << "\n";
      return 3;
    }
    if (auto r = (*loop)->start(); !r) {
      std::cerr << "bcma-scanner: " << r.error().message << "\n";
      return 3;
    }
    while (g_stop == 0) {
      (*loop)->turn(50ms);
      watch.check();
    }
    return 0;
  }

  host::QueueCamera camera;
  host::QueueKeypad keys;
  host::TerminalDisplay display(std::cout);
  host::TerminalIndicator indicator(std::cout);
  host::SimClock clock;
  if (o.clock_start) {
    clock.start_wall_at(*o.clock_start);
    std::cout << "[clock] simulated: the scanner's wall clock starts at "
              << bcma::domain::to_string(*o.clock_start) << "\n";
  }
  auto loop = app::ScannerLoop::create({camera, keys, display, indicator, clock, **link}, o.data,
                                       loop_options);
  if (!loop) {
    std::cerr << "bcma-scanner: " << loop.error().message << "\n";
    return 3;
  }
  if (auto r = (*loop)->start(); !r) {
    std::cerr << "bcma-scanner: " << r.error().message << "\n";
    return 3;
  }
  std::cout << "[scanner] " << device_id << " -> " << o.station << "\n";
  (**link).wait_until_up(std::chrono::milliseconds(o.request_timeout_ms));
  watch.check();

  std::filesystem::path base = ".";
  std::string text;
  if (!o.script.empty()) {
    std::ifstream in(o.script);
    if (!in) {
      std::cerr << "bcma-scanner: cannot read " << o.script << "\n";
      return 3;
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    base = std::filesystem::path(o.script).parent_path();
  }
  app::ScriptRunner runner(**loop, camera, keys, clock, **link, base, std::cout);
  auto play = [&](std::string_view lines) -> int {
    auto steps = app::parse_script(lines);
    if (!steps) {
      std::cerr << "bcma-scanner: " << (o.script.empty() ? "stdin" : o.script) << ": "
                << steps.error().message << "\n";
      return 1;
    }
    for (const auto& step : *steps) {
      if (g_stop != 0) return 0;
      auto r = runner.run(step);
      watch.check();
      if (!r) {
        std::cerr << "bcma-scanner: " << (o.script.empty() ? "stdin" : o.script) << ": "
                  << r.error().message << "\n";
        return 1;
      }
    }
    return 0;
  };
  int status = 0;
  if (!o.script.empty()) {
    status = play(text);
  } else {
    // Interactive: one step per line, with the same grammar as a script file.
    for (std::string line; g_stop == 0 && std::getline(std::cin, line);) {
      if (play(line) != 0) std::cout << "(that step was not done)\n";
    }
  }
  (*loop)->turn(0ms);
  const auto stats = (*loop)->sender().stats();
  std::cout << "[outbox] " << (*loop)->outbox().size() << " waiting, " << stats.recorded
            << " recorded, " << stats.rejected << " rejected\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  std::string error;
  if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  if (!parse_args(argc, argv, options, error)) {
    std::cerr << "bcma-scanner: " << error << "\n" << kUsage;
    return 2;
  }
  return run(options);
}
