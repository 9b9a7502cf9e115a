// The zip reader against archives made by Info-ZIP (tests/fixtures/dmd/zips: deflated, stored,
// streamed with data descriptors, Zip64, encrypted, and a release with nested zips), damaged
// copies of them, and archives from our own writer.
#include <gtest/gtest.h>

#include <fstream>

#include "bcma/station/dmd/errors.hpp"
#include "bcma/station/dmd/import.hpp"
#include "bcma/station/dmd/zip.hpp"
#include "dmd_test_support.hpp"

namespace bcma::station::dmd::testing {
namespace {

std::filesystem::path zips() { return fixtures() / "zips"; }

Result<std::string> read_entry(const ZipArchive& z, std::string_view name) {
  for (const auto& e : z.entries()) {
    if (e.name != name) continue;
    std::string out;
    auto r = z.read(e, [&](std::string_view chunk) -> Result<void> {
      out.append(chunk);
      return {};
    });
    if (!r) return Unexpected(r.error());
    return out;
  }
  return fail("not_found", std::string(name));
}

void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

TEST(Zip, ReadsInfoZipArchivesStoredDeflatedStreamedAndZip64) {
  const std::string vmp = read_file(release_a() / "f_vmp2_3050126.xml");
  const std::string vtm = read_file(release_a() / "f_vtm2_3050126.xml");
  {
    auto z = ZipArchive::open(zips() / "stored.zip");
    ASSERT_TRUE(z) << z.error().message;
    ASSERT_EQ(z->entries().size(), 2u);
    EXPECT_EQ(z->entries()[0].method, 0);
    EXPECT_EQ(read_entry(*z, "f_vtm2_3050126.xml").value(), vtm);
  }
  {
    // Written to a pipe: sizes and CRC only in data descriptors and the central directory.
    auto z = ZipArchive::open(zips() / "streamed.zip");
    ASSERT_TRUE(z) << z.error().message;
    ASSERT_EQ(z->entries().size(), 1u);
    EXPECT_EQ(z->entries()[0].method, 8);
    EXPECT_EQ(read_entry(*z, "-").value(), vmp);
  }
  {
    auto z = ZipArchive::open(zips() / "zip64.zip");
    ASSERT_TRUE(z) << z.error().message;
    EXPECT_EQ(read_entry(*z, "f_vmp2_3050126.xml").value(), vmp);
    EXPECT_EQ(read_entry(*z, "f_vtm2_3050126.xml").value(), vtm);
  }
}

TEST(Zip, OpensANestedZipInPlace) {
  auto z = ZipArchive::open(zips() / "nhsbsa_dmd_10.1.0_20260105000001.zip");
  ASSERT_TRUE(z) << z.error().message;
  const ZipArchive::Entry* gtin_zip = nullptr;
  for (const auto& e : z->entries()) {
    if (e.name == "week022026-r2_3-GTIN.zip") gtin_zip = &e;
  }
  ASSERT_NE(gtin_zip, nullptr);
  auto inner = z->open_nested(*gtin_zip);
  ASSERT_TRUE(inner) << inner.error().message;
  EXPECT_EQ(inner->label(), "nhsbsa_dmd_10.1.0_20260105000001.zip!week022026-r2_3-GTIN.zip");
  EXPECT_EQ(read_entry(*inner, "f_gtin2_0050126.xml").value(), read_file(release_a() / "f_gtin2_0050126.xml"));
}

TEST(Zip, RefusesEncryptedAndNonZipFiles) {
  auto enc = ZipArchive::open(zips() / "encrypted.zip");
  ASSERT_FALSE(enc);
  EXPECT_EQ(enc.error().code, errc::kBadZip);
  EXPECT_NE(enc.error().message.find("encrypted"), std::string::npos) << enc.error().message;
  auto xml = ZipArchive::open(release_a() / "f_vtm2_3050126.xml");
  ASSERT_FALSE(xml);
  EXPECT_EQ(xml.error().code, errc::kBadZip);
  auto none = ZipArchive::open(zips() / "no-such.zip");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, errc::kIo);
}

TEST(Zip, ATruncatedOrCorruptedReleaseZipAbortsTheImportAndChangesNothing) {
  const std::string good = read_file(zips() / "nhsbsa_dmd_10.1.0_20260105000001.zip");
  struct Case {
    const char* name;
    std::string bytes;
  };
  std::string flipped = good;
  // A byte inside the first entry's compressed data (after its 30-byte header and name).
  flipped[200] = static_cast<char>(flipped[200] ^ 0x5A);
  const std::vector<Case> cases{
      {"cut in the middle", good.substr(0, good.size() / 2)},
      {"cut before the end record", good.substr(0, good.size() - 10)},
      {"a flipped byte", flipped},
  };
  for (const auto& c : cases) {
    TestStore t;
    ASSERT_TRUE(import(*t.store, release_b()));
    const std::string before = store::testing::dump_database(t.file());
    const auto path = t.dir.path() / "nhsbsa_dmd_10.1.0_20260105000001.zip";
    write_file(path, c.bytes);
    auto r = import(*t.store, path, true);
    ASSERT_FALSE(r) << c.name;
    EXPECT_TRUE(r.error().code == errc::kBadZip || r.error().code == errc::kMalformedXml)
        << c.name << ": " << r.error().code << " " << r.error().message;
    EXPECT_EQ(store::testing::dump_database(t.file()), before) << c.name;
  }
}

TEST(Zip, WriterOutputReadsBackIncludingNestedArchives) {
  TempDir dir;
  const std::string big(3 * 1024 * 1024 + 17, 'x');  // several chunks on both sides
  {
    auto inner = ZipWriter::create(dir.path() / "inner.zip");
    ASSERT_TRUE(inner);
    ASSERT_TRUE(inner->begin_entry("f_gtin2_0010126.xml", true));
    ASSERT_TRUE(inner->write("<GTIN_DETAILS/>"));
    ASSERT_TRUE(inner->end_entry());
    ASSERT_TRUE(inner->finish());
  }
  {
    auto outer = ZipWriter::create(dir.path() / "outer.zip");
    ASSERT_TRUE(outer);
    ASSERT_TRUE(outer->begin_entry("big.txt", true));
    ASSERT_TRUE(outer->write(big.substr(0, 1000)));
    ASSERT_TRUE(outer->write(big.substr(1000)));
    ASSERT_TRUE(outer->end_entry());
    ASSERT_TRUE(outer->add_file("stored-inner.zip", dir.path() / "inner.zip", false));
    ASSERT_TRUE(outer->add_file("deflated-inner.zip", dir.path() / "inner.zip", true));
    ASSERT_TRUE(outer->finish());
  }
  auto z = ZipArchive::open(dir.path() / "outer.zip");
  ASSERT_TRUE(z) << z.error().message;
  ASSERT_EQ(z->entries().size(), 3u);
  EXPECT_EQ(read_entry(*z, "big.txt").value(), big);
  for (std::size_t i : {1u, 2u}) {
    auto inner = z->open_nested(z->entries()[i]);
    ASSERT_TRUE(inner) << inner.error().message;
    EXPECT_EQ(read_entry(*inner, "f_gtin2_0010126.xml").value(), "<GTIN_DETAILS/>");
  }
}

}  // namespace
}  // namespace bcma::station::dmd::testing
