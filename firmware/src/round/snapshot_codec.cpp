#include "bcma/fw/round/snapshot_codec.hpp"

#include <array>
#include <utility>

namespace bcma::fw::round {

namespace {

using domain::Decimal;

struct Bad {
  std::string message;
};

// Decoding throws nothing: each helper reports the first bad field through `err`.
class Reader {
 public:
  std::optional<Bad> err;

  Decimal decimal(const std::string& text, std::string_view field) {
    if (auto d = Decimal::parse(text)) return *d;
    bad(field, text);
    return {};
  }
  std::optional<Decimal> optional_decimal(const std::string& text, std::string_view field) {
    if (text.empty()) return std::nullopt;
    return decimal(text, field);
  }
  domain::Date date(const std::string& text, std::string_view field) {
    if (auto d = domain::parse_date(text)) return *d;
    bad(field, text);
    return {};
  }
  domain::TimeOfDay time(const std::string& text, std::string_view field) {
    if (auto t = domain::TimeOfDay::parse(text)) return *t;
    bad(field, text);
    return {};
  }
  template <class T, class Parse>
  T named(const std::string& text, std::string_view field, Parse parse) {
    if (auto v = parse(text)) return *v;
    bad(field, text);
    return T{};
  }
  void bad(std::string_view field, std::string_view value) {
    if (!err) err = Bad{"snapshot field " + std::string(field) + ": '" + std::string(value) + "' is not valid"};
  }
};

domain::Instant instant(const google::protobuf::Timestamp& ts) {
  return domain::Instant(std::chrono::seconds(ts.seconds()));
}
void set(google::protobuf::Timestamp* ts, domain::Instant t) {
  ts->set_seconds(t.time_since_epoch().count());
  ts->set_nanos(0);
}

constexpr std::array<std::pair<domain::Allergy::Level, std::string_view>, 4> kAllergyLevels{{
    {domain::Allergy::Level::kSubstance, "substance"},
    {domain::Allergy::Level::kVtm, "vtm"},
    {domain::Allergy::Level::kVmp, "vmp"},
    {domain::Allergy::Level::kAmp, "amp"},
}};
constexpr std::array<std::pair<domain::DayPattern::Kind, std::string_view>, 3> kPatterns{{
    {domain::DayPattern::Kind::kEveryDay, "every_day"},
    {domain::DayPattern::Kind::kDaysOfWeek, "days_of_week"},
    {domain::DayPattern::Kind::kEveryNDays, "every_n_days"},
}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, n] : table) {
    if (v == value) return n;
  }
  return table[0].second;
}
template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

domain::Ingredient ingredient(const v1::SnapshotIngredient& in, Reader& r) {
  return domain::Ingredient{in.substance_id(), in.name(), r.decimal(in.strength(), "ingredient.strength"),
                            in.strength_unit()};
}
void put(v1::SnapshotIngredient* out, const domain::Ingredient& in) {
  out->set_substance_id(in.substance_id);
  out->set_name(in.name);
  out->set_strength(in.strength.to_string());
  out->set_strength_unit(in.strength_unit);
}

domain::Resident resident(const v1::SnapshotResident& in, Reader& r) {
  domain::Resident out;
  out.id = in.resident_id();
  out.nhs_number = in.nhs_number();
  out.wristband_gsrn = in.wristband_gsrn();
  out.given_name = in.given_name();
  out.family_name = in.family_name();
  out.date_of_birth = r.date(in.date_of_birth(), "resident.date_of_birth");
  out.photo_ref = in.photo_ref();
  for (const auto& a : in.allergies()) {
    domain::Allergy allergy;
    allergy.level = r.named<domain::Allergy::Level>(
        a.level(), "allergy.level", [](std::string_view n) { return value_of(kAllergyLevels, n); });
    allergy.code = a.code();
    allergy.description = a.description();
    out.allergies.push_back(std::move(allergy));
  }
  out.no_known_allergies = in.no_known_allergies();
  out.status = r.named<domain::ResidentStatus>(in.status(), "resident.status",
                                               domain::resident_status_from_string);
  out.room = in.room();
  return out;
}

