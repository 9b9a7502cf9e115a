#include "bcma/rules/engine.hpp"

#include <algorithm>

#include "checks.hpp"
#include "format.hpp"

namespace bcma::rules {
namespace {

using detail::Assessment;
using domain::MedicationLevel;
using domain::Prescription;

const Policy& default_policy() {
  static const Policy kDefaults = Policy::defaults();
  return kDefaults;
}

// The scan most plausibly answers a regular dose due now; otherwise the prescription under
// which giving it now is least severe (if any allows it, that is the one being given), then the
// more plausible kind, the nearer slot, and the lower id so that the choice is repeatable.
bool preferred(const Assessment& a, const Assessment& b) {
  const bool a_due = a.plausibility == 0;
  const bool b_due = b.plausibility == 0;
  if (a_due != b_due) return a_due;
  if (a.worst != b.worst) return a.worst < b.worst;
  if (a.plausibility != b.plausibility) return a.plausibility < b.plausibility;
  if (a.distance != b.distance) return a.distance < b.distance;
  return a.rx->id < b.rx->id;
}

std::string more(std::size_t n) {
  if (n <= 1) return "";
  return " (and " + std::to_string(n - 1) + " more " + (n == 2 ? "reason" : "reasons") + ")";
}

std::string summary_of(const Verdict& v, const Prescription* rx, domain::Instant now) {
  if (v.decision == Decision::kBlock) {
    return "Do not give. " + v.reasons.front().message + more(v.reasons.size());
  }
  if (v.decision == Decision::kWarn) {
    return "Check before giving. " + v.reasons.front().message + more(v.reasons.size());
  }
  std::string s = "Give " + detail::dose(*v.dose) + " of " + rx->medication_name;
  if (!rx->route_name.empty()) s += " (" + rx->route_name + ")";
  if (v.slot) {
    s += " for " + detail::slot_phrase(*v.slot, now);
  } else if (rx->as_needed) {
    s += " when required";
    if (rx->prn && !rx->prn->indication.empty()) s += " " + rx->prn->indication;
  }
  s += ".";
  if (v.dose->max < rx->dose.max) {
    s += " No more than " + detail::quantity_text(v.dose->max, v.dose->unit) +
         ": more would go over the 24-hour maximum.";
  }
  if (!rx->instructions.empty()) s += " " + rx->instructions + ".";
  return s;
}

Verdict finish(Verdict v, const Policy& policy, const Prescription* rx, domain::Instant now) {
  // Most severe first; within a severity, the order the checks ran (who, what, which dose).
  std::stable_sort(v.reasons.begin(), v.reasons.end(), [&policy](const Reason& a, const Reason& b) {
    return policy.decision(a.code) > policy.decision(b.code);
  });
  v.decision = Decision::kProceed;
  for (const Reason& r : v.reasons) v.decision = std::max(v.decision, policy.decision(r.code));
  if (v.decision == Decision::kProceed && (rx == nullptr || !v.dose)) {
    // Cannot happen (no prescription always gives a reason), but never say "give" without one.
    v.decision = Decision::kBlock;
  }
  if (v.decision == Decision::kProceed && !v.reasons.empty()) {
    // Reasons the home has set to proceed are still listed, after the instruction.
    v.summary = summary_of(v, rx, now) + " Note: " + v.reasons.front().message;
  } else if (v.reasons.empty() && v.decision == Decision::kBlock) {
    v.summary = "Do not give: the dose could not be checked.";
  } else {
    v.summary = summary_of(v, rx, now);
  }
  return v;
}

}  // namespace

bool Verdict::has(ReasonCode c) const {
  return std::any_of(reasons.begin(), reasons.end(), [c](const Reason& r) { return r.code == c; });
}

Verdict evaluate(const Snapshot& snapshot, domain::Instant now) {
  const Policy& policy = snapshot.policy != nullptr ? *snapshot.policy : default_policy();
  Verdict v;
  if (snapshot.resident == nullptr) {
    v.reasons.push_back(Reason{ReasonCode::kResidentNotIdentified,
                               "No resident has been identified: scan the resident's wristband "
                               "before the medicine.",
                               std::nullopt});
    return finish(std::move(v), policy, nullptr, now);
  }
  const detail::Context c{snapshot, *snapshot.resident, policy, now};

  detail::check_resident(c, v.reasons);
  const detail::Item item = detail::check_item(c, v.reasons);
  if (!item.usable()) return finish(std::move(v), policy, nullptr, now);
  if (snapshot.product == nullptr) {
    detail::report_unknown_product(c, item, v.reasons);
    return finish(std::move(v), policy, nullptr, now);
  }
  const domain::ProductMatch& product = *snapshot.product;
  v.witness_required = detail::check_product(c, item, product, v.reasons);

  // Candidates: generic prescriptions of this VMP, brand-specific ones of this AMP, and - to
  // explain a brand mismatch - brand-specific ones of another AMP of the same VMP.
  std::optional<Assessment> best;
  for (const Prescription& rx : snapshot.prescriptions) {
    if (rx.resident_id != c.resident.id) continue;
    bool brand_mismatch = false;
    if (rx.level == MedicationLevel::kVmp) {
      if (rx.medication_id != product.vmp.id) continue;
    } else if (rx.medication_id != product.amp.id) {
      if (rx.vmp_id.empty() || rx.vmp_id != product.vmp.id) continue;
      brand_mismatch = true;
    }
    Assessment a = detail::assess(c, product, rx, brand_mismatch);
    if (!best || preferred(a, *best)) best = std::move(a);
  }
  if (!best) {
    detail::report_not_prescribed(c, product, v.reasons);
    return finish(std::move(v), policy, nullptr, now);
  }
  v.prescription_id = best->rx->id;
  v.slot = best->slot;
  v.dose = best->dose;
  for (Reason& r : best->reasons) v.reasons.push_back(std::move(r));
  return finish(std::move(v), policy, best->rx, now);
}

}  // namespace bcma::rules
