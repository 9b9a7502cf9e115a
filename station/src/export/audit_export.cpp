#include "bcma/station/export/audit_export.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "bcma/station/store/audit_log.hpp"
#include "bcma/station/store/transaction.hpp"
#include "rows.hpp"
#include "text.hpp"

namespace bcma::station::exporting {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kProofFormat = "bcma-audit-export/1";

}  // namespace

std::string_view to_string(Format f) { return f == Format::kCsv ? "csv" : "jsonl"; }

std::optional<Format> format_from_string(std::string_view s) {
  if (s == "csv") return Format::kCsv;
  if (s == "jsonl") return Format::kJsonl;
  return std::nullopt;
}

std::string events_file_name(Format f) { return "events." + std::string(to_string(f)); }

namespace detail {

// The export file's bytes, produced in pieces: the exporter writes them, the verifier hashes
// them, and both get the same bytes from the same rows.
Result<std::int64_t> render_events(store::Database& db, const Pseudonymiser& pseudonyms,
                                   SeqRange range, Format format,
                                   const std::function<void(std::string_view)>& out) {
  if (format == Format::kCsv) {
    std::string header;
    for (const auto& c : export_columns()) {
      if (!header.empty()) header += ",";
      header += c;
    }
    out(header + "\r\n");
  }
  std::int64_t rows = 0;
  std::string line;
  auto r = for_each_row(db, pseudonyms, range, [&](const Json& row) -> Result<void> {
    line.clear();
    if (format == Format::kCsv) {
      bool first = true;
      for (const auto& [key, value] : row.items()) {
        if (!first) line += ",";
        first = false;
        line += csv_cell(value);
      }
      line += "\r\n";
    } else {
      line = json_line(row) + "\n";
    }
    out(line);
    ++rows;
    return {};
  });
  if (!r) return Unexpected(std::move(r).error());
  return rows;
}

}  // namespace detail

namespace {

// What the proof says about a stretch of the chain, and the bytes it describes, made in one
// read snapshot so that nothing can slip in between the chain check, the range and the rows.
// `sink` receives the events file's bytes; they are hashed on the way.
Result<Json> produce(store::Database& db, const Pseudonymiser& pseudonyms,
                     const ExportOptions& options, const std::string& events_name,
                     const std::function<void(std::string_view)>& sink, ExportReport& report) {
  if (options.to <= options.from) {
    return fail("invalid_argument", "the export period must end after it starts (--to > --from)");
  }
  if (options.through_seq && *options.through_seq < 1) {
    return fail("invalid_argument", "through_seq must be a sequence number (1 or more)");
  }
  auto snapshot = store::Transaction::begin(db, store::Transaction::Kind::kDeferred);
  if (!snapshot) return Unexpected(std::move(snapshot).error());

  auto chain = store::verify_audit_chain(db);
  if (!chain) return Unexpected(std::move(chain).error());
  if (!chain->intact()) {
    return fail("chain_broken", "the audit chain is broken at seq " +
                                    std::to_string(chain->first_break->seq) + " (" +
                                    chain->first_break->problem +
                                    "): nothing was exported; run `bcma audit verify`");
  }
  report.head_seq = chain->head_seq;
  report.head_hash = chain->head_hash;
  if (options.through_seq && *options.through_seq < chain->head_seq) {
    // The proof then names the entry it stops at as its head: that entry is in the chain, and
    // every later one is after the export.
    auto at = store::read_audit(db, *options.through_seq, 1);
    if (!at) return Unexpected(std::move(at).error());
    if (at->empty()) return fail("invalid_argument", "the audit log has no entry " + std::to_string(*options.through_seq));
    report.head_seq = at->front().seq;
    report.head_hash = at->front().hash;
  }

  auto range = detail::range_for(db, options.from, options.to, report.head_seq);
  if (!range) return Unexpected(std::move(range).error());
  report.first_seq = range->first;
  report.last_seq = range->last;

  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::int64_t bytes = 0;
  auto rows = detail::render_events(db, pseudonyms, *range, options.format, [&](std::string_view s) {
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(s.data()), s.size());
    bytes += static_cast<std::int64_t>(s.size());
    sink(s);
  });
  if (!rows) return Unexpected(std::move(rows).error());
  report.rows = *rows;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  report.events_sha256 = detail::hex(digest, sizeof digest);

