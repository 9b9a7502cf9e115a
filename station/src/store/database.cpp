#include "bcma/station/store/database.hpp"

#include <sqlite3.h>

#include <string>
#include <unordered_map>
#include <utility>

#include "bcma/station/store/errors.hpp"

namespace bcma::station::store {

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const char* code = errc::kSqlite;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    code = errc::kBusy;
  } else if (rc == SQLITE_CONSTRAINT_TRIGGER) {
    code = errc::kAppendOnly;  // our only RAISE(ABORT) triggers guard append-only tables
  } else if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    code = errc::kDuplicate;
  }
  return Error{code, std::string(what) + ": " + detail};
}

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use)
    : db_(db), stmt_(stmt), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      bind_error_(other.bind_error_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so temporaries are safe to pass.
  note_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Result<bool> Statement::step() {
  if (bind_error_ != 0) {
    return Unexpected(sqlite_error(nullptr, bind_error_,
                                   std::string("binding a parameter of: ") + sqlite3_sql(stmt_)));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Unexpected(sqlite_error(db_, sqlite3_extended_errcode(db_), "running SQL"));
}

Result<void> Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) return {};
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

// ---------------------------------------------------------------------------------------------
// Database

struct Database::Cache {
  struct Slot {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  std::unordered_map<std::string, std::unique_ptr<Slot>> slots;
  std::uint64_t commits = 0;  ///< by the commit hook; here because the Cache never moves
};

Database::Database(sqlite3* db, std::filesystem::path path, bool read_only)
    : db_(db), cache_(std::make_unique<Cache>()), path_(std::move(path)), read_only_(read_only) {}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      cache_(std::move(other.cache_)),
      path_(std::move(other.path_)),
      read_only_(other.read_only_) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    Database old(std::move(*this));
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
    path_ = std::move(other.path_);
    read_only_ = other.read_only_;
  }
  return *this;
}

Database::~Database() {
  if (db_ == nullptr) return;
  if (cache_) {
    for (auto& [sql, slot] : cache_->slots) sqlite3_finalize(slot->stmt);
  }
  // An open transaction (a crash path) is rolled back by close.
  sqlite3_close_v2(db_);
}

Result<Database> Database::open(const std::filesystem::path& file, const OpenOptions& options) {
  int flags = SQLITE_OPEN_FULLMUTEX;
  switch (options.mode) {
    case OpenOptions::Mode::kReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case OpenOptions::Mode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case OpenOptions::Mode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
  }
  if (options.mode != OpenOptions::Mode::kReadWriteCreate) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      return fail(errc::kCannotOpen, "no database file at " + file.string());
    }
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    return fail(errc::kCannotOpen, "cannot open database " + file.string() + ": " + detail);
  }
  sqlite3_extended_result_codes(raw, 1);
  const bool read_only = options.mode == OpenOptions::Mode::kReadOnly;
  Database db(raw, file, read_only);
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
  sqlite3_commit_hook(
      raw,
      [](void* counter) {
        ++*static_cast<std::uint64_t*>(counter);
        return 0;  // 0: let the commit go ahead
      },
      &db.cache_->commits);

  // Reading the header proves this is a database at all (a text file fails here, not later).
  {
    auto probe = db.prepare("SELECT count(*) FROM sqlite_master");
    if (!probe) return Unexpected(Error{errc::kCannotOpen, file.string() + ": " + probe.error().message});
    auto stepped = probe->step();
    if (!stepped) return Unexpected(Error{errc::kCannotOpen, file.string() + ": " + stepped.error().message});
  }
  if (!read_only) {
    auto mode = db.prepare("PRAGMA journal_mode=WAL");
    if (!mode) return Unexpected(std::move(mode).error());
    auto row = mode->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row || mode->text(0) != "wal") {
      return fail(errc::kSqlite, "could not switch " + file.string() + " to WAL journal mode");
    }
  }
  // Constant pragmas: FULL makes each commit durable against power loss, not just a crash.
  if (auto r = db.exec_script("PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"); !r) {
    return Unexpected(std::move(r).error());
  }
  return db;
}

Result<Statement> Database::prepare(std::string_view sql) {
  auto it = cache_->slots.find(std::string(sql));
  if (it != cache_->slots.end() && !it->second->in_use) {
    it->second->in_use = true;
    return Statement(db_, it->second->stmt, &it->second->in_use);
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return Unexpected(sqlite_error(db_, rc, "preparing SQL"));
  }
  if (it != cache_->slots.end()) {
    // Already borrowed further up the call stack: an uncached copy, finalized after use.
    return Statement(db_, stmt, nullptr);
  }
  auto slot = std::make_unique<Cache::Slot>();
  slot->stmt = stmt;
  slot->in_use = true;
  bool* flag = &slot->in_use;
  cache_->slots.emplace(std::string(sql), std::move(slot));
  return Statement(db_, stmt, flag);
}

Result<void> Database::exec_script(std::string_view sql) {
  std::string owned(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    Error e = sqlite_error(db_, sqlite3_extended_errcode(db_), "running a schema script");
    e.message = "running a schema script: " + detail;
    return Unexpected(std::move(e));
  }
  return {};
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::uint64_t Database::commits() const { return cache_->commits; }

}  // namespace bcma::station::store
