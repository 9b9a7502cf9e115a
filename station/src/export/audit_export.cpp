#include "bcma/station/export/audit_export.hpp"

#include <fstream>

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

Result<std::int64_t> write_events(store::Database& db, const Pseudonymiser& pseudonyms,
                                  const ExportOptions& options, std::ostream& out) {
  if (options.to <= options.from) {
    return fail("invalid_argument", "the export period must end after it starts (--to > --from)");
  }
  auto snapshot = store::Transaction::begin(db, store::Transaction::Kind::kDeferred);
  if (!snapshot) return Unexpected(std::move(snapshot).error());
  auto range = detail::range_for(db, options.from, options.to);
  if (!range) return Unexpected(std::move(range).error());
  return detail::render_events(db, pseudonyms, *range, options.format, [&](std::string_view s) {
    out.write(s.data(), static_cast<std::streamsize>(s.size()));
  });
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

  // One read snapshot for the chain check and the rows: nothing can slip in between.
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

  auto range = detail::range_for(db, options.from, options.to);
  if (!range) return Unexpected(std::move(range).error());
  report.first_seq = range->first;
  report.last_seq = range->last;

  std::ofstream out(report.events_file, std::ios::binary | std::ios::trunc);
  if (!out) return fail("cannot_write", "cannot write " + report.events_file.string());
  auto rows = detail::render_events(db, pseudonyms, *range, options.format,
                                    [&](std::string_view s) { out.write(s.data(), static_cast<std::streamsize>(s.size())); });
  if (!rows) return Unexpected(std::move(rows).error());
  out.close();
  if (!out) return fail("cannot_write", "cannot write " + report.events_file.string());
  report.rows = *rows;

  auto digest = detail::digest_file(report.events_file.string());
  if (!digest) return Unexpected(std::move(digest).error());
  report.events_sha256 = digest->sha256;

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
  proof["chain_head"] = {{"seq", chain->head_seq}, {"hash", chain->head_hash}};
  proof["pseudonyms"] = {{"algorithm", "HMAC-SHA256"}, {"key_id", pseudonyms.key().key_id()}};
  proof["files"] = Json::array({Json{{"name", events_file_name(options.format)},
                                     {"bytes", digest->bytes},
                                     {"rows", *rows},
                                     {"sha256", digest->sha256}}});
  std::ofstream pf(report.proof_file, std::ios::binary | std::ios::trunc);
  pf << proof.dump(2) << "\n";
  pf.close();
  if (!pf) return fail("cannot_write", "cannot write " + report.proof_file.string());
  return report;
}

}  // namespace bcma::station::exporting