domain::Prescription prescription(const v1::SnapshotPrescription& in, Reader& r) {
  domain::Prescription out;
  out.id = in.prescription_id();
  out.version = in.version();
  out.resident_id = in.resident_id();
  if (in.level() == "amp") {
    out.level = domain::MedicationLevel::kAmp;
  } else if (in.level() == "vmp") {
    out.level = domain::MedicationLevel::kVmp;
  } else {
    r.bad("prescription.level", in.level());
  }
  out.medication_id = in.medication_id();
  out.medication_name = in.medication_name();
  out.vmp_id = in.vmp_id();
  for (const auto& i : in.ingredients()) out.ingredients.push_back(ingredient(i, r));
  out.route_id = in.route_id();
  out.route_name = in.route_name();
  out.dose.min = r.decimal(in.dose_min(), "prescription.dose_min");
  out.dose.max = r.decimal(in.dose_max(), "prescription.dose_max");
  out.dose.unit = in.dose_unit();
  out.as_needed = in.as_needed();
  if (out.as_needed) {
    domain::PrnRule prn;
    prn.min_interval = domain::Minutes(in.prn_min_interval_minutes());
    prn.max_per_24h = r.optional_decimal(in.prn_max_per_24h(), "prescription.prn_max_per_24h");
    prn.indication = in.prn_indication();
    out.prn = std::move(prn);
  }
  for (const auto& t : in.times()) {
    domain::DoseTime dt;
    dt.round = t.round();
    if (dt.round.empty()) dt.time = r.time(t.time(), "prescription.times.time");
    out.times.push_back(std::move(dt));
  }
  out.days.kind = r.named<domain::DayPattern::Kind>(
      in.day_pattern(), "prescription.day_pattern", [](std::string_view n) { return value_of(kPatterns, n); });
  out.days.weekdays = static_cast<std::uint8_t>(in.weekdays() & 0x7F);
  out.days.every_n_days = in.every_n_days();
  if (!in.anchor_date().empty()) out.days.anchor = r.date(in.anchor_date(), "prescription.anchor_date");
  out.starts = instant(in.starts());
  if (in.has_ends()) out.ends = instant(in.ends());
  out.status = r.named<domain::PrescriptionStatus>(in.status(), "prescription.status",
                                                   domain::prescription_status_from_string);
  out.time_critical = in.time_critical();
  if (in.has_window_minutes()) out.window = domain::Minutes(in.window_minutes());
  out.instructions = in.instructions();
  return out;
}

domain::ProductMatch product(const v1::SnapshotProduct& in, Reader& r) {
  domain::ProductMatch out;
  out.gtin = in.gtin();
  out.ampp.id = in.ampp_id();
  out.ampp.amp_id = in.amp_id();
  out.ampp.name = in.ampp_name();
  if (!in.pack_size().empty()) out.ampp.pack_size = r.decimal(in.pack_size(), "product.pack_size");
  out.amp.id = in.amp_id();
  out.amp.vmp_id = in.vmp_id();
  out.amp.name = in.amp_name();
  out.amp.supplier = in.supplier();
  out.vmp.id = in.vmp_id();
  out.vmp.name = in.vmp_name();
  if (!in.vtm_id().empty()) {
    out.vmp.vtm_id = in.vtm_id();
    out.vtm = domain::Vtm{in.vtm_id(), in.vtm_name()};
  }
  for (const auto& i : in.ingredients()) out.vmp.ingredients.push_back(ingredient(i, r));
  for (const auto& route : in.route_ids()) out.vmp.route_ids.push_back(route);
  out.vmp.unit_dose_unit = in.unit_dose_unit();
  out.vmp.controlled_drug_code = in.controlled_drug_code();
  out.vmp.controlled_drug = static_cast<domain::ControlledDrugCategory>(in.controlled_drug_category());
  out.vmp.invalid = in.vmp_invalid();
  return out;
}

}  // namespace

