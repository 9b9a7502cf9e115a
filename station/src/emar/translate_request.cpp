// MedicationRequest -> Prescription. Every rule here is written up in docs/emar-feed.md.
#include <algorithm>

#include "bcma/rules/engine.hpp"
#include "bcma/station/emar/errors.hpp"
#include "bcma/station/emar/fhir_systems.hpp"
#include "dose.hpp"
#include "resolve.hpp"
#include "schedule.hpp"
#include "translate.hpp"

namespace bcma::station::emar::detail {

namespace {

namespace chr = std::chrono;
using domain::PrescriptionStatus;

std::optional<PrescriptionStatus> map_status(const std::string& status, Problems& problems) {
  if (status == "active") return PrescriptionStatus::kActive;
  if (status == "on-hold") return PrescriptionStatus::kOnHold;
  if (status == "stopped") return PrescriptionStatus::kStopped;
  if (status == "cancelled" || status == "entered-in-error") return PrescriptionStatus::kCancelled;
  if (status == "completed") return PrescriptionStatus::kCompleted;
  if (status == "draft" || status == "unknown") {
    problems.add(reason::kUnsupportedStatus, "/status",
                 "status \"" + status + "\" is not an authorised prescription the station can act on");
    return std::nullopt;
  }
  problems.add(reason::kInvalidResource, "/status", "\"" + quote(status) + "\" is not a MedicationRequest status");
  return std::nullopt;
}

void check_intent(const Json& r, Problems& problems) {
  const auto intent = get_string(r, "intent", "", problems);
  if (!intent) {
    if (member(r, "intent") == nullptr) problems.add(reason::kInvalidResource, "/intent", "intent is required");
    return;
  }
  static constexpr std::string_view kOrders[] = {"order", "original-order", "reflex-order",
                                                 "filler-order", "instance-order"};
  if (std::find(std::begin(kOrders), std::end(kOrders), *intent) == std::end(kOrders)) {
    problems.add(reason::kNotAnOrder, "/intent",
                 "intent \"" + quote(*intent) + "\" is not an order to give the medicine");
  }
  if (get_bool(r, "doNotPerform", "", problems).value_or(false)) {
    problems.add(reason::kNotAnOrder, "/doNotPerform", "the request says the medicine must NOT be given");
  }
}

// priorPrescription as keys (identifier or the resource's own identifiers) and resource ids.
void read_prior(const FeedEntry& entry, const Feed& feed, RequestCandidate& c) {
  const Json* prior = get_object(*entry.resource, "priorPrescription", "", c.problems);
  if (prior == nullptr) return;
  if (const Json* ident = get_object(*prior, "identifier", "/priorPrescription", c.problems)) {
    const Json* s = member(*ident, "system");
    const Json* v = member(*ident, "value");
    if (s != nullptr && v != nullptr && s->is_string() && v->is_string()) {
      c.prior_keys.push_back(s->get<std::string>() + "|" + v->get<std::string>());
    }
  }
  if (const auto ref = get_string(*prior, "reference", "/priorPrescription", c.problems)) {
    if (const Json* in_feed = feed.resolve(*ref, entry)) {
      FeedEntry tmp;
      tmp.resource = in_feed;
      tmp.type = "MedicationRequest";
      if (const Json* id = member(*in_feed, "id"); id != nullptr && id->is_string()) tmp.id = id->get<std::string>();
      if (auto ident = identify(tmp)) {
        for (auto& k : ident->keys) c.prior_keys.push_back(std::move(k));
      }
      if (!tmp.id.empty()) c.prior_resource_ids.push_back(tmp.id);
    } else if (const auto [type, id] = type_and_id(*ref); type == "MedicationRequest") {
      c.prior_resource_ids.push_back(id);
    } else {
      c.problems.add(reason::kInvalidResource, "/priorPrescription/reference",
                     "priorPrescription \"" + quote(*ref) + "\" is not a MedicationRequest reference");
    }
  }
  if (c.prior_keys.empty() && c.prior_resource_ids.empty() && c.problems.empty()) {
    c.problems.add(reason::kInvalidResource, "/priorPrescription",
                   "priorPrescription names no request (no reference or identifier)");
  }
}

std::string join_lines(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += '\n';
    out += p;
  }
  return out;
}

void read_supply(const Json& r, RequestCandidate& c) {
  const Json* d = get_object(r, "dispenseRequest", "", c.problems);
  if (d == nullptr) {
    c.supply_json = "{}";
    return;
  }
  const std::string dp = "/dispenseRequest";
  if (const Json* v = get_object(*d, "validityPeriod", dp, c.problems)) {
    (void)get_datetime(*v, "start", child(dp, "validityPeriod"), c.problems);
    (void)get_datetime(*v, "end", child(dp, "validityPeriod"), c.problems);
  }
  (void)get_integer(*d, "numberOfRepeatsAllowed", dp, c.problems, 0);
  for (const char* q : {"quantity", "expectedSupplyDuration"}) {
    if (const Json* quantity = get_object(*d, q, dp, c.problems)) {
      (void)get_decimal(*quantity, "value", child(dp, q), c.problems);
      (void)get_string(*quantity, "unit", child(dp, q), c.problems);
    }
  }
  c.supply_json = canonical(*d);
}

// A course of `count` doses ends at the first slot after the last of them.
void apply_count(domain::Prescription& p, int count, const rules::Policy& policy) {
  domain::Prescription probe = p;
  probe.status = PrescriptionStatus::kActive;
  chr::sys_days day{domain::London::local_date(p.starts)};
  int seen = 0;
  for (int i = 0; i < 3700; ++i, day += chr::days{1}) {
    if (probe.ends && domain::London::start_of_day(domain::Date{day}) >= *probe.ends) return;
    for (const auto& due : rules::due_doses(std::span(&probe, 1), domain::Date{day}, policy)) {
      if (++seen == count + 1) {
        p.ends = due.slot;
        return;
      }
    }
  }
}

}  // namespace

