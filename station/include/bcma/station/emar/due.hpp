#pragma once
/// \file
/// What a resident is due on a local date: the regular doses (from `rules::due_doses`, each slot
/// from the prescription version in force at that moment) with their windows, and the
/// when-required medicines with their limits.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::emar {

struct DueDoseLine {
  domain::Prescription prescription;  ///< the version in force at the slot
  domain::Instant slot{};
  domain::Instant window_opens{};
  domain::Instant window_closes{};
  std::string round;                  ///< the round name when the dose time is a round
};

struct PrnLine {
  domain::Prescription prescription;  ///< an active PRN version in force during the day
  domain::Instant in_force_from{};    ///< clipped to the day
  domain::Instant in_force_until{};   ///< clipped to the day (exclusive)
};

struct DueReport {
  domain::Resident resident;
  domain::Date date{};
  std::vector<DueDoseLine> doses;     ///< in time order
  std::vector<PrnLine> prn;           ///< by prescription id
};

/// Errors: `invalid_nhs_number`, `unknown_resident`, `no_home`, `sqlite_error`, `corrupt_data`.
Result<DueReport> due_report(store::Store& store, std::string_view nhs_number, domain::Date date);

/// The report as JSON: {"resident":{...},"date":...,"doses":[...],"prn":[...]}; local times
/// with their UTC offset (Europe/London). Key order is part of the contract.
std::string due_json(const DueReport& report);

}  // namespace bcma::station::emar
