// The evaluator's audit export: no identifier leaves the home, pseudonyms are stable within an
// export (and across exports only with the home's key), and the proof catches any change.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "bcma/station/export/audit_export.hpp"
#include "export_fixture.hpp"

namespace bcma::station::exporting::testing {
namespace {

using Json = nlohmann::json;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<Json> jsonl_rows(const std::filesystem::path& file) {
  std::vector<Json> rows;
  std::istringstream in(read_file(file));
  std::string line;
  while (std::getline(in, line)) rows.push_back(Json::parse(line));
  return rows;
}

class AuditExportTest : public ExportTest {
 protected:
  Result<ExportReport> run(Format format, const std::filesystem::path& out,
                           const PseudonymKey& key) {
    return export_audit(store().database(), Pseudonymiser(key), ExportOptions{week_from_, week_to_, format},
                        out);
  }
  PseudonymKey key() {
    auto k = PseudonymKey::random();
    EXPECT_TRUE(k);
    return *k;
  }
  std::vector<std::string> codes(const ExportVerification& v) {
    std::vector<std::string> out;
    for (const auto& p : v.problems) out.push_back(p.code);
    return out;
  }
};

TEST_F(AuditExportTest, NoIdentifierOfTheDatabaseAppearsInEitherFormat) {
  const auto ids = identifiers();
  ASSERT_GE(ids.size(), 20U);  // 2 residents x 7 forms + 6 staff x 2
  for (Format f : {Format::kCsv, Format::kJsonl}) {
    const auto out = dir_.path() / std::string(to_string(f));
    auto r = run(f, out, key());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_GT(r->rows, 10);
    for (const auto& file : {r->events_file, r->proof_file}) {
      const std::string text = lower(read_file(file));
      for (const auto& id : ids) {
        EXPECT_EQ(text.find(lower(id)), std::string::npos)
            << "'" << id << "' found in " << file.filename();
      }
    }
  }
}

TEST_F(AuditExportTest, FreeTextKeepsItsMeaningWithoutTheNames) {
  auto r = run(Format::kJsonl, dir_.path() / "x", key());
  ASSERT_TRUE(r);
  const auto rows = jsonl_rows(r->events_file);
  const auto over = std::find_if(rows.begin(), rows.end(),
                                 [](const Json& j) { return j["kind"] == "override"; });
  ASSERT_NE(over, rows.end());
  EXPECT_EQ((*over)["override_reason"], "[removed] (NHS [removed]) leaving for hospital at 8:30");
  EXPECT_EQ((*over)["override_role"], "nurse");
  const auto waste = std::find_if(rows.begin(), rows.end(),
                                  [](const Json& j) { return j["kind"] == "stock"; });
  ASSERT_NE(waste, rows.end());
  EXPECT_EQ((*waste)["stock_reason"], "dropped on the floor by [removed]");
  EXPECT_EQ((*waste)["stock_quantity"], "-2");
}

TEST_F(AuditExportTest, EveryEventOfThePeriodWithItsFacts) {
  auto r = run(Format::kJsonl, dir_.path() / "x", key());
  ASSERT_TRUE(r);
  const auto rows = jsonl_rows(r->events_file);
  ASSERT_EQ(static_cast<std::int64_t>(rows.size()), r->rows);
  std::map<std::string, int> kinds;
  for (const auto& j : rows) kinds[j["kind"].get<std::string>()]++;
  EXPECT_EQ(kinds["administration"], 4);
  EXPECT_EQ(kinds["verdict"], 3);
  EXPECT_EQ(kinds["override"], 1);
  EXPECT_EQ(kinds["stock"], 1);
  EXPECT_EQ(kinds["login"], 1);
  EXPECT_EQ(kinds["login_failed"], 1);
  // A gap-free stretch of the chain; the seeding on 10 March is before the period.
  EXPECT_EQ(kinds["config"], 0);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i]["seq"].get<std::int64_t>(), rows[i - 1]["seq"].get<std::int64_t>() + 1);
  }
  std::vector<Json> given;
  for (const auto& j : rows) {
    if (j["kind"] == "administration" && j["outcome"] == "given") given.push_back(j);
  }
  ASSERT_EQ(given.size(), 3U);
  EXPECT_EQ(given[0]["minutes_from_slot"], 10);
  EXPECT_EQ(given[0]["on_time"], true);
  EXPECT_EQ(given[0]["wristband"], "scanned");
  EXPECT_EQ(given[0]["items"], "scanned");
  EXPECT_EQ(given[0]["device"], "scanner-01");
  EXPECT_EQ(given[0]["role"], "care_worker");
  EXPECT_EQ(given[0]["medication"], "Paracetamol 500mg tablets");
  EXPECT_EQ(given[1]["minutes_from_slot"], 90);
  EXPECT_EQ(given[1]["on_time"], false);
  EXPECT_EQ(given[1]["wristband"], "unable_to_scan");
  EXPECT_EQ(given[2]["decision"], "warn");
  EXPECT_EQ(given[2]["reasons"], "too_early");
  EXPECT_TRUE(given[2]["override_by"].get<std::string>().starts_with("S-"));
}

