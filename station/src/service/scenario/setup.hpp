#pragma once
// Private to the scenario runner: putting a parsed scenario's home into a fresh store, and the
// keys it used for residents, staff and prescriptions.

#include <map>
#include <optional>
#include <string>

#include "bcma/core/result.hpp"
#include "bcma/station/store/store.hpp"
#include "model.hpp"

namespace bcma::station::service::scenario {

/// What setup created, by the scenario's keys and back.
struct World {
  std::map<std::string, domain::ResidentId> residents;
  std::map<domain::ResidentId, std::string> resident_keys;
  std::map<std::string, const StaffDef*> staff;
  std::map<domain::StaffId, std::string> staff_keys;
  std::map<std::string, domain::PrescriptionId> prescriptions;
  std::map<domain::PrescriptionId, std::string> prescription_keys;

  std::optional<std::string> resident_key(domain::ResidentId id) const;
  std::optional<std::string> prescription_key(domain::PrescriptionId id) const;
};

/// Fills in the staff ids of `model`. Errors: `setup_failed` ("<where>: <store code>: <message>").
Result<void> set_up(store::Store& store, Model& model, World& world);

/// Stores a prescription (a new one, or a new version of a key already stored) effective from
/// `effective_from`. Errors: the store's, as `setup_failed` with the definition's place.
Result<void> put_prescription(store::Store& store, const PrescriptionDef& def,
                              domain::Instant effective_from, World& world);

/// A UUID made from a number, for records a scenario does not name.
std::string generated_uuid(std::uint64_t n);

}  // namespace bcma::station::service::scenario
