#pragma once
/// \file
/// The rules engine: given what was scanned and everything known about the resident, decide
/// whether this dose may be given now. Pure: no I/O, no clock reads, no allocation-heavy work;
/// it runs on the station and, when offline, on the scanner.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/administration.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/rules/reason.hpp"
#include "bcma/scan/scan.hpp"

namespace bcma::rules {

/// Everything the engine may look at for one item scan.
struct Snapshot {
  const domain::Resident* resident = nullptr;      ///< the resident whose wristband was scanned
  std::span<const domain::Prescription> prescriptions;  ///< that resident's current versions
  const scan::Scan* item = nullptr;                ///< the scanned pack or label
  /// What the pack's GTIN resolved to; nullopt if unknown (or the scan carried no GTIN).
  const domain::ProductMatch* product = nullptr;
  /// For a pharmacy label: the resident it was dispensed for (nullptr if the label is unknown).
  const domain::Resident* label_owner = nullptr;
  std::span<const domain::PastDose> history;       ///< this resident's doses, >= last 48 h
  std::span<const domain::Recall> recalls;
  const Policy* policy = nullptr;
  /// Dose units the care worker intends to give; nullopt = the prescribed dose.
  std::optional<domain::Decimal> proposed_quantity;
};

/// The verdict for one scan.
struct Verdict {
  Decision decision = Decision::kBlock;
  std::vector<Reason> reasons;                        ///< every reason that applies
  std::optional<domain::PrescriptionId> prescription_id;  ///< the prescription this dose is for
  std::optional<domain::Instant> slot;                ///< the scheduled dose it answers
  std::optional<domain::DoseRange> dose;              ///< what to give
  bool witness_required = false;                      ///< controlled drug: a second person
  std::string summary;                                ///< one line for the scanner screen

  bool has(ReasonCode c) const;
};

/// Decides. `now` is injected. Every reason that applies is listed; the decision is the most
/// severe of their policy decisions (no reasons: proceed). A snapshot without a resident gives
/// `resident_not_identified`; without a policy, `Policy::defaults()` applies. docs/rules.md
/// describes every check, the order of slot and prescription choice, and the messages.
Verdict evaluate(const Snapshot& snapshot, domain::Instant now);

/// Whether the engine can follow `prescription` under `policy`; the store calls it when a
/// prescription arrives so that a bad one is refused at import, and `evaluate` gives
/// `prescription_invalid` for one that slipped through.
/// Errors (`bcma::Error::code`): "bad_dose" (min not above 0 or above max), "no_dose_times"
/// (regular with no times), "unknown_round" (a round the policy does not map), "bad_time"
/// (outside 00:00-23:59), "bad_day_pattern" (no weekday set, N outside 1..366, bad anchor),
/// "bad_window" (negative or 12 hours or more), "bad_prn_rule" (negative interval, maximum not
/// above 0), "bad_bounds" (ends at or before it starts).
Result<void> check_prescription(const domain::Prescription& prescription, const Policy& policy);

/// A scheduled dose of a regular prescription on a local date.
struct DueDose {
  domain::PrescriptionId prescription_id = 0;
  domain::Instant slot{};                 ///< scheduled instant (UTC)
  domain::Instant window_opens{};
  domain::Instant window_closes{};
  domain::DoseRange dose;
};

/// The regular doses of `prescriptions` due on local `date` (Europe/London), in time order.
/// PRN prescriptions have no due doses; nor do prescriptions that are not active or that
/// `check_prescription` rejects. The window is the on-time window (for a time-critical
/// medicine, the tight one). Slots outside [starts, ends) are left out.
std::vector<DueDose> due_doses(std::span<const domain::Prescription> prescriptions,
                               domain::Date date, const Policy& policy);

}  // namespace bcma::rules
