#pragma once
/// \file
/// Checks scans on the scanner while the station cannot be reached: the resident from the
/// wristband, and the verdict for an item, by the same shared rules engine the station runs,
/// over the round snapshot taken at sign-in plus every outcome recorded on this scanner since.
/// Verdicts made here are marked offline on screen and in the record. docs/scanner.md
/// "Offline" has the design and its limits.

#include <optional>
#include <string>
#include <vector>

#include "bcma/domain/decimal.hpp"
#include "bcma/fw/round/snapshot_codec.hpp"
#include "bcma/rules/engine.hpp"
#include "bcma/scan/scan.hpp"
#include "bcma/v1/envelope.pb.h"

namespace bcma::fw::round {

/// A resident as the resident screen shows them.
struct ResidentInfo {
  std::string resident_id;
  std::string display_name;
  std::string date_of_birth;
  std::string nhs_number;
  std::string photo_ref;
  std::vector<std::string> allergies;
  std::vector<std::pair<std::string, std::string>> alerts;  ///< code, message
  std::uint32_t due_count = 0;
  std::vector<v1::DueDose> due;
};

/// A verdict as the verdict screen and the record need it.
struct VerdictInfo {
  rules::Decision decision = rules::Decision::kBlock;
  std::vector<std::pair<std::string, std::string>> reasons;  ///< code, message
  std::string verdict_id;         ///< station's; empty offline
  std::string scheduled_dose_id;
  std::string medicine_name;
  std::string dose_text;          ///< "2 tablet"
  std::optional<domain::Decimal> dose;  ///< the amount to offer as the quantity
  std::string dose_unit;
  bool override_allowed = false;
  bool override_needs_witness = false;
  bool witness_required = false;
  bool offline = false;
  std::string summary;            ///< one line (offline: the engine's; online: from reasons)
};

/// Whether `role` may override every blocking reason of `verdict` under `policy`, and whether
/// any of them needs a witness. Shared by the offline checker and the test station.
void decide_override(const rules::Verdict& verdict, const rules::Policy& policy,
                     std::optional<domain::Role> role, VerdictInfo& out);

/// "<prescription id>@<slot, Unix seconds>" or "<prescription id>" (PRN): the station's
/// scheduled dose id (station/src/server/codec.hpp).
std::string scheduled_dose_id(domain::PrescriptionId prescription,
                              std::optional<domain::Instant> slot);

class OfflineChecker {
 public:
  void load(OfflineData data) { data_ = std::move(data); }
  void clear() { data_.reset(); }
  bool has_data() const { return data_.has_value(); }
  /// Loaded, and `now` before the snapshot's valid_until.
  bool usable(domain::Instant now) const;
  const OfflineData* data() const { return data_ ? &*data_ : nullptr; }
  OfflineData* mutable_data() { return data_ ? &*data_ : nullptr; }

  /// The resident wearing `wristband` (by GSRN, then NHS number), or nullopt.
  std::optional<ResidentInfo> find_resident(const bcma::scan::Scan& wristband, domain::Instant now) const;

  /// The verdict for `item` for resident `resident_id` at `now`, for a member of staff with
  /// `role`. Without data for that resident: a block (`resident_not_identified`).
  VerdictInfo check_item(const std::string& resident_id, const bcma::scan::Scan& item,
                         domain::Instant now) const;

  /// Counts an outcome recorded on this scanner (online or offline) in the history, so that
  /// intervals, maxima and "already given" hold offline too.
  void add_local_record(const v1::RecordOutcome& record);

  /// The home's codes, or the default list when no snapshot carried any.
  std::vector<OutcomeCode> codes() const;

 private:
  const domain::Resident* resident_by_id(const std::string& id) const;
  std::optional<OfflineData> data_;
};

}  // namespace bcma::fw::round
