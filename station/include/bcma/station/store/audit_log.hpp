#pragma once
/// \file
/// The audit log: every scan, verdict, override, record, sign-in and configuration change,
/// appended in the same transaction as what it records, and chained with SHA-256 so that a
/// changed, removed or reordered entry is detected. The canonical encoding that each hash
/// covers is specified in docs/store.md ("Audit chain") so that anyone can re-verify a file.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/database.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::store {

enum class AuditKind : std::uint8_t {
  kScan,            ///< a barcode was read (or could not be)
  kVerdict,         ///< the rules engine answered
  kOverride,        ///< a block or warning was overridden
  kAdministration,  ///< an outcome was recorded
  kStock,           ///< a stock movement other than a dose
  kLogin,
  kLoginFailed,
  kConfig,          ///< home, policy, codes, residents, staff, products, prescriptions, labels
};
std::string_view to_string(AuditKind kind);  ///< "scan", "verdict", ..., "login_failed", "config"

/// What to append. `payload` is the event as compact JSON (it is hashed byte for byte).
struct AuditEvent {
  AuditKind kind = AuditKind::kConfig;
  Actor actor;
  std::string subject;  ///< what it is about: "record:<uuid>", "resident:12", "policy"
  std::string payload;
};

/// An entry as stored.
struct AuditEntry {
  std::int64_t seq = 0;          ///< 1, 2, 3... without gaps
  domain::Instant at{};          ///< entry time (the station's clock)
  std::string kind;
  std::optional<domain::StaffId> staff_id;
  std::string device_id;
  std::string subject;
  std::string payload;
  std::string prev_hash;         ///< 64 lower-case hex digits; all zeros for seq 1
  std::string hash;              ///< SHA-256 of canonical_encoding(), lower-case hex
};

/// The previous hash of the first entry.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// The bytes an entry's hash covers: every field but `hash`, as length-prefixed strings
/// (docs/store.md "Audit chain").
std::string canonical_encoding(const AuditEntry& entry);
/// SHA-256 of `canonical_encoding(entry)` as lower-case hex. Errors: `crypto_failure`.
Result<std::string> chain_hash(const AuditEntry& entry);

/// Appends an event at time `at`. Must run inside the caller's write transaction (the one that
/// writes what the event records). Errors: `sqlite_error`, `database_busy`, `crypto_failure`,
/// `invalid_argument` (no transaction open).
Result<AuditEntry> append_audit(Database& db, const AuditEvent& event, domain::Instant at);

/// Reads entries with seq >= `from_seq`, at most `limit` of them, in order. Errors: `sqlite_error`.
Result<std::vector<AuditEntry>> read_audit(Database& db, std::int64_t from_seq, std::int64_t limit);

/// The first place where the chain does not hold.
struct AuditBreak {
  std::int64_t seq = 0;  ///< the entry at which verification failed
  std::string problem;   ///< "sequence_gap", "prev_hash_mismatch", "hash_mismatch", "malformed_entry"
  std::string message;   ///< what is wrong, for a person
};

struct AuditVerification {
  std::int64_t entries = 0;     ///< entries checked (up to and including a break)
  std::int64_t head_seq = 0;    ///< last entry's seq when intact
  std::string head_hash;        ///< last entry's hash when intact (anchor it elsewhere)
  std::optional<AuditBreak> first_break;
  bool intact() const { return !first_break.has_value(); }
};

/// Walks the whole chain in one read snapshot. Truncation of the newest entries cannot be seen
/// from inside the file: compare `head_seq`/`head_hash` with a copy kept elsewhere.
/// Errors: `sqlite_error` (no audit table, unreadable file), `crypto_failure`.
Result<AuditVerification> verify_audit_chain(Database& db);

}  // namespace bcma::station::store
