#pragma once
// A small care home for the scanner's tests, written into a real station database through the
// store: two residents, their medicines and three members of staff. The identifiers a test
// scans are kept here; the ids are the ones the store assigned.

#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::fw::testing {

struct HomeStaff {
  std::string badge_gsrn;
  std::string pin;
  std::string name;
  domain::StaffId id = 0;
  domain::Role role = domain::Role::kCareWorker;
};

/// Edith (no known allergies) has paracetamol 2 tablets due at the morning round and a PRN of
/// paracetamol; Arthur (allergic to amoxicillin) has amoxicillin and morphine (Schedule 2) in
/// the morning. Ibuprofen is a product prescribed to nobody; `unknown_gtin` is no product.
struct StationHome {
  std::vector<HomeStaff> staff;  ///< care worker (1234), senior (2468), nurse (5678)
  std::string care_worker_badge, senior_badge, nurse_badge;
  std::string edith_gsrn, edith_nhs, arthur_gsrn;
  std::string paracetamol_gtin;
  std::string amoxicillin_gtin;
  std::string ibuprofen_gtin;
  std::string morphine_gtin;
  std::string unknown_gtin;
  domain::ResidentId edith = 0, arthur = 0;
  domain::PrescriptionId edith_regular = 0, edith_prn = 0, arthur_regular = 0, arthur_morphine = 0;
  domain::StaffId care_worker = 0, senior = 0, nurse = 0;
};

/// Writes the home into `store` (home, default policy, products, residents, staff and
/// prescriptions started a year before `now`). Edith's regular paracetamol is due at the
/// morning round, or at `edith_due_at` (local time of day) when given: a test on the wall
/// clock makes it due whenever it runs. Errors: the store's.
Result<StationHome> seed_station_home(station::store::Store& store, domain::Instant now,
                                      std::optional<domain::TimeOfDay> edith_due_at = std::nullopt);

}  // namespace bcma::fw::testing
