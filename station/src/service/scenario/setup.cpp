#include "setup.hpp"

#include <algorithm>
#include <cstdio>

#include "bcma/rules/engine.hpp"

namespace bcma::station::service::scenario {
namespace {

namespace chr = std::chrono;

const store::Actor kSetup{std::nullopt, "scenario-setup"};

Unexpected<Error> setup_failed(const std::string& where, const Error& e) {
  return Unexpected(Error{"setup_failed", where + ": " + e.code + ": " + e.message});
}

// Far enough back that every version is in force for the whole scenario, its history included.
domain::Instant default_effective_from(const Model& m, const PrescriptionDef& p) {
  domain::Instant t = std::min(p.rx.starts, m.start - chr::hours{24 * 30});
  for (const HistoryDef& h : m.history) t = std::min(t, h.time - chr::hours{24});
  return t;
}

// The pack a past dose was given from when the history does not say: the first pack of the
// prescribed product in the scenario's products.
std::optional<domain::SnomedId> pack_of(const Model& m, const domain::Prescription& rx) {
  for (const domain::Ampp& ampp : m.products.ampps) {
    const auto amp = std::find_if(m.products.amps.begin(), m.products.amps.end(),
                                  [&](const domain::Amp& a) { return a.id == ampp.amp_id; });
    if (amp == m.products.amps.end()) continue;
    const bool matches = rx.level == domain::MedicationLevel::kAmp ? amp->id == rx.medication_id
                                                                    : amp->vmp_id == rx.medication_id;
    if (matches) return ampp.id;
  }
  return std::nullopt;
}

// The nearest dose time of a regular prescription to `t` (within 12 hours).
std::optional<domain::Instant> nearest_slot(const domain::Prescription& p,
                                            const rules::Policy& policy, domain::Instant t) {
  domain::Prescription scheduled = p;
  scheduled.status = domain::PrescriptionStatus::kActive;
  const std::span<const domain::Prescription> one(&scheduled, 1);
  std::optional<domain::Instant> best;
  const chr::sys_days day{domain::London::local_date(t)};
  auto distance = [](domain::Instant a, domain::Instant b) { return a < b ? b - a : a - b; };
  for (int k = -1; k <= 1; ++k) {
    for (const rules::DueDose& d : rules::due_doses(one, domain::Date{day + chr::days{k}}, policy)) {
      if (distance(d.slot, t) > chr::hours{12}) continue;
      if (!best || distance(d.slot, t) < distance(*best, t)) best = d.slot;
    }
  }
  return best;
}

Result<void> record_history(store::Store& store, const Model& m, World& w) {
  std::uint64_t n = 0;
  for (const HistoryDef& h : m.history) {
    ++n;
    store::NewAdministration r;
    r.record_id = h.id ? *h.id : generated_uuid(900000 + n);
    r.resident_id = w.residents.at(h.resident);
    r.prescription_id = w.prescriptions.at(h.prescription);
    auto rx = store.prescription_at(r.prescription_id, h.time);
    if (!rx) return setup_failed(h.where, rx.error());
    r.slot = h.slot;
    if (!r.slot && !rx->as_needed) {
      auto policy = store.policy();
      if (!policy) return setup_failed(h.where, policy.error());
      r.slot = nearest_slot(*rx, *policy, h.time);
      if (!r.slot) {
        return setup_failed(h.where, Error{"no_slot", "no dose time of " + rx->medication_name +
                                                          " lies within 12 hours: give \"slot\""});
      }
    }
    r.outcome = h.outcome;
    r.quantity = h.quantity;
    r.label_id = h.label;
    r.ampp_id = h.ampp;
    if (!r.ampp_id && !r.label_id && domain::was_taken(h.outcome)) r.ampp_id = pack_of(m, *rx);
    r.code = h.code;
    r.code_text = h.code_text;
    r.wristband = store::ScanEvidence::unable_to_scan("recorded before this scenario began");
    if (h.outcome == domain::Outcome::kGiven) r.items.push_back(r.wristband);
    r.event_time = h.time;
    r.device_id = kSetup.device_id;
    if (h.staff) {
      r.staff_id = w.staff.at(*h.staff)->staff.id;
    } else if (!m.staff.empty()) {
      r.staff_id = m.staff.front().staff.id;
    } else {
      return setup_failed(h.where, Error{"no_staff", "history needs a member of staff"});
    }
    if (auto a = store.record_administration(r); !a) return setup_failed(h.where, a.error());
  }
  return {};
}

}  // namespace

std::optional<std::string> World::resident_key(domain::ResidentId id) const {
  const auto it = resident_keys.find(id);
  if (it == resident_keys.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> World::prescription_key(domain::PrescriptionId id) const {
  const auto it = prescription_keys.find(id);
  if (it == prescription_keys.end()) return std::nullopt;
  return it->second;
}

std::string generated_uuid(std::uint64_t n) {
  std::array<char, 37> out{};
  std::snprintf(out.data(), out.size(), "5ce7a710-0000-4000-8000-%012llu",
                static_cast<unsigned long long>(n % 1000000000000ULL));
  return std::string(out.data());
}

Result<void> put_prescription(store::Store& store, const PrescriptionDef& def,
                              domain::Instant effective_from, World& w) {
  domain::Prescription rx = def.rx;
  rx.resident_id = w.residents.at(def.resident);
  const auto existing = w.prescriptions.find(def.key);
  rx.id = existing == w.prescriptions.end() ? 0 : existing->second;
  auto stored = store.put_prescription(rx, effective_from, kSetup);
  if (!stored) return setup_failed(def.where, stored.error());
  w.prescriptions[def.key] = stored->id;
  w.prescription_keys[stored->id] = def.key;
  return {};
}

Result<void> set_up(store::Store& store, Model& m, World& w) {
  const std::string top = m.file + ": $";
  if (auto r = store.set_home(m.home, kSetup); !r) return setup_failed(top + ".home", r.error());
  rules::Policy policy = rules::Policy::defaults();
  for (const PolicyPatch& p : m.policy) apply(p, policy);
  if (auto r = store.set_policy(policy, kSetup); !r) return setup_failed(top + ".policy", r.error());
  if (auto r = store.import_products(m.products, kSetup); !r) {
    return setup_failed(top + ".products", r.error());
  }
  for (std::size_t i = 0; i < m.recalls.size(); ++i) {
    if (auto r = store.add_recall(m.recalls[i], kSetup); !r) {
      return setup_failed(top + ".recalls[" + std::to_string(i) + "]", r.error());
    }
  }
  for (const ResidentDef& d : m.residents) {
    auto id = store.add_resident(d.resident, kSetup);
    if (!id) return setup_failed(d.where, id.error());
    w.residents[d.key] = *id;
    w.resident_keys[*id] = d.key;
  }
  for (StaffDef& d : m.staff) {
    auto id = store.add_staff(d.staff, d.pin, kSetup);
    if (!id) return setup_failed(d.where, id.error());
    // The definition is kept for its badge and PIN; its id is the store's.
    d.staff.id = *id;
    w.staff[d.key] = &d;
    w.staff_keys[*id] = d.key;
  }
  for (const PrescriptionDef& d : m.prescriptions) {
    const domain::Instant from = d.effective_from ? *d.effective_from : default_effective_from(m, d);
    if (auto r = put_prescription(store, d, from, w); !r) return r;
  }
  for (const LabelDef& d : m.labels) {
    store::DispensedItem item = d.item;
    item.resident_id = w.residents.at(d.resident);
    if (d.prescription) item.prescription_id = w.prescriptions.at(*d.prescription);
    if (auto r = store.add_dispensed_item(item, kSetup); !r) return setup_failed(d.where, r.error());
  }
  return record_history(store, m, w);
}

}  // namespace bcma::station::service::scenario