Result<void> merge_snapshot_part(const v1::RoundSnapshot& part, OfflineData& data) {
  Reader r;
  OfflineData next = data;
  next.snapshot_id = part.snapshot_id();
  if (part.part() == 0) {
    next.generated_at = instant(part.generated_at());
    next.valid_until = instant(part.valid_until());
    next.nhs_gsrn_prefixes.assign(part.nhs_gsrn_prefixes().begin(), part.nhs_gsrn_prefixes().end());
    if (!part.staff_role().empty()) {
      next.staff_role = r.named<domain::Role>(part.staff_role(), "staff_role", domain::role_from_string);
    }
    if (part.has_policy()) {
      const auto& p = part.policy();
      rules::Policy policy = rules::Policy::defaults();
      if (p.rounds_size() > 0) policy.rounds.clear();
      for (const auto& round : p.rounds()) policy.rounds[round.name()] = r.time(round.time(), "policy.rounds.time");
      policy.default_window = domain::Minutes(p.default_window_minutes());
      policy.time_critical_window = domain::Minutes(p.time_critical_window_minutes());
      for (const auto& rule : p.reasons()) {
        auto code = r.named<rules::ReasonCode>(rule.code(), "policy.reasons.code", rules::reason_from_string);
        rules::ReasonPolicy rp;
        rp.decision = r.named<rules::Decision>(rule.decision(), "policy.reasons.decision",
                                               rules::decision_from_string);
        for (const auto& role : rule.override_roles()) {
          rp.override_roles.push_back(
              r.named<domain::Role>(role, "policy.reasons.override_roles", domain::role_from_string));
        }
        rp.override_needs_witness = rule.override_needs_witness();
        policy.for_reason(code) = std::move(rp);
      }
      for (const auto& limit : p.ingredient_limits()) {
        policy.ingredient_limits.push_back(rules::IngredientLimit{
            limit.substance_id(), limit.name(), r.decimal(limit.max_per_24h(), "policy.ingredient_limits"),
            limit.unit()});
      }
      if (p.witness_categories_size() > 0) policy.witness_categories.clear();
      for (int c : p.witness_categories()) {
        policy.witness_categories.push_back(static_cast<domain::ControlledDrugCategory>(c));
      }
      next.policy = std::move(policy);
    }
    if (part.codes_size() > 0) next.codes.clear();
    for (const auto& c : part.codes()) {
      next.codes.push_back(OutcomeCode{
          c.code(), c.description(),
          r.named<domain::Outcome>(c.outcome(), "codes.outcome", domain::outcome_from_string),
          c.requires_text(), c.active()});
    }
  }
  for (const auto& res : part.residents()) next.residents.push_back(resident(res, r));
  for (const auto& p : part.prescriptions()) next.prescriptions.push_back(prescription(p, r));
  for (const auto& p : part.products()) {
    auto match = product(p, r);
    next.products[match.gtin] = std::move(match);
  }
  for (const auto& h : part.history()) {
    ResidentDose d;
    d.resident_id = h.resident_id();
    d.dose.record_id = h.record_id();
    d.dose.prescription_id = h.prescription_id();
    if (h.has_slot()) d.dose.slot = instant(h.slot());
    d.dose.event_time = instant(h.event_time());
    d.dose.outcome = r.named<domain::Outcome>(h.outcome(), "history.outcome", domain::outcome_from_string);
    if (!h.quantity().empty()) d.dose.quantity = r.decimal(h.quantity(), "history.quantity");
    for (const auto& i : h.ingredients()) d.dose.ingredients.push_back(ingredient(i, r));
    next.history.push_back(std::move(d));
  }
  for (const auto& rc : part.recalls()) {
    next.recalls.push_back(domain::Recall{rc.gtin(), rc.vmp_id(), rc.batch(), rc.reference()});
  }
  if (r.err) return fail("bad_snapshot", r.err->message);
  data = std::move(next);
  return {};
}

