// The audit log's hash chain: intact chains verify, every kind of tampering is reported at the
// exact entry, the documented encoding can be re-implemented, and `bcma audit verify` says so.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <set>

#include "bcma/station/store/errors.hpp"
#include "store_fixture.hpp"

namespace bcma::station::store::testing {
namespace {

class Audit : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    for (std::uint64_t n = 1; n <= 3; ++n) {
      ASSERT_TRUE(store().record_administration(given_record(seed_, n, test_now())));
    }
    auto v = store().verify_audit();
    ASSERT_TRUE(v && v->intact());
    entries_ = v->entries;
    ASSERT_GT(entries_, 12);
  }

  AuditVerification verify_fresh() {
    // A new read-only connection: what an evaluator holding the file would see.
    OpenOptions o;
    o.mode = OpenOptions::Mode::kReadOnly;
    auto db = Database::open(path_, o);
    EXPECT_TRUE(db) << db.error().message;
    auto v = verify_audit_chain(*db);
    EXPECT_TRUE(v) << v.error().message;
    return *v;
  }

  void tamper(const std::string& sql) {
    raw_sql(path_, "DROP TRIGGER IF EXISTS audit_log_no_update");
    raw_sql(path_, "DROP TRIGGER IF EXISTS audit_log_no_delete");
    raw_sql(path_, sql);
  }

  std::int64_t entries_ = 0;
};

TEST_F(Audit, EveryKindOfChangeIsLoggedInOrder) {
  auto all = store().audit_entries(1, 10000);
  ASSERT_TRUE(all);
  ASSERT_EQ(static_cast<std::int64_t>(all->size()), entries_);
  std::set<std::string> kinds;
  for (std::size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ((*all)[i].prev_hash, i == 0 ? std::string(kGenesisHash) : (*all)[i - 1].hash);
    kinds.insert((*all)[i].kind);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"config", "stock", "administration"}));
  EXPECT_EQ((*all)[0].subject, "home");
  EXPECT_EQ((*all)[1].subject, "policy");
}

TEST_F(Audit, ScansAndVerdictsAreAppendedThroughTheStore) {
  AuditEvent scan{AuditKind::kScan, Actor{seed_.carer, "scanner-01"}, "resident:1",
                  R"({"kind":"resident_wristband","text":"]d28018...")"};
  auto e = store().append_audit(scan);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->seq, entries_ + 1);
  EXPECT_EQ(e->kind, "scan");
  EXPECT_EQ(e->at, test_now());
  AuditEvent verdict{AuditKind::kVerdict, Actor{seed_.carer, "scanner-01"}, "resident:1",
                     R"({"decision":"block","reasons":["too_early"]})"};
  ASSERT_TRUE(store().append_audit(verdict));
  EXPECT_TRUE(verify_fresh().intact());
  // The low-level append refuses to run outside the transaction of what it records.
  auto outside = append_audit(store().database(), scan, test_now());
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, errc::kInvalidArgument);
}

// Re-implements the canonical encoding from docs/store.md without the store's code.
std::string netstring(const std::string& v) { return std::to_string(v.size()) + ":" + v + ","; }
std::string sha256_hex(const std::string& data) {
  std::array<unsigned char, 32> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned char c : md) {
    static constexpr char k[] = "0123456789abcdef";
    hex += k[c >> 4];
    hex += k[c & 15];
  }
  return hex;
}

TEST_F(Audit, TheDocumentedEncodingReproducesEveryHash) {
  auto all = store().audit_entries(1, 10000);
  ASSERT_TRUE(all);
  for (const auto& e : *all) {
    const std::string msg = netstring("bcma.audit.v1") + netstring(std::to_string(e.seq)) +
                            netstring(std::to_string(e.at.time_since_epoch().count())) +
                            netstring(e.kind) +
                            netstring(e.staff_id ? std::to_string(*e.staff_id) : "") +
                            netstring(e.device_id) + netstring(e.subject) + netstring(e.payload) +
                            netstring(e.prev_hash);
    EXPECT_EQ(sha256_hex(msg), e.hash) << "seq " << e.seq;
  }
}

TEST_F(Audit, AChangedPayloadIsReportedAtThatEntry) {
  tamper("UPDATE audit_log SET payload = replace(payload, 'Alice', 'Alicia') WHERE seq = 3");
  const auto v = verify_fresh();
  ASSERT_FALSE(v.intact());
  EXPECT_EQ(v.first_break->seq, 3);
  EXPECT_EQ(v.first_break->problem, "hash_mismatch");
  EXPECT_NE(v.first_break->message.find("entry 3"), std::string::npos) << v.first_break->message;
  EXPECT_NE(v.first_break->message.find("changed after it was written"), std::string::npos);
}

