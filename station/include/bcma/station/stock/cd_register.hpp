#pragma once
/// \file
/// The controlled drugs register, derived from the ledger: one page per product per resident
/// (or the home's own stock), every receipt, administration, waste, return and adjustment with
/// the running balance and both signatures, and every count compared with the balance.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/decimal.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"

namespace bcma::station::store {
class Store;
}

namespace bcma::station::stock {

struct CdRegisterEntry {
  domain::Instant at{};
  std::string kind;  ///< a ledger kind ("receipt", "administration", ...) or "count"
  domain::Decimal quantity;  ///< signed movement; 0 for a count
  domain::Decimal balance;   ///< running balance after this entry
  std::string staff;         ///< who (name); empty when the system wrote it
  std::string witness;       ///< second signature (name); empty when missing
  std::string reason;
  std::optional<domain::Decimal> counted;  ///< for a count: what was counted
  /// What is wrong with this entry: "" (nothing), "no second signature", "count disagrees
  /// with balance (counted X, balance Y)".
  std::string problem;
};

struct CdRegisterPage {
  domain::SnomedId amp_id;
  std::string product;
  std::optional<domain::ResidentId> resident_id;
  std::string resident;             ///< display name, "home stock" when none
  domain::Decimal opening_balance;  ///< before the first entry shown
  domain::Decimal closing_balance;
  std::vector<CdRegisterEntry> entries;  ///< in [from, to), oldest first
  int unsigned_entries = 0;  ///< movements without two signatures
  int incidents = 0;         ///< counts that disagreed with the balance
};

/// Every page with an entry in [from, to) or a non-zero balance at `to`, for the controlled
/// drug categories the policy wants witnessed (Schedule 2, 2 exempt and 3 when no policy).
/// Errors: `sqlite_error`, `corrupt_data`.
Result<std::vector<CdRegisterPage>> cd_register(store::Store& store, domain::Instant from,
                                                domain::Instant to);

}  // namespace bcma::station::stock
