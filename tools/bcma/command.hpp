#pragma once
// The `bcma` command line: one executable, one subcommand per file (cmd_<name>.cpp).

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/domain/time.hpp"

namespace bcma::cli {

/// Exit statuses shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  ///< ran, but an input was invalid or a check failed
inline constexpr int kExitUsage = 2;   ///< the command line itself was wrong

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

using Args = std::span<const std::string>;

struct Command {
  std::string_view name;     ///< e.g. "gs1"
  std::string_view summary;  ///< one line for `bcma help`
  int (*run)(Args args, Io io);
};

/// Every subcommand, in the order `bcma help` lists them (defined in main.cpp).
std::span<const Command> commands();

/// A `--from`/`--to` value: an instant ("2026-03-29T07:00:00Z") as given, or a local date
/// ("2026-03-29") as the start of that day in the home's time, or with `end_of_day` the start
/// of the next one. nullopt if it is neither.
std::optional<domain::Instant> parse_when(const std::string& text, bool end_of_day);

/// Small argument helpers. Options are `--name VALUE` or `--name=VALUE`.
class ArgParser {
 public:
  explicit ArgParser(Args args) : args_(args.begin(), args.end()) {}

  /// Removes `--name` and returns true if present.
  bool flag(std::string_view name);
  /// Removes `--name VALUE` / `--name=VALUE` and returns VALUE. Records an error if the value
  /// is missing.
  std::optional<std::string> option(std::string_view name);
  /// All remaining arguments; records an error for any unknown `--option` left over.
  std::vector<std::string> positionals();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  std::vector<std::string> args_;
  std::string error_;
};

}  // namespace bcma::cli
