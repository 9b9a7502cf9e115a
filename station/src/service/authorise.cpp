// Service: who may give a dose the rules block or that needs a witness. The policy's table
// (docs/rules.md) names the roles that may override each reason and whether a second person
// must witness the override; a controlled drug needs a witness whatever the verdict.
#include <algorithm>

#include "bcma/core/text.hpp"
#include "bcma/station/service/errors.hpp"
#include "bcma/station/service/service.hpp"
#include "record_support.hpp"

namespace bcma::station::service {
namespace {

using detail::refuse;
using rules::Decision;

std::string roles_text(const std::vector<domain::Role>& roles) {
  std::string out;
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (i > 0) out += i + 1 == roles.size() ? " or " : ", ";
    out += std::string(domain::to_string(roles[i]));
  }
  return out;
}

}  // namespace

Result<void, Refusal> Service::authorise(const Session& session, const OutcomeRequest& req,
                                         const rules::Verdict& verdict,
                                         const rules::Policy& policy,
                                         store::NewAdministration& record) {
  if (verdict.decision == Decision::kBlock) {
    if (!req.override) {
      return refuse(errc::kBlocked, "Not recorded: the dose is blocked. " + verdict.summary,
                    verdict);
    }
    const OverrideRequest& o = *req.override;
    if (is_blank(o.reason)) {
      return refuse(errc::kOverrideReasonMissing, "an override needs the reason it was given",
                    verdict);
    }
    domain::Staff by = session.staff;
    if (o.by) {
      auto who = authenticate(*o.by, session.device_id, "override");
      if (!who) return refuse(who.error());
      by = std::move(*who);
    }
    // Every blocking reason must be one this person may override; warnings need no override.
    bool needs_witness = false;
    for (const rules::Reason& r : verdict.reasons) {
      const rules::ReasonPolicy& rp = policy.for_reason(r.code);
      if (rp.decision != Decision::kBlock) continue;
      if (rp.override_roles.empty()) {
        return refuse(errc::kNotOverridable,
                      std::string(rules::to_string(r.code)) +
                          " cannot be overridden by anyone: " + r.message,
                      verdict);
      }
      if (std::find(rp.override_roles.begin(), rp.override_roles.end(), by.role) ==
          rp.override_roles.end()) {
        return refuse(errc::kOverrideNotPermitted,
                      by.name + " (" + std::string(domain::to_string(by.role)) +
                          ") may not override " + std::string(rules::to_string(r.code)) +
                          "; the home allows " + roles_text(rp.override_roles) + " to",
                      verdict);
      }
      needs_witness = needs_witness || rp.override_needs_witness;
    }
    store::Override stored{by.id, o.reason, std::nullopt};
    if (needs_witness && !o.witness) {
      return refuse(errc::kWitnessRequired,
                    "this override must be witnessed by a second member of staff", verdict);
    }
    if (o.witness) {
      auto w = authenticate(*o.witness, session.device_id, "override witness");
      if (!w) return refuse(w.error());
      if (w->id == by.id) {
        return refuse(errc::kInvalidWitness,
                      "the override witness must be a second person, not " + by.name, verdict);
      }
      stored.witness = w->id;
    }
    record.override = std::move(stored);
  } else if (req.override) {
    return refuse(errc::kOverrideNotNeeded,
                  "nothing is blocked now (" + std::string(rules::to_string(verdict.decision)) +
                      "): record the dose again without an override",
                  verdict);
  }

  if (verdict.witness_required && !req.witness) {
    return refuse(errc::kWitnessRequired,
                  "a controlled drug must be witnessed by a second member of staff", verdict);
  }
  if (req.witness) {
    auto w = authenticate(*req.witness, session.device_id, "witness");
    if (!w) return refuse(w.error());
    if (w->id == session.staff.id) {
      return refuse(errc::kInvalidWitness,
                    "the witness must be a second person, not the person giving the dose",
                    verdict);
    }
    record.witness = w->id;
  }
  return {};
}

}  // namespace bcma::station::service