v1::RoundSnapshot encode_snapshot(const OfflineData& data) {
  v1::RoundSnapshot out;
  out.set_snapshot_id(data.snapshot_id);
  out.set_part(0);
  out.set_part_count(1);
  set(out.mutable_generated_at(), data.generated_at);
  set(out.mutable_valid_until(), data.valid_until);
  for (const auto& res : data.residents) {
    auto* r = out.add_residents();
    r->set_resident_id(res.id);
    r->set_nhs_number(res.nhs_number);
    r->set_wristband_gsrn(res.wristband_gsrn);
    r->set_given_name(res.given_name);
    r->set_family_name(res.family_name);
    r->set_date_of_birth(domain::to_string(res.date_of_birth));
    r->set_photo_ref(res.photo_ref);
    for (const auto& a : res.allergies) {
      auto* al = r->add_allergies();
      al->set_level(std::string(name_of(kAllergyLevels, a.level)));
      al->set_code(a.code);
      al->set_description(a.description);
    }
    r->set_no_known_allergies(res.no_known_allergies);
    r->set_status(std::string(domain::to_string(res.status)));
    r->set_room(res.room);
  }
  for (const auto& p : data.prescriptions) {
    auto* o = out.add_prescriptions();
    o->set_prescription_id(p.id);
    o->set_version(p.version);
    o->set_resident_id(p.resident_id);
    o->set_level(p.level == domain::MedicationLevel::kAmp ? "amp" : "vmp");
    o->set_medication_id(p.medication_id);
    o->set_medication_name(p.medication_name);
    o->set_vmp_id(p.vmp_id);
    for (const auto& i : p.ingredients) put(o->add_ingredients(), i);
    o->set_route_id(p.route_id);
    o->set_route_name(p.route_name);
    o->set_dose_min(p.dose.min.to_string());
    o->set_dose_max(p.dose.max.to_string());
    o->set_dose_unit(p.dose.unit);
    o->set_as_needed(p.as_needed);
    if (p.prn) {
      o->set_prn_min_interval_minutes(static_cast<std::int32_t>(p.prn->min_interval.count()));
      if (p.prn->max_per_24h) o->set_prn_max_per_24h(p.prn->max_per_24h->to_string());
      o->set_prn_indication(p.prn->indication);
    }
    for (const auto& t : p.times) {
      auto* dt = o->add_times();
      dt->set_round(t.round);
      if (t.round.empty()) dt->set_time(t.time.to_string());
    }
    o->set_day_pattern(std::string(name_of(kPatterns, p.days.kind)));
    o->set_weekdays(p.days.weekdays);
    o->set_every_n_days(p.days.every_n_days);
    if (p.days.kind == domain::DayPattern::Kind::kEveryNDays) o->set_anchor_date(domain::to_string(p.days.anchor));
    set(o->mutable_starts(), p.starts);
    if (p.ends) set(o->mutable_ends(), *p.ends);
    o->set_status(std::string(domain::to_string(p.status)));
    o->set_time_critical(p.time_critical);
    if (p.window) o->set_window_minutes(static_cast<std::int32_t>(p.window->count()));
    o->set_instructions(p.instructions);
  }
  for (const auto& [gtin, m] : data.products) {
    auto* o = out.add_products();
    o->set_gtin(gtin);
    o->set_ampp_id(m.ampp.id);
    o->set_ampp_name(m.ampp.name);
    o->set_pack_size(m.ampp.pack_size.to_string());
    o->set_amp_id(m.amp.id);
    o->set_amp_name(m.amp.name);
    o->set_supplier(m.amp.supplier);
    o->set_vmp_id(m.vmp.id);
    o->set_vmp_name(m.vmp.name);
    if (m.vtm) {
      o->set_vtm_id(m.vtm->id);
      o->set_vtm_name(m.vtm->name);
    }
    for (const auto& i : m.vmp.ingredients) put(o->add_ingredients(), i);
    for (const auto& route : m.vmp.route_ids) o->add_route_ids(route);
    o->set_unit_dose_unit(m.vmp.unit_dose_unit);
    o->set_controlled_drug_code(m.vmp.controlled_drug_code);
    o->set_controlled_drug_category(static_cast<std::int32_t>(m.vmp.controlled_drug));
    o->set_vmp_invalid(m.vmp.invalid);
  }
  for (const auto& h : data.history) {
    auto* o = out.add_history();
    o->set_record_id(h.dose.record_id);
    o->set_prescription_id(h.dose.prescription_id);
    if (h.dose.slot) set(o->mutable_slot(), *h.dose.slot);
    set(o->mutable_event_time(), h.dose.event_time);
    o->set_outcome(std::string(domain::to_string(h.dose.outcome)));
    o->set_quantity(h.dose.quantity.to_string());
    for (const auto& i : h.dose.ingredients) put(o->add_ingredients(), i);
    o->set_resident_id(h.resident_id);
  }
  for (const auto& rc : data.recalls) {
    auto* o = out.add_recalls();
    o->set_gtin(rc.gtin);
    o->set_vmp_id(rc.vmp_id);
    o->set_batch(rc.batch);
    o->set_reference(rc.reference);
  }
  auto* policy = out.mutable_policy();
  for (const auto& [name, time] : data.policy.rounds) {
    auto* round = policy->add_rounds();
    round->set_name(name);
    round->set_time(time.to_string());
  }
  policy->set_default_window_minutes(static_cast<std::int32_t>(data.policy.default_window.count()));
  policy->set_time_critical_window_minutes(
      static_cast<std::int32_t>(data.policy.time_critical_window.count()));
  for (const auto code : rules::all_reason_codes()) {
    const auto& rp = data.policy.for_reason(code);
    auto* rule = policy->add_reasons();
    rule->set_code(std::string(rules::to_string(code)));
    rule->set_decision(std::string(rules::to_string(rp.decision)));
    for (const auto role : rp.override_roles) rule->add_override_roles(std::string(domain::to_string(role)));
    rule->set_override_needs_witness(rp.override_needs_witness);
  }
  for (const auto& limit : data.policy.ingredient_limits) {
    auto* l = policy->add_ingredient_limits();
    l->set_substance_id(limit.substance_id);
    l->set_name(limit.name);
    l->set_max_per_24h(limit.max_per_24h.to_string());
    l->set_unit(limit.unit);
  }
  for (const auto c : data.policy.witness_categories) policy->add_witness_categories(static_cast<std::int32_t>(c));
  for (const auto& c : data.codes) {
    auto* o = out.add_codes();
    o->set_code(c.code);
    o->set_description(c.description);
    o->set_outcome(std::string(domain::to_string(c.outcome)));
    o->set_requires_text(c.requires_text);
    o->set_active(c.active);
  }
  for (const auto& prefix : data.nhs_gsrn_prefixes) out.add_nhs_gsrn_prefixes(prefix);
  if (data.staff_role) out.set_staff_role(std::string(domain::to_string(*data.staff_role)));
  return out;
}

}  // namespace bcma::fw::round
