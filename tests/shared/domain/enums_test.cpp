#include <gtest/gtest.h>

#include "bcma/domain/administration.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/resident.hpp"

namespace bcma::domain {
namespace {

// The names are a contract (audit log, scenarios, FHIR): every value has one and reads back.
TEST(EnumNames, OutcomesRoundTrip) {
  for (Outcome o : {Outcome::kGiven, Outcome::kRefused, Outcome::kRefusedAndDestroyed,
                    Outcome::kOmitted, Outcome::kNotRequired, Outcome::kSelfAdministered}) {
    EXPECT_EQ(outcome_from_string(to_string(o)), o) << to_string(o);
  }
  EXPECT_EQ(to_string(Outcome::kRefusedAndDestroyed), "refused_destroyed");
  EXPECT_FALSE(outcome_from_string("Given"));
  EXPECT_TRUE(was_taken(Outcome::kSelfAdministered));
  EXPECT_FALSE(was_taken(Outcome::kRefused));
}

TEST(EnumNames, PrescriptionStatusesRoundTrip) {
  EXPECT_EQ(to_string(PrescriptionStatus::kOnHold), "on_hold");
  for (PrescriptionStatus s :
       {PrescriptionStatus::kActive, PrescriptionStatus::kOnHold, PrescriptionStatus::kStopped,
        PrescriptionStatus::kCancelled, PrescriptionStatus::kCompleted}) {
    EXPECT_EQ(prescription_status_from_string(to_string(s)), s);
  }
  EXPECT_FALSE(prescription_status_from_string("on-hold"));  // FHIR's spelling: the importer's
}

TEST(EnumNames, ResidentStatusesAndRolesRoundTrip) {
  for (ResidentStatus s :
       {ResidentStatus::kPresent, ResidentStatus::kInHospital, ResidentStatus::kOnLeave,
        ResidentStatus::kDischarged, ResidentStatus::kDeceased}) {
    EXPECT_EQ(resident_status_from_string(to_string(s)), s);
  }
  for (Role r : {Role::kCareWorker, Role::kSenior, Role::kNurse, Role::kManager, Role::kPharmacist,
                 Role::kEvaluator}) {
    EXPECT_EQ(role_from_string(to_string(r)), r);
  }
  EXPECT_EQ(to_string(Role::kCareWorker), "care_worker");
  EXPECT_FALSE(role_from_string("admin"));
}

}  // namespace
}  // namespace bcma::domain
