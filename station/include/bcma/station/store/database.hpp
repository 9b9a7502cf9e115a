#pragma once
/// \file
/// A thin, owned SQLite connection: the pragmas every station database runs with, and a cache
/// of prepared statements. SQL text is always a constant; values are always bound, never
/// pasted into SQL. `<sqlite3.h>` stays out of this header (the handles are forward-declared).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace bcma::station::store {

struct OpenOptions {
  enum class Mode : std::uint8_t {
    kReadWriteCreate,  ///< create the file if missing
    kReadWrite,        ///< the file must exist
    kReadOnly,         ///< inspection tools (bcma audit verify): never writes, never migrates
  };
  Mode mode = Mode::kReadWriteCreate;
  /// How long a writer waits for another connection's write transaction before `database_busy`.
  std::chrono::milliseconds busy_timeout{5000};
};

/// A prepared statement borrowed from a `Database`. On destruction it is reset, its bindings
/// cleared, and it goes back to the cache. Indexes are 1-based for parameters (as in SQL `?1`)
/// and 0-based for result columns (as in SQLite). A bind error (a programming mistake such as
/// an index out of range) is kept and reported by the next `step()`.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind(int index, const std::optional<std::string>& value);

  /// Runs one step. True: a row is available. False: done.
  /// Errors: `database_busy`, `append_only` (a trigger refused an update/delete), `duplicate`
  /// (a UNIQUE constraint), `sqlite_error`.
  Result<bool> step();
  /// Steps until done, ignoring any rows. Errors as `step()`.
  Result<void> run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use);
  void note_bind(int rc);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;  ///< the cache slot's flag; null for an uncached statement
  int bind_error_ = 0;
};

/// One connection to a station database file. Move-only; not for use from two threads at once.
class Database {
 public:
  /// Opens (and with kReadWriteCreate creates) the file and applies the station pragmas:
  /// WAL journal, foreign keys on, synchronous=FULL (every commit is durable when it returns),
  /// the busy timeout. Read-only connections skip the journal change.
  /// Errors: `cannot_open`, `sqlite_error`.
  static Result<Database> open(const std::filesystem::path& file, const OpenOptions& options = {});

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// A prepared statement for constant `sql`, from the cache when it is not already in use.
  /// Errors: `sqlite_error` (the SQL does not compile against the schema).
  Result<Statement> prepare(std::string_view sql);
  /// Runs constant SQL that may hold several statements (schema scripts). Never pass values.
  /// Errors: as `Statement::step()`.
  Result<void> exec_script(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  /// True while a transaction is open on this connection.
  bool in_transaction() const;
  /// Commits this connection has started since it was opened (explicit COMMITs and
  /// autocommitted writes alike; one that then fails is counted too), from an SQLite commit
  /// hook. With synchronous=FULL each is one durable sync: a diagnostic for group commit.
  std::uint64_t commits() const;
  bool read_only() const { return read_only_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Cache;
  Database(sqlite3* db, std::filesystem::path path, bool read_only);

  sqlite3* db_ = nullptr;
  std::unique_ptr<Cache> cache_;
  std::filesystem::path path_;
  bool read_only_ = false;
};

/// The `bcma::Error` for SQLite result code `rc` on `db`, with `what` saying what was being done.
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

}  // namespace bcma::station::store
