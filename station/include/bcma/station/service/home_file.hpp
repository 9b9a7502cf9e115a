#pragma once
/// \file
/// A home file: the set-up part of the scenario format (docs/scenarios.md) - the home, its
/// policy, products, recalls, residents, staff, prescriptions, dispensed labels and past doses -
/// loaded into a new station database. `bcma demo` builds its home this way; a pilot can seed a
/// training station the same way.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::service {

struct LoadedHome {
  std::string home_name;
  std::size_t residents = 0;
  std::size_t staff = 0;
  std::size_t prescriptions = 0;
  std::size_t labels = 0;
  std::size_t past_doses = 0;
  /// The home's NHS GSRN company prefixes, for the service's scan context.
  std::vector<std::string> nhs_gsrn_prefixes;
};

/// Loads `file` into `store`, which should be new: the load is a sequence of audited store
/// writes, not one transaction, so a file refused half-way leaves what came before it (the
/// caller discards the new database). Every write is audited with the device "scenario-setup".
/// Errors: `malformed_home` ("<file>: <JSON path>: <what is wrong>"), `setup_failed`
/// ("<file>: <JSON path>: <store error code>: <message>").
Result<LoadedHome> load_home_file(store::Store& store, const std::filesystem::path& file);

}  // namespace bcma::station::service