TEST_F(AuditExportTest, SamePersonSamePseudonymWithinAnExportAndOnlyWithTheKeyAcross) {
  const auto k = key();
  auto a = run(Format::kJsonl, dir_.path() / "a", k);
  auto b = run(Format::kJsonl, dir_.path() / "b", k);
  auto c = run(Format::kJsonl, dir_.path() / "c", key());
  ASSERT_TRUE(a && b && c);
  auto residents = [](const std::filesystem::path& f) {
    std::vector<std::string> out;
    for (const auto& j : jsonl_rows(f)) {
      if (j["kind"] == "administration") out.push_back(j["resident"].get<std::string>());
    }
    return out;
  };
  const auto ra = residents(a->events_file);
  ASSERT_EQ(ra.size(), 4U);  // Alice, Alice, Bob, Alice
  EXPECT_EQ(ra[0], ra[1]);
  EXPECT_EQ(ra[0], ra[3]);
  EXPECT_NE(ra[0], ra[2]);
  EXPECT_TRUE(ra[0].starts_with("R-"));
  EXPECT_EQ(residents(b->events_file), ra);
  const auto rc = residents(c->events_file);
  EXPECT_NE(rc[0], ra[0]);
  EXPECT_EQ(rc[0], rc[1]);
  // The carer of the scans and the carer who signed in carry one pseudonym.
  std::set<std::string> carer;
  for (const auto& j : jsonl_rows(a->events_file)) {
    if (j["kind"] == "login" || (j["kind"] == "administration" && j["outcome"] == "refused")) {
      carer.insert(j["staff"].get<std::string>());
    }
  }
  EXPECT_EQ(carer.size(), 1U);
}

TEST_F(AuditExportTest, AnUntouchedExportVerifiesAloneAgainstTheDatabaseAndWithTheKey) {
  const auto k = key();
  for (Format f : {Format::kCsv, Format::kJsonl}) {
    const auto out = dir_.path() / std::string(to_string(f));
    ASSERT_TRUE(run(f, out, k));
    auto alone = verify_export(out, nullptr, nullptr);
    ASSERT_TRUE(alone);
    EXPECT_TRUE(alone->ok()) << ::testing::PrintToString(codes(*alone));
    auto full = verify_export(out, &store().database(), &k);
    ASSERT_TRUE(full);
    EXPECT_TRUE(full->ok()) << ::testing::PrintToString(codes(*full));
    EXPECT_TRUE(full->checked_database);
    EXPECT_TRUE(full->checked_content);
  }
  // Entries appended after the export do not invalidate it.
  clock_.set(week_to_ + std::chrono::hours{1});
  ASSERT_TRUE(store().login(seed_.carer_badge, "1234", "web"));
  auto later = verify_export(dir_.path() / "csv", &store().database(), &k);
  ASSERT_TRUE(later);
  EXPECT_TRUE(later->ok()) << ::testing::PrintToString(codes(*later));
}

std::string sha256_hex(const std::string& data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string hex;
  for (unsigned char c : out) {
    hex += "0123456789abcdef"[c >> 4U];
    hex += "0123456789abcdef"[c & 0x0FU];
  }
  return hex;
}

void rewrite_proof(const ExportReport& r, const std::string& text, std::int64_t rows) {
  auto proof = nlohmann::ordered_json::parse(read_file(r.proof_file));
  proof["files"][0]["bytes"] = text.size();
  proof["files"][0]["sha256"] = sha256_hex(text);
  proof["files"][0]["rows"] = rows;
  proof["range"]["entries"] = rows;
  std::ofstream(r.proof_file, std::ios::binary | std::ios::trunc) << proof.dump(2);
}