Result<RequestCandidate> translate_request(const FeedEntry& entry, const Feed& feed,
                                           store::Store& store, const rules::Policy& policy) {
  RequestCandidate c;
  c.entry = &entry;
  auto ident = identify(entry);
  if (!ident) return Unexpected(std::move(ident).error());
  c.identity = std::move(*ident);
  Problems& pr = c.problems;
  const Json& r = *entry.resource;
  if (c.identity.keys.empty()) {
    pr.add(reason::kInvalidResource, "/identifier",
           "the request has neither an identifier nor an id, so its later versions could not be matched");
  }
  refuse_modifier_extensions(r, "", pr);

  std::optional<PrescriptionStatus> status;
  if (const auto s = get_string(r, "status", "", pr)) {
    c.fhir_status = *s;
    status = map_status(*s, pr);
  } else if (member(r, "status") == nullptr) {
    pr.add(reason::kInvalidResource, "/status", "status is required");
  }
  check_intent(r, pr);
  const auto authored = get_datetime(r, "authoredOn", "", pr);
  if (!authored && member(r, "authoredOn") == nullptr) {
    pr.add(reason::kInvalidResource, "/authoredOn",
           "authoredOn is required: it orders the versions of a request and starts its schedule");
  }

  auto subject = resolve_subject(entry, feed, store, pr);
  if (!subject) return Unexpected(std::move(subject).error());
  c.identity.nhs_number = subject->nhs_number;

  std::optional<DmdProduct> product;
  if (const auto med = medication_code(entry, feed, pr)) {
    c.identity.medication = med->code + (med->display.empty() ? "" : " " + med->display);
    auto kind = classify_code(store.database(), med->code);
    if (!kind) return Unexpected(std::move(kind).error());
    const std::string named = "dm+d code " + med->code + (med->display.empty() ? "" : " (" + med->display + ")");
    if (*kind == DmdKind::kVmp || *kind == DmdKind::kAmp) {
      auto p = detail::product(store.database(), med->code);
      if (!p) return Unexpected(std::move(p).error());
      product = std::move(*p);
    } else if (*kind == DmdKind::kVtm) {
      pr.add(reason::kUnsupportedMedicationLevel, med->pointer,
             named + " is a VTM (a substance), not a product: the station needs the VMP or AMP prescribed");
    } else if (*kind == DmdKind::kAmpp) {
      pr.add(reason::kUnsupportedMedicationLevel, med->pointer,
             named + " is a pack (AMPP): a prescription names the VMP or AMP");
    } else {
      pr.add(reason::kUnknownMedication, med->pointer,
             named + " is not in this home's dm+d data: load the current dm+d release, or ask the "
                     "pharmacy to check the code");
    }
    if (product && product->vmp.invalid) {
      pr.add(reason::kInvalidMedication, med->pointer,
             named + ": dm+d marks " + product->vmp.name + " as invalid (withdrawn from use)");
    }
    if (product && product->vmp.unit_dose_unit.empty()) {
      pr.add(reason::kUnsupportedDose, med->pointer,
             named + ": dm+d gives no unit dose for " + product->vmp.name + ", so no dose can be checked");
    }
  }

  read_prior(entry, feed, c);
  read_supply(r, c);

  const Json* dosages = get_array(r, "dosageInstruction", "", pr);
  std::optional<DoseResult> dose;
  std::optional<domain::Decimal> max_per_period;
  std::optional<Schedule> schedule;
  bool as_needed = false;
  std::string indication;
  std::vector<std::string> instructions;
  domain::SnomedId route_id;
  std::string route_name;
  if (dosages == nullptr || dosages->empty()) {
    pr.add(reason::kUnsupportedDose, "/dosageInstruction", "there is no dosage instruction");
  } else if (dosages->size() > 1) {
    pr.add(reason::kUnsupportedTiming, "/dosageInstruction",
           std::to_string(dosages->size()) +
               " dosage instructions (different doses at different times, or a changing course) "
               "cannot be one station prescription: ask for one request per dose");
  } else if (!(*dosages)[0].is_object()) {
    pr.add(reason::kInvalidResource, "/dosageInstruction/0", "a dosage instruction must be an object");
  } else {
    const Json& dosage = (*dosages)[0];
    const std::string dp = "/dosageInstruction/0";
    const auto flag = get_bool(dosage, "asNeededBoolean", dp, pr);
    const Json* why = get_object(dosage, "asNeededCodeableConcept", dp, pr);
    as_needed = flag.value_or(false) || why != nullptr;
    if (flag && !*flag && why != nullptr) {
      pr.add(reason::kAmbiguousData, dp, "asNeededBoolean false with an asNeededCodeableConcept");
    }
    if (why != nullptr) {
      indication = concept_text(*why);
    } else if (const Json* reasons = member(r, "reasonCode"); as_needed && reasons != nullptr &&
                                                              reasons->is_array() && !reasons->empty()) {
      indication = concept_text((*reasons)[0]);
    }
    instructions.push_back(get_string(dosage, "text", dp, pr).value_or(""));
    if (const auto patient = get_string(dosage, "patientInstruction", dp, pr)) {
      instructions.push_back("Patient instruction: " + *patient);
    }
    if (const Json* extra = get_array(dosage, "additionalInstruction", dp, pr)) {
      std::string joined;
      for (const Json& a : *extra) {
        const std::string t = concept_text(a);
        if (t.empty()) continue;
        joined += (joined.empty() ? "" : "; ") + t;
      }
      if (!joined.empty()) instructions.push_back("Additional: " + joined);
    }
    for (const char* part : {"site", "method"}) {
      if (const Json* codeable = get_object(dosage, part, dp, pr)) {
        const std::string t = concept_text(*codeable);
        if (!t.empty()) instructions.push_back(std::string(part == std::string_view("site") ? "Site: " : "Method: ") + t);
      }
    }
    if (product) {
      dose = dosage_dose(dosage, dp, product->vmp, pr);
      max_per_period = dosage_max_per_24h(dosage, dp, product->vmp, dose, pr);
      if (dose && !dose->as_written.empty()) {
        instructions.push_back("Prescribed as " + dose->as_written + " (" + dose->range.min.to_string() +
                               (dose->range.max != dose->range.min ? " to " + dose->range.max.to_string() : "") +
                               " " + dose->range.unit + ")");
      }
    }
    if (authored) schedule = read_schedule(dosage, dp, as_needed, *authored, policy, pr);
    if (schedule) {
      for (const auto& n : schedule->notes) instructions.push_back("Timing: " + n);
    }
    if (const Json* route = get_object(dosage, "route", dp, pr)) {
      const std::string rp = child(dp, "route");
      const auto sct = codings(*route, fhir::kSnomed, rp, pr);
      if (sct.empty()) {
        pr.add(reason::kInvalidResource, rp, "the route has no SNOMED CT code");
      } else if (std::any_of(sct.begin(), sct.end(), [&](const Coding& x) { return x.code != sct[0].code; })) {
        pr.add(reason::kAmbiguousData, rp, "the route has two different SNOMED CT codes");
      } else {
        route_id = sct[0].code;
        route_name = !sct[0].display.empty() ? sct[0].display : concept_text(*route);
        if (route_name.empty()) route_name = "route " + route_id;
      }
    } else {
      pr.add(reason::kInvalidResource, child(dp, "route"),
             "the route is required: it is checked against the product at the bedside");
    }
  }
  if (!pr.empty() || !status || !subject->resident || !product || !dose || !schedule) {
    if (pr.empty()) pr.add(reason::kInvalidResource, "", "the request is incomplete");
    return c;
  }

  domain::Prescription& p = c.prescription;
  p.resident_id = subject->resident->id;
  p.level = product->level;
  p.medication_id = product->id;
  p.medication_name = product->name;
  p.vmp_id = product->vmp.id;
  p.route_id = route_id;
  p.route_name = route_name;
  p.dose = dose->range;
  p.as_needed = as_needed;
  if (as_needed) {
    domain::PrnRule prn;
    prn.min_interval = schedule->prn_min_interval;
    prn.max_per_24h = max_per_period;
    if (schedule->prn_times_per_day) {
      const auto by_count = dose->range.max.times(domain::Decimal::from_int(*schedule->prn_times_per_day));
      if (by_count && (!prn.max_per_24h || *by_count < *prn.max_per_24h)) prn.max_per_24h = by_count;
    }
    prn.indication = indication;
    p.prn = std::move(prn);
  } else {
    p.times = schedule->times;
    p.days = schedule->days;
  }
  p.starts = schedule->starts;
  p.ends = schedule->ends;
  p.status = *status;
  p.instructions = join_lines(instructions);
  if (schedule->count && !as_needed) apply_count(p, *schedule->count, policy);
  if (auto ok = rules::check_prescription(p, policy); !ok) {
    pr.add(reason::kRejectedByRules, "/dosageInstruction/0",
           "the rules engine cannot follow this prescription (" + ok.error().code + "): " + ok.error().message);
  }
  return c;
}

}  // namespace bcma::station::emar::detail
