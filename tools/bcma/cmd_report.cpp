// bcma report NAME|list: the pharmacist's and manager's reports from a station database, as CSV
// or JSON (docs/reports.md).
#include <iostream>
#include <string>

#include "bcma/station/reports/report.hpp"
#include "bcma/station/store/store.hpp"
#include "commands.hpp"

namespace bcma::cli {

namespace {

namespace rp = station::reports;

constexpr std::string_view kUsage =
    "usage: bcma report NAME --db FILE --from WHEN --to WHEN [--format csv|json]\n"
    "       bcma report list\n"
    "\n"
    "Runs one report over the events in [from, to) and writes it to standard output: CSV\n"
    "(RFC 4180, a header row of column headings; the default) or JSON (name, title,\n"
    "explanation, columns, rows, chart). `list` prints every report with who may read it.\n"
    "WHEN is a date (YYYY-MM-DD, Europe/London; --to includes that whole day) or a UTC instant\n"
    "(2026-03-29T07:00:00Z; --to excludes it). The database is brought to the current schema\n"
    "if it is older; nothing else is written.\n"
    "Exit status: 0 written, 1 the report could not be made, 2 usage error.\n";

int usage(Io io, const std::string& error) {
  io.err << (error.empty() ? "" : "bcma report: " + error + "\n") << kUsage;
  return kExitUsage;
}

std::optional<domain::Instant> parse_when(const std::string& text, bool end_of_day) {
  if (auto t = domain::parse_instant(text)) return t;
  const auto d = domain::parse_date(text);
  if (!d) return std::nullopt;
  if (!end_of_day) return domain::London::start_of_day(*d);
  return domain::London::start_of_day(domain::Date{std::chrono::sys_days{*d} + std::chrono::days{1}});
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
    io.out << kUsage;
    return kExitOk;
  }
  const auto db = p.option("db");
  const auto from_text = p.option("from");
  const auto to_text = p.option("to");
  const auto format = p.option("format").value_or("csv");
  const auto rest = p.positionals();
  if (!p.ok()) return usage(io, p.error());
  if (rest.size() != 1) return usage(io, "name one report (or `list`)");
  if (rest[0] == "list") return list(io);
  if (!rp::find_report(rest[0])) return usage(io, "no report called '" + rest[0] + "' (see `bcma report list`)");
  if (!db || !from_text || !to_text) return usage(io, "--db, --from and --to are required");
  if (format != "csv" && format != "json") return usage(io, "--format is csv or json");
  const auto from = parse_when(*from_text, false);
  const auto to = parse_when(*to_text, true);
  if (!from || !to) return usage(io, "--from and --to are dates (YYYY-MM-DD) or UTC instants");

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
