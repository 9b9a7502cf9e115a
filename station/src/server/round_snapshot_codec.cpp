#include "round_snapshot_codec.hpp"

#include <functional>

namespace bcma::station::server::detail {

namespace {

void put_time(google::protobuf::Timestamp* ts, domain::Instant t) {
  ts->set_seconds(t.time_since_epoch().count());
  ts->set_nanos(0);
}

// The names offline.proto lists; the scanner decodes exactly these.
std::string allergy_level_name(domain::Allergy::Level level) {
  switch (level) {
    case domain::Allergy::Level::kSubstance: return "substance";
    case domain::Allergy::Level::kVtm: return "vtm";
    case domain::Allergy::Level::kVmp: return "vmp";
    case domain::Allergy::Level::kAmp: return "amp";
  }
  return "substance";
}

std::string day_pattern_name(domain::DayPattern::Kind kind) {
  switch (kind) {
    case domain::DayPattern::Kind::kEveryDay: return "every_day";
    case domain::DayPattern::Kind::kDaysOfWeek: return "days_of_week";
    case domain::DayPattern::Kind::kEveryNDays: return "every_n_days";
  }
  return "every_day";
}

void put_ingredient(v1::SnapshotIngredient* out, const domain::Ingredient& in) {
  out->set_substance_id(in.substance_id);
  out->set_name(in.name);
  out->set_strength(in.strength.to_string());
  out->set_strength_unit(in.strength_unit);
}

void put_resident(v1::SnapshotResident* r, const domain::Resident& res) {
  r->set_resident_id(res.id);
  r->set_nhs_number(res.nhs_number);
  r->set_wristband_gsrn(res.wristband_gsrn);
  r->set_given_name(res.given_name);
  r->set_family_name(res.family_name);
  r->set_date_of_birth(domain::to_string(res.date_of_birth));
  r->set_photo_ref(res.photo_ref);
  for (const auto& a : res.allergies) {
    auto* al = r->add_allergies();
    al->set_level(allergy_level_name(a.level));
    al->set_code(a.code);
    al->set_description(a.description);
  }
  r->set_no_known_allergies(res.no_known_allergies);
  r->set_status(std::string(domain::to_string(res.status)));
  r->set_room(res.room);
}

void put_prescription(v1::SnapshotPrescription* o, const domain::Prescription& p) {
  o->set_prescription_id(p.id);
  o->set_version(p.version);
  o->set_resident_id(p.resident_id);
  o->set_level(p.level == domain::MedicationLevel::kAmp ? "amp" : "vmp");
  o->set_medication_id(p.medication_id);
  o->set_medication_name(p.medication_name);
  o->set_vmp_id(p.vmp_id);
  for (const auto& i : p.ingredients) put_ingredient(o->add_ingredients(), i);
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
  o->set_day_pattern(day_pattern_name(p.days.kind));
  o->set_weekdays(p.days.weekdays);
  o->set_every_n_days(p.days.every_n_days);
  if (p.days.kind == domain::DayPattern::Kind::kEveryNDays) {
    o->set_anchor_date(domain::to_string(p.days.anchor));
  }
  put_time(o->mutable_starts(), p.starts);
  if (p.ends) put_time(o->mutable_ends(), *p.ends);
  o->set_status(std::string(domain::to_string(p.status)));
  o->set_time_critical(p.time_critical);
  if (p.window) o->set_window_minutes(static_cast<std::int32_t>(p.window->count()));
  o->set_instructions(p.instructions);
}

void put_product(v1::SnapshotProduct* o, const domain::ProductMatch& m) {
  o->set_gtin(m.gtin);
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
  for (const auto& i : m.vmp.ingredients) put_ingredient(o->add_ingredients(), i);
  for (const auto& route : m.vmp.route_ids) o->add_route_ids(route);
  o->set_unit_dose_unit(m.vmp.unit_dose_unit);
  o->set_controlled_drug_code(m.vmp.controlled_drug_code);
  o->set_controlled_drug_category(static_cast<std::int32_t>(m.vmp.controlled_drug));
  o->set_vmp_invalid(m.vmp.invalid);
}

void put_dose(v1::SnapshotDose* o, const service::SnapshotDose& h) {
  o->set_record_id(h.dose.record_id);
  o->set_prescription_id(h.dose.prescription_id);
  if (h.dose.slot) put_time(o->mutable_slot(), *h.dose.slot);
  put_time(o->mutable_event_time(), h.dose.event_time);
  o->set_outcome(std::string(domain::to_string(h.dose.outcome)));
  o->set_quantity(h.dose.quantity.to_string());
  for (const auto& i : h.dose.ingredients) put_ingredient(o->add_ingredients(), i);
  o->set_resident_id(h.resident_id);
}

void put_policy(v1::SnapshotPolicy* policy, const rules::Policy& p) {
  for (const auto& [name, time] : p.rounds) {
    auto* round = policy->add_rounds();
    round->set_name(name);
    round->set_time(time.to_string());
  }
  policy->set_default_window_minutes(static_cast<std::int32_t>(p.default_window.count()));
  policy->set_time_critical_window_minutes(static_cast<std::int32_t>(p.time_critical_window.count()));
  for (const auto code : rules::all_reason_codes()) {
    const auto& rp = p.for_reason(code);
    auto* rule = policy->add_reasons();
    rule->set_code(std::string(rules::to_string(code)));
    rule->set_decision(std::string(rules::to_string(rp.decision)));
    for (const auto role : rp.override_roles) rule->add_override_roles(std::string(domain::to_string(role)));
    rule->set_override_needs_witness(rp.override_needs_witness);
  }
  for (const auto& limit : p.ingredient_limits) {
    auto* l = policy->add_ingredient_limits();
    l->set_substance_id(limit.substance_id);
    l->set_name(limit.name);
    l->set_max_per_24h(limit.max_per_24h.to_string());
    l->set_unit(limit.unit);
  }
  for (const auto c : p.witness_categories) policy->add_witness_categories(static_cast<std::int32_t>(c));
}

/// Fills parts list by list, starting a new part when the next item would not fit.
class PartWriter {
 public:
  PartWriter(std::vector<v1::RoundSnapshot>& parts, std::size_t budget)
      : parts_(parts), budget_(budget), used_(parts.back().ByteSizeLong()) {}

