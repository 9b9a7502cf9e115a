#include "bcma/rules/reason.hpp"

#include <array>

namespace bcma::rules {
namespace {

struct Name {
  ReasonCode code;
  std::string_view name;
};

// In enum order: all_reason_codes() and the tests rely on it.
constexpr std::array<Name, kReasonCodeCount> kNames{{
    {ReasonCode::kWrongResident, "wrong_resident"},
    {ReasonCode::kResidentNotPresent, "resident_not_present"},
    {ReasonCode::kResidentDischarged, "resident_discharged"},
    {ReasonCode::kUnknownProduct, "unknown_product"},
    {ReasonCode::kNotPrescribed, "not_prescribed"},
    {ReasonCode::kBrandMismatch, "brand_mismatch"},
    {ReasonCode::kRouteMismatch, "route_mismatch"},
    {ReasonCode::kExpired, "expired"},
    {ReasonCode::kRecalledBatch, "recalled_batch"},
    {ReasonCode::kNotStarted, "not_started"},
    {ReasonCode::kStopped, "stopped"},
    {ReasonCode::kOnHold, "on_hold"},
    {ReasonCode::kTooEarly, "too_early"},
    {ReasonCode::kTooLate, "too_late"},
    {ReasonCode::kAlreadyGiven, "already_given"},
    {ReasonCode::kNotDueToday, "not_due_today"},
    {ReasonCode::kPrnTooSoon, "prn_too_soon"},
    {ReasonCode::kPrnMaxExceeded, "prn_max_exceeded"},
    {ReasonCode::kAllergy, "allergy"},
    {ReasonCode::kDoseExceedsPrescribed, "dose_exceeds_prescribed"},
    {ReasonCode::kControlledDrugWitnessRequired, "controlled_drug_witness_required"},
    {ReasonCode::kTimeCritical, "time_critical"},
    {ReasonCode::kInvalidBarcode, "invalid_barcode"},
    {ReasonCode::kResidentNotIdentified, "resident_not_identified"},
    {ReasonCode::kBatchUnverified, "batch_unverified"},
    {ReasonCode::kDoseBelowPrescribed, "dose_below_prescribed"},
    {ReasonCode::kPrescriptionInvalid, "prescription_invalid"},
}};

constexpr bool names_in_enum_order() {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (static_cast<std::size_t>(kNames[i].code) != i) return false;
  }
  return true;
}
static_assert(names_in_enum_order(), "kNames must list every ReasonCode in enum order");

constexpr std::array<ReasonCode, kReasonCodeCount> make_codes() {
  std::array<ReasonCode, kReasonCodeCount> codes{};
  for (std::size_t i = 0; i < kNames.size(); ++i) codes[i] = kNames[i].code;
  return codes;
}
constexpr std::array<ReasonCode, kReasonCodeCount> kCodes = make_codes();

}  // namespace

std::string_view to_string(ReasonCode code) {
  const auto i = static_cast<std::size_t>(code);
  return i < kNames.size() ? kNames[i].name : std::string_view("unknown");
}

std::optional<ReasonCode> reason_from_string(std::string_view code) {
  for (const Name& n : kNames) {
    if (n.name == code) return n.code;
  }
  return std::nullopt;
}

std::span<const ReasonCode> all_reason_codes() { return kCodes; }

}  // namespace bcma::rules
