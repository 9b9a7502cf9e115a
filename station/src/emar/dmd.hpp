#pragma once
// Private to the eMAR feed: what a dm+d code is in the home's dm+d tables. The store offers
// lookups by GTIN and AMPP; the feed needs lookups by VMP/AMP/VTM id, so they live here (read-only
// SQL on the store's own tables).

#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::emar::detail {

enum class DmdKind : std::uint8_t { kUnknown, kVtm, kVmp, kAmp, kAmpp };

struct VmpInfo {
  domain::SnomedId id;
  std::string name;
  std::string unit_dose_unit;
  bool invalid = false;
  std::vector<domain::Ingredient> ingredients;
  std::vector<domain::SnomedId> route_ids;
};

/// A prescribable product: a VMP, or an AMP with its VMP.
struct DmdProduct {
  domain::MedicationLevel level = domain::MedicationLevel::kVmp;
  domain::SnomedId id;
  std::string name;
  VmpInfo vmp;
};

struct DmdPack {
  domain::SnomedId ampp_id;
  std::string name;
  domain::SnomedId amp_id;
  std::string amp_name;
  VmpInfo vmp;
};

/// Which table holds `code`. Errors: `sqlite_error`.
Result<DmdKind> classify_code(store::Database& db, const std::string& code);
/// The VMP or AMP `code` (nullopt if it is neither). Errors: `sqlite_error`.
Result<std::optional<DmdProduct>> product(store::Database& db, const std::string& code);
/// The AMPP `code` (nullopt if it is not one). Errors: `sqlite_error`.
Result<std::optional<DmdPack>> pack(store::Database& db, const std::string& code);
/// An AMP's name (nullopt if unknown). Errors: `sqlite_error`.
Result<std::optional<std::string>> amp_name(store::Database& db, const std::string& amp_id);

std::string_view to_string(DmdKind k);  ///< "VTM", "VMP", "AMP", "AMPP", "unknown"

}  // namespace bcma::station::emar::detail
