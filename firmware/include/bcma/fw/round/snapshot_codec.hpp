#pragma once
/// \file
/// The round snapshot (proto/bcma/v1/offline.proto) to and from the shared domain types the
/// rules engine reads. Both directions: the scanner decodes; the station (and the test
/// station) encode. Pure: no I/O. Enumerations travel as the domain's stable snake_case names.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/administration.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/v1/offline.pb.h"

namespace bcma::fw::round {

/// A non-administration code the care worker can choose (the home's list).
using OutcomeCode = domain::NonAdministrationCode;

/// A past dose and whose it was.
struct ResidentDose {
  domain::ResidentId resident_id = 0;
  domain::PastDose dose;
};

/// Everything a scanner needs to check scans on its own for a while.
struct OfflineData {
  std::string snapshot_id;
  domain::Instant generated_at{};
  domain::Instant valid_until{};
  std::vector<domain::Resident> residents;
  std::vector<domain::Prescription> prescriptions;
  std::map<std::string, domain::ProductMatch> products;  ///< by 14-digit GTIN
  std::vector<ResidentDose> history;
  std::vector<domain::Recall> recalls;
  rules::Policy policy = rules::Policy::defaults();
  std::vector<OutcomeCode> codes;
  std::vector<std::string> nhs_gsrn_prefixes;
  std::optional<domain::Role> staff_role;
};

/// Adds one part to `data` (lists are appended; part 0's policy, codes, prefixes, role and
/// times replace what was there).
/// Errors: `bad_snapshot` (a field that does not parse: a bad decimal, date, time, name or
/// enumeration value; the message names the field and the value).
Result<void> merge_snapshot_part(const v1::RoundSnapshot& part, OfflineData& data);

/// One part holding all of `data` (`part` 0 of 1). A station splits larger ones itself.
v1::RoundSnapshot encode_snapshot(const OfflineData& data);

}  // namespace bcma::fw::round
