#pragma once
// Private: the work of one import inside its transaction. Files are read in `kImportOrder`;
// each record is checked against what earlier files defined (the id indexes) and written to
// the store's product tables and the dm+d detail tables (docs/dmd-import.md).

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/station/dmd/import.hpp"
#include "bcma/station/store/database.hpp"
#include "id_index.hpp"
#include "record_parser.hpp"
#include "release_files.hpp"

namespace bcma::station::dmd::detail {

class Importer {
 public:
  Importer(store::Database& db, const ReleaseFiles& files, std::int64_t release_id, ProgressSink* progress)
      : db_(db), files_(files), release_id_(release_id), progress_(progress) {}

  /// Empties what a release replaces whole (lookups, ingredients, GTINs, pack contents).
  Result<void> prepare();
  /// Reads one file of the release (absent optional files are skipped).
  Result<void> import_file(FileKind kind);
  /// Deletes (or keeps, when history names them) products the release no longer has, and
  /// brings the code history up to date.
  Result<void> finish();

  std::map<std::string, std::int64_t>& counts() { return counts_; }

 private:
  using Handler = Result<void> (Importer::*)(const Record&);

  Result<void> on_record(FileKind kind, const Record& r);
  Result<void> on_section_end(FileKind kind, std::string_view section);

  // lookup, ingredient, VTM, VMP (handlers_core.cpp)
  Result<void> lookup_info(const Record& r);
  Result<void> ingredient(const Record& r);
  Result<void> vtm(const Record& r);
  Result<void> vmp(const Record& r);
  Result<void> vmp_ingredient(const Record& r);
  Result<void> vmp_ont_form(const Record& r);
  Result<void> vmp_form(const Record& r);
  Result<void> vmp_route(const Record& r);
  Result<void> vmp_control(const Record& r);
  // AMP, VMPP, AMPP, GTIN, BNF (handlers_packs.cpp)
  Result<void> amp(const Record& r);
  Result<void> amp_ingredient(const Record& r);
  Result<void> amp_route(const Record& r);
  Result<void> amp_info(const Record& r);
  Result<void> vmpp(const Record& r);
  Result<void> vmpp_tariff(const Record& r);
  Result<void> vmpp_content(const Record& r);
  Result<void> ampp(const Record& r);
  Result<void> ampp_detail(const Record& r);
  Result<void> ampp_price(const Record& r);
  Result<void> ampp_content(const Record& r);
  Result<void> gtin(const Record& r);
  Result<void> bnf_vmp(const Record& r);
  Result<void> bnf_amp(const Record& r);

  // Helpers (importer.cpp).
  /// The description of `code` in lookup `section`. Errors: broken_reference.
  Result<std::string> lookup(std::string_view section, std::string_view code, std::string_view what);
  /// Checks an optional lookup code. Errors: broken_reference.
  Result<void> check_lookup(std::string_view section, const Record& r, int field, std::string_view what);
  /// The entry of an id that must exist. Errors: invalid_value, broken_reference.
  Result<IndexEntry*> require(IdIndex& index, std::string_view kind_name, std::string_view text,
                              std::string_view what);
  /// Runs SQL with `bind` applied. A UNIQUE failure becomes duplicate_record with `what`.
  Result<void> exec(std::string_view sql, const std::function<void(store::Statement&)>& bind,
                    std::string_view what = {});
  std::string file_name(FileKind kind) const;
  void report(bool file_done);

  store::Database& db_;
  const ReleaseFiles& files_;
  std::int64_t release_id_;
  ProgressSink* progress_;
  std::map<std::string, std::int64_t> counts_;

  // section -> code -> description
  std::unordered_map<std::string, std::unordered_map<std::string, std::string>> lookups_;
  std::unordered_map<std::uint64_t, std::string> ingredient_names_;
  IdIndex ingredients_, vtms_, vmps_, amps_, vmpps_, ampps_;
  struct CodeChange {
    std::uint64_t old_id;
    std::uint64_t new_id;
    std::string changed_on;
  };
  std::vector<CodeChange> vmp_changes_, vtm_changes_;

  // progress
  Progress progress_state_;
  std::uint64_t next_report_ = 0;
  FileKind current_ = FileKind::kLookup;
};

}  // namespace bcma::station::dmd::detail
