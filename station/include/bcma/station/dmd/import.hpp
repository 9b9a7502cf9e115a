#pragma once
/// \file
/// Importing an NHS dm+d release (NHSBSA's weekly XML files) into the station store: the
/// store's product tables (vtm, vmp, vmp_ingredients, vmp_routes, amp, ampp, gtins) and the
/// dm+d detail tables beside them (docs/dmd-import.md). Each file is streamed through expat;
/// nothing is held whole. The import is one transaction: any error leaves the database exactly
/// as it was.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/records.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::dmd {

/// How far an import has got; reported after each file and every few thousand records.
struct Progress {
  std::string file;              ///< "f_amp2_3010617.xml"
  int file_index = 0;            ///< 1-based, of `file_count`
  int file_count = 0;
  std::uint64_t file_records = 0;   ///< records read from this file so far
  std::uint64_t total_records = 0;  ///< records read from every file so far
  bool file_done = false;
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void on_progress(const Progress& progress) = 0;
};

struct ImportOptions {
  /// Import even if the database holds a newer release.
  bool force = false;
  /// Optional; called on the importing thread.
  ProgressSink* progress = nullptr;
};

/// What an import did.
struct ImportReport {
  std::int64_t release_id = 0;     ///< row of dmd_releases
  domain::Date release_date{};     ///< from the file names (DDMMYY)
  std::string version;             ///< from a nhsbsa_dmd_<version>_... name, or ""
  std::string source;              ///< the path imported
  /// Records per kind: "lookups", "ingredients", "vtms", "vmps", "amps", "vmpps", "ampps",
  /// "gtins", "bnf", and what was not in the release any more: "withdrawn_deleted",
  /// "withdrawn_kept" (still named by administrations, stock or labels), "code_changes".
  std::map<std::string, std::int64_t> counts;
};

/// Imports the release at `path`: a folder of f_*.xml files or the release zip (nested zips
/// such as the GTIN file are opened). The release replaces the one held: rows of products no
/// longer in it are deleted, or kept and marked withdrawn while history names them; previous
/// VMP and VTM codes (VPIDPREV, VTMIDPREV) keep resolving to their current code. One audit
/// entry ("config", subject "dmd_release:<id>") records the import.
///
/// Errors (the message says file, line and reason): `io_error`, `bad_zip`, `missing_file`,
/// `mixed_release`, `malformed_xml` (also a truncated file), `unknown_schema`,
/// `invalid_value`, `duplicate_record`, `broken_reference`, `older_release` (the database
/// holds a release dated after this one; see `ImportOptions::force`), `database_busy`,
/// `sqlite_error`, `crypto_failure` (the audit entry). On any error nothing is changed.
Result<ImportReport> import_release(store::Store& store, const std::filesystem::path& path,
                                    const store::Actor& actor, const ImportOptions& options = {});

}  // namespace bcma::station::dmd
