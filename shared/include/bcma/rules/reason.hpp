#pragma once
/// \file
/// Why the rules engine says what it says. Codes are stable snake_case strings: they are
/// recorded in the audit log, sent to scanners, counted in reports and matched by scenarios.
/// Never rename one; add new ones at the end.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace bcma::rules {

enum class ReasonCode : std::uint8_t {
  kWrongResident,          ///< a labelled/dispensed item belongs to another resident
  kResidentNotPresent,     ///< in hospital or on leave
  kResidentDischarged,     ///< discharged or deceased
  kUnknownProduct,         ///< GTIN not in dm+d data (or outside its date range)
  kNotPrescribed,          ///< no prescription for this resident matches the product
  kBrandMismatch,          ///< brand-specific prescription, different AMP scanned
  kRouteMismatch,          ///< product cannot be given by the prescribed route
  kExpired,                ///< AI 17 in the past (DD=00: end of that month)
  kRecalledBatch,
  kNotStarted,             ///< prescription starts later
  kStopped,                ///< stopped, cancelled, completed or past its end
  kOnHold,
  kTooEarly,
  kTooLate,
  kAlreadyGiven,           ///< that dose slot is already recorded
  kNotDueToday,            ///< weekly, alternate-day, patch cycles
  kPrnTooSoon,             ///< PRN minimum interval not yet passed
  kPrnMaxExceeded,         ///< maximum in 24 h, per ingredient across products
  kAllergy,
  kDoseExceedsPrescribed,
  kControlledDrugWitnessRequired,
  kTimeCritical,           ///< time-critical medicine outside its tight window
  kInvalidBarcode,         ///< the item scan is unreadable, or not a pack or a pharmacy label
  kResidentNotIdentified,  ///< no resident: the wristband was not scanned first
  kBatchUnverified,        ///< some batches of this product are recalled; the scan has no batch
  kDoseBelowPrescribed,    ///< the intended quantity is less than the prescribed dose
  kPrescriptionInvalid,    ///< the prescription cannot be followed (unmapped round, bad dose...)
};

inline constexpr int kReasonCodeCount = static_cast<int>(ReasonCode::kPrescriptionInvalid) + 1;

std::string_view to_string(ReasonCode code);               ///< "wrong_resident"
std::optional<ReasonCode> reason_from_string(std::string_view code);
std::span<const ReasonCode> all_reason_codes();

/// One reason a verdict gives: the code and a sentence a care worker understands, naming the
/// medicine, the resident, the time, as it applies ("Paracetamol 500mg tablets were given at
/// 10:05; the next dose may be given from 14:05.").
struct Reason {
  ReasonCode code;
  std::string message;
  std::optional<std::int64_t> prescription_id;  ///< the prescription it is about, if any

  friend bool operator==(const Reason&, const Reason&) = default;
};

}  // namespace bcma::rules
