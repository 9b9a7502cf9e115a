#pragma once
// The checks behind `evaluate`: the resident, the scanned item, the product, and one candidate
// prescription. Each appends reasons; `engine.cpp` chooses the prescription and decides.

#include <chrono>
#include <optional>
#include <vector>

#include "bcma/rules/engine.hpp"

namespace bcma::rules::detail {

struct Context {
  const Snapshot& snapshot;
  const domain::Resident& resident;
  const Policy& policy;
  domain::Instant now;
};

/// The scanned item, when it is something a dose can come from.
struct Item {
  const scan::MedicinePack* pack = nullptr;
  const scan::PharmacyLabel* label = nullptr;
  bool usable() const { return pack != nullptr || label != nullptr; }
};

/// resident_not_present, resident_discharged.
void check_resident(const Context& c, std::vector<Reason>& out);
/// invalid_barcode (not a pack or label, or an impossible expiry), wrong_resident (a label for
/// someone else).
Item check_item(const Context& c, std::vector<Reason>& out);
/// unknown_product when the item did not resolve to a product.
void report_unknown_product(const Context& c, const Item& item, std::vector<Reason>& out);
/// expired, recalled_batch, batch_unverified, allergy, controlled_drug_witness_required.
/// Returns whether a witness is required.
bool check_product(const Context& c, const Item& item, const domain::ProductMatch& product,
                   std::vector<Reason>& out);
/// not_prescribed, naming prescriptions that share an ingredient.
void report_not_prescribed(const Context& c, const domain::ProductMatch& product,
                           std::vector<Reason>& out);

/// One prescription this scan might answer, and what giving it now would mean.
struct Assessment {
  const domain::Prescription* rx = nullptr;
  bool brand_mismatch = false;
  /// How plausibly the scan answers it, lower first: 0 a regular dose due now, 1 a PRN that
  /// can be given, 2 a regular one at the wrong time, 3 one not in force; +4 another brand.
  int plausibility = 0;
  std::vector<Reason> reasons;
  Decision worst = Decision::kProceed;
  std::optional<domain::Instant> slot;
  std::chrono::seconds distance{0};  ///< |now - slot|, for ties
  domain::DoseRange dose;
};
Assessment assess(const Context& c, const domain::ProductMatch& product,
                  const domain::Prescription& rx, bool brand_mismatch);

}  // namespace bcma::rules::detail
