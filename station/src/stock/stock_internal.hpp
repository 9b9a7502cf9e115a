#pragma once
// Private to the stock module (and read by the reports): column encodings shared with the
// store (docs/store.md: thousandths, Unix seconds, ISO dates), product facts, and the ledger
// write used inside this module's own transactions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/decimal.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/audit_log.hpp"
#include "bcma/station/store/database.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::store {
class Store;
}

namespace bcma::station::stock::detail {

inline domain::Decimal dec(std::int64_t thousandths) {
  return domain::Decimal::from_thousandths(thousandths);
}
inline std::int64_t to_db(domain::Decimal d) { return d.thousandths(); }
inline std::int64_t to_db(domain::Instant t) { return t.time_since_epoch().count(); }
inline domain::Instant instant(std::int64_t seconds) {
  return domain::Instant{std::chrono::seconds{seconds}};
}
std::string_view kind_text(store::StockKind k);

/// What the ledger and the reports need to know about a pack.
struct PackInfo {
  domain::SnomedId ampp_id;
  domain::SnomedId amp_id;
  domain::SnomedId vmp_id;
  std::string ampp_name;
  std::string amp_name;
  std::string vmp_name;
  int cd_category = 0;  ///< domain::ControlledDrugCategory as its number
  domain::Decimal pack_size;
  std::optional<std::int64_t> price_pence;
};
/// Errors: `unknown_product`, `sqlite_error`.
Result<PackInfo> pack_info(store::Database& db, const domain::SnomedId& ampp_id);
/// The controlled drug category of an AMP's VMP. Errors: `unknown_product`, `sqlite_error`.
Result<int> amp_cd_category(store::Database& db, const domain::SnomedId& amp_id);

/// The categories that need two signatures: the policy's witness categories, or Schedule 2,
/// 2 (safe custody exempt) and 3 when the home has no policy yet. Errors: `sqlite_error`,
/// `corrupt_data`.
Result<std::vector<int>> register_categories(store::Store& store);
bool in_categories(const std::vector<int>& categories, int category);

/// Errors: `unknown_staff`, `sqlite_error`.
Result<std::string> staff_name(store::Database& db, domain::StaffId id);
/// The actor must be a person (who signs), and a witness someone else.
/// Errors: `unknown_staff`, `invalid_witness`, `sqlite_error`.
Result<void> check_signatures(store::Database& db, const store::Actor& actor,
                              std::optional<domain::StaffId> witness);

/// A stock event may not lie in the future (beyond the store's clock skew allowance of 10
/// minutes): a count or a delivery is recorded when it happened or after. Errors: `invalid_time`.
Result<void> check_event_time(domain::Instant at, domain::Instant now);

/// Ledger balance of (AMP, resident or home) over entries with event_time < `before`.
Result<domain::Decimal> balance_before(store::Database& db, const domain::SnomedId& amp_id,
                                       std::optional<domain::ResidentId> resident,
                                       domain::Instant before);

/// Inserts a ledger row and its `stock` audit entry; the caller holds the write transaction.
/// Errors: `sqlite_error`, `crypto_failure`.
Result<std::int64_t> write_ledger(store::Database& db, const store::StockEntry& entry,
                                  const store::Actor& actor, domain::Instant entered_at);

}  // namespace bcma::station::stock::detail
