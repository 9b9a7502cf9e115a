#pragma once
// Private to the eMAR feed: FHIR dose quantities as amounts of the product's unit dose
// ("1 g" of paracetamol 500 mg tablets = 2 tablets), exactly or not at all.

#include <optional>
#include <string>

#include "bcma/domain/decimal.hpp"
#include "bcma/domain/prescription.hpp"
#include "dmd.hpp"
#include "fhir_json.hpp"

namespace bcma::station::emar::detail {

struct DoseAmount {
  domain::Decimal units;  ///< in the VMP's unit dose unit
  std::string as_written; ///< "1 g", "2 tablet"
  bool converted = false; ///< given by mass and converted through the strength
};

/// A FHIR Quantity in `vmp`'s unit dose unit. The unit may be that unit (singular or plural,
/// any case; UCUM "mL" for ml) or a mass (g, mg, microgram, nanogram), converted through the
/// VMP's single active ingredient strength. A conversion must be exact; unless the unit is ml it
/// must also give whole units (`whole_units`), since the station never turns a dose by mass into
/// part of a tablet. Problems: invalid_resource, unsupported_dose, dose_not_convertible.
std::optional<DoseAmount> dose_units(const Json& quantity, const std::string& pointer,
                                     const VmpInfo& vmp, bool whole_units, Problems& problems);

/// Dosage.doseAndRate as the prescription's dose range (and the text the dose was written as).
struct DoseResult {
  domain::DoseRange range;
  std::string as_written;  ///< set when a mass was converted: "1 g"
};
std::optional<DoseResult> dosage_dose(const Json& dosage, const std::string& pointer,
                                      const VmpInfo& vmp, Problems& problems);

/// Dosage.maxDosePerPeriod as dose units in 24 hours (nullopt if absent or refused); also
/// refuses maxDosePerLifetime and checks maxDosePerAdministration against `dose`.
std::optional<domain::Decimal> dosage_max_per_24h(const Json& dosage, const std::string& pointer,
                                                  const VmpInfo& vmp,
                                                  const std::optional<DoseResult>& dose,
                                                  Problems& problems);

/// "tablets" -> "tablet", "mL" -> "ml", "Tablet(s)" -> "tablet": for comparing unit names.
std::string normalise_unit(std::string_view unit);

}  // namespace bcma::station::emar::detail
