#pragma once
/// \file
/// Prescriptions as the home holds them (from the pharmacy's eMAR feed): what, how much, by
/// which route, and when. A change is a new version; history is kept by the store.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/domain/decimal.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"

namespace bcma::domain {

using PrescriptionId = std::int64_t;

enum class PrescriptionStatus : std::uint8_t { kActive, kOnHold, kStopped, kCancelled, kCompleted };
std::string_view to_string(PrescriptionStatus s);  ///< "active", "on_hold", "stopped", ...
std::optional<PrescriptionStatus> prescription_status_from_string(std::string_view text);

/// Generic (any AMP of the VMP satisfies it) or brand-specific (only that AMP).
enum class MedicationLevel : std::uint8_t { kVmp, kAmp };

/// A dose, fixed ("2 tablets": min == max) or a range ("1 or 2 tablets"), in the VMP's unit
/// dose unit.
struct DoseRange {
  Decimal min;
  Decimal max;
  std::string unit;  ///< "tablet", "ml", "patch", ... (the VMP's unit dose unit)
};

/// A time a regular dose is due: a named round of the home (mapped to a time by the policy)
/// or an explicit local time.
struct DoseTime {
  std::string round;      ///< "MORN", "NOON", "EVE", "NIGHT"... or empty
  TimeOfDay time;         ///< used when round is empty
};

/// Which local days a regular medicine is due.
struct DayPattern {
  enum class Kind : std::uint8_t {
    kEveryDay,
    kDaysOfWeek,  ///< weekly medicines: `weekdays` bit 0 = Monday ... bit 6 = Sunday
    kEveryNDays,  ///< alternate days, patches every 3 or 7 days: from `anchor`
  };
  Kind kind = Kind::kEveryDay;
  std::uint8_t weekdays = 0;
  int every_n_days = 1;
  Date anchor{};  ///< the first due day of an every-N-days pattern
};

/// "When required": at least `min_interval` apart, at most `max_per_24h` (in dose units) in
/// any rolling 24 hours.
struct PrnRule {
  Minutes min_interval{0};
  std::optional<Decimal> max_per_24h;
  std::string indication;  ///< "for pain", "for agitation": shown to the care worker
};

struct Prescription {
  PrescriptionId id = 0;      ///< stable across versions
  int version = 1;
  ResidentId resident_id = 0;

  MedicationLevel level = MedicationLevel::kVmp;
  SnomedId medication_id;     ///< VMP id or AMP id, by `level`
  std::string medication_name;
  /// The VMP: equal to `medication_id` for a generic prescription, the prescribed AMP's VMP for
  /// a brand-specific one (needed to tell "another brand of it" from "not prescribed").
  SnomedId vmp_id;
  /// The prescribed VMP's active ingredients per unit dose (dm+d VPI): turn this prescription's
  /// PRN maximum into ingredient amounts, and count its past doses per ingredient.
  std::vector<Ingredient> ingredients;
  SnomedId route_id;          ///< SNOMED route, e.g. 26643006 oral
  std::string route_name;     ///< "oral"
  DoseRange dose;

  bool as_needed = false;            ///< PRN
  std::optional<PrnRule> prn;        ///< set when as_needed
  std::vector<DoseTime> times;       ///< regular doses; empty for PRN
  DayPattern days;

  Instant starts{};                  ///< first moment a dose may be given
  std::optional<Instant> ends;       ///< stop date/time (course end), exclusive
  PrescriptionStatus status = PrescriptionStatus::kActive;

  bool time_critical = false;        ///< Parkinson's, insulin, some antiepileptics
  std::optional<Minutes> window;     ///< per-medicine window; else the home's default
  std::string instructions;          ///< free text, shown as written ("with food")

  /// Active, started, and not yet ended at `at`.
  bool in_force_at(Instant at) const {
    return status == PrescriptionStatus::kActive && starts <= at && (!ends || *ends > at);
  }
};

}  // namespace bcma::domain
