#pragma once
// Private to the service: the rules engine's snapshot built from the store, for an item scan
// at the station and again, at the record's event time, when an outcome is recorded.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/rules/engine.hpp"
#include "bcma/station/service/requests.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::service::detail {

/// How far back history is read: the engine needs 24 hours, 48 are advised (docs/rules.md).
inline constexpr std::chrono::hours kHistorySpan{48};

struct EvalInput {
  std::optional<domain::ResidentId> resident_id;  ///< nullopt: no wristband scanned
  const ScanInput* item = nullptr;                ///< nullptr: nothing scanned
  /// The pack identified by hand: for an item that could not be scanned, or a scanned pack
  /// whose GTIN the home's dm+d data does not know.
  std::optional<domain::SnomedId> manual_ampp;
  std::optional<domain::Decimal> quantity;
  domain::Instant at{};
  /// Doses accepted earlier in the same group commit, not yet in the store.
  std::span<const domain::PastDose> pending;
  /// A record that the one being checked corrects: it no longer counts (lower-case UUID).
  std::optional<std::string> excluded_record;
};

/// Everything the verdict was made from (the snapshot points into it).
struct Evaluation {
  rules::Policy policy;
  std::optional<domain::Resident> resident;
  std::optional<scan::Scan> scan;
  std::optional<domain::ProductMatch> product;
  std::optional<store::DispensedItem> label;  ///< the pharmacy label, when the store knows it
  std::optional<domain::Resident> label_owner;
  std::vector<domain::Prescription> prescriptions;
  std::vector<domain::PastDose> history;
  std::vector<domain::Recall> recalls;
  rules::Verdict verdict;
};

/// The stored policy, or the defaults when the home has none yet.
/// Errors: `corrupt_data`, `sqlite_error`.
Result<rules::Policy> load_policy(store::Store& store);

/// Builds the snapshot and runs the engine at `input.at`. An item typed by hand or identified
/// by hand is checked in full (as the pack it names) and gets an extra `invalid_barcode`
/// reason (`unknown_product` for a scanned pack the home does not know), so that giving it
/// needs an override by someone allowed to confirm a manual identification.
/// Errors: `unknown_resident`, `sqlite_error`, `corrupt_data`.
Result<Evaluation> evaluate_item(store::Store& store, const scan::Context& context,
                                 const EvalInput& input);

/// Adds a reason to a finished verdict, keeping the engine's order (most severe first), its
/// decision (the most severe) and its summary wording.
void add_reason(rules::Verdict& verdict, rules::Reason reason, const rules::Policy& policy);

/// The past dose a record will become, for checking the records after it in a batch.
domain::PastDose past_dose_of(const store::NewAdministration& record,
                              const std::optional<domain::ProductMatch>& product);

}  // namespace bcma::station::service::detail
