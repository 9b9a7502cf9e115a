#include "bcma/station/store/audit_log.hpp"

#include <utility>

#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/transaction.hpp"
#include "codec.hpp"

namespace bcma::station::store {

namespace {

constexpr std::string_view kDomainTag = "bcma.audit.v1";

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

AuditEntry read_row(const Statement& st) {
  AuditEntry e;
  e.seq = st.int64(0);
  e.at = codec::instant_from_db(st.int64(1));
  e.kind = st.text(2);
  e.staff_id = st.optional_int64(3);
  e.device_id = st.text(4);
  e.subject = st.text(5);
  e.payload = st.text(6);
  e.prev_hash = st.text(7);
  e.hash = st.text(8);
  return e;
}

}  // namespace

std::string_view to_string(AuditKind kind) {
  switch (kind) {
    case AuditKind::kScan: return "scan";
    case AuditKind::kVerdict: return "verdict";
    case AuditKind::kOverride: return "override";
    case AuditKind::kAdministration: return "administration";
    case AuditKind::kStock: return "stock";
    case AuditKind::kLogin: return "login";
    case AuditKind::kLoginFailed: return "login_failed";
    case AuditKind::kConfig: return "config";
  }
  return "unknown";
}

std::string canonical_encoding(const AuditEntry& e) {
  std::string out;
  out.reserve(256 + e.payload.size());
  codec::put_field(out, kDomainTag);
  codec::put_field(out, e.seq);
  codec::put_field(out, codec::to_db(e.at));
  codec::put_field(out, e.kind);
  codec::put_field(out, e.staff_id ? std::to_string(*e.staff_id) : std::string());
  codec::put_field(out, e.device_id);
  codec::put_field(out, e.subject);
  codec::put_field(out, e.payload);
  codec::put_field(out, e.prev_hash);
  return out;
}

Result<std::string> chain_hash(const AuditEntry& entry) {
  return codec::sha256_hex(canonical_encoding(entry));
}

Result<AuditEntry> append_audit(Database& db, const AuditEvent& event, domain::Instant at) {
  if (!db.in_transaction()) {
    return fail(errc::kInvalidArgument,
                "an audit entry must be appended inside the transaction of what it records");
  }
  AuditEntry e;
  e.seq = 1;
  e.prev_hash = std::string(kGenesisHash);
  {
    auto head = db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!head) return Unexpected(std::move(head).error());
    auto row = head->step();
    if (!row) return Unexpected(std::move(row).error());
    if (*row) {
      e.seq = head->int64(0) + 1;
      e.prev_hash = head->text(1);
    }
  }
  e.at = at;
  e.kind = std::string(to_string(event.kind));
  e.staff_id = event.actor.staff_id;
  e.device_id = event.actor.device_id;
  e.subject = event.subject;
  e.payload = event.payload;
  auto hash = chain_hash(e);
  if (!hash) return Unexpected(std::move(hash).error());
  e.hash = std::move(*hash);

  auto st = db.prepare(
      "INSERT INTO audit_log (seq, at, kind, staff_id, device_id, subject, payload, prev_hash, hash)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, e.seq).bind(2, codec::to_db(e.at)).bind(3, e.kind).bind(4, e.staff_id)
      .bind(5, e.device_id).bind(6, e.subject).bind(7, e.payload).bind(8, e.prev_hash)
      .bind(9, e.hash);
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  return e;
}

Result<std::vector<AuditEntry>> read_audit(Database& db, std::int64_t from_seq,
                                           std::int64_t limit) {
  auto st = db.prepare(
      "SELECT seq, at, kind, staff_id, device_id, subject, payload, prev_hash, hash"
      " FROM audit_log WHERE seq >= ?1 ORDER BY seq LIMIT ?2");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, from_seq).bind(2, limit);
  std::vector<AuditEntry> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    out.push_back(read_row(*st));
  }
  return out;
}

Result<AuditVerification> verify_audit_chain(Database& db) {
  // One snapshot: a writer appending meanwhile cannot make a sound chain look broken.
  const bool own_tx = !db.in_transaction();
  std::optional<Transaction> tx;
  if (own_tx) {
    auto t = Transaction::begin(db, Transaction::Kind::kDeferred);
    if (!t) return Unexpected(std::move(t).error());
    tx.emplace(std::move(*t));
  }
  auto st = db.prepare(
      "SELECT seq, at, kind, staff_id, device_id, subject, payload, prev_hash, hash"
      " FROM audit_log ORDER BY seq");
  if (!st) return Unexpected(std::move(st).error());

  AuditVerification v;
  std::string prev_hash(kGenesisHash);
  std::int64_t expected_seq = 1;
  auto broken = [&](std::int64_t seq, std::string problem, std::string message) {
    v.first_break = AuditBreak{seq, std::move(problem), std::move(message)};
    v.head_seq = 0;
    v.head_hash.clear();
    return v;
  };
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const AuditEntry e = read_row(*st);
    ++v.entries;
    if (st->is_null(0) || e.seq != expected_seq) {
      return broken(e.seq, "sequence_gap",
                    "entry " + std::to_string(e.seq) + " follows entry " +
                        std::to_string(expected_seq - 1) + ": entries " +
                        std::to_string(expected_seq) +
                        (e.seq > expected_seq + 1 ? " to " + std::to_string(e.seq - 1) : "") +
                        " are missing");
    }
    if (!is_hex64(e.hash) || !is_hex64(e.prev_hash)) {
      return broken(e.seq, "malformed_entry",
                    "entry " + std::to_string(e.seq) +
                        " does not hold two 64-digit lower-case hex hashes");
    }
    if (e.prev_hash != prev_hash) {
      return broken(e.seq, "prev_hash_mismatch",
                    "entry " + std::to_string(e.seq) + " says the previous hash is " +
                        e.prev_hash + " but entry " + std::to_string(e.seq - 1) +
                        (e.seq == 1 ? " (the start of the chain) is " : " hashes to ") +
                        prev_hash + ": an earlier entry was changed, removed or inserted");
    }
    auto computed = chain_hash(e);
    if (!computed) return Unexpected(std::move(computed).error());
    if (*computed != e.hash) {
      return broken(e.seq, "hash_mismatch",
                    "entry " + std::to_string(e.seq) + " (" + e.kind + ", " + e.subject +
                        ") was changed after it was written: its content hashes to " +
                        *computed + " but the stored hash is " + e.hash);
    }
    prev_hash = e.hash;
    ++expected_seq;
    v.head_seq = e.seq;
    v.head_hash = e.hash;
  }
  return v;
}

}  // namespace bcma::station::store
