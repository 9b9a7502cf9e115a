#pragma once
/// \file
/// What was done: the outcome of a dose, recorded once, never changed. A correction is a new
/// record that points at the one it corrects.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/domain/decimal.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/time.hpp"

namespace bcma::domain {

enum class Outcome : std::uint8_t {
  kGiven,
  kRefused,
  kRefusedAndDestroyed,
  kOmitted,           ///< not given, with a non-administration code
  kNotRequired,       ///< PRN offered and not needed
  kSelfAdministered,
};
std::string_view to_string(Outcome o);  ///< "given", "refused", "refused_destroyed", ...
std::optional<Outcome> outcome_from_string(std::string_view text);  ///< inverse of to_string
/// Given or self-administered: the medicine went in, so it counts towards intervals and maxima.
constexpr bool was_taken(Outcome o) {
  return o == Outcome::kGiven || o == Outcome::kSelfAdministered;
}

/// A code for a dose that was not given ("asleep", "in_hospital", "other"...). Each code
/// belongs to one outcome; the `omitted` codes are the ones a care worker chooses from. The
/// home's list lives in the station; the scanner receives it in the offline snapshot.
struct NonAdministrationCode {
  std::string code;         ///< stable snake_case key, e.g. "nausea_vomiting"
  std::string description;  ///< shown to the care worker
  Outcome outcome = Outcome::kOmitted;  ///< never kGiven
  bool requires_text = false;  ///< "other": free text is mandatory
  bool active = true;          ///< retired codes stay readable on old records
};

/// The default set every new home starts with (docs/store.md lists it); the one copy both the
/// station's new databases and a scanner without a snapshot use.
const std::vector<NonAdministrationCode>& default_non_administration_codes();

/// A past administration as the rules engine sees it.
struct PastDose {
  std::string record_id;             ///< the client-generated unique id (UUID)
  PrescriptionId prescription_id = 0;
  std::optional<Instant> slot;       ///< the scheduled dose instant it answers (regular doses)
  Instant event_time{};              ///< when it happened
  Outcome outcome = Outcome::kGiven;
  Decimal quantity;                  ///< dose units given (0 unless given/self-administered)
  std::vector<Ingredient> ingredients;  ///< of the product given, per unit dose: PRN maxima
                                        ///< count per ingredient across products
};

}  // namespace bcma::domain
