// Every broken release in tests/fixtures/dmd/broken/<case>/ (release A with the files of the
// case folder put over it, and the files named by `remove` lines taken away) must abort the
// import with the code, file, line and reason in its expected.txt, and leave the database
// exactly as it was: a store holding release A, dumped before and after.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "bcma/station/dmd/import.hpp"
#include "dmd_test_support.hpp"

namespace bcma::station::dmd::testing {
namespace {

using store::testing::dump_database;

struct Expected {
  std::string code;
  std::string file;
  std::string line;
  std::string reason;
  std::vector<std::string> remove;
};

Expected read_expected(const std::filesystem::path& p) {
  Expected e;
  std::ifstream in(p);
  std::string row;
  while (std::getline(in, row)) {
    const auto space = row.find(' ');
    const std::string key = row.substr(0, space);
    const std::string value = space == std::string::npos ? "" : row.substr(space + 1);
    if (key == "code") e.code = value;
    if (key == "file") e.file = value;
    if (key == "line") e.line = value;
    if (key == "reason") e.reason = value;
    if (key == "remove") e.remove.push_back(value);
  }
  return e;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures() / "broken")) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class BrokenRelease : public ::testing::TestWithParam<std::string> {};

TEST_P(BrokenRelease, IsRefusedWithFileLineAndReasonAndChangesNothing) {
  const auto dir = fixtures() / "broken" / GetParam();
  const Expected want = read_expected(dir / "expected.txt");
  ASSERT_FALSE(want.code.empty()) << "expected.txt without a code";

  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  const auto release = t.dir.path() / "release";
  copy_tree(release_a(), release);
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename() == "expected.txt") continue;
    std::filesystem::copy(entry.path(), release / entry.path().filename(),
                          std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  }
  for (const auto& name : want.remove) ASSERT_TRUE(std::filesystem::remove(release / name)) << name;

  const std::string before = dump_database(t.file());
  auto r = import(*t.store, release);
  ASSERT_FALSE(r) << "imported a broken release";
  EXPECT_EQ(r.error().code, want.code) << r.error().message;
  const std::string& m = r.error().message;
  if (!want.file.empty()) {
    const std::string where = want.file + (want.line.empty() ? "" : ":" + want.line + ":");
    EXPECT_NE(m.find(where), std::string::npos) << "want '" << where << "' in: " << m;
  }
  if (!want.reason.empty()) {
    EXPECT_NE(m.find(want.reason), std::string::npos) << m;
  }
  EXPECT_EQ(dump_database(t.file()), before) << "a failed import changed the database";
  // And the release held is still usable.
  EXPECT_TRUE(import(*t.store, release_a()));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BrokenRelease, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string n = param_info.param;
                           for (char& c : n) {
                             if (c == '-') c = '_';
                           }
                           return n;
                         });

TEST(BrokenRelease, TheCorpusCoversEveryImportErrorCode) {
  std::set<std::string> codes;
  for (const auto& name : case_names()) codes.insert(read_expected(fixtures() / "broken" / name / "expected.txt").code);
  for (const char* code : {"malformed_xml", "unknown_schema", "invalid_value", "duplicate_record", "broken_reference",
                           "missing_file", "mixed_release"}) {
    EXPECT_TRUE(codes.count(code)) << "no broken fixture for " << code;
  }
}

}  // namespace
}  // namespace bcma::station::dmd::testing
