#pragma once
// Shared by the dm+d tests: the hand-written fixture releases in tests/fixtures/dmd, stores in
// temporary directories, and the GTINs the fixtures carry.

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "bcma/station/dmd/import.hpp"
#include "bcma/station/store/store.hpp"
#include "../store_test_support.hpp"

namespace bcma::station::dmd::testing {

using store::testing::TempDir;

std::filesystem::path fixtures();                      ///< tests/fixtures/dmd
inline std::filesystem::path release_a() { return fixtures() / "release-a"; }  ///< 2026-01-05
inline std::filesystem::path release_b() { return fixtures() / "release-b"; }  ///< 2026-01-12

// GTINs of the fixture releases (see tests/fixtures/dmd/README.md).
inline constexpr const char* kGtinParacetamol32 = "5000158062467";    ///< 13 digits
inline constexpr const char* kGtinPanadol32 = "05000347023712";      ///< 14 digits, no price
inline constexpr const char* kGtinMstOld = "05012345000015";         ///< ended 2019-12-31
inline constexpr const char* kGtinMstNew = "05012345000022";         ///< from 2020-01-01
inline constexpr const char* kGtinMoved = "5060123456783";           ///< Oramorph to 2018-06-30, then Durogesic
inline constexpr const char* kGtinFentanyl = "05012345000046";       ///< ends 2030 in A, 2026-01-10 in B
inline constexpr const char* kGtinCombination = "05012345000053";
inline constexpr const char* kGtinCream = "5020000000010";           ///< only in release A

inline constexpr const char* kVmpMstA = "36031111000001105";  ///< changes code in release B
inline constexpr const char* kVmpMstB = "36031211000001104";
inline constexpr const char* kAmppMst = "1327911000001107";
inline constexpr const char* kAmppCream = "3315411000001104";  ///< withdrawn in release B

/// A store in a fresh temporary directory, with a fixed clock.
struct TestStore {
  TestStore();
  std::filesystem::path file() const { return dir.path() / "station.db"; }
  TempDir dir;
  domain::FixedClock clock;
  std::optional<store::Store> store;
};

/// Imports `path` into `s`; returns the result as is.
Result<ImportReport> import(store::Store& s, const std::filesystem::path& path, bool force = false);

/// Copies a directory tree.
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);

/// Reads a whole file.
std::string read_file(const std::filesystem::path& p);

domain::Date day(int y, unsigned m, unsigned d);

}  // namespace bcma::station::dmd::testing
