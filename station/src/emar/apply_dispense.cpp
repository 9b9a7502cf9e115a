// Applying a MedicationDispense: the labelled pack becomes a dispensed item the home books in.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "bcma/station/emar/errors.hpp"
#include "bcma/station/store/transaction.hpp"
#include "importer.hpp"

namespace bcma::station::emar::detail {

namespace {

bool same_item(const store::DispensedItem& a, const store::DispensedItem& b) {
  return a.label_id == b.label_id && a.resident_id == b.resident_id && a.ampp_id == b.ampp_id &&
         a.prescription_id == b.prescription_id && a.quantity == b.quantity &&
         a.dispensed_on == b.dispensed_on && a.pharmacy == b.pharmacy;
}

}  // namespace

Result<ResourceOutcome> Importer::apply_dispense(const DispenseCandidate& c) {
  ResourceOutcome out;
  out.resource_type = c.identity.resource_type;
  out.resource_id = c.identity.resource_id;
  out.where = c.entry->where;
  auto& db = store_->database();

  if (c.ignored) {
    out.action = Action::kIgnored;
    out.detail = c.ignored_why;
    return out;
  }
  std::optional<store::DispensedItem> held;
  if (!c.item.label_id.empty()) {
    auto found = store_->dispensed_item(c.item.label_id);
    if (found) {
      held = std::move(*found);
    } else if (found.error().code != "unknown_label") {
      return Unexpected(std::move(found).error());
    }
  }
  if (c.withdrawn) {
    if (!held) {
      out.action = Action::kIgnored;
      out.detail = "withdrawn by the pharmacy before the station recorded it";
      return out;
    }
    return queue(c.identity,
                 {ReviewReason{reason::kDispenseWithdrawn,
                               "the pharmacy withdrew label " + c.item.label_id +
                                   " after the station recorded it: the record stays (it is append-only); "
                                   "check the stock and return the pack if it arrived",
                               "/status"}},
                 std::move(out));
  }
  if (!c.problems.empty()) return queue(c.identity, c.problems.list(), std::move(out));

  store::DispensedItem item = c.item;
  if (!c.authorizing_keys.empty() || !c.authorizing_resource_ids.empty()) {
    std::vector<std::int64_t> requests;
    auto by_keys = requests_by_keys(db, c.authorizing_keys);
    if (!by_keys) return Unexpected(std::move(by_keys).error());
    requests = std::move(*by_keys);
    for (const auto& rid : c.authorizing_resource_ids) {
      auto found = requests_by_resource_id(db, rid);
      if (!found) return Unexpected(std::move(found).error());
      for (auto id : *found) {
        if (std::find(requests.begin(), requests.end(), id) == requests.end()) requests.push_back(id);
      }
    }
    std::vector<domain::PrescriptionId> prescriptions;
    for (auto id : requests) {
      auto row = load_request(db, id);
      if (!row) return Unexpected(std::move(row).error());
      if (*row && (*row)->applied &&
          std::find(prescriptions.begin(), prescriptions.end(), (*row)->prescription_id) == prescriptions.end()) {
        prescriptions.push_back((*row)->prescription_id);
      }
    }
    if (prescriptions.empty()) {
      return queue(c.identity,
                   {ReviewReason{reason::kUnknownPrescription,
                                 "dispensed against " + c.authorizing_text +
                                     ", which the station does not hold (it may be in the review queue)",
                                 "/authorizingPrescription/0"}},
                   std::move(out));
    }
    if (prescriptions.size() > 1) {
      return queue(c.identity,
                   {ReviewReason{reason::kAmbiguousData,
                                 c.authorizing_text + " matches more than one station prescription",
                                 "/authorizingPrescription/0"}},
                   std::move(out));
    }
    auto history = store_->prescription_history(prescriptions.front());
    if (!history) return Unexpected(std::move(history).error());
    const domain::Prescription& p = history->back().prescription;
    if (p.resident_id != item.resident_id) {
      return queue(c.identity,
                   {ReviewReason{reason::kDispenseMismatch,
                                 "the pack is labelled for another resident than the prescription it names "
                                 "(station prescription " + std::to_string(p.id) + ")",
                                 "/subject"}},
                   std::move(out));
    }
    const bool matches = p.level == domain::MedicationLevel::kVmp ? c.pack->vmp.id == p.medication_id
                                                                  : c.pack->amp_id == p.medication_id;
    if (!matches) {
      return queue(c.identity,
                   {ReviewReason{reason::kDispenseMismatch,
                                 "dispensed " + c.pack->name + " against a prescription of " + p.medication_name +
                                     (p.level == domain::MedicationLevel::kAmp ? " (this brand only)" : ""),
                                 "/medicationCodeableConcept"}},
                   std::move(out));
    }
    item.prescription_id = p.id;
  }
  out.prescription_id = item.prescription_id;

  if (held) {
    if (same_item(*held, item)) {
      out.action = Action::kUnchanged;
      out.detail = "label " + item.label_id + " already recorded";
      return out;
    }
    return queue(c.identity,
                 {ReviewReason{reason::kLabelConflict,
                               "label " + item.label_id +
                                   " is already recorded with other details (pack, quantity, resident or date): "
                                   "a label barcode names one supply",
                               "/identifier"}},
                 std::move(out));
  }
  if (auto r = store_->add_dispensed_item(item, options_->actor); !r) {
    const std::string& code = r.error().code;
    if (code == "sqlite_error" || code == "database_busy" || code == "crypto_failure") {
      return Unexpected(std::move(r).error());
    }
    return queue(c.identity,
                 {ReviewReason{code == "duplicate" ? reason::kLabelConflict : reason::kRejectedByRules,
                               "the store refused it (" + code + "): " + r.error().message, ""}},
                 std::move(out));
  }
  {
    auto tx = store::Transaction::begin(db);
    if (!tx) return Unexpected(std::move(tx).error());
    auto closed = resolve_reviews(c.identity.keys, std::nullopt, "label " + item.label_id + " was imported");
    if (!closed) return Unexpected(std::move(closed).error());
    if (*closed > 0) {
      if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
    }
  }
  out.action = Action::kImported;
  out.detail = "label " + item.label_id + ": " + item.quantity.to_string() + " " + c.pack->vmp.unit_dose_unit +
               " of " + c.pack->name + ", expected for booking in";
  return out;
}

}  // namespace bcma::station::emar::detail
