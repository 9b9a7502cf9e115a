#pragma once
// A synthetic NHS dm+d release: the real file names, roots, sections and fields (schema 2.3,
// GTIN 2.0, BNF 1.0), made up products, deterministic from a seed. Full size is about 25,000
// VMPs, 150,000 AMPs, 180,000 AMPPs and 150,000 GTINs; `scale` divides every count. Release N of
// a seed is the same dictionary N-1 weeks later: some VMP codes change (VPIDPREV, chained over
// releases), some packs are withdrawn, prices move. Edge cases on purpose: 13-digit GTINs, GTIN
// ranges that ended, a GTIN moved from one pack to another, controlled drugs of every
// category, packs without a price, combination packs, invalid entries, names with '&'.

#include <cstdint>
#include <filesystem>
#include <string>

#include "bcma/core/result.hpp"

namespace bcma::tools::dmdgen {

struct Options {
  std::uint64_t seed = 1;
  int scale = 1;    ///< divides every count: 1 full size, 50 for tests
  int release = 1;  ///< 1, 2, 3...: successive weekly releases of the same dictionary
  bool bnf = false; ///< also write the bonus BNF file
};

struct Summary {
  std::string release_date;  ///< YYYY-MM-DD
  std::int64_t vtms = 0, ingredients = 0, vmps = 0, amps = 0, vmpps = 0, ampps = 0, gtins = 0;
  std::int64_t code_changes = 0;  ///< VMPs carrying a VPIDPREV
  std::uint64_t bytes = 0;        ///< XML written
};

/// Writes f_*.xml files into `dir` (created if missing). Errors: `io_error`, `invalid_argument`.
Result<Summary> write_release(const std::filesystem::path& dir, const Options& options);

/// Packs the release in `dir` as NHSBSA does: the core files in `zip`, the GTIN file in a zip
/// of its own inside it (and the BNF file likewise, when present). Errors: `io_error`.
Result<void> zip_release(const std::filesystem::path& dir, const std::filesystem::path& zip);

/// The zip name NHSBSA would give this release: nhsbsa_dmd_<version>_<YYYYMMDD>000001.zip.
std::string release_zip_name(const Options& options);

}  // namespace bcma::tools::dmdgen
