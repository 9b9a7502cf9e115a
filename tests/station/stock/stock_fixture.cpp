#include "stock_fixture.hpp"

#include <gtest/gtest.h>

#include "bcma/rules/policy.hpp"

namespace bcma::station::stock::testing {

using namespace std::chrono;
using store::testing::gsrn;
using store::testing::test_nhs_number;

domain::Instant cycle_start() { return sys_days{year{2026} / 3 / 2}; }

domain::Instant at(int day, int hh, int mm) {
  const domain::Date d{sys_days{year{2026} / 3 / 2} + days{day}};
  return domain::London::to_instant(d, domain::TimeOfDay::hm(hh, mm));
}

namespace {

domain::Vmp vmp(const char* id, const char* name, std::vector<domain::Ingredient> ingredients,
                const char* unit, domain::ControlledDrugCategory cd = domain::ControlledDrugCategory::kNone,
                const char* cd_code = "0000") {
  domain::Vmp v;
  v.id = id;
  v.name = name;
  v.ingredients = std::move(ingredients);
  v.route_ids = {kOral};
  v.unit_dose_unit = unit;
  v.controlled_drug = cd;
  v.controlled_drug_code = cd_code;
  return v;
}

domain::Resident resident(int serial, const char* given, const char* family) {
  domain::Resident r;
  r.nhs_number = test_nhs_number(serial);
  r.given_name = given;
  r.family_name = family;
  r.date_of_birth = year{1940} / 1 / 1;
  r.no_known_allergies = true;
  r.room = std::to_string(serial % 100);
  return r;
}

std::string vmp_name(std::string_view id) {
  if (id == kParaVmp) return "Paracetamol 500mg tablets";
  if (id == kCocoVmp) return "Co-codamol 30mg/500mg tablets";
  if (id == kOxyVmp) return "Oxycodone 5mg capsules";
  if (id == kSinemetVmp) return "Co-careldopa 25mg/100mg tablets";
  return "Amlodipine 5mg tablets";
}

}  // namespace

void build_home(Home& h) {
  auto opened = store::Store::open(h.dir.path() / "station.db", h.clock,
                                   store::StoreOptions{.pin_cost = store::PinHashCost::minimum()});
  ASSERT_TRUE(opened) << opened.error().message;
  h.store.emplace(std::move(*opened));
  const store::Actor setup{std::nullopt, "setup"};
  ASSERT_TRUE(h.s().set_home({"Rowan House", "VN123"}, setup));
  ASSERT_TRUE(h.s().set_policy(rules::Policy::defaults(), setup));
  auto a = h.s().add_resident(resident(3001, "Alice", "Archer"), setup);
  auto b = h.s().add_resident(resident(3002, "Bob", "Baker"), setup);
  auto c = h.s().add_resident(resident(3003, "Carol", "Cole"), setup);
  ASSERT_TRUE(a && b && c);
  h.alice = *a;
  h.bob = *b;
  h.carol = *c;
  auto s1 = h.s().add_staff({0, "Cara Carer", gsrn("80170000000000021"), domain::Role::kCareWorker, true}, "1234", setup);
  auto s2 = h.s().add_staff({0, "Nina Nurse", gsrn("80170000000000022"), domain::Role::kNurse, true}, "5678", setup);
  auto s3 = h.s().add_staff({0, "Max Manager", gsrn("80170000000000023"), domain::Role::kManager, true}, "2468", setup);
  ASSERT_TRUE(s1 && s2 && s3);
  h.carer = *s1;
  h.nurse = *s2;
  h.manager = *s3;

  store::ProductBatch batch;
  const domain::Ingredient para{"387517004", "Paracetamol", Decimal::from_int(500), "mg"};
  batch.vmps = {
      vmp(kParaVmp, "Paracetamol 500mg tablets", {para}, "tablet"),
      vmp(kCocoVmp, "Co-codamol 30mg/500mg tablets",
          {{"261000", "Codeine phosphate", Decimal::from_int(30), "mg"}, para}, "tablet",
          domain::ControlledDrugCategory::kSchedule5, "0010"),
      vmp(kOxyVmp, "Oxycodone 5mg capsules",
          {{"55452001", "Oxycodone hydrochloride", Decimal::from_int(5), "mg"}}, "capsule",
          domain::ControlledDrugCategory::kSchedule2, "0002"),
      vmp(kSinemetVmp, "Co-careldopa 25mg/100mg tablets",
          {{"73579000", "Carbidopa", Decimal::from_int(25), "mg"},
           {"387086006", "Levodopa", Decimal::from_int(100), "mg"}}, "tablet"),
      vmp(kAmloVmp, "Amlodipine 5mg tablets", {{"386864001", "Amlodipine", Decimal::from_int(5), "mg"}}, "tablet"),
  };
  batch.amps = {{kParaAmp, kParaVmp, "Paracetamol 500mg tablets (Accord)", "Accord"},
                {kCocoAmp, kCocoVmp, "Co-codamol 30mg/500mg tablets (Zentiva)", "Zentiva"},
                {kOxyAmp, kOxyVmp, "Shortec 5mg capsules", "Qdem"},
                {kSinemetAmp, kSinemetVmp, "Sinemet 25mg/100mg tablets", "Organon"},
                {kAmloAmp, kAmloVmp, "Amlodipine 5mg tablets (Accord)", "Accord"}};
  batch.ampps = {{kParaAmpp, kParaAmp, "Paracetamol 500mg tablets (Accord) 32 tablet", Decimal::from_int(32), 320},
                 {kCocoAmpp, kCocoAmp, "Co-codamol 30mg/500mg tablets 30 tablet", Decimal::from_int(30), 450},
                 {kOxyAmpp, kOxyAmp, "Shortec 5mg capsules 56 capsule", Decimal::from_int(56), 1120},
                 {kSinemetAmpp, kSinemetAmp, "Sinemet 25mg/100mg tablets 100 tablet", Decimal::from_int(100), 1000},
                 {kAmloAmpp, kAmloAmp, "Amlodipine 5mg tablets 28 tablet", Decimal::from_int(28), std::nullopt}};
  auto imported = h.s().import_products(batch, setup);
  ASSERT_TRUE(imported) << imported.error().message;
}

domain::PrescriptionId Home::regular(domain::ResidentId r, const char* vmp_id, Decimal dose,
                                     std::vector<std::string> rounds, bool time_critical) {
  domain::Prescription rx;
  rx.resident_id = r;
  rx.medication_id = vmp_id;
  rx.medication_name = vmp_name(vmp_id);
  rx.route_id = kOral;
  rx.route_name = "oral";
  rx.dose = {dose, dose, "tablet"};
  for (auto& round : rounds) rx.times.push_back({round, {}});
  rx.starts = cycle_start() - days{60};
  rx.time_critical = time_critical;
  auto p = s().put_prescription(rx, rx.starts, store::Actor{std::nullopt, "pharmacy-sync"});
  EXPECT_TRUE(p) << p.error().message;
  return p ? p->id : 0;
}

domain::PrescriptionId Home::prn(domain::ResidentId r, const char* vmp_id, Decimal dose, Decimal max_per_24h,
                                 int min_interval_minutes) {
  domain::Prescription rx;
  rx.resident_id = r;
  rx.medication_id = vmp_id;
  rx.medication_name = vmp_name(vmp_id);
  rx.route_id = kOral;
  rx.route_name = "oral";
  rx.dose = {dose, dose, "tablet"};
  rx.as_needed = true;
  rx.prn = domain::PrnRule{minutes{min_interval_minutes}, max_per_24h, "for pain"};
  rx.starts = cycle_start() - days{60};
  auto p = s().put_prescription(rx, rx.starts, store::Actor{std::nullopt, "pharmacy-sync"});
  EXPECT_TRUE(p) << p.error().message;
  return p ? p->id : 0;
}

void Home::label(const std::string& label_id, domain::ResidentId r, const char* ampp, Decimal quantity,
                 std::optional<domain::PrescriptionId> rx) {
  store::DispensedItem item{label_id, r, ampp, rx, quantity, year{2026} / 3 / 1, "Main St Pharmacy"};
  auto added = s().add_dispensed_item(item, store::Actor{std::nullopt, "pharmacy-sync"});
  EXPECT_TRUE(added) << added.error().message;
}

void Home::advance_to(domain::Instant t) {
  if (t > clock.now()) clock.set(t);
}

std::string Home::record(domain::ResidentId r, domain::PrescriptionId rx, domain::Outcome outcome,
                         Decimal quantity, domain::Instant when, std::optional<domain::Instant> slot,
                         std::optional<std::string> label_id, std::string code,
                         std::optional<domain::StaffId> witness) {
  advance_to(when);
  store::NewAdministration a;
  a.record_id = store::testing::uuid(next_record++);
  a.resident_id = r;
  a.prescription_id = rx;
  a.slot = slot;
  a.outcome = outcome;
  a.quantity = quantity;
  a.label_id = std::move(label_id);
  a.code = std::move(code);
  a.wristband = store::ScanEvidence::scanned("wristband", "]d2");
  if (outcome == domain::Outcome::kGiven || outcome == domain::Outcome::kRefusedAndDestroyed) {
    a.items = {store::ScanEvidence::scanned(a.label_id.value_or("pack"), "]C1")};
  }
  a.event_time = when;
  a.device_id = "scanner-01";
  a.staff_id = carer;
  a.witness = witness;
  auto ack = s().record_administration(a);
  EXPECT_TRUE(ack) << ack.error().code << ": " << ack.error().message;
  return a.record_id;
}

}  // namespace bcma::station::stock::testing
