#pragma once
/// \file
/// RAII transactions: rolled back unless committed. Writers use BEGIN IMMEDIATE so that the
/// write lock is taken (waiting up to the busy timeout) before anything is read, which keeps
/// read-then-write logic (the audit chain head, duplicate checks) free of lost updates.

#include "bcma/core/result.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::store {

class Transaction {
 public:
  enum class Kind : std::uint8_t {
    kDeferred,   ///< readers: a consistent snapshot across several queries
    kImmediate,  ///< writers
  };

  /// Errors: `database_busy` (another writer held the lock past the busy timeout),
  /// `sqlite_error` (e.g. a transaction is already open on this connection).
  static Result<Transaction> begin(Database& db, Kind kind = Kind::kImmediate);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  /// Rolls back if neither committed nor rolled back.
  ~Transaction();

  /// Commits; with synchronous=FULL the data is on disk when this returns success.
  /// Errors: `database_busy`, `sqlite_error` (then nothing of the transaction is kept).
  Result<void> commit();
  /// Explicit rollback. Errors: `sqlite_error`.
  Result<void> rollback();

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_ = nullptr;
  bool active_ = true;
};

/// A savepoint inside an open transaction: one record of a group commit. Rolled back to (and
/// released) on destruction unless released, which undoes only the work done since it began.
class Savepoint {
 public:
  /// Errors: `sqlite_error`.
  static Result<Savepoint> begin(Database& db);

  Savepoint(Savepoint&& other) noexcept;
  Savepoint& operator=(Savepoint&&) = delete;
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  ~Savepoint();

  /// Keeps the work (it becomes part of the enclosing transaction). Errors: `sqlite_error`.
  Result<void> release();

 private:
  explicit Savepoint(Database& db) : db_(&db) {}
  Database* db_ = nullptr;
  bool active_ = true;
};

}  // namespace bcma::station::store
