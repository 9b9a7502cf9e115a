#include "evaluation.hpp"

#include <algorithm>
#include <set>

#include "bcma/station/store/errors.hpp"
#include "scan_input.hpp"

namespace bcma::station::service::detail {
namespace {

namespace serrc = store::errc;
using rules::Decision;

bool is(const Error& e, const char* code) { return e.code == code; }

std::string more(std::size_t n) {
  if (n <= 1) return "";
  return " (and " + std::to_string(n - 1) + " more " + (n == 2 ? "reason" : "reasons") + ")";
}

std::string product_name(const domain::ProductMatch& p) {
  return p.amp.name.empty() ? p.vmp.name : p.amp.name;
}

std::string in_brackets(const std::string& text) { return text.empty() ? "" : " (" + text + ")"; }

// The GTIN a pack identified by hand would carry on `date`, or any of its GTINs, or "".
Result<std::string> gtin_for_pack(store::Store& store, const domain::SnomedId& ampp,
                                  domain::Date date, std::set<std::string>* all) {
  auto mappings = store.gtins_of(ampp);
  if (!mappings) return Unexpected(std::move(mappings).error());
  std::string chosen;
  for (const store::GtinMapping& m : *mappings) {
    all->insert(m.gtin);
    const bool in_force = std::chrono::sys_days{m.start} <= std::chrono::sys_days{date} &&
                          (!m.end || std::chrono::sys_days{date} <= std::chrono::sys_days{*m.end});
    if (in_force || chosen.empty()) chosen = m.gtin;
  }
  return chosen;
}

// The product of a pack scan, or nullopt when the GTIN is unknown on that date.
Result<std::optional<domain::ProductMatch>> product_by_gtin(store::Store& store,
                                                            const std::string& gtin,
                                                            domain::Date date) {
  auto p = store.product_by_gtin(gtin, date);
  if (p) return std::optional<domain::ProductMatch>(std::move(*p));
  if (is(p.error(), serrc::kUnknownProduct) || is(p.error(), serrc::kInvalidGtin)) {
    return std::optional<domain::ProductMatch>();
  }
  return Unexpected(std::move(p).error());
}

Result<void> resolve_label(store::Store& store, const scan::PharmacyLabel& label,
                           domain::Date date, Evaluation& e) {
  auto item = store.dispensed_item(label.dispensed_item);
  if (item) {
    e.label = std::move(*item);
    auto owner = store.resident(e.label->resident_id);
    if (!owner) return Unexpected(std::move(owner).error());
    e.label_owner = std::move(*owner);
  } else if (!is(item.error(), serrc::kUnknownLabel)) {
    return Unexpected(std::move(item).error());
  }
  if (label.gtin) {
    // The label names the product itself: check what it says, not what we expected.
    auto p = product_by_gtin(store, *label.gtin, date);
    if (!p) return Unexpected(std::move(p).error());
    e.product = std::move(*p);
  } else if (e.label) {
    auto p = store.product_by_ampp(e.label->ampp_id);
    if (p) {
      e.product = std::move(*p);
    } else if (!is(p.error(), serrc::kUnknownProduct)) {
      return Unexpected(std::move(p).error());
    }
  }
  return {};
}

// An item identified by hand is checked as a pack with its GTIN and no batch or expiry: so
// recalls of any of its GTINs apply (as "batch unverified" or, for whole-product recalls,
// recalled), and everything about the prescription is checked as for a scan.
Result<void> resolve_manual(store::Store& store, const domain::SnomedId& ampp, domain::Date date,
                            Evaluation& e) {
  auto p = store.product_by_ampp(ampp);
  if (!p) {
    if (is(p.error(), serrc::kUnknownProduct)) return {};
    return Unexpected(std::move(p).error());
  }
  std::set<std::string> gtins;
  auto gtin = gtin_for_pack(store, ampp, date, &gtins);
  if (!gtin) return Unexpected(std::move(gtin).error());
  p->gtin = *gtin;
  for (domain::Recall& r : e.recalls) {
    if (!r.gtin.empty() && gtins.count(r.gtin) > 0) r.gtin = p->gtin;
  }
  scan::MedicinePack pack;
  pack.gtin = p->gtin;
  pack.from_linear = true;
  scan::Scan synthetic;
  synthetic.kind = scan::Kind::kMedicinePack;
  synthetic.data = std::move(pack);
  e.scan = std::move(synthetic);
  e.product = std::move(*p);
  return {};
}

}  // namespace

Result<rules::Policy> load_policy(store::Store& store) {
  auto p = store.policy();
  if (p) return std::move(*p);
  if (is(p.error(), serrc::kNoHome)) return rules::Policy::defaults();
  return Unexpected(std::move(p).error());
}

void add_reason(rules::Verdict& v, rules::Reason reason, const rules::Policy& policy) {
  const Decision added = policy.decision(reason.code);
  const std::string message = reason.message;
  v.reasons.push_back(std::move(reason));
  std::stable_sort(v.reasons.begin(), v.reasons.end(),
                   [&policy](const rules::Reason& a, const rules::Reason& b) {
                     return policy.decision(a.code) > policy.decision(b.code);
                   });
  v.decision = std::max(v.decision, added);
  if (v.decision == Decision::kBlock) {
    v.summary = "Do not give. " + v.reasons.front().message + more(v.reasons.size());
  } else if (v.decision == Decision::kWarn) {
    v.summary = "Check before giving. " + v.reasons.front().message + more(v.reasons.size());
  } else {
    v.summary += " Note: " + message;
  }
}

Result<Evaluation> evaluate_item(store::Store& store, const scan::Context& context,
                                 const EvalInput& in) {
  Evaluation e;
  auto policy = load_policy(store);
  if (!policy) return Unexpected(std::move(policy).error());
  e.policy = std::move(*policy);
  auto recalls = store.recalls();
  if (!recalls) return Unexpected(std::move(recalls).error());
  e.recalls = std::move(*recalls);

  if (in.resident_id) {
    auto r = store.resident(*in.resident_id);
    if (!r) return Unexpected(std::move(r).error());
    e.resident = std::move(*r);
    auto rx = store.current_prescriptions(e.resident->id, in.at);
    if (!rx) return Unexpected(std::move(rx).error());
    e.prescriptions = std::move(*rx);
    auto h = store.history(e.resident->id, in.at - kHistorySpan);
    if (!h) return Unexpected(std::move(h).error());
    e.history = std::move(*h);
    e.history.insert(e.history.end(), in.pending.begin(), in.pending.end());
    if (in.excluded_record) {
      std::erase_if(e.history, [&](const domain::PastDose& d) {
        return d.record_id == *in.excluded_record;
      });
    }
  }

  // The product is looked up on the local day of the dose: GTIN mappings have date ranges.
  const domain::Date day = domain::London::local_date(in.at);
  const bool manual = in.item != nullptr && in.item->entry == ScanInput::Entry::kUnableToScan;
  if (manual && in.manual_ampp) {
    if (auto r = resolve_manual(store, *in.manual_ampp, day, e); !r) return Unexpected(r.error());
  } else if (in.item != nullptr && !manual) {
    e.scan = classify_input(*in.item, context);
    if (const auto* pack = std::get_if<scan::MedicinePack>(&e.scan->data);
        pack != nullptr && e.scan->kind == scan::Kind::kMedicinePack) {
      auto p = product_by_gtin(store, pack->gtin, day);
      if (!p) return Unexpected(std::move(p).error());
      e.product = std::move(*p);
    } else if (const auto* label = std::get_if<scan::PharmacyLabel>(&e.scan->data);
               label != nullptr && e.scan->kind == scan::Kind::kPharmacyLabel) {
      if (auto r = resolve_label(store, *label, day, e); !r) return Unexpected(r.error());
    }
  }
  // A scanned pack the home's dm+d data does not know, identified by hand: checked in full as
  // that pack (its expiry and batch as scanned), and still reported as unknown below.
  std::optional<std::string> unknown_gtin;
  const bool usable_scan = e.scan && (e.scan->kind == scan::Kind::kMedicinePack ||
                                      e.scan->kind == scan::Kind::kPharmacyLabel);
  if (!manual && usable_scan && !e.product && in.manual_ampp) {
    auto p = store.product_by_ampp(*in.manual_ampp);
    if (!p && !is(p.error(), serrc::kUnknownProduct)) return Unexpected(std::move(p).error());
    if (p) {
      if (const auto* pack = std::get_if<scan::MedicinePack>(&e.scan->data)) p->gtin = pack->gtin;
      if (const auto* label = std::get_if<scan::PharmacyLabel>(&e.scan->data)) {
        p->gtin = label->gtin.value_or("");
      }
      unknown_gtin = p->gtin.empty() ? std::string("(none)") : p->gtin;
      e.product = std::move(*p);
    }
  }

  rules::Snapshot s;
  s.resident = e.resident ? &*e.resident : nullptr;
  s.prescriptions = e.prescriptions;
  s.item = e.scan ? &*e.scan : nullptr;
  s.product = e.product ? &*e.product : nullptr;
  s.label_owner = e.label_owner ? &*e.label_owner : nullptr;
  s.history = e.history;
  s.recalls = e.recalls;
  s.policy = &e.policy;
  s.proposed_quantity = in.quantity;
  e.verdict = rules::evaluate(s, in.at);

  if (unknown_gtin && e.resident && !e.verdict.has(rules::ReasonCode::kInvalidBarcode)) {
    add_reason(e.verdict,
               rules::Reason{rules::ReasonCode::kUnknownProduct,
                             "The product with barcode number " + *unknown_gtin +
                                 " is not in the home's medicines list; it was identified by hand "
                                 "as " + product_name(*e.product) +
                                 ": check the pack against the prescription.",
                             std::nullopt},
               e.policy);
  }
  // A manual entry is checked like a scan, and also flagged: the policy decides who confirms it.
  const bool typed = in.item != nullptr && in.item->entry == ScanInput::Entry::kTyped;
  const bool identified_by_hand = manual && e.product.has_value();
  if ((typed || identified_by_hand) && e.resident && !e.verdict.has(rules::ReasonCode::kInvalidBarcode)) {
    std::string msg =
        typed ? "This item was typed in by hand, not scanned" + in_brackets(in.item->reason)
              : "This item could not be scanned" + in_brackets(in.item->reason) +
                    " and was identified by hand as " + product_name(*e.product);
    msg += ": check the pack against the prescription; giving it needs a confirmation by a "
           "member of staff allowed to override.";
    add_reason(e.verdict, rules::Reason{rules::ReasonCode::kInvalidBarcode, std::move(msg),
                                        std::nullopt},
               e.policy);
  }
  return e;
}

domain::PastDose past_dose_of(const store::NewAdministration& record,
                              const std::optional<domain::ProductMatch>& product) {
  domain::PastDose d;
  d.record_id = record.record_id;
  d.prescription_id = record.prescription_id;
  d.slot = record.slot;
  d.event_time = record.event_time;
  d.outcome = record.outcome;
  if (domain::was_taken(record.outcome)) d.quantity = record.quantity;
  if (product) d.ingredients = product->vmp.ingredients;
  return d;
}

}  // namespace bcma::station::service::detail
