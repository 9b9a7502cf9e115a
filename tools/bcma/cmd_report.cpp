// bcma report NAME|list: the pharmacist's and manager's reports from a station database, as CSV
// or JSON (docs/reports.md).
#include <filesystem>
#include <iostream>
#include <string>

#include "bcma/station/reports/report.hpp"
#include "bcma/station/store/store.hpp"
#include "commands.hpp"

namespace bcma::cli {

namespace {

namespace rp = station::reports;

constexpr std::string_view kReportUsage =
    "usage: bcma report NAME --db FILE --from WHEN --to WHEN [--format csv|json]\n"
    "       bcma report list\n"
    "\n"
    "Runs one report over the events in [from, to) and writes it to standard output: CSV\n"
    "(RFC 4180, a header row of column headings; the default) or JSON (name, title,\n"
    "explanation, columns, rows, chart). `list` prints every report with who may read it.\n"
    "WHEN is a date (YYYY-MM-DD, Europe/London; --to includes that whole day) or a UTC instant\n"
    "(2026-03-29T07:00:00Z; --to excludes it). The database must exist (a missing one is an\n"
    "error; none is created); it is brought to the current schema if it is older, and\n"
    "nothing else is written.\n"
    "Exit status: 0 written, 1 the report could not be made, 2 usage error.\n";

int report_usage(Io io, const std::string& error) {
  io.err << (error.empty() ? "" : "bcma report: " + error + "\n") << kReportUsage;
  return kExitUsage;
}

int list(Io io) {
  for (const auto& r : rp::catalogue()) {
    std::string roles;
    for (auto role : r.roles) roles += (roles.empty() ? "" : ", ") + std::string(domain::to_string(role));
    io.out << r.name << "\t" << r.title << "\t(" << roles << ")\n";
  }
  return kExitOk;
}

}  // namespace

int cmd_report(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kReportUsage;
    return kExitOk;
  }
  const auto db = p.option("db");
  const auto from_text = p.option("from");
  const auto to_text = p.option("to");
  const auto format = p.option("format").value_or("csv");
  const auto rest = p.positionals();
  if (!p.ok()) return report_usage(io, p.error());
  if (rest.size() != 1) return report_usage(io, "name one report (or `list`)");
  if (rest[0] == "list") return list(io);
  if (!rp::find_report(rest[0])) return report_usage(io, "no report called '" + rest[0] + "' (see `bcma report list`)");
  if (!db) return report_usage(io, "--db is required");
  if (!from_text) return report_usage(io, "--from is required");
  if (!to_text) return report_usage(io, "--to is required");
  if (format != "csv" && format != "json") return report_usage(io, "--format is csv or json, not '" + format + "'");
  const auto from = parse_when(*from_text, false);
  if (!from) return report_usage(io, "--from '" + *from_text + "' is not a date (YYYY-MM-DD) or a UTC instant");
  const auto to = parse_when(*to_text, true);
  if (!to) return report_usage(io, "--to '" + *to_text + "' is not a date (YYYY-MM-DD) or a UTC instant");
  if (*to <= *from) return report_usage(io, "--to must not be before --from");
  // Store::open creates a missing file: a mistyped path would otherwise leave an empty
  // database behind and print an empty report as if nothing had happened.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(*db, ec)) {
    io.err << "bcma report: no database at " << *db << " (nothing was created)\n";
    return kExitFailed;
  }

  const domain::SystemClock clock;
  auto store = station::store::Store::open(*db, clock);
  if (!store) {
    io.err << "bcma report: " << *db << ": " << store.error().message << "\n";
    return kExitFailed;
  }
  auto report = rp::run_report(rest[0], *store, *from, *to);
  if (!report) {
    io.err << "bcma report: " << report.error().code << ": " << report.error().message << "\n";
    return kExitFailed;
  }
  io.out << (format == "csv" ? rp::to_csv(*report) : rp::to_json(*report) + "\n");
  return kExitOk;
}

}  // namespace bcma::cli
