#include "fixtures.hpp"

#include <stdexcept>

namespace bcma::rules::testing {
namespace {

namespace chr = std::chrono;
using domain::ControlledDrugCategory;
using domain::Ingredient;
using domain::ProductMatch;

Ingredient ingredient(std::string_view id, std::string_view name, std::string_view strength,
                      std::string_view unit) {
  return Ingredient{std::string(id), std::string(name), dec(strength), std::string(unit)};
}

ProductMatch product(std::string_view gtin, std::string_view vmp_id, std::string_view vmp_name,
                     std::string_view amp_id, std::string_view amp_name, std::string_view vtm_id,
                     std::string_view vtm_name, std::vector<Ingredient> ingredients,
                     std::string_view unit, std::string_view route = kOral,
                     ControlledDrugCategory cd = ControlledDrugCategory::kNone) {
  ProductMatch p;
  p.gtin = gtin;
  p.vtm = domain::Vtm{std::string(vtm_id), std::string(vtm_name)};
  p.vmp.id = vmp_id;
  p.vmp.name = vmp_name;
  p.vmp.vtm_id = std::string(vtm_id);
  p.vmp.ingredients = std::move(ingredients);
  p.vmp.route_ids = {std::string(route)};
  p.vmp.unit_dose_unit = unit;
  p.vmp.controlled_drug = cd;
  p.vmp.controlled_drug_code = cd == ControlledDrugCategory::kNone ? "0000" : "0002";
  p.amp.id = amp_id;
  p.amp.vmp_id = vmp_id;
  p.amp.name = amp_name;
  p.ampp.id = std::string(amp_id) + "1";
  p.ampp.amp_id = amp_id;
  p.ampp.name = std::string(amp_name) + " 32 " + std::string(unit);
  p.ampp.pack_size = Decimal::from_int(32);
  return p;
}

}  // namespace

Decimal dec(std::string_view text) {
  const std::optional<Decimal> d = Decimal::parse(text);
  if (!d) throw std::invalid_argument("bad decimal in test: " + std::string(text));
  return *d;
}

domain::Date date(int y, unsigned m, unsigned d) {
  return domain::Date{chr::year{y}, chr::month{m}, chr::day{d}};
}

Instant local(int y, unsigned m, unsigned d, int hh, int mm) {
  return domain::London::to_instant(date(y, m, d), domain::TimeOfDay::hm(hh, mm));
}

Instant utc(std::string_view iso) {
  const std::optional<Instant> t = domain::parse_instant(iso);
  if (!t) throw std::invalid_argument("bad instant in test: " + std::string(iso));
  return *t;
}

ProductMatch paracetamol_500() {
  return product("05012345678900", "42109611000001109", "Paracetamol 500mg tablets",
                 "4161211000001102", "Paracetamol 500mg tablets (Accord Healthcare Ltd)",
                 "90332006", "Paracetamol", {ingredient(kParacetamol, "Paracetamol", "500", "mg")},
                 "tablet");
}

ProductMatch panadol_500() {
  ProductMatch p = paracetamol_500();
  p.gtin = "05000347039812";
  p.amp.id = "3361711000001107";
  p.amp.name = "Panadol 500mg tablets (Haleon UK Trading Ltd)";
  return p;
}

ProductMatch co_codamol_30_500() {
  return product("05012345000121", "42108011000001103", "Co-codamol 30mg/500mg tablets",
                 "3935511000001106", "Co-codamol 30mg/500mg tablets (Zentiva)", "398861000",
                 "Codeine + Paracetamol",
                 {ingredient(kCodeine, "Codeine phosphate", "30", "mg"),
                  ingredient(kParacetamol, "Paracetamol", "500", "mg")},
                 "tablet", kOral, ControlledDrugCategory::kSchedule5);
}

ProductMatch paracetamol_1g_suppository() {
  return product("05012345000992", "3778311000001108", "Paracetamol 1g suppositories",
                 "3778411000001100", "Paracetamol 1g suppositories (Alliance)", "90332006",
                 "Paracetamol", {ingredient(kParacetamol, "Paracetamol", "1", "g")}, "suppository",
                 kRectal);
}

ProductMatch amoxicillin_500() {
  return product("05012345000213", "39732311000001104", "Amoxicillin 500mg capsules",
                 "4235311000001106", "Amoxicillin 500mg capsules (Kent Pharma)", "27658006",
                 "Amoxicillin", {ingredient(kAmoxicillin, "Amoxicillin", "500", "mg")}, "capsule");
}

ProductMatch amlodipine_5() {
  return product("05012345000305", "319283006", "Amlodipine 5mg tablets", "4149711000001103",
                 "Amlodipine 5mg tablets (Accord Healthcare Ltd)", "108537001", "Amlodipine",
                 {ingredient("386864001", "Amlodipine", "5", "mg")}, "tablet");
}

ProductMatch alendronic_acid_70() {
  return product("05012345000404", "39108611000001106", "Alendronic acid 70mg tablets",
                 "4118511000001104", "Alendronic acid 70mg tablets (Teva UK Ltd)", "96318003",
                 "Alendronic acid", {ingredient("391730008", "Alendronic acid", "70", "mg")},
                 "tablet");
}

ProductMatch fentanyl_25_patch() {
  return product("05012345000503", "4117611000001109",
                 "Fentanyl 25micrograms/hour transdermal patches", "4117711000001100",
                 "Durogesic DTrans 25micrograms/hour transdermal patches (Janssen)", "373492002",
                 "Fentanyl", {ingredient("373492002", "Fentanyl", "25", "microgram")}, "patch",
                 kTransdermal, ControlledDrugCategory::kSchedule2);
}

ProductMatch oxycodone_5() {
  return product("05012345000602", "36128611000001105", "Oxycodone 5mg capsules",
                 "4309411000001104", "Shortec 5mg capsules (Qdem Pharmaceuticals Ltd)", "55452001",
                 "Oxycodone", {ingredient("55452001", "Oxycodone hydrochloride", "5", "mg")},
                 "capsule", kOral, ControlledDrugCategory::kSchedule2);
}

ProductMatch co_careldopa_25_100() {
  return product("05012345000701", "41901011000001107", "Co-careldopa 25mg/100mg tablets",
                 "3913211000001103", "Sinemet 25mg/100mg tablets (Organon)", "412115002",
                 "Carbidopa + Levodopa",
                 {ingredient("73579000", "Carbidopa", "25", "mg"),
                  ingredient("387086006", "Levodopa", "100", "mg")},
                 "tablet");
}

ProductMatch tegretol_retard_200() {
  return product(
      "05012345000800", "41946511000001104", "Carbamazepine 200mg modified-release tablets",
      "845311000001105", "Tegretol Prolonged Release 200mg tablets (Novartis)", "387222003",
      "Carbamazepine", {ingredient("387222003", "Carbamazepine", "200", "mg")}, "tablet");
}

ProductMatch carbamazepine_200_mr_teva() {
  ProductMatch p = tegretol_retard_200();
  p.gtin = "05012345000817";
  p.amp.id = "3834711000001109";
  p.amp.name = "Carbamazepine 200mg modified-release tablets (Teva UK Ltd)";
  return p;
}

domain::Resident jane() {
  domain::Resident r;
  r.id = 1;
  r.nhs_number = "9434765919";
  r.wristband_gsrn = "801234594347659190";
  r.given_name = "Jane";
  r.family_name = "Smith";
  r.date_of_birth = date(1938, 4, 12);
  r.no_known_allergies = true;
  r.room = "12";
  return r;
}

domain::Resident john() {
  domain::Resident r;
  r.id = 2;
  r.nhs_number = "9434765870";
  r.wristband_gsrn = "801234594347658704";
  r.given_name = "John";
  r.family_name = "Brown";
  r.date_of_birth = date(1941, 11, 3);
  r.no_known_allergies = true;
  r.room = "14";
  return r;
}

domain::DoseRange fixed(std::string_view qty, std::string_view unit) {
  return domain::DoseRange{dec(qty), dec(qty), std::string(unit)};
}

domain::DoseRange range(std::string_view min, std::string_view max, std::string_view unit) {
  return domain::DoseRange{dec(min), dec(max), std::string(unit)};
}

domain::DoseTime at(int hh, int mm) { return domain::DoseTime{"", domain::TimeOfDay::hm(hh, mm)}; }
domain::DoseTime round(std::string_view name) { return domain::DoseTime{std::string(name), {}}; }

domain::Prescription regular(domain::PrescriptionId id, const ProductMatch& p,
                             std::vector<domain::DoseTime> times, domain::DoseRange dose) {
  domain::Prescription rx;
  rx.id = id;
  rx.resident_id = 1;
  rx.level = domain::MedicationLevel::kVmp;
  rx.medication_id = p.vmp.id;
  rx.vmp_id = p.vmp.id;
  rx.medication_name = p.vmp.name;
  rx.ingredients = p.vmp.ingredients;
  rx.route_id = p.vmp.route_ids.front();
  rx.route_name = rx.route_id == kOral ? "oral" : rx.route_id == kRectal ? "rectal" : "transdermal";
  rx.dose = std::move(dose);
  rx.times = std::move(times);
  rx.starts = utc("2026-01-01T00:00:00Z");
  return rx;
}

domain::Prescription prn(domain::PrescriptionId id, const ProductMatch& p, domain::DoseRange dose,
                         Minutes min_interval, std::optional<Decimal> max_per_24h) {
  domain::Prescription rx = regular(id, p, {}, std::move(dose));
  rx.as_needed = true;
  rx.prn = domain::PrnRule{min_interval, max_per_24h, "for pain"};
  return rx;
}

domain::PastDose given(domain::PrescriptionId id, Instant when, std::string_view qty,
                       std::optional<Instant> slot, domain::Outcome outcome) {
  domain::PastDose d;
  d.record_id = "rec-" + std::to_string(id) + "-" + domain::to_string(when);
  d.prescription_id = id;
  d.slot = slot;
  d.event_time = when;
  d.outcome = outcome;
  d.quantity = domain::was_taken(outcome) ? dec(qty) : Decimal{};
  return d;
}

scan::ExpiryDate expiry(int y, int m, int d) {
  scan::ExpiryDate e;
  e.year = y;
  e.month = m;
  e.day = d;
  e.day_was_zero = d == 0;
  return e;
}

scan::Scan pack_scan(const ProductMatch& p, std::optional<scan::ExpiryDate> e,
                     std::optional<std::string> batch) {
  scan::MedicinePack pack;
  pack.gtin = p.gtin;
  pack.expiry = e;
  pack.batch = std::move(batch);
  pack.serial = "SN" + p.gtin.substr(8);
  scan::Scan s;
  s.kind = scan::Kind::kMedicinePack;
  s.data = std::move(pack);
  return s;
}

scan::Scan ean13_scan(const ProductMatch& p) {
  scan::Scan s = pack_scan(p, std::nullopt, std::nullopt);
  std::get<scan::MedicinePack>(s.data).serial.reset();
  std::get<scan::MedicinePack>(s.data).from_linear = true;
  return s;
}

scan::Scan label_scan(const domain::Resident& owner, const ProductMatch& p) {
  scan::PharmacyLabel label;
  label.resident_gsrn = owner.wristband_gsrn;
  label.dispensed_item = "2530000000001" + std::to_string(owner.id) + "DISP0042";
  label.gtin = p.gtin;
  label.expiry = expiry(2027, 12, 31);
  label.batch = "B12345";
  scan::Scan s;
  s.kind = scan::Kind::kPharmacyLabel;
  s.data = std::move(label);
  return s;
}

scan::Scan wristband_scan(const domain::Resident& r) {
  scan::ResidentWristband w;
  w.gsrn = r.wristband_gsrn;
  w.nhs_number = r.nhs_number;
  scan::Scan s;
  s.kind = scan::Kind::kResidentWristband;
  s.data = std::move(w);
  return s;
}

World& World::scanning(const ProductMatch& p) {
  product = p;
  item = pack_scan(p, expiry(2027, 12, 31), "B12345");
  return *this;
}

World& World::with(domain::Prescription rx) {
  prescriptions.push_back(std::move(rx));
  return *this;
}

Verdict World::evaluate(Instant now) const {
  Snapshot s;
  s.resident = resident_identified ? &resident : nullptr;
  s.prescriptions = prescriptions;
  s.item = &item;
  s.product = product ? &*product : nullptr;
  s.label_owner = label_owner ? &*label_owner : nullptr;
  s.history = history;
  s.recalls = recalls;
  s.policy = &policy;
  s.proposed_quantity = proposed;
  return rules::evaluate(s, now);
}

std::string message_of(const Verdict& v, ReasonCode code) {
  for (const Reason& r : v.reasons) {
    if (r.code == code) return r.message;
  }
  return "(no " + std::string(to_string(code)) + " reason)";
}

std::string codes(const Verdict& v) {
  // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on `" " + str`.
  std::string out(to_string(v.decision));
  out += ':';
  for (const Reason& r : v.reasons) out.append(" ").append(to_string(r.code));
  out.append(" | ").append(v.summary);
  return out;
}

const Reason* find_reason(const Verdict& v, ReasonCode code) {
  for (const Reason& r : v.reasons) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

}  // namespace bcma::rules::testing
