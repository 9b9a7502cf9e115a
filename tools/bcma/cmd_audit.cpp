// bcma audit verify|export|verify-export|summary|new-key: the audit log's chain check, the
// evaluator's pseudonymised export with its integrity proof, and the evaluation summary.
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "bcma/station/export/audit_export.hpp"
#include "bcma/station/export/summary.hpp"
#include "bcma/station/store/audit_log.hpp"
#include "bcma/station/store/database.hpp"
#include "commands.hpp"
#include "json_line.hpp"

namespace bcma::cli {

namespace {

namespace ex = station::exporting;
using Json = nlohmann::ordered_json;

constexpr std::string_view kAuditUsage =
    "usage: bcma audit verify --db FILE [--json]\n"
    "       bcma audit export --db FILE --from WHEN --to WHEN --format csv|jsonl --out DIR\n"
    "                         [--key-file F]\n"
    "       bcma audit verify-export DIR|PROOF [--db FILE [--key-file F]] [--json]\n"
    "       bcma audit summary --db FILE --from WHEN --to WHEN [--json]\n"
    "       bcma audit new-key --out F\n"
    "\n"
    "verify: re-computes the SHA-256 chain of the station database's audit log (docs/store.md,\n"
    "\"Audit chain\") and reports the first entry where it breaks: its sequence number and what\n"
    "is wrong (sequence_gap, prev_hash_mismatch, hash_mismatch, malformed_entry). When intact,\n"
    "prints the head sequence number and hash: keep them elsewhere, since removal of the newest\n"
    "entries can only be seen against such a copy.\n"
    "\n"
    "export: writes every audit event of the period into DIR/events.csv (or .jsonl) with\n"
    "residents and staff replaced by HMAC-SHA256 pseudonyms, and DIR/proof.json (chain range,\n"
    "chain head, file digest). Without --key-file a random key is used and forgotten: the same\n"
    "person has the same pseudonym within the export only. With the home's key file (made by\n"
    "`new-key`, never given to the evaluator) pseudonyms agree across exports.\n"
    "verify-export: checks DIR against its proof (or a proof file downloaded from the web\n"
    "pages against the events file it names, beside it); with --db against the database's\n"
    "chain too; with --db and --key-file re-derives every row and compares the bytes.\n"
    "summary: scan compliance, errors intercepted by reason, override rate, on-time rate and\n"
    "waste per resident per 28-day cycle, for the period and per week (docs/audit-export.md).\n"
    "\n"
    "WHEN is a date (YYYY-MM-DD, Europe/London; --to includes that whole day) or a UTC instant\n"
    "(2026-03-29T07:00:00Z; --to excludes it). Every database is opened read-only.\n"
    "  --json   one JSON object instead of text\n"
    "Exit status: 0 intact / written / export verified, 1 broken or a check failed (or a file\n"
    "cannot be read), 2 usage error.\n";

int audit_usage(Io io, const std::string& error) {
  io.err << (error.empty() ? "" : "bcma audit: " + error + "\n") << kAuditUsage;
  return kExitUsage;
}

Result<station::store::Database> open_read_only(const std::string& path) {
  station::store::OpenOptions options;
  options.mode = station::store::OpenOptions::Mode::kReadOnly;
  return station::store::Database::open(path, options);
}

int report_error(Io io, bool json, const Error& e) {
  if (json) {
    io.out << json_line(Json{{"ok", false}, {"error", e.code}, {"message", e.message}}) << "\n";
  } else {
    io.err << "bcma audit: " << e.message << "\n";
  }
  return kExitFailed;
}

int run_verify(const std::string& db_path, bool json, Io io) {
  auto db = open_read_only(db_path);
  Result<station::store::AuditVerification> v =
      db ? station::store::verify_audit_chain(*db)
         : Result<station::store::AuditVerification>(Unexpected(db.error()));
  if (!v) {
    if (json) {
      io.out << json_line(Json{{"intact", false}, {"error", v.error().code}, {"message", v.error().message}})
             << "\n";
    } else {
      io.err << "bcma audit: " << v.error().message << "\n";
    }
    return kExitFailed;
  }
  if (json) {
    Json j;
    j["intact"] = v->intact();
    j["entries"] = v->entries;
    if (v->intact()) {
      j["head_seq"] = v->head_seq;
      j["head_hash"] = v->head_hash;
    } else {
      j["first_break"] = {{"seq", v->first_break->seq},
                          {"problem", v->first_break->problem},
                          {"message", v->first_break->message}};
    }
    io.out << json_line(j) << "\n";
  } else if (v->intact()) {
    io.out << "audit chain intact: " << v->entries << " entries; head seq " << v->head_seq
           << " hash " << (v->head_hash.empty() ? "(none)" : v->head_hash) << "\n";
  } else {
    io.out << "audit chain BROKEN at seq " << v->first_break->seq << " ("
           << v->first_break->problem << "): " << v->first_break->message << "\n";
  }
  return v->intact() ? kExitOk : kExitFailed;
}

Result<ex::PseudonymKey> key_for(const std::optional<std::string>& key_file) {
  if (key_file) return ex::PseudonymKey::from_file(*key_file);
  return ex::PseudonymKey::random();
}

int run_export(ArgParser& p, const std::string& db_path, bool json, Io io) {
  const auto from_text = p.option("from");
  const auto to_text = p.option("to");
  const auto format_text = p.option("format");
  const auto out_dir = p.option("out");
  const auto key_file = p.option("key-file");
  if (p.positionals().size() != 1 || !p.ok()) return audit_usage(io, p.error());
  if (!from_text || !to_text || !format_text || !out_dir) {
    return audit_usage(io, "export needs --from, --to, --format and --out");
  }
  const auto from = parse_when(*from_text, false);
  const auto to = parse_when(*to_text, true);
  const auto format = ex::format_from_string(*format_text);
  if (!from || !to) return audit_usage(io, "--from and --to take YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  if (!format) return audit_usage(io, "--format is csv or jsonl");
  auto key = key_for(key_file);
  if (!key) return report_error(io, json, key.error());
  auto db = open_read_only(db_path);
  if (!db) return report_error(io, json, db.error());
  const ex::Pseudonymiser pseudonyms(std::move(*key));
  auto report = ex::export_audit(*db, pseudonyms, ex::ExportOptions{*from, *to, *format}, *out_dir);
  if (!report) return report_error(io, json, report.error());
  if (json) {
    Json j;
    j["ok"] = true;
    j["events_file"] = report->events_file.string();
    j["proof_file"] = report->proof_file.string();
    j["rows"] = report->rows;
    j["first_seq"] = report->first_seq ? Json(*report->first_seq) : Json();
    j["last_seq"] = report->last_seq ? Json(*report->last_seq) : Json();
    j["head_seq"] = report->head_seq;
    j["head_hash"] = report->head_hash;
    j["sha256"] = report->events_sha256;
    io.out << json_line(j) << "\n";
  } else {
    io.out << "exported " << report->rows << " events to " << report->events_file.string();
    if (report->first_seq) {
      io.out << " (audit seq " << *report->first_seq << " to " << *report->last_seq << ")";
    }
    io.out << "\nproof: " << report->proof_file.string() << " (chain head seq "
           << report->head_seq << ", events SHA-256 " << report->events_sha256 << ")\n";
  }
  return kExitOk;
}

int run_verify_export(ArgParser& p, const std::optional<std::string>& db_path, bool json, Io io) {
  const auto key_file = p.option("key-file");
  const auto rest = p.positionals();
  if (!p.ok() || rest.size() != 2) return audit_usage(io, p.error());
  if (key_file && !db_path) return audit_usage(io, "--key-file needs --db (the rows are re-derived)");
  std::optional<ex::PseudonymKey> key;
  if (key_file) {
    auto k = ex::PseudonymKey::from_file(*key_file);
    if (!k) return report_error(io, json, k.error());
    key = std::move(*k);
  }
  std::optional<station::store::Database> db;
  if (db_path) {
    auto d = open_read_only(*db_path);
    if (!d) return report_error(io, json, d.error());
    db.emplace(std::move(*d));
  }
  auto v = ex::verify_export(rest[1], db ? &*db : nullptr, key ? &*key : nullptr);
  if (!v) return report_error(io, json, v.error());
  if (json) {
    Json problems = Json::array();
    for (const auto& pr : v->problems) problems.push_back({{"code", pr.code}, {"message", pr.message}});
    io.out << json_line(Json{{"ok", v->ok()},
                        {"rows", v->rows},
                        {"checked_database", v->checked_database},
                        {"checked_content", v->checked_content},
                        {"problems", std::move(problems)}})
           << "\n";
  } else if (v->ok()) {
    io.out << "export verified: " << v->rows << " rows match the proof"
           << (v->checked_database ? " and the database's audit chain" : "")
           << (v->checked_content ? ", and every cell re-derives from the database" : "") << "\n";
  } else {
    io.out << "export NOT verified:\n";
    for (const auto& pr : v->problems) io.out << "  " << pr.code << ": " << pr.message << "\n";
  }
  return v->ok() ? kExitOk : kExitFailed;
}

int run_summary(ArgParser& p, const std::string& db_path, bool json, Io io) {
  const auto from_text = p.option("from");
  const auto to_text = p.option("to");
  if (p.positionals().size() != 1 || !p.ok()) return audit_usage(io, p.error());
  if (!from_text || !to_text) return audit_usage(io, "summary needs --from and --to");
  const auto from = parse_when(*from_text, false);
  const auto to = parse_when(*to_text, true);
  if (!from || !to) return audit_usage(io, "--from and --to take YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  auto db = open_read_only(db_path);
  if (!db) return report_error(io, json, db.error());
  auto s = ex::evaluation_summary(*db, *from, *to);
  if (!s) return report_error(io, json, s.error());
  if (json) {
    io.out << json_line(ex::to_json(*s)) << "\n";
  } else {
    io.out << ex::to_text(*s);
  }
  return kExitOk;
}

}  // namespace

int cmd_audit(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kAuditUsage;
    return kExitOk;
  }
  const bool json = p.flag("json");
  const auto db_path = p.option("db");
  // The verb comes first: `bcma audit export --db ...`.
  const std::string verb = args.empty() ? std::string() : args[0];
  if (verb == "verify") {
    const auto rest = p.positionals();
    if (!p.ok() || rest.size() != 1 || !db_path || db_path->empty()) return audit_usage(io, p.error());
    return run_verify(*db_path, json, io);
  }
  if (verb == "verify-export") return run_verify_export(p, db_path, json, io);
  if (verb == "new-key") {
    const auto out = p.option("out");
    const auto rest = p.positionals();
    if (!p.ok() || rest.size() != 1 || !out) return audit_usage(io, p.error());
    auto key = ex::PseudonymKey::random();
    if (!key) return report_error(io, json, key.error());
    if (auto r = key->save(*out); !r) return report_error(io, json, r.error());
    io.out << "new pseudonym key (id " << key->key_id() << ") written to " << *out
           << ": keep it at the home; whoever holds it can link pseudonyms across exports\n";
    return kExitOk;
  }
  if (verb != "export" && verb != "summary") return audit_usage(io, p.error());
  if (!db_path || db_path->empty()) return audit_usage(io, "--db FILE is required");
  return verb == "export" ? run_export(p, *db_path, json, io) : run_summary(p, *db_path, json, io);
}

}  // namespace bcma::cli
