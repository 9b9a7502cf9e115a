// The synthetic release generator (tools/dmd-gen) at 1/50 of full size, imported as the zip
// NHSBSA would publish: counts, edge cases, determinism, and a second weekly release over it.
// The full-size import is the benchmark's job (bench/dmd_bench.cpp), not the test suite's.
#include <gtest/gtest.h>

#include "bcma/gs1/gtin.hpp"
#include "bcma/station/dmd/errors.hpp"
#include "bcma/station/dmd/lookup.hpp"
#include "dmd_test_support.hpp"
#include "generator.hpp"

namespace bcma::station::dmd::testing {
namespace {

using store::testing::raw_sql;
namespace gen = tools::dmdgen;

constexpr int kScale = 50;

std::filesystem::path make_zip(const TempDir& dir, int release) {
  gen::Options o;
  o.seed = 7;
  o.scale = kScale;
  o.release = release;
  o.bnf = true;
  const auto folder = dir.path() / ("r" + std::to_string(release));
  auto s = gen::write_release(folder, o);
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  const auto zip = dir.path() / gen::release_zip_name(o);
  auto z = gen::zip_release(folder, zip);
  EXPECT_TRUE(z) << (z ? "" : z.error().message);
  return zip;
}

TEST(GeneratedRelease, ImportsAsAZipWithEveryCountItWrote) {
  TempDir dir;
  gen::Options o;
  o.seed = 7;
  o.scale = kScale;
  auto summary = gen::write_release(dir.path() / "folder", o);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->vmps, 500);
  EXPECT_EQ(summary->amps, 3000);
  EXPECT_EQ(summary->ampps, 3600);
  EXPECT_GT(summary->gtins, 2900);
  EXPECT_GT(summary->code_changes, 0);

  TestStore t;
  auto r = import(*t.store, make_zip(dir, 1));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->counts["vmps"], summary->vmps);
  EXPECT_EQ(r->counts["amps"], summary->amps);
  EXPECT_EQ(r->counts["ampps"], summary->ampps);
  EXPECT_EQ(r->counts["gtins"], summary->gtins);
  EXPECT_EQ(r->counts["code_changes"], summary->code_changes);
  EXPECT_GT(r->counts["bnf"], 0);
  EXPECT_EQ(r->version, "9.1.0");
  // Some GTINs were 13 digits in the file; all are 14 now, each with a good check digit.
  EXPECT_EQ(raw_sql(t.file(), "SELECT count(*) FROM gtins WHERE length(gtin) <> 14"), "0");
  EXPECT_NE(raw_sql(t.file(), "SELECT count(*) FROM gtins WHERE gtin LIKE '050%'"), "0");
  const std::string sample = raw_sql(t.file(), "SELECT gtin FROM gtins ORDER BY gtin LIMIT 1 OFFSET 77");
  EXPECT_TRUE(gs1::has_valid_mod10(sample)) << sample;
  // Packs without a price, controlled drugs of several schedules, combination packs.
  EXPECT_NE(raw_sql(t.file(), "SELECT count(*) FROM ampp WHERE price_pence IS NULL"), "0");
  EXPECT_GE(std::stoi(raw_sql(t.file(), "SELECT count(DISTINCT cd_category) FROM vmp")), 5);
  EXPECT_NE(raw_sql(t.file(), "SELECT count(*) FROM dmd_pack_contents WHERE level = 'ampp'"), "0");
  EXPECT_EQ(raw_sql(t.file(), "SELECT count(*) FROM dmd_vmp_history"), std::to_string(summary->code_changes));
  // An ended GTIN range does not resolve after its end; a GTIN that moved resolves by date.
  const std::string ended = raw_sql(t.file(), "SELECT gtin FROM gtins WHERE end_date > '2009-12-31' LIMIT 1");
  const std::string end_date = raw_sql(t.file(), "SELECT end_date FROM gtins WHERE gtin = '" + ended + "'");
  auto expired = lookup_gtin(t.store->database(), ended, *domain::parse_date("2026-01-01"));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, errc::kGtinNotInForce);
  EXPECT_TRUE(lookup_gtin(t.store->database(), ended, *domain::parse_date(end_date)));
  const std::string moved = raw_sql(t.file(), "SELECT gtin FROM gtins GROUP BY gtin HAVING count(*) = 2 LIMIT 1");
  ASSERT_FALSE(moved.empty());
  auto early = lookup_gtin(t.store->database(), moved, *domain::parse_date("2005-01-01"));
  auto late = lookup_gtin(t.store->database(), moved, *domain::parse_date("2026-01-01"));
  ASSERT_TRUE(early && late);
  EXPECT_NE(early->ampp.id, late->ampp.id);
  // Names with '&' came through the XML escaping intact.
  EXPECT_NE(raw_sql(t.file(), "SELECT count(*) FROM amp WHERE supplier = 'Smith & Nephew Healthcare Ltd'"), "0");
}

TEST(GeneratedRelease, TheSameSeedWritesTheSameBytes) {
  TempDir dir;
  gen::Options o;
  o.seed = 99;
  o.scale = 200;
  ASSERT_TRUE(gen::write_release(dir.path() / "one", o));
  ASSERT_TRUE(gen::write_release(dir.path() / "two", o));
  o.seed = 100;
  ASSERT_TRUE(gen::write_release(dir.path() / "other", o));
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "one")) {
    const auto name = e.path().filename();
    EXPECT_EQ(read_file(e.path()), read_file(dir.path() / "two" / name)) << name;
    ++files;
  }
  EXPECT_EQ(files, 8);
  EXPECT_NE(read_file(dir.path() / "one" / "f_vmp2_3010126.xml"), read_file(dir.path() / "other" / "f_vmp2_3010126.xml"));
}

TEST(GeneratedRelease, TheNextWeeksReleaseChangesCodesAndWithdrawsPacks) {
  TempDir dir;
  TestStore t;
  ASSERT_TRUE(import(*t.store, make_zip(dir, 1)));
  const std::string first_codes = raw_sql(t.file(), "SELECT group_concat(id) FROM (SELECT id FROM vmp ORDER BY id)");
  auto second = import(*t.store, make_zip(dir, 3));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_GT(second->counts["withdrawn_deleted"], 0);
  // Every VMP code of the first release still resolves, to a VMP of the third.
  std::stringstream codes(first_codes);
  std::string code;
  int changed = 0;
  while (std::getline(codes, code, ',')) {
    auto v = lookup_vmp(t.store->database(), code);
    ASSERT_TRUE(v) << code << ": " << v.error().message;
    if (v->vmp.id != code) ++changed;
  }
  EXPECT_GT(changed, 0);
  EXPECT_EQ(raw_sql(t.file(), "SELECT count(*) FROM dmd_vmp_history h JOIN vmp v ON v.id = h.vmp_id"),
            raw_sql(t.file(), "SELECT count(*) FROM dmd_vmp_history"));
  // Going back a week is refused.
  auto back = import(*t.store, make_zip(dir, 2));
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, errc::kOlderRelease);
}

}  // namespace
}  // namespace bcma::station::dmd::testing
