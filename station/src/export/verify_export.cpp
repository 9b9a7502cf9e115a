#include <fstream>
#include <functional>
#include <iterator>
#include <map>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "bcma/station/export/audit_export.hpp"
#include "bcma/station/store/audit_log.hpp"
#include "bcma/station/store/transaction.hpp"
#include "rows.hpp"
#include "text.hpp"

namespace bcma::station::exporting {

namespace detail {
Result<std::int64_t> render_events(store::Database& db, const Pseudonymiser& pseudonyms,
                                   SeqRange range, Format format,
                                   const std::function<void(std::string_view)>& out);
}  // namespace detail

namespace {

using Json = nlohmann::ordered_json;

struct Row {
  std::int64_t seq = 0;
  std::string entry_hash;
};

// RFC 4180 records; a quoted field may hold commas, quotes and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text, bool* ok) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool any = false;
  *ok = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
      continue;
    }
    any = true;
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // the \n ends the record
    } else if (c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      any = false;
    } else {
      field.push_back(c);
    }
  }
  if (quoted) *ok = false;
  if (any) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

class Checker {
 public:
  explicit Checker(ExportVerification& v) : v_(v) {}
  void problem(std::string code, std::string message) {
    v_.problems.push_back(ExportProblem{std::move(code), std::move(message)});
  }

 private:
  ExportVerification& v_;
};

std::optional<std::int64_t> opt_int(const Json& j) {
  if (j.is_number_integer()) return j.get<std::int64_t>();
  return std::nullopt;
}

std::optional<domain::Instant> opt_instant(const Json& j) {
  if (!j.is_string()) return std::nullopt;
  return domain::parse_instant(j.get<std::string>());
}

std::optional<std::vector<Row>> read_rows(const std::string& text, Format format, Checker& check) {
  std::vector<Row> rows;
  const auto& columns = export_columns();
  const auto seq_col = 0U;
  const auto hash_col = columns.size() - 1;
  if (format == Format::kCsv) {
    bool ok = true;
    auto records = parse_csv(text, &ok);
    if (!ok || records.empty() || records.front() != columns) {
      check.problem("malformed_file", "the CSV file is not readable or its header is not the export's columns");
      return std::nullopt;
    }
    for (std::size_t i = 1; i < records.size(); ++i) {
      const auto& r = records[i];
      if (r.size() != columns.size()) {
        check.problem("malformed_row", "CSV record " + std::to_string(i) + " has " +
                                           std::to_string(r.size()) + " fields, not " +
                                           std::to_string(columns.size()));
        return std::nullopt;
      }
      Row row;
      try {
        row.seq = std::stoll(r[seq_col]);
      } catch (const std::exception&) {
        check.problem("malformed_row", "CSV record " + std::to_string(i) + " has no sequence number");
        return std::nullopt;
      }
      row.entry_hash = r[hash_col];
      rows.push_back(std::move(row));
    }
    return rows;
  }
  std::size_t start = 0;
  std::size_t n = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    ++n;
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer() ||
        !j.contains("entry_hash") || !j["entry_hash"].is_string()) {
      check.problem("malformed_row", "JSON line " + std::to_string(n) + " is not an export row");
      return std::nullopt;
    }
    rows.push_back(Row{j["seq"].get<std::int64_t>(), j["entry_hash"].get<std::string>()});
  }
  return rows;
}

void check_database(store::Database& db, const Json& proof, const std::vector<Row>& rows,
                    Checker& check) {
  auto chain = store::verify_audit_chain(db);
  if (!chain) {
    check.problem("database_unreadable", chain.error().message);
    return;
  }
  if (!chain->intact()) {
    check.problem("chain_broken", "the database's audit chain is broken at seq " +
                                      std::to_string(chain->first_break->seq) + ": " +
                                      chain->first_break->message);
    return;
  }
  const auto head_seq = opt_int(proof["chain_head"].value("seq", Json()));
  const Json head_hash = proof["chain_head"].value("hash", Json());
  if (head_seq && *head_seq > 0) {
    auto head = store::read_audit(db, *head_seq, 1);
    if (!head || head->empty() || head->front().seq != *head_seq ||
        !head_hash.is_string() || head->front().hash != head_hash.get<std::string>()) {
      check.problem("head_mismatch", "the database does not hold the chain head the proof names "
                                     "(seq " + std::to_string(*head_seq) +
                                     "): this export is not from this database, or the log was cut");
      return;
    }
  }
  const auto from = opt_instant(proof.value("from", Json()));
  const auto to = opt_instant(proof.value("to", Json()));
  if (from && to) {
    // Entries after the proof's head came after the export (or after the page it came from).
    auto range = detail::range_for(db, *from, *to, head_seq);
    if (range && (range->first != opt_int(proof["range"].value("first_seq", Json())) ||
                  range->last != opt_int(proof["range"].value("last_seq", Json())))) {
      check.problem("range_mismatch",
                    "the database's entries for the period are not the export's range: "
                    "the export leaves entries out or holds others");
    }
  }
  std::size_t i = 0;
  while (i < rows.size()) {
    auto entries = store::read_audit(db, rows[i].seq, 2000);
    if (!entries || entries->empty()) {
      check.problem("row_hash_mismatch", "the database has no entry " + std::to_string(rows[i].seq));
      return;
    }
    for (const auto& e : *entries) {
      if (i >= rows.size()) break;
      if (e.seq != rows[i].seq || e.hash != rows[i].entry_hash) {
        check.problem("row_hash_mismatch", "row for seq " + std::to_string(rows[i].seq) +
                                               " does not match the database's chain entry");
        return;
      }
      ++i;
    }
  }
}

}  // namespace

