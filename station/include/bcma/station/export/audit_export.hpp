#pragma once
/// \file
/// The evaluator's audit export (docs/audit-export.md): every audit-log entry in a period, one
/// row each, with residents and staff replaced by keyed pseudonyms and free text scrubbed of
/// every name, NHS number, date of birth and GSRN the database holds; and beside it an
/// integrity proof (the chain range, the chain head, a digest of each file) that
/// `verify_export` checks, alone or against the database.
///
/// The namespace is `exporting` because `export` is a C++ keyword.

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/export/pseudonymiser.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::exporting {

enum class Format : std::uint8_t { kCsv, kJsonl };
std::string_view to_string(Format f);                  ///< "csv", "jsonl"
std::optional<Format> format_from_string(std::string_view s);

/// The file names inside an export directory.
inline constexpr std::string_view kProofFile = "proof.json";
std::string events_file_name(Format f);  ///< "events.csv" or "events.jsonl"
/// True for a name a proof may give its events file: a plain file name (letters, digits, `_`,
/// `-`, `.`; no directory, not hidden) ending in the format's extension.
bool is_events_file_name(std::string_view name, Format format);

/// The columns of every row, in order (CSV header and JSONL key order).
const std::vector<std::string>& export_columns();

struct ExportOptions {
  domain::Instant from{};  ///< inclusive: entries whose time is >= from
  domain::Instant to{};    ///< exclusive
  Format format = Format::kCsv;
  /// Leave out entries after this sequence number, and name it as the chain head in the proof.
  /// The web pages fetch the events and their proof in two requests: both are cut at the head
  /// the page saw, so scans recorded in between change neither. Empty: the head at export.
  std::optional<std::int64_t> through_seq = std::nullopt;
};

struct ExportReport {
  std::filesystem::path events_file;
  std::filesystem::path proof_file;
  std::int64_t rows = 0;
  std::optional<std::int64_t> first_seq;  ///< empty when the period holds no entry
  std::optional<std::int64_t> last_seq;
  std::int64_t head_seq = 0;              ///< the chain head when exported
  std::string head_hash;
  std::string events_sha256;
};

/// Writes `events.<format>` and `proof.json` into `out_dir` (created if missing; existing
/// export files there are refused, never overwritten). The entries are those from the first
/// with time >= from to the last with time < to, by sequence number, so the rows are a gap-free
/// stretch of the chain. The chain is verified first: a broken chain is not exported.
/// Errors: `invalid_argument` (to <= from), `output_exists`, `cannot_write`, `chain_broken`,
/// `sqlite_error`, `corrupt_data` (an audit payload that is not JSON), `crypto_failure`.
Result<ExportReport> export_audit(store::Database& db, const Pseudonymiser& pseudonyms,
                                  const ExportOptions& options,
                                  const std::filesystem::path& out_dir);

/// The rows of the period, exactly as `export_audit` would write them into the events file, to
/// `out` (web downloads). Returns the row count. Errors: `invalid_argument` (to <= from, a
/// `through_seq` below 1), `sqlite_error`, `corrupt_data`.
Result<std::int64_t> write_events(store::Database& db, const Pseudonymiser& pseudonyms,
                                  const ExportOptions& options, std::ostream& out);

/// The proof (`proof.json`'s text) of the file `write_events` gives with the same options and
/// pseudonyms, naming that file `events_name` (checked by `is_events_file_name`): what the web
/// pages offer beside a download, for `verify_export` on the two files saved side by side. The
/// chain is verified first, as for `export_audit`. Errors: `invalid_argument` (as
/// `write_events`; a bad `events_name`; a `through_seq` past the chain), `chain_broken`,
/// `sqlite_error`, `corrupt_data`.
Result<std::string> export_proof(store::Database& db, const Pseudonymiser& pseudonyms,
                                 const ExportOptions& options, std::string_view events_name);

/// One problem found by `verify_export`.
struct ExportProblem {
  std::string code;     ///< e.g. "digest_mismatch", "seq_gap", "row_hash_mismatch"
  std::string message;  ///< for a person
};

struct ExportVerification {
  std::int64_t rows = 0;
  bool checked_database = false;  ///< the rows were compared with the database's chain
  bool checked_content = false;   ///< the rows were re-derived with the key and compared
  std::vector<ExportProblem> problems;
  bool ok() const { return problems.empty(); }
};

/// Checks an export against its proof. `proof` is an export directory (its `proof.json`) or a
/// proof file; the events file is the one the proof names, beside it. The proof is well-formed, each file's size,
/// digest and row count match, the rows are the proof's gap-free sequence range in order.
/// With `db`: the chain is intact, still holds the proof's head, each row's `entry_hash`
/// equals the chain's entry, and no entry of the period up to the proof's head is missing. With `db` and `key`: the
/// rows are re-derived and must equal the file byte for byte (an edited cell is found).
/// Problems are returned as values; errors are reserved for being unable to check at all.
/// Errors: `cannot_read` (no proof file), `sqlite_error`, `crypto_failure`.
Result<ExportVerification> verify_export(const std::filesystem::path& proof, store::Database* db,
                                         const PseudonymKey* key);

}  // namespace bcma::station::exporting