TEST_F(Audit, AChangedTimeOrActorIsReportedAtThatEntry) {
  tamper("UPDATE audit_log SET at = at - 3600 WHERE seq = 9");
  auto v = verify_fresh();
  ASSERT_FALSE(v.intact());
  EXPECT_EQ(v.first_break->seq, 9);
  EXPECT_EQ(v.first_break->problem, "hash_mismatch");
}

TEST_F(Audit, ARewrittenEntryWithARecomputedHashBreaksTheNextLink) {
  auto entries = store().audit_entries(5, 1);
  ASSERT_TRUE(entries);
  AuditEntry forged = (*entries)[0];
  forged.payload = R"({"forged":true})";
  const std::string forged_hash = *chain_hash(forged);
  tamper("UPDATE audit_log SET payload = '{\"forged\":true}', hash = '" + forged_hash +
         "' WHERE seq = 5");
  const auto v = verify_fresh();
  ASSERT_FALSE(v.intact());
  EXPECT_EQ(v.first_break->seq, 6);
  EXPECT_EQ(v.first_break->problem, "prev_hash_mismatch");
  EXPECT_NE(v.first_break->message.find("entry 5"), std::string::npos) << v.first_break->message;
}

TEST_F(Audit, ARemovedEntryIsAGap) {
  tamper("DELETE FROM audit_log WHERE seq = 7");
  const auto v = verify_fresh();
  ASSERT_FALSE(v.intact());
  EXPECT_EQ(v.first_break->seq, 8);
  EXPECT_EQ(v.first_break->problem, "sequence_gap");
  EXPECT_NE(v.first_break->message.find("entries 7 are missing"), std::string::npos)
      << v.first_break->message;
}

TEST_F(Audit, ARemovedFirstEntryIsAGapAtTheStart) {
  tamper("DELETE FROM audit_log WHERE seq = 1");
  const auto v = verify_fresh();
  ASSERT_FALSE(v.intact());
  EXPECT_EQ(v.first_break->seq, 2);
  EXPECT_EQ(v.first_break->problem, "sequence_gap");
}

TEST_F(Audit, AGarbledHashIsMalformed) {
  tamper("UPDATE audit_log SET hash = 'xyz' WHERE seq = 4");
  const auto v = verify_fresh();
  ASSERT_FALSE(v.intact());
  EXPECT_EQ(v.first_break->seq, 4);
  EXPECT_EQ(v.first_break->problem, "malformed_entry");
}

TEST_F(Audit, TheStoreKeepsChainingOnAnIntactFileAcrossConnections) {
  store_.reset();
  auto reopened = Store::open(path_, clock_, options());
  ASSERT_TRUE(reopened);
  ASSERT_TRUE(reopened->record_administration(given_record(seed_, 77, test_now())));
  const auto v = verify_fresh();
  EXPECT_TRUE(v.intact());
  EXPECT_EQ(v.entries, entries_ + 1);  // one entry per record (its stock movement included)
  EXPECT_EQ(v.head_seq, entries_ + 1);
}

// --- the command line ---------------------------------------------------------------------------

struct Run {
  int status = -1;
  std::string output;
};

Run run_cli(const std::string& args) {
  Run r;
  const std::string cmd = std::string(BCMA_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 512> buf{};
  while (fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr) r.output += buf.data();
  const int raw = pclose(p);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

TEST_F(Audit, CommandLineReportsIntactBrokenAndUsage) {
  if (std::string(BCMA_CLI).empty()) GTEST_SKIP() << "the bcma tool is not part of this build";
  store_.reset();  // as an evaluator would: the station is not writing
  auto ok = run_cli("audit verify --db " + path_.string());
  EXPECT_EQ(ok.status, 0) << ok.output;
  EXPECT_NE(ok.output.find("audit chain intact: " + std::to_string(entries_) + " entries"),
            std::string::npos)
      << ok.output;

  tamper("UPDATE audit_log SET payload = '{}' WHERE seq = 12");
  auto broken = run_cli("audit verify --db " + path_.string());
  EXPECT_EQ(broken.status, 1) << broken.output;
  EXPECT_NE(broken.output.find("BROKEN at seq 12 (hash_mismatch)"), std::string::npos)
      << broken.output;
  auto json = run_cli("audit verify --json --db=" + path_.string());
  EXPECT_EQ(json.status, 1);
  EXPECT_NE(json.output.find("\"first_break\":{\"seq\":12,\"problem\":\"hash_mismatch\""),
            std::string::npos)
      << json.output;

  EXPECT_EQ(run_cli("audit verify").status, 2);
  EXPECT_EQ(run_cli("audit check --db " + path_.string()).status, 2);
  EXPECT_EQ(run_cli("audit verify --db " + path_.string() + " --bogus").status, 2);
  auto missing = run_cli("audit verify --db " + (dir_.path() / "none.db").string());
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.output.find("no database file"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace bcma::station::store::testing