Result<ExportVerification> verify_export(const std::filesystem::path& proof_or_dir,
                                         store::Database* db, const PseudonymKey* key) {
  ExportVerification v;
  Checker check(v);
  std::error_code ec;
  const bool is_dir = std::filesystem::is_directory(proof_or_dir, ec);
  const auto proof_path = is_dir ? proof_or_dir / kProofFile : proof_or_dir;
  const auto dir = proof_path.parent_path();
  std::ifstream pf(proof_path, std::ios::binary);
  if (!pf) return fail("cannot_read", "cannot read " + proof_path.string());
  const std::string proof_text((std::istreambuf_iterator<char>(pf)), std::istreambuf_iterator<char>());
  Json proof = Json::parse(proof_text, nullptr, false);
  if (proof.is_discarded() || !proof.is_object() || proof.value("format", "") != "bcma-audit-export/1" ||
      !proof["files"].is_array() || proof["files"].size() != 1 || !proof["range"].is_object() ||
      !proof["chain_head"].is_object()) {
    check.problem("malformed_proof", proof_path.string() + " is not a bcma audit export proof");
    return v;
  }
  const auto format = format_from_string(proof.value("event_format", ""));
  const Json& file = proof["files"][0];
  const std::string events_name = file.value("name", "");
  if (!format || !is_events_file_name(events_name, *format)) {
    check.problem("malformed_proof", "the proof names no events file of a known format");
    return v;
  }
  const auto events_path = dir / events_name;
  auto digest = detail::digest_file(events_path.string());
  if (!digest) {
    check.problem("missing_file", "cannot read " + events_path.string());
    return v;
  }
  if (digest->bytes != file.value("bytes", std::int64_t{-1}) ||
      digest->sha256 != file.value("sha256", "")) {
    check.problem("digest_mismatch", events_path.string() +
                                         " is not the file the proof describes (size or SHA-256 differ): "
                                         "it was changed after the export");
  }
  std::ifstream ef(events_path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(ef)), std::istreambuf_iterator<char>());
  auto rows = read_rows(text, *format, check);
  if (!rows) return v;
  v.rows = static_cast<std::int64_t>(rows->size());
  if (v.rows != file.value("rows", std::int64_t{-1}) ||
      v.rows != proof["range"].value("entries", std::int64_t{-1})) {
    check.problem("row_count_mismatch", "the file holds " + std::to_string(v.rows) +
                                            " rows; the proof says " +
                                            file.value("rows", Json()).dump());
  }
  const auto first = opt_int(proof["range"].value("first_seq", Json()));
  const auto last = opt_int(proof["range"].value("last_seq", Json()));
  std::int64_t expected = first.value_or(1);
  for (const Row& r : *rows) {
    if (r.seq != expected) {
      check.problem("seq_gap", "expected the row for seq " + std::to_string(expected) +
                                   ", found seq " + std::to_string(r.seq) +
                                   ": rows were removed, added or reordered");
      break;
    }
    ++expected;
  }
  if (!rows->empty() && (!last || rows->back().seq != *last)) {
    check.problem("seq_gap", "the last row is not the proof's last sequence number");
  }
  if (!rows->empty() && proof["range"].value("last_hash", Json()) != Json(rows->back().entry_hash)) {
    check.problem("row_hash_mismatch", "the last row's entry hash is not the proof's");
  }

  if (db != nullptr) {
    auto snapshot = store::Transaction::begin(*db, store::Transaction::Kind::kDeferred);
    if (!snapshot) return Unexpected(std::move(snapshot).error());
    v.checked_database = true;
    check_database(*db, proof, *rows, check);
    if (key != nullptr) {
      if (key->key_id() != proof["pseudonyms"].value("key_id", "")) {
        check.problem("key_mismatch", "the key given is not the key this export was made with");
      } else {
        crypto_hash_sha256_state state;
        crypto_hash_sha256_init(&state);
        const Pseudonymiser pseudonyms(*key);
        auto rendered = detail::render_events(
            *db, pseudonyms, detail::SeqRange{first, last}, *format, [&](std::string_view s) {
              crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(s.data()),
                                        s.size());
            });
        if (!rendered) return Unexpected(std::move(rendered).error());
        unsigned char out[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&state, out);
        v.checked_content = true;
        if (detail::hex(out, sizeof out) != digest->sha256) {
          check.problem("content_mismatch",
                        "re-deriving the rows from the database gives different content: "
                        "a cell of the export was changed");
        }
      }
    }
  }
  return v;
}

}  // namespace bcma::station::exporting
