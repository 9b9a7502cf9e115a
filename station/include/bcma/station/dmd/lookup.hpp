#pragma once
/// \file
/// Read-only questions about the dm+d data a station holds: what a GTIN is on a date, a VMP or
/// an AMP by id (old codes resolve through their history), products by name, and the release
/// imported. Plain SQL on the store's tables; safe to run while a scanner uses the file.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::dmd {

struct Named {
  std::string id;
  std::string name;
};

/// A pack as the scanner meets it.
struct GtinLookup {
  std::string gtin;  ///< 14 digits
  Named ampp;
  Named amp;
  Named vmp;
  std::optional<Named> vtm;
  std::string controlled_drug_category;  ///< the dm+d code, "0000" none ... "0010" Schedule 5
  std::optional<std::int64_t> price_pence;
  std::string legal_category;  ///< "0001" GSL, "0002" P, "0003" POM; "" when not imported
};

struct IngredientStrength {
  Named substance;
  std::string numerator;        ///< as published, "500"; "" when dm+d gives no strength
  std::string numerator_unit;   ///< "mg"
  std::string denominator;      ///< "5", or ""
  std::string denominator_unit; ///< "ml", or ""
};

struct VmpLookup {
  Named vmp;
  std::optional<std::string> requested_id;  ///< the code asked for, when it was an old one
  std::optional<Named> vtm;
  bool invalid = false;
  bool withdrawn = false;  ///< no longer in the release, kept because records name it
  std::string controlled_drug_category;
  std::string controlled_drug_description;
  std::string unit_dose_unit;       ///< "tablet", "ml"
  std::string unit_dose_form_size;  ///< UDFS, e.g. "1"; "" for continuous forms
  std::string unit_dose_form_unit;  ///< UDFS unit name
  std::string form;                 ///< "Tablet"
  std::vector<Named> routes;
  std::vector<IngredientStrength> ingredients;
  std::vector<std::string> previous_ids;  ///< codes that now resolve to this VMP
  std::string bnf_code;
  std::string atc_code;
  std::int64_t amps = 0;
};

struct PackLookup {
  Named ampp;
  std::string legal_category;
  std::optional<std::int64_t> price_pence;
  bool invalid = false;
  struct Gtin {
    std::string gtin;
    std::string start;
    std::string end;  ///< "" when open
  };
  std::vector<Gtin> gtins;
  std::vector<std::string> components;  ///< AMPPs in a combination pack
};

struct AmpLookup {
  Named amp;
  Named vmp;
  std::string supplier;
  bool invalid = false;
  bool withdrawn = false;
  std::vector<PackLookup> packs;
};

struct NameMatch {
  std::string level;  ///< "vtm", "vmp", "amp", "ampp"
  std::string id;
  std::string name;
};

struct ReleaseRecord {
  std::int64_t id = 0;
  std::string release_date;
  std::string version;
  std::string source;
  std::string counts;  ///< JSON object
  bool forced = false;
  std::int64_t imported_at = 0;  ///< Unix seconds
};

/// What `gtin` (13 or 14 digits) identified on `date`; with several mappings in force, the
/// latest start wins. Errors: `invalid_gtin`, `unknown_gtin` (never in the data held),
/// `gtin_not_in_force` (known, but no mapping covers `date`), `sqlite_error`.
Result<GtinLookup> lookup_gtin(store::Database& db, std::string_view gtin, domain::Date date);

/// A VMP by id; a previous code (VPIDPREV) gives the VMP now in force with `requested_id` set.
/// Errors: `unknown_product`, `sqlite_error`.
Result<VmpLookup> lookup_vmp(store::Database& db, std::string_view id);

/// An AMP with its packs and their GTINs. Errors: `unknown_product`, `sqlite_error`.
Result<AmpLookup> lookup_amp(store::Database& db, std::string_view id);

/// Products whose name contains `fragment` (case-insensitive for ASCII letters), VTMs first,
/// then VMPs, AMPs and AMPPs, each in name order; at most `limit`. Errors: `invalid_argument`
/// (empty fragment), `sqlite_error`.
Result<std::vector<NameMatch>> search_name(store::Database& db, std::string_view fragment, int limit);

/// The latest release imported, or nullopt. Errors: `sqlite_error`.
Result<std::optional<ReleaseRecord>> current_release(store::Database& db);

}  // namespace bcma::station::dmd
