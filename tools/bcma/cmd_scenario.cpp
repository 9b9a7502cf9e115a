// bcma scenario run FILE...: runs scenario files through the station's scan-handling service.
#include <iostream>
#include <string>

#include "bcma/station/service/scenario.hpp"
#include "commands.hpp"

namespace bcma::cli {

namespace {

constexpr std::string_view kScenarioUsage =
    "usage: bcma scenario run [--keep-db] FILE...\n"
    "\n"
    "Runs each scenario file (docs/scenarios.md) against a fresh temporary station database,\n"
    "through the same service the station uses, and prints one JSON line per step:\n"
    "  {\"step\":N,\"decision\":\"block\",\"reasons\":[...],...,\"action\":...,\"file\":...,\"ok\":true}\n"
    "A step whose expectations do not hold has \"ok\":false, \"expected\" and \"detail\".\n"
    "A malformed file is reported on stderr with its JSON path, and the next file runs.\n"
    "  --keep-db   keep each database and print its path on stderr\n"
    "Exit status: 0 every expectation held, 1 one did not (or a file is malformed), 2 usage error.\n";

}  // namespace

int cmd_scenario(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kScenarioUsage;
    return kExitOk;
  }
  const bool keep = p.flag("keep-db");
  const auto rest = p.positionals();
  if (!p.ok() || rest.size() < 2 || rest[0] != "run") {
    io.err << (p.ok() ? "" : "bcma scenario: " + p.error() + "\n") << kScenarioUsage;
    return kExitUsage;
  }
  station::service::scenario::RunOptions options;
  options.keep_database = keep;
  int failed = 0;
  for (std::size_t i = 1; i < rest.size(); ++i) {
    auto report = station::service::scenario::run_file(rest[i], options);
    if (!report) {
      io.err << "bcma scenario: " << report.error().code << ": " << report.error().message << "\n";
      ++failed;
      continue;
    }
    for (const std::string& line : report->lines) io.out << line << "\n";
    io.out.flush();
    if (keep) io.err << "bcma scenario: " << rest[i] << ": database kept at " << report->database.string() << "\n";
    if (!report->passed) ++failed;
  }
  const std::size_t files = rest.size() - 1;
  io.err << "bcma scenario: " << files - static_cast<std::size_t>(failed) << " of " << files
         << (files == 1 ? " scenario" : " scenarios") << " passed\n";
  return failed == 0 ? kExitOk : kExitFailed;
}

}  // namespace bcma::cli
