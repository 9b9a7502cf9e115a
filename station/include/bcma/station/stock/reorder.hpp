#pragma once
/// \file
/// The order for the next cycle: what each resident's prescriptions will need over 28 days
/// (regular doses from the schedules, PRN from recent use), less the stock that can still be
/// used. Expiring stock (batches that expire before the cycle ends, consumed first-expiry-first)
/// and stock of medicines no longer prescribed are not usable, so the home stops ordering
/// against stock it will throw away.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/decimal.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/stock/cycle.hpp"

namespace bcma::station::store {
class Store;
}

namespace bcma::station::stock {

struct ReorderLine {
  domain::ResidentId resident_id = 0;
  std::string resident;
  domain::PrescriptionId prescription_id = 0;
  domain::SnomedId vmp_id;
  std::string medication;
  bool as_needed = false;
  int scheduled_doses = 0;       ///< regular doses due in the cycle
  domain::Decimal need;          ///< dose units the cycle needs
  domain::Decimal on_hand;       ///< the resident's balance of matching stock at cycle start
  domain::Decimal expiring;      ///< of on_hand: expires before the cycle ends
  domain::Decimal usable;        ///< on_hand - expiring (never below 0)
  domain::Decimal order;         ///< max(0, need - usable)
  std::optional<domain::SnomedId> pack_ampp_id;  ///< the pack last dispensed, else any AMPP
  domain::Decimal pack_size;     ///< 0 when not known
  std::int64_t packs = 0;        ///< order rounded up to whole packs (0 when pack size unknown)
};

/// Stock that will not be used: to return or destroy instead of carrying forward.
struct UnusableStock {
  domain::ResidentId resident_id = 0;
  std::string resident;
  domain::SnomedId amp_id;
  std::string product;
  domain::Decimal quantity;
  std::string why;  ///< "no active prescription", "expires 2026-02-10"
};

struct ReorderProposal {
  Cycle cycle;
  std::vector<ReorderLine> lines;  ///< by resident, then prescription
  std::vector<UnusableStock> unusable;
};

/// The proposal for `cycle`, from the prescriptions in force at its start, PRN use in the 28
/// days before it and the ledger up to its start. Errors: `sqlite_error`, `corrupt_data`.
Result<ReorderProposal> reorder_proposal(store::Store& store, const Cycle& cycle);

}  // namespace bcma::station::stock
