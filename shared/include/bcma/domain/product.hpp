#pragma once
/// \file
/// Medicines as the NHS dictionary of medicines and devices (dm+d) describes them:
/// VTM (substance, "Paracetamol") > VMP (generic product, "Paracetamol 500mg tablets") >
/// AMP (a supplier's product) > AMPP (a pack, identified on the shelf by GTINs).
/// Identifiers are SNOMED CT codes held as strings (up to 18 digits).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bcma/domain/decimal.hpp"

namespace bcma::domain {

using SnomedId = std::string;

/// dm+d controlled drug categories (lookup CONTROL_DRUG_CATEGORY).
enum class ControlledDrugCategory : std::uint8_t {
  kNone = 0,              ///< 0000
  kSchedule1 = 1,         ///< 0001
  kSchedule2 = 2,         ///< 0002
  kSchedule2Exempt = 3,   ///< 0003 Schedule 2 (CD exempt safe custody)
  kSchedule3 = 4,         ///< 0004..0007 Schedule 3 variants are folded here; keep the code too
  kSchedule4 = 8,         ///< 0008 / 0009
  kSchedule5 = 10,        ///< 0010
};

/// An active ingredient and its strength per unit dose (e.g. 500 mg per tablet).
struct Ingredient {
  SnomedId substance_id;      ///< dm+d ingredient (ISID)
  std::string name;           ///< "Paracetamol"
  Decimal strength;           ///< per unit dose, in `strength_unit`
  std::string strength_unit;  ///< "mg", "microgram", "ml"...
};

struct Vtm {
  SnomedId id;
  std::string name;
};

struct Vmp {
  SnomedId id;
  std::string name;                     ///< "Paracetamol 500mg tablets"
  std::optional<SnomedId> vtm_id;
  std::vector<Ingredient> ingredients;  ///< combination products have several
  std::vector<SnomedId> route_ids;      ///< dm+d routes (SNOMED), e.g. 26643006 oral
  std::string unit_dose_unit;           ///< what one dose unit is: "tablet", "ml", "patch"
  std::string controlled_drug_code;     ///< the 4-digit dm+d code, "0000" when none
  ControlledDrugCategory controlled_drug = ControlledDrugCategory::kNone;
  bool invalid = false;
};

struct Amp {
  SnomedId id;
  SnomedId vmp_id;
  std::string name;      ///< "Panadol 500mg tablets"
  std::string supplier;
};

struct Ampp {
  SnomedId id;
  SnomedId amp_id;
  std::string name;                 ///< "Panadol 500mg tablets (GSK) 32 tablet"
  Decimal pack_size;                ///< in the VMP's unit dose unit, when known
  std::optional<std::int64_t> price_pence;
};

/// What a scanned GTIN resolved to, with everything the rules need about the product.
struct ProductMatch {
  std::string gtin;  ///< 14 digits
  Ampp ampp;
  Amp amp;
  Vmp vmp;
  std::optional<Vtm> vtm;
};

/// A batch the manufacturer or MHRA has recalled.
struct Recall {
  std::string gtin;   ///< 14 digits; empty means every GTIN of `vmp_id`
  SnomedId vmp_id;    ///< used when gtin is empty
  std::string batch;  ///< AI 10 value
  std::string reference;  ///< e.g. the MHRA drug alert number, shown to the care worker
};

}  // namespace bcma::domain
