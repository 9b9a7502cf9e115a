#pragma once
/// \file
/// Scenario files: a home, its medicines, residents, staff, prescriptions and history, and a
/// timeline of steps (sign in, scan, record, move the clock) with what each must produce. A
/// scenario runs against a fresh temporary database through `service::Service` - the code path
/// the station uses - and yields one JSON line per step. The format is docs/scenarios.md.

#include <filesystem>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"

namespace bcma::station::service::scenario {

struct RunOptions {
  /// Where the temporary database directory is made; empty: the system's temporary directory.
  std::filesystem::path work_dir;
  /// Keep the database after the run (its path is in `Report::database`), to inspect it.
  bool keep_database = false;
  /// The file name printed in each line; empty: the path as given.
  std::string display_name;
};

struct Report {
  /// One compact JSON object per step, in order: "step", what it produced ("decision",
  /// "reasons", ...), "action", "file", "ok" and, when a check failed, "expected" and "detail".
  std::vector<std::string> lines;
  bool passed = false;  ///< every step's expectations held
  std::filesystem::path database;  ///< empty unless kept
};

/// Parses, sets up and runs one scenario file.
/// Errors (`bcma::Error::code`): `malformed_scenario` (the message is "<file>: <JSON path>:
/// <what is wrong>"), `setup_failed` (the store refused the scenario's data: "<file>: <JSON
/// path>: <store error code>: <message>"), `cannot_create_database`, and the store's errors
/// opening the database.
Result<Report> run_file(const std::filesystem::path& file, const RunOptions& options = {});

}  // namespace bcma::station::service::scenario
