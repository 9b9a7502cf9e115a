// bcma dmd import|lookup|release: the NHS dm+d release in the station database
// (docs/dmd-import.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bcma/domain/time.hpp"
#include "bcma/station/dmd/errors.hpp"
#include "bcma/station/dmd/import.hpp"
#include "bcma/station/dmd/lookup.hpp"
#include "bcma/station/store/store.hpp"
#include "commands.hpp"
#include "json_line.hpp"

namespace bcma::cli {

namespace {

using Json = nlohmann::ordered_json;
namespace dmd = station::dmd;

constexpr std::string_view kDmdUsage =
    "usage: bcma dmd import PATH --db FILE [--force] [--quiet]\n"
    "       bcma dmd lookup (--gtin GTIN [--date YYYY-MM-DD] | --vmp ID | --amp ID | --name TEXT [--limit N])\n"
    "                       --db FILE\n"
    "       bcma dmd release --db FILE\n"
    "\n"
    "import   reads an NHSBSA dm+d release - the zip as published (the GTIN zip inside it is\n"
    "         opened) or a folder of its f_*.xml files - into the station database, in one\n"
    "         transaction: on any error (the message names file, line and reason) nothing\n"
    "         changes. A release older than the one held is refused unless --force. Shows\n"
    "         progress on a terminal (not with --quiet); prints one JSON summary line.\n"
    "lookup   prints one JSON object: the pack a GTIN (13 or 14 digits) identified on --date\n"
    "         (default today), a VMP (old codes resolve to the current one) or an AMP with its\n"
    "         packs; --name prints one JSON line per product whose name contains TEXT\n"
    "         (any case; VTMs, VMPs, AMPs, then AMPPs; at most --limit, default 20).\n"
    "release  prints the release last imported as JSON.\n"
    "Exit status: 0 done, 1 failed or not found ({\"error\":\"unknown_gtin\"} and the like),\n"
    "2 usage error.\n";

Json named(const dmd::Named& n) { return Json{{"id", n.id}, {"name", n.name}}; }

// Progress for a person at a terminal: one line rewritten in place, on standard error.
class TerminalProgress final : public dmd::ProgressSink {
 public:
  void on_progress(const dmd::Progress& p) override {
    const auto now = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(now - started_).count();
    const double rate = secs > 0 ? static_cast<double>(p.total_records) / secs : 0.0;
    std::fprintf(stderr, "\r[%d/%d] %-28s %10llu records  (%llu total, %.0f/s)%s", p.file_index, p.file_count,
                 p.file.c_str(), static_cast<unsigned long long>(p.file_records),
                 static_cast<unsigned long long>(p.total_records), rate, "   ");
    if (p.file_done) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

int failed(Io io, const Error& e, bool json_error) {
  if (json_error) {
    io.out << json_line(Json{{"error", e.code}, {"message", e.message}}) << "\n";
  } else {
    io.err << "bcma dmd: " << e.message << "\n";
  }
  return kExitFailed;
}

int run_import(ArgParser& p, Io io, const std::string& db_path) {
  const bool force = p.flag("force");
  const bool quiet = p.flag("quiet");
  const auto rest = p.positionals();
  if (!p.ok() || rest.size() != 2) {
    io.err << (p.ok() ? "" : "bcma dmd: " + p.error() + "\n") << kDmdUsage;
    return kExitUsage;
  }
  domain::SystemClock clock;
  auto store = station::store::Store::open(db_path, clock);
  if (!store) return failed(io, store.error(), false);
  TerminalProgress progress;
  dmd::ImportOptions options;
  options.force = force;
  if (!quiet && ::isatty(STDERR_FILENO) == 1) options.progress = &progress;
  const auto started = std::chrono::steady_clock::now();
  auto report = dmd::import_release(*store, rest[1], station::store::Actor{std::nullopt, "dmd-import"}, options);
  if (!report) return failed(io, report.error(), false);
  Json counts = Json::object();
  for (const auto& [k, v] : report->counts) counts[k] = v;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  io.out << json_line(Json{{"release_date", domain::to_string(report->release_date)},
                      {"version", report->version},
                      {"release_id", report->release_id},
                      {"counts", counts},
                      {"seconds", static_cast<double>(static_cast<long long>(secs * 10)) / 10}})
         << "\n";
  return kExitOk;
}

Json vmp_json(const dmd::VmpLookup& v) {
  Json j;
  j["vmp"] = named(v.vmp);
  if (v.requested_id) j["requested_id"] = *v.requested_id;
  j["vtm"] = v.vtm ? named(*v.vtm) : Json();
  j["invalid"] = v.invalid;
  j["withdrawn"] = v.withdrawn;
  j["controlled_drug_category"] = v.controlled_drug_category;
  j["controlled_drug_description"] = v.controlled_drug_description;
  j["unit_dose_unit"] = v.unit_dose_unit;
  j["unit_dose_form_size"] = v.unit_dose_form_size.empty() ? Json() : Json(v.unit_dose_form_size);
  j["unit_dose_form_unit"] = v.unit_dose_form_unit.empty() ? Json() : Json(v.unit_dose_form_unit);
  j["form"] = v.form.empty() ? Json() : Json(v.form);
  Json routes = Json::array();
  for (const auto& r : v.routes) routes.push_back(named(r));
  j["routes"] = routes;
  Json ings = Json::array();
  for (const auto& i : v.ingredients) {
    Json x{{"id", i.substance.id}, {"name", i.substance.name}};
    x["strength"] = i.numerator.empty() ? Json() : Json(i.numerator);
    x["unit"] = i.numerator_unit.empty() ? Json() : Json(i.numerator_unit);
    x["per"] = i.denominator.empty() ? Json() : Json(i.denominator);
    x["per_unit"] = i.denominator_unit.empty() ? Json() : Json(i.denominator_unit);
    ings.push_back(std::move(x));
  }
  j["ingredients"] = ings;
  j["previous_ids"] = v.previous_ids;
  j["bnf_code"] = v.bnf_code.empty() ? Json() : Json(v.bnf_code);
  j["atc_code"] = v.atc_code.empty() ? Json() : Json(v.atc_code);
  j["amps"] = v.amps;
  return j;
}

Json amp_json(const dmd::AmpLookup& a) {
  Json j{{"amp", named(a.amp)}, {"vmp", named(a.vmp)}, {"supplier", a.supplier}, {"invalid", a.invalid},
         {"withdrawn", a.withdrawn}};
  Json packs = Json::array();
  for (const auto& p : a.packs) {
    Json gtins = Json::array();
    for (const auto& g : p.gtins) {
      gtins.push_back(Json{{"gtin", g.gtin}, {"start", g.start}, {"end", g.end.empty() ? Json() : Json(g.end)}});
    }
    packs.push_back(Json{{"ampp", named(p.ampp)},
                         {"legal_category", p.legal_category},
                         {"price_pence", p.price_pence ? Json(*p.price_pence) : Json()},
                         {"invalid", p.invalid},
                         {"gtins", gtins},
                         {"components", p.components}});
  }
  j["packs"] = packs;
  return j;
}

int run_lookup(ArgParser& p, Io io, const std::string& db_path) {
  const auto gtin = p.option("gtin");
  const auto vmp = p.option("vmp");
  const auto amp = p.option("amp");
  const auto name = p.option("name");
  const auto date_text = p.option("date");
  const auto limit_text = p.option("limit");
  const auto rest = p.positionals();
  const int asked = (gtin ? 1 : 0) + (vmp ? 1 : 0) + (amp ? 1 : 0) + (name ? 1 : 0);
  int limit = 20;
  if (limit_text) {
    try {
      limit = std::stoi(*limit_text);
    } catch (const std::exception&) {
      limit = 0;
    }
  }
  std::optional<domain::Date> date;
  if (date_text) date = domain::parse_date(*date_text);
  if (!p.ok() || rest.size() != 1 || asked != 1 || limit < 1 || limit > 1000 || (date_text && !date)) {
    io.err << (p.ok() ? "" : "bcma dmd: " + p.error() + "\n") << kDmdUsage;
    return kExitUsage;
  }
  station::store::OpenOptions oo;
  oo.mode = station::store::OpenOptions::Mode::kReadOnly;
  auto db = station::store::Database::open(db_path, oo);
  if (!db) return failed(io, db.error(), true);

  if (gtin) {
    if (!date) date = domain::London::local_date(domain::SystemClock().now());
    auto g = dmd::lookup_gtin(*db, *gtin, *date);
    if (!g) {
      if (g.error().code == dmd::errc::kUnknownGtin) {
        io.out << json_line(Json{{"error", "unknown_gtin"}}) << "\n";
        return kExitFailed;
      }
      return failed(io, g.error(), true);
    }
    Json j;
    j["gtin"] = g->gtin;
    j["ampp"] = named(g->ampp);
    j["amp"] = named(g->amp);
    j["vmp"] = named(g->vmp);
    j["vtm"] = g->vtm ? named(*g->vtm) : Json();
    j["controlled_drug_category"] = g->controlled_drug_category;
    j["price_pence"] = g->price_pence ? Json(*g->price_pence) : Json();
    io.out << json_line(j) << "\n";
    return kExitOk;
  }
  if (vmp) {
    auto v = dmd::lookup_vmp(*db, *vmp);
    if (!v) return failed(io, v.error(), true);
    io.out << json_line(vmp_json(*v)) << "\n";
    return kExitOk;
  }
  if (amp) {
    auto a = dmd::lookup_amp(*db, *amp);
    if (!a) return failed(io, a.error(), true);
    io.out << json_line(amp_json(*a)) << "\n";
    return kExitOk;
  }
  auto found = dmd::search_name(*db, *name, limit);
  if (!found) return failed(io, found.error(), true);
  for (const auto& m : *found) {
    io.out << json_line(Json{{"level", m.level}, {"id", m.id}, {"name", m.name}}) << "\n";
  }
  return found->empty() ? kExitFailed : kExitOk;
}

int run_release(ArgParser& p, Io io, const std::string& db_path) {
  const auto rest = p.positionals();
  if (!p.ok() || rest.size() != 1) {
    io.err << kDmdUsage;
    return kExitUsage;
  }
  station::store::OpenOptions oo;
  oo.mode = station::store::OpenOptions::Mode::kReadOnly;
  auto db = station::store::Database::open(db_path, oo);
  if (!db) return failed(io, db.error(), true);
  auto r = dmd::current_release(*db);
  if (!r) return failed(io, r.error(), true);
  if (!*r) {
    io.out << json_line(Json{{"error", dmd::errc::kNoRelease}}) << "\n";
    return kExitFailed;
  }
  const auto& rel = **r;
  io.out << json_line(Json{{"release_id", rel.id},
                      {"release_date", rel.release_date},
                      {"version", rel.version},
                      {"source", rel.source},
                      {"forced", rel.forced},
                      {"imported_at", domain::to_string(domain::Instant{std::chrono::seconds{rel.imported_at}})},
                      {"counts", Json::parse(rel.counts, nullptr, false)}})
         << "\n";
  return kExitOk;
}

}  // namespace

int cmd_dmd(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kDmdUsage;
    return kExitOk;
  }
  const auto db_path = p.option("db");
  if (args.empty() || !db_path || db_path->empty()) {
    io.err << kDmdUsage;
    return kExitUsage;
  }
  const std::string& verb = args[0];
  if (verb == "import") return run_import(p, io, *db_path);
  if (verb == "lookup") return run_lookup(p, io, *db_path);
  if (verb == "release") return run_release(p, io, *db_path);
  io.err << "bcma dmd: unknown action '" << verb << "'\n" << kDmdUsage;
  return kExitUsage;
}

}  // namespace bcma::cli
