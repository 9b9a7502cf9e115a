// bcma emar import|review|due|export: the pharmacy's eMAR feed (docs/emar-feed.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "bcma/domain/time.hpp"
#include "bcma/station/emar/due.hpp"
#include "bcma/station/emar/export.hpp"
#include "bcma/station/emar/import.hpp"
#include "bcma/station/emar/review.hpp"
#include "bcma/station/store/store.hpp"
#include "commands.hpp"

namespace bcma::cli {

namespace {

/// Import applied everything it could, but some resources wait in the review queue.
constexpr int kExitQueued = 3;

constexpr std::string_view kEmarUsage =
    "usage: bcma emar import FILE --db FILE [--json]\n"
    "       bcma emar review --db FILE [--json] [--all] [--resources]\n"
    "       bcma emar due --resident NHS_NUMBER --date YYYY-MM-DD --db FILE\n"
    "       bcma emar export --since INSTANT --db FILE [--out FILE]\n"
    "\n"
    "The pharmacy's eMAR feed, FHIR R4 UK Core in JSON (docs/emar-feed.md).\n"
    "  import   reads a Bundle, one resource or NDJSON: MedicationRequests become prescriptions\n"
    "           (a new version replaces the old from its effective time), MedicationDispenses the\n"
    "           labelled packs expected for booking in. Anything the station cannot represent\n"
    "           safely is NOT imported but queued for review with the exact reason; the rest is\n"
    "           applied. Importing the same feed again changes nothing. Prints a summary.\n"
    "           Exit status: 0 all applied, 3 applied but some queued for review, 1 the feed\n"
    "           was refused whole (nothing changed), 2 usage error.\n"
    "  review   lists the review queue as a pharmacist reads it (--all: closed entries too;\n"
    "           --json: a JSON array, --resources adds each resource as received).\n"
    "  due      JSON: the resident's regular doses on that local date, with local times and\n"
    "           windows, and the when-required medicines with their limits.\n"
    "  export   a FHIR Bundle of MedicationAdministration resources for every record stored at\n"
    "           or after INSTANT (2026-03-10T00:00:00Z, or a date for 00:00 UK time), and older\n"
    "           records they correct (as entered-in-error). To standard output, or --out FILE.\n"
    "The database must exist (set up the home first). Exit status: 0 done, 1 failed, 2 usage.\n";

int emar_usage(Io io, const std::string& error) {
  io.err << (error.empty() ? "" : "bcma emar: " + error + "\n") << kEmarUsage;
  return kExitUsage;
}

int failed(Io io, const Error& e) {
  io.err << "bcma emar: " << e.message << " (" << e.code << ")\n";
  return kExitFailed;
}

std::optional<domain::Instant> parse_since(const std::string& text) {
  if (auto t = domain::parse_instant(text)) return t;
  if (auto d = domain::parse_date(text)) return domain::London::start_of_day(*d);
  return std::nullopt;
}

}  // namespace

int cmd_emar(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kEmarUsage;
    return kExitOk;
  }
  const bool json = p.flag("json");
  const bool all = p.flag("all");
  const bool with_resources = p.flag("resources");
  const auto db_path = p.option("db");
  const auto resident = p.option("resident");
  const auto date_text = p.option("date");
  const auto since_text = p.option("since");
  const auto out_path = p.option("out");
  const auto rest = p.positionals();
  if (!p.ok()) return emar_usage(io, p.error());
  if (rest.empty()) return emar_usage(io, "which: import, review, due or export?");
  const std::string& sub = rest[0];
  if (!db_path || db_path->empty()) return emar_usage(io, "--db FILE is required");

  std::optional<domain::Date> date;
  std::optional<domain::Instant> since;
  if (sub == "import") {
    if (rest.size() != 2) return emar_usage(io, "import needs exactly one FILE");
  } else if (sub == "review") {
    if (rest.size() != 1) return emar_usage(io, "review takes no FILE");
  } else if (sub == "due") {
    if (rest.size() != 1 || !resident || !date_text) return emar_usage(io, "due needs --resident and --date");
    date = domain::parse_date(*date_text);
    if (!date) return emar_usage(io, "--date \"" + *date_text + "\" is not a date (YYYY-MM-DD)");
  } else if (sub == "export") {
    if (rest.size() != 1 || !since_text) return emar_usage(io, "export needs --since");
    since = parse_since(*since_text);
    if (!since) return emar_usage(io, "--since \"" + *since_text + "\" is not an instant (2026-03-10T00:00:00Z) or a date");
  } else {
    return emar_usage(io, "unknown subcommand " + sub);
  }

  std::error_code ec;
  if (!std::filesystem::is_regular_file(*db_path, ec)) {
    io.err << "bcma emar: no station database at " << *db_path << "\n";
    return kExitFailed;
  }
  const domain::SystemClock clock;
  auto store = station::store::Store::open(*db_path, clock);
  if (!store) return failed(io, store.error());

  if (sub == "import") {
    auto summary = station::emar::import_file(*store, rest[1]);
    if (!summary) return failed(io, summary.error());
    io.out << (json ? station::emar::summary_json(*summary) + "\n" : station::emar::summary_text(*summary));
    return summary->count(station::emar::Action::kQueued) > 0 ? kExitQueued : kExitOk;
  }
  if (sub == "review") {
    auto entries = station::emar::review_queue(*store, all);
    if (!entries) return failed(io, entries.error());
    io.out << (json ? station::emar::review_json(*entries, with_resources) + "\n"
                    : station::emar::review_text(*entries));
    return kExitOk;
  }
  if (sub == "due") {
    auto report = station::emar::due_report(*store, *resident, *date);
    if (!report) return failed(io, report.error());
    io.out << station::emar::due_json(*report) << "\n";
    return kExitOk;
  }
  auto exported = station::emar::export_administrations(*store, *since);
  if (!exported) return failed(io, exported.error());
  if (out_path) {
    std::ofstream f(*out_path, std::ios::binary | std::ios::trunc);
    f << exported->bundle_json << "\n";
    f.close();
    if (!f) {
      io.err << "bcma emar: cannot write " << *out_path << "\n";
      return kExitFailed;
    }
    io.err << "exported " << exported->administrations << " MedicationAdministration resources to " << *out_path
           << "\n";
    return kExitOk;
  }
  io.out << exported->bundle_json << "\n";
  return kExitOk;
}

}  // namespace bcma::cli
