#pragma once
/// \file
/// Residents of the home and the staff who care for them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/domain/product.hpp"
#include "bcma/domain/time.hpp"

namespace bcma::domain {

using ResidentId = std::int64_t;
using StaffId = std::int64_t;

enum class ResidentStatus : std::uint8_t {
  kPresent,      ///< in the home
  kInHospital,   ///< temporarily away: doses are not given here
  kOnLeave,      ///< with family etc.
  kDischarged,   ///< left the home
  kDeceased,
};
std::string_view to_string(ResidentStatus s);  ///< "present", "in_hospital", "on_leave", ...
std::optional<ResidentStatus> resident_status_from_string(std::string_view text);

/// What the resident is allergic to, at the level the record names it.
struct Allergy {
  enum class Level : std::uint8_t { kSubstance, kVtm, kVmp, kAmp };
  Level level = Level::kSubstance;
  SnomedId code;            ///< dm+d ingredient, VTM, VMP or AMP id
  std::string description;  ///< "Penicillin - anaphylaxis"
};

struct Resident {
  ResidentId id = 0;
  std::string nhs_number;      ///< ten digits
  std::string wristband_gsrn;  ///< AI 8018 value on the wristband, 18 digits, may be empty
  std::string given_name;
  std::string family_name;
  Date date_of_birth;
  std::string photo_ref;       ///< file or URI of the photo shown for identity checks
  std::vector<Allergy> allergies;
  bool no_known_allergies = false;  ///< recorded NKDA; empty `allergies` alone means unknown
  ResidentStatus status = ResidentStatus::kPresent;
  std::string room;

  std::string display_name() const { return given_name + " " + family_name; }
};

enum class Role : std::uint8_t {
  kCareWorker, kSenior, kNurse, kManager, kPharmacist, kEvaluator,
};
std::string_view to_string(Role r);  ///< "care_worker", "senior", "nurse", ...
std::optional<Role> role_from_string(std::string_view text);

struct Staff {
  StaffId id = 0;
  std::string name;
  std::string badge_gsrn;  ///< AI 8017 value on the badge
  Role role = Role::kCareWorker;
  bool active = true;
};

}  // namespace bcma::domain