  /// `add` appends one item to the part it is given; `size` is that item's encoded size.
  void add(std::size_t size, const std::function<void(v1::RoundSnapshot&)>& add_to) {
    constexpr std::size_t kTagAndLength = 6;
    if (used_ > 0 && used_ + size + kTagAndLength > budget_) {
      parts_.emplace_back();
      used_ = 0;
    }
    add_to(parts_.back());
    used_ += size + kTagAndLength;
  }

 private:
  std::vector<v1::RoundSnapshot>& parts_;
  std::size_t budget_;
  std::size_t used_;
};

template <class Message, class Item, class Put, class Adder>
void add_all(PartWriter& writer, const std::vector<Item>& items, Put put, Adder adder) {
  for (const Item& item : items) {
    Message m;
    put(&m, item);
    const std::size_t size = m.ByteSizeLong();
    writer.add(size, [&](v1::RoundSnapshot& part) { *(part.*adder)() = std::move(m); });
  }
}

}  // namespace

std::vector<v1::RoundSnapshot> snapshot_parts(const service::RoundSnapshotData& data,
                                              const std::string& snapshot_id,
                                              std::size_t part_bytes) {
  std::vector<v1::RoundSnapshot> parts(1);
  v1::RoundSnapshot& first = parts.front();
  put_policy(first.mutable_policy(), data.policy);
  for (const auto& c : data.codes) {
    auto* o = first.add_codes();
    o->set_code(c.code);
    o->set_description(c.description);
    o->set_outcome(std::string(domain::to_string(c.outcome)));
    o->set_requires_text(c.requires_text);
    o->set_active(c.active);
  }
  for (const auto& prefix : data.nhs_gsrn_prefixes) first.add_nhs_gsrn_prefixes(prefix);
  first.set_staff_role(std::string(domain::to_string(data.staff_role)));

  PartWriter writer(parts, part_bytes);
  add_all<v1::SnapshotResident>(writer, data.residents, put_resident, &v1::RoundSnapshot::add_residents);
  add_all<v1::SnapshotPrescription>(writer, data.prescriptions, put_prescription,
                                    &v1::RoundSnapshot::add_prescriptions);
  add_all<v1::SnapshotProduct>(writer, data.products, put_product, &v1::RoundSnapshot::add_products);
  add_all<v1::SnapshotDose>(writer, data.history, put_dose, &v1::RoundSnapshot::add_history);
  add_all<v1::SnapshotRecall>(
      writer, data.recalls,
      [](v1::SnapshotRecall* o, const domain::Recall& rc) {
        o->set_gtin(rc.gtin);
        o->set_vmp_id(rc.vmp_id);
        o->set_batch(rc.batch);
        o->set_reference(rc.reference);
      },
      &v1::RoundSnapshot::add_recalls);

  const auto count = static_cast<std::uint32_t>(parts.size());
  for (std::uint32_t i = 0; i < count; ++i) {
    v1::RoundSnapshot& p = parts[i];
    p.set_snapshot_id(snapshot_id);
    p.set_part(i);
    p.set_part_count(count);
    put_time(p.mutable_generated_at(), data.generated_at);
    put_time(p.mutable_valid_until(), data.valid_until);
  }
  return parts;
}

}  // namespace bcma::station::server::detail
