// bcma audit verify --db FILE [--json]: checks the audit log's SHA-256 chain.
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "bcma/station/store/audit_log.hpp"
#include "bcma/station/store/database.hpp"
#include "commands.hpp"

namespace bcma::cli {

namespace {

constexpr std::string_view kUsage =
    "usage: bcma audit verify --db FILE [--json]\n"
    "\n"
    "Re-computes the SHA-256 chain of the station database's audit log (docs/store.md,\n"
    "\"Audit chain\") and reports the first entry where it breaks: its sequence number and what\n"
    "is wrong (sequence_gap, prev_hash_mismatch, hash_mismatch, malformed_entry). The file is\n"
    "opened read-only. When intact, prints the head sequence number and hash: keep them\n"
    "elsewhere, since removal of the newest entries can only be seen against such a copy.\n"
    "  --json   one JSON object instead of text\n"
    "Exit status: 0 intact, 1 broken (or the file cannot be read), 2 usage error.\n";

}  // namespace

int cmd_audit(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kUsage;
    return kExitOk;
  }
  const bool json = p.flag("json");
  const auto db_path = p.option("db");
  const auto rest = p.positionals();
  if (!p.ok() || rest.size() != 1 || rest[0] != "verify" || !db_path || db_path->empty()) {
    io.err << (p.ok() ? "" : "bcma audit: " + p.error() + "\n") << kUsage;
    return kExitUsage;
  }

  station::store::OpenOptions options;
  options.mode = station::store::OpenOptions::Mode::kReadOnly;
  auto db = station::store::Database::open(*db_path, options);
  Result<station::store::AuditVerification> v =
      db ? station::store::verify_audit_chain(*db)
         : Result<station::store::AuditVerification>(Unexpected(db.error()));
  if (!v) {
    if (json) {
      io.out << nlohmann::ordered_json{{"intact", false},
                                       {"error", v.error().code},
                                       {"message", v.error().message}}
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
             << "\n";
    } else {
      io.err << "bcma audit: " << v.error().message << "\n";
    }
    return kExitFailed;
  }
  if (json) {
    nlohmann::ordered_json j;
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
    io.out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (v->intact()) {
    io.out << "audit chain intact: " << v->entries << " entries; head seq " << v->head_seq
           << " hash " << (v->head_hash.empty() ? "(none)" : v->head_hash) << "\n";
  } else {
    io.out << "audit chain BROKEN at seq " << v->first_break->seq << " ("
           << v->first_break->problem << "): " << v->first_break->message << "\n";
  }
  return v->intact() ? kExitOk : kExitFailed;
}

}  // namespace bcma::cli
