#include "bcma/station/store/transaction.hpp"

#include <utility>

namespace bcma::station::store {

namespace {

Result<void> run_constant(Database& db, std::string_view sql) {
  auto st = db.prepare(sql);
  if (!st) return Unexpected(std::move(st).error());
  return st->run();
}

}  // namespace

Result<Transaction> Transaction::begin(Database& db, Kind kind) {
  auto r = run_constant(db, kind == Kind::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!r) return Unexpected(std::move(r).error());
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), active_(std::exchange(other.active_, false)) {}

Transaction::~Transaction() {
  if (active_) (void)rollback();
}

Result<void> Transaction::commit() {
  auto r = run_constant(*db_, "COMMIT");
  // A failed COMMIT may leave the transaction open (busy) or already rolled back (I/O error):
  // either way the destructor's rollback, when still needed, discards it.
  if (r || !db_->in_transaction()) active_ = false;
  return r;
}

Result<void> Transaction::rollback() {
  active_ = false;
  if (!db_->in_transaction()) return {};
  return run_constant(*db_, "ROLLBACK");
}

Result<Savepoint> Savepoint::begin(Database& db) {
  // One constant name: SQLite resolves a repeated name to the innermost savepoint.
  auto r = run_constant(db, "SAVEPOINT bcma_record");
  if (!r) return Unexpected(std::move(r).error());
  return Savepoint(db);
}

Savepoint::Savepoint(Savepoint&& other) noexcept
    : db_(other.db_), active_(std::exchange(other.active_, false)) {}

Savepoint::~Savepoint() {
  if (!active_ || !db_->in_transaction()) return;
  (void)run_constant(*db_, "ROLLBACK TO bcma_record");
  (void)run_constant(*db_, "RELEASE bcma_record");
}

Result<void> Savepoint::release() {
  auto r = run_constant(*db_, "RELEASE bcma_record");
  if (r) active_ = false;
  return r;
}

}  // namespace bcma::station::store
