// The SQLite layer: pragmas, migrations and their version guard, transactions, savepoints,
// the statement cache and the append-only triggers.
#include <gtest/gtest.h>

#include <fstream>

#include "bcma/station/store/database.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "store_fixture.hpp"
#include "store_test_support.hpp"

namespace bcma::station::store::testing {
namespace {

std::string first_text(Database& db, std::string_view sql) {
  auto st = db.prepare(sql);
  EXPECT_TRUE(st) << st.error().message;
  if (!st) return {};
  auto row = st->step();
  EXPECT_TRUE(row && *row);
  return st->text(0);
}

TEST(Database, OpensWithWalForeignKeysAndFullSync) {
  TempDir dir;
  auto db = Database::open(dir.path() / "a.db");
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(first_text(*db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(first_text(*db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(first_text(*db, "PRAGMA synchronous"), "2");  // FULL
  EXPECT_EQ(first_text(*db, "PRAGMA busy_timeout"), "5000");
}

TEST(Database, MissingFileIsRefusedWhenNotCreating) {
  TempDir dir;
  OpenOptions o;
  o.mode = OpenOptions::Mode::kReadOnly;
  auto db = Database::open(dir.path() / "nothing.db", o);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, errc::kCannotOpen);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "nothing.db"));
}

TEST(Database, AFileThatIsNotADatabaseIsRefused) {
  TempDir dir;
  std::ofstream(dir.path() / "notes.txt") << "this is not a database, just some text that is long enough";
  auto db = Database::open(dir.path() / "notes.txt");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, errc::kCannotOpen);
}

TEST(Database, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  auto db = Database::open(dir.path() / "t.db");
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec_script("CREATE TABLE t (x INTEGER)"));
  {
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx);
    auto st = db->prepare("INSERT INTO t VALUES (?1)");
    ASSERT_TRUE(st);
    st->bind(1, std::int64_t{1});
    ASSERT_TRUE(st->run());
    EXPECT_TRUE(db->in_transaction());
  }  // dropped without commit
  EXPECT_FALSE(db->in_transaction());
  EXPECT_EQ(first_text(*db, "SELECT count(*) FROM t"), "0");
  {
    auto tx = Transaction::begin(*db);
    ASSERT_TRUE(tx);
    auto st = db->prepare("INSERT INTO t VALUES (?1)");
    ASSERT_TRUE(st);
    st->bind(1, std::int64_t{2});
    ASSERT_TRUE(st->run());
    ASSERT_TRUE(tx->commit());
  }
  EXPECT_EQ(first_text(*db, "SELECT count(*) FROM t"), "1");
}

TEST(Database, SavepointUndoesOnlyItsOwnWork) {
  TempDir dir;
  auto db = Database::open(dir.path() / "s.db");
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec_script("CREATE TABLE t (x INTEGER)"));
  auto tx = Transaction::begin(*db);
  ASSERT_TRUE(tx);
  auto insert = [&](std::int64_t v) {
    auto st = db->prepare("INSERT INTO t VALUES (?1)");
    ASSERT_TRUE(st);
    st->bind(1, v);
    ASSERT_TRUE(st->run());
  };
  {
    auto sp = Savepoint::begin(*db);
    ASSERT_TRUE(sp);
    insert(1);
    ASSERT_TRUE(sp->release());
  }
  {
    auto sp = Savepoint::begin(*db);
    ASSERT_TRUE(sp);
    insert(2);
  }  // rolled back
  ASSERT_TRUE(tx->commit());
  EXPECT_EQ(first_text(*db, "SELECT group_concat(x) FROM t"), "1");
}

TEST(Database, StatementsAreCachedAndReentrant) {
  TempDir dir;
  auto db = Database::open(dir.path() / "c.db");
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec_script("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);"));
  constexpr std::string_view sql = "SELECT x FROM t ORDER BY x";
  {
    auto outer = db->prepare(sql);
    ASSERT_TRUE(outer);
    ASSERT_TRUE(*outer->step());
    // The same SQL while the cached statement is mid-iteration gets its own statement.
    auto inner = db->prepare(sql);
    ASSERT_TRUE(inner);
    ASSERT_TRUE(*inner->step());
    EXPECT_EQ(inner->int64(0), 1);
    ASSERT_TRUE(*outer->step());
    EXPECT_EQ(outer->int64(0), 2);
  }
  auto again = db->prepare(sql);
  ASSERT_TRUE(again);
  ASSERT_TRUE(*again->step());
  EXPECT_EQ(again->int64(0), 1);  // reset when returned to the cache
}

