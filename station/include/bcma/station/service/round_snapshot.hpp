#pragma once
/// \file
/// What the service hands a scanner for protocol 1.1 (docs/protocol.md): the round snapshot a
/// scanner keeps so that it can check scans itself while the station is away, and the answer
/// to a witness confirming at the trolley. Domain types only: the network server turns them
/// into bcma.v1 messages.

#include <chrono>
#include <string>
#include <vector>

#include "bcma/domain/administration.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::service {

/// How long a scanner may check offline with one snapshot. Offline checks cannot see what
/// other scanners record, so the data is trusted for about one medication round, not a shift.
inline constexpr std::chrono::hours kSnapshotValidity{4};

/// A past dose and whose it was.
struct SnapshotDose {
  domain::ResidentId resident_id = 0;
  domain::PastDose dose;
};

/// Everything the rules engine needs to check scans on a scanner, as of `generated_at`.
struct RoundSnapshotData {
  domain::Instant generated_at{};
  domain::Instant valid_until{};
  /// Everyone the home still cares for (discharged and deceased residents are left out).
  std::vector<domain::Resident> residents;
  /// The prescriptions in force now for those residents (the store's current versions).
  std::vector<domain::Prescription> prescriptions;
  /// Every pack (by GTIN, valid today) of a product those prescriptions name.
  std::vector<domain::ProductMatch> products;
  std::vector<SnapshotDose> history;  ///< the last 48 hours (rules need 24)
  std::vector<domain::Recall> recalls;
  rules::Policy policy;
  std::vector<store::NonAdministrationCode> codes;  ///< the active ones
  std::vector<std::string> nhs_gsrn_prefixes;
  domain::Role staff_role = domain::Role::kCareWorker;  ///< of the signed-in member of staff
};

/// A witness confirmed at the trolley with badge and PIN. The id stands for the PIN in the
/// record that follows, so no PIN is ever kept in a scanner's outbox.
struct WitnessConfirmed {
  std::string confirmation_id;
  domain::Staff witness;
};

}  // namespace bcma::station::service
