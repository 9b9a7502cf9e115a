#pragma once
// Private to the store: how domain values are written into SQLite columns and hashed. Every
// text code here is part of the file format (docs/store.md): never rename one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"
#include "bcma/domain/administration.hpp"
#include "bcma/domain/decimal.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::store::codec {

// Instants are stored as integer seconds since the Unix epoch (UTC).
inline std::int64_t to_db(domain::Instant t) { return t.time_since_epoch().count(); }
inline domain::Instant instant_from_db(std::int64_t s) {
  return domain::Instant{std::chrono::seconds{s}};
}
// Quantities are stored as integer thousandths (Decimal's own representation).
inline std::int64_t to_db(domain::Decimal d) { return d.thousandths(); }
inline domain::Decimal decimal_from_db(std::int64_t t) { return domain::Decimal::from_thousandths(t); }

/// "2026-03-29": dates are stored as ISO text so that they sort and compare as text.
std::string date_text(domain::Date d);
std::optional<domain::Date> parse_date_text(std::string_view text);
/// "2026-03-29T07:00:00Z", for audit payloads.
std::string instant_text(domain::Instant t);
/// "2", "2.5", "-0.125": exact, for audit payloads.
std::string decimal_text(domain::Decimal d);

/// Appends `value` as a length-prefixed field: decimal byte count, ':', bytes, ','.
void put_field(std::string& out, std::string_view value);
void put_field(std::string& out, std::int64_t value);
/// SHA-256 of `data`, lower-case hex. Errors: crypto_failure.
Result<std::string> sha256_hex(std::string_view data);

/// A UUID in 8-4-4-4-12 hex form, lower-cased; nullopt otherwise.
std::optional<std::string> normalise_uuid(std::string_view text);
bool all_digits(std::string_view s);

std::string_view to_text(domain::Outcome o);
std::optional<domain::Outcome> outcome_from_text(std::string_view s);
std::string_view to_text(rules::Decision d);
std::optional<rules::Decision> decision_from_text(std::string_view s);
std::string_view to_text(domain::Role r);
std::optional<domain::Role> role_from_text(std::string_view s);
std::string_view to_text(domain::ResidentStatus s);
std::optional<domain::ResidentStatus> resident_status_from_text(std::string_view s);
std::string_view to_text(domain::Allergy::Level l);
std::optional<domain::Allergy::Level> allergy_level_from_text(std::string_view s);
std::string_view to_text(domain::PrescriptionStatus s);
std::optional<domain::PrescriptionStatus> prescription_status_from_text(std::string_view s);
std::string_view to_text(domain::MedicationLevel l);
std::optional<domain::MedicationLevel> medication_level_from_text(std::string_view s);
std::string_view to_text(domain::DayPattern::Kind k);
std::optional<domain::DayPattern::Kind> day_kind_from_text(std::string_view s);
std::string_view to_text(StockKind k);
std::optional<StockKind> stock_kind_from_text(std::string_view s);
/// Controlled drug categories are stored as their enum number (0, 1, 2, 3, 4, 8, 10).
std::optional<domain::ControlledDrugCategory> cd_category_from_db(std::int64_t v);

}  // namespace bcma::station::store::codec