TEST(Database, BadSqlAndBadBindingsAreErrorsNotCrashes) {
  TempDir dir;
  auto db = Database::open(dir.path() / "e.db");
  ASSERT_TRUE(db);
  auto bad = db->prepare("SELECT nope FROM nowhere");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::kSqlite);
  auto st = db->prepare("SELECT ?1");
  ASSERT_TRUE(st);
  st->bind(7, std::int64_t{1});
  auto r = st->step();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::kSqlite);
}

TEST(Database, SecondWriterGetsBusyAfterTheTimeout) {
  TempDir dir;
  OpenOptions quick;
  quick.busy_timeout = std::chrono::milliseconds{50};
  auto a = Database::open(dir.path() / "b.db", quick);
  auto b = Database::open(dir.path() / "b.db", quick);
  ASSERT_TRUE(a && b);
  auto held = Transaction::begin(*a);
  ASSERT_TRUE(held);
  auto second = Transaction::begin(*b);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, errc::kBusy);
}

TEST(Migrations, NewFileIsMigratedToTheCurrentVersionOnce) {
  TempDir dir;
  domain::FixedClock clock(test_now());
  const auto file = dir.path() / "m.db";
  int version = 0;
  {
    auto s = Store::open(file, clock);
    ASSERT_TRUE(s) << s.error().message;
    version = *s->schema_version();
  }
  // Every migration 1..N ran once, in order, each with its own row.
  ASSERT_GE(version, 2);
  std::string expected;
  for (int v = 1; v <= version; ++v) expected += (v > 1 ? "," : "") + std::to_string(v);
  EXPECT_EQ(raw_sql(file, "SELECT group_concat(version) FROM (SELECT version FROM schema_version"
                          " ORDER BY version)"),
            expected);
  auto again = Store::open(file, clock);
  ASSERT_TRUE(again);
  EXPECT_EQ(raw_sql(file, "SELECT count(*) FROM schema_version"), std::to_string(version));
  // Migration 2 seeded the default codes.
  EXPECT_EQ(raw_sql(file, "SELECT count(*) FROM non_administration_codes"),
            std::to_string(default_non_administration_codes().size()));
}

TEST(Migrations, ADatabaseFromANewerBcmaIsRefusedUntouched) {
  TempDir dir;
  domain::FixedClock clock(test_now());
  const auto file = dir.path() / "new.db";
  {
    auto s = Store::open(file, clock);
    ASSERT_TRUE(s);
  }
  raw_sql(file, "INSERT INTO schema_version VALUES (999, 'from the future', 0)");
  const std::string before = dump_database(file);
  auto s = Store::open(file, clock);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, errc::kSchemaTooNew);
  EXPECT_NE(s.error().message.find("schema version 999"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("upgrade bcma"), std::string::npos) << s.error().message;
  EXPECT_EQ(dump_database(file), before);
}

class AppendOnly : public StoreTest {};

TEST_F(AppendOnly, TriggersRefuseUpdateAndDeleteOfRecords) {
  NewAdministration r = given_record(seed_, 1, test_now());
  r.verdict = RecordedVerdict{rules::Decision::kWarn, {{rules::ReasonCode::kTooLate, "late", {}}}};
  auto ack = store().record_administration(r);
  ASSERT_TRUE(ack) << ack.error().message;
  for (const char* sql : {
           "UPDATE administrations SET quantity = 1000",
           "DELETE FROM administrations",
           "UPDATE administration_scans SET raw_text = 'x'",
           "DELETE FROM administration_reasons",
           "UPDATE audit_log SET payload = '{}'",
           "DELETE FROM audit_log",
           "UPDATE stock_ledger SET quantity = 1",
           "DELETE FROM stock_ledger",
           "UPDATE prescription_versions SET dose_min = 1",
           "DELETE FROM prescription_times",
           "DELETE FROM dispensed_items",
       }) {
    auto st = store().database().prepare(sql);
    ASSERT_TRUE(st) << sql;
    auto refused = st->run();
    ASSERT_FALSE(refused) << sql;
    EXPECT_EQ(refused.error().code, errc::kAppendOnly) << sql << ": " << refused.error().message;
  }
  auto rec = store().administration(ack->record_id);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->record.quantity, domain::Decimal::from_int(2));
}

}  // namespace
}  // namespace bcma::station::store::testing
