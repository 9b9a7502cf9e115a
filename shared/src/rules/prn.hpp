#pragma once
// Doses that must keep apart and add up: the minimum interval between doses, and the maxima in
// any rolling 24 hours, per prescription in dose units and per ingredient across products.

#include <optional>
#include <span>
#include <vector>

#include "bcma/domain/administration.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/rules/reason.hpp"

namespace bcma::rules::detail {

/// Everything the interval and maxima checks look at for one dose of `rx`.
struct DoseContext {
  const domain::Prescription& rx;                       ///< the prescription the dose is for
  const domain::ProductMatch& product;                  ///< what is being given
  std::span<const domain::Prescription> prescriptions;  ///< the resident's, for limits and names
  domain::ResidentId resident_id;
  std::span<const domain::PastDose> history;
  const Policy& policy;
  domain::Instant now;
};

/// prn_too_soon when the last dose of `rx`, or of anything sharing an active ingredient with
/// the product, was taken less than the PRN minimum interval ago.
std::optional<Reason> check_min_interval(const DoseContext& c);

struct MaximaFinding {
  std::vector<Reason> reasons;                  ///< prn_max_exceeded, one per limit broken
  std::optional<domain::Decimal> narrowed_max;  ///< the most of `dose` that fits, when less
};
/// prn_max_exceeded when giving `quantity` (or, when it is nullopt, the least of `dose`) would
/// break `rx`'s own 24-hour maximum in dose units, or any ingredient's tightest limit: each
/// PRN prescription's maximum turned into an ingredient amount by its strength, and the home's
/// ingredient limits. Counts every product taken in the 24 hours before now.
MaximaFinding check_maxima(const DoseContext& c, const domain::DoseRange& dose,
                           std::optional<domain::Decimal> quantity);

}  // namespace bcma::rules::detail