TEST_F(AuditExportTest, AChangedCellIsFoundEvenWhenTheProofIsRewrittenToMatch) {
  const auto k = key();
  const auto out = dir_.path() / "x";
  auto r = run(Format::kCsv, out, k);
  ASSERT_TRUE(r);
  std::string text = read_file(r->events_file);
  const auto pos = text.find(",refused,refused,");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 17, ",given,,");
  std::ofstream(r->events_file, std::ios::binary | std::ios::trunc) << text;

  auto v = verify_export(out, nullptr, nullptr);
  ASSERT_TRUE(v);
  EXPECT_EQ(codes(*v), std::vector<std::string>{"digest_mismatch"});

  // A forger who also rewrites the proof fools the file-only check (the proof must be kept
  // where the evaluator cannot change it)...
  rewrite_proof(*r, text, r->rows);
  v = verify_export(out, nullptr, nullptr);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->ok());
  // ...but not the home, which re-derives the rows with its key.
  v = verify_export(out, &store().database(), &k);
  ASSERT_TRUE(v);
  EXPECT_EQ(codes(*v), std::vector<std::string>{"content_mismatch"});
  // A different key cannot vouch for the content.
  const auto other = key();
  v = verify_export(out, &store().database(), &other);
  ASSERT_TRUE(v);
  EXPECT_EQ(codes(*v), std::vector<std::string>{"key_mismatch"});
}

TEST_F(AuditExportTest, ARemovedRowIsFound) {
  const auto out = dir_.path() / "x";
  auto r = run(Format::kJsonl, out, key());
  ASSERT_TRUE(r);
  const std::string text = read_file(r->events_file);
  // Drop the override row, the evidence that a warning was overridden.
  std::istringstream in(text);
  std::string line;
  std::string kept;
  int dropped = 0;
  while (std::getline(in, line)) {
    if (line.find("\"kind\":\"override\"") != std::string::npos) {
      ++dropped;
      continue;
    }
    kept += line + "\n";
  }
  ASSERT_EQ(dropped, 1);
  std::ofstream(r->events_file, std::ios::binary | std::ios::trunc) << kept;
  rewrite_proof(*r, kept, r->rows - 1);
  auto v = verify_export(out, nullptr, nullptr);
  ASSERT_TRUE(v);
  EXPECT_EQ(codes(*v), std::vector<std::string>{"seq_gap"});
}

TEST_F(AuditExportTest, AnExportFromAnotherDatabaseOrAShortenedPeriodIsFound) {
  const auto out = dir_.path() / "x";
  auto r = export_audit(store().database(), Pseudonymiser(key()),
                        ExportOptions{week_from_, week_from_ + std::chrono::hours{24 * 3}, Format::kCsv},
                        out);
  ASSERT_TRUE(r);
  auto proof = nlohmann::ordered_json::parse(read_file(r->proof_file));
  proof["to"] = domain::to_string(week_to_);  // claims the whole week
  std::ofstream(r->proof_file, std::ios::binary | std::ios::trunc) << proof.dump(2);
  auto v = verify_export(out, &store().database(), nullptr);
  ASSERT_TRUE(v);
  EXPECT_EQ(codes(*v), std::vector<std::string>{"range_mismatch"});

  store::testing::TempDir other_dir;
  domain::FixedClock clock(store::testing::test_now());
  auto other = store::Store::open(other_dir.path() / "other.db", clock, options());
  ASSERT_TRUE(other);
  ASSERT_TRUE(store::testing::seed_home(*other));
  auto w = verify_export(dir_.path() / "x", &other->database(), nullptr);
  ASSERT_TRUE(w);
  EXPECT_FALSE(w->ok());
  EXPECT_EQ(codes(*w).front(), "head_mismatch");
}

TEST_F(AuditExportTest, ABrokenChainIsNotExportedAndExistingFilesAreNotOverwritten) {
  const auto out = dir_.path() / "x";
  ASSERT_TRUE(run(Format::kCsv, out, key()));
  auto again = run(Format::kCsv, out, key());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "output_exists");

  store::testing::raw_sql(path_, "DROP TRIGGER audit_log_no_update");
  store::testing::raw_sql(path_, "UPDATE audit_log SET payload = '{}' WHERE seq = 3");
  auto broken = run(Format::kCsv, dir_.path() / "y", key());
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, "chain_broken");
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "y" / "events.csv"));
}

TEST_F(AuditExportTest, KeyFilesRoundTripAndBadOnesAreRefused) {
  const auto k = key();
  ASSERT_TRUE(k.save(dir_.path() / "home.key"));
  auto back = PseudonymKey::from_file(dir_.path() / "home.key");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->key_id(), k.key_id());
  EXPECT_EQ(Pseudonymiser(*back).pseudonym(Subject::kResident, "9990000018"),
            Pseudonymiser(k).pseudonym(Subject::kResident, "9990000018"));
  EXPECT_NE(Pseudonymiser(k).pseudonym(Subject::kResident, "9990000018"),
            Pseudonymiser(k).pseudonym(Subject::kStaff, "9990000018"));
  std::ofstream(dir_.path() / "bad.key") << "not a key\n";
  auto bad = PseudonymKey::from_file(dir_.path() / "bad.key");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "invalid_key");
  auto missing = PseudonymKey::from_file(dir_.path() / "none.key");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "cannot_read");
}

}  // namespace
}  // namespace bcma::station::exporting::testing