  Json range_json;
  range_json["first_seq"] = range->first ? Json(*range->first) : Json();
  range_json["last_seq"] = range->last ? Json(*range->last) : Json();
  range_json["entries"] = *rows;
  if (range->first) {
    auto first = store::read_audit(db, *range->first, 1);
    auto last = store::read_audit(db, *range->last, 1);
    if (!first) return Unexpected(std::move(first).error());
    if (!last) return Unexpected(std::move(last).error());
    range_json["first_prev_hash"] = first->front().prev_hash;
    range_json["last_hash"] = last->front().hash;
  } else {
    range_json["first_prev_hash"] = nullptr;
    range_json["last_hash"] = nullptr;
  }
  Json proof;
  proof["format"] = kProofFormat;
  proof["from"] = domain::to_string(options.from);
  proof["to"] = domain::to_string(options.to);
  proof["event_format"] = to_string(options.format);
  proof["columns"] = export_columns();
  proof["range"] = std::move(range_json);
  proof["chain_head"] = {{"seq", report.head_seq}, {"hash", report.head_hash}};
  proof["pseudonyms"] = {{"algorithm", "HMAC-SHA256"}, {"key_id", pseudonyms.key().key_id()}};
  proof["files"] = Json::array({Json{{"name", events_name},
                                     {"bytes", bytes},
                                     {"rows", *rows},
                                     {"sha256", report.events_sha256}}});
  return proof;
}

std::string proof_text(const Json& proof) { return proof.dump(2) + "\n"; }

}  // namespace

bool is_events_file_name(std::string_view name, Format format) {
  const std::string suffix = "." + std::string(to_string(format));
  if (name.size() <= suffix.size() || !name.ends_with(suffix) || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
  });
}

Result<std::int64_t> write_events(store::Database& db, const Pseudonymiser& pseudonyms,
                                  const ExportOptions& options, std::ostream& out) {
  if (options.to <= options.from) {
    return fail("invalid_argument", "the export period must end after it starts (--to > --from)");
  }
  auto snapshot = store::Transaction::begin(db, store::Transaction::Kind::kDeferred);
  if (!snapshot) return Unexpected(std::move(snapshot).error());
  std::optional<std::int64_t> through = options.through_seq;
  if (through && *through < 1) {
    return fail("invalid_argument", "through_seq must be a sequence number (1 or more)");
  }
  auto range = detail::range_for(db, options.from, options.to, through);
  if (!range) return Unexpected(std::move(range).error());
  return detail::render_events(db, pseudonyms, *range, options.format, [&](std::string_view s) {
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
  });
}

Result<std::string> export_proof(store::Database& db, const Pseudonymiser& pseudonyms,
                                 const ExportOptions& options, std::string_view events_name) {
  if (!is_events_file_name(events_name, options.format)) {
    return fail("invalid_argument", "'" + std::string(events_name) + "' is not a plain ." +
                                        std::string(to_string(options.format)) + " file name");
  }
  ExportReport report;
  auto proof = produce(db, pseudonyms, options, std::string(events_name), [](std::string_view) {}, report);
  if (!proof) return Unexpected(std::move(proof).error());
  return proof_text(*proof);
}

Result<ExportReport> export_audit(store::Database& db, const Pseudonymiser& pseudonyms,
                                  const ExportOptions& options,
                                  const std::filesystem::path& out_dir) {
  if (options.to <= options.from) {
    return fail("invalid_argument", "the export period must end after it starts (--to > --from)");
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return fail("cannot_write", "cannot create " + out_dir.string() + ": " + ec.message());
  ExportReport report;
  report.events_file = out_dir / events_file_name(options.format);
  report.proof_file = out_dir / kProofFile;
  for (const auto& f : {report.events_file, report.proof_file}) {
    if (std::filesystem::exists(f, ec)) {
      return fail("output_exists", f.string() + " already exists: choose an empty directory");
    }
  }
  std::ofstream out(report.events_file, std::ios::binary | std::ios::trunc);
  if (!out) return fail("cannot_write", "cannot write " + report.events_file.string());
  auto proof = produce(db, pseudonyms, options, events_file_name(options.format),
                       [&](std::string_view s) { out.write(s.data(), static_cast<std::streamsize>(s.size())); },
                       report);
  if (!proof) {
    out.close();
    std::filesystem::remove(report.events_file, ec);  // a half-written file is no export
    return Unexpected(std::move(proof).error());
  }
  out.close();
  if (!out) return fail("cannot_write", "cannot write " + report.events_file.string());
  std::ofstream pf(report.proof_file, std::ios::binary | std::ios::trunc);
  pf << proof_text(*proof);
  pf.close();
  if (!pf) return fail("cannot_write", "cannot write " + report.proof_file.string());
  return report;
}

}  // namespace bcma::station::exporting
