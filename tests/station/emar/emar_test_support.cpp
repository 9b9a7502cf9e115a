#include "emar_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bcma/rules/policy.hpp"

namespace bcma::station::emar::testing {

namespace st = store::testing;
using domain::Decimal;

Home seed_home(store::Store& store) {
  Home h;
  const store::Actor actor = st::setup_actor();
  auto check = [](const auto& r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  };
  check(store.set_home(store::Home{"Rowan House", "VN123"}, actor), "home");
  check(store.set_policy(rules::Policy::defaults(), actor), "policy");

  auto resident = [&](const char* nhs, const char* given, const char* family, domain::Date dob,
                      domain::ResidentStatus status, const char* gsrn17) {
    domain::Resident r;
    r.nhs_number = nhs;
    r.given_name = given;
    r.family_name = family;
    r.date_of_birth = dob;
    r.wristband_gsrn = st::gsrn(gsrn17);
    r.no_known_allergies = true;
    r.status = status;
    r.room = "1";
    auto id = store.add_resident(r, actor);
    check(id, "resident");
    return *id;
  };
  h.alice = resident(kAliceNhs, "Alice", "Archer", std::chrono::year{1938} / 5 / 17,
                     domain::ResidentStatus::kPresent, "80180000000000101");
  h.bob = resident(kBobNhs, "Bob", "Baker", std::chrono::year{1941} / 11 / 2, domain::ResidentStatus::kPresent,
                   "80180000000000102");
  h.carol = resident(kCarolNhs, "Carol", "Cole", std::chrono::year{1930} / 1 / 9,
                     domain::ResidentStatus::kDischarged, "80180000000000103");

  h.carer_badge = st::gsrn("80170000000000111");
  auto carer = store.add_staff({0, "Carol Carer", h.carer_badge, domain::Role::kCareWorker, true}, "1234", actor);
  check(carer, "carer");
  h.carer = *carer;
  auto nurse = store.add_staff({0, "Nora Nurse", st::gsrn("80170000000000112"), domain::Role::kNurse, true}, "5678",
                               actor);
  check(nurse, "nurse");
  h.nurse = *nurse;

  auto vmp = [](const char* id, const char* name, const char* unit, std::vector<domain::Ingredient> ingredients,
                const char* route) {
    domain::Vmp v;
    v.id = id;
    v.name = name;
    v.unit_dose_unit = unit;
    v.ingredients = std::move(ingredients);
    v.route_ids = {route};
    v.controlled_drug_code = "0000";
    return v;
  };
  store::ProductBatch b;
  b.vtms = {{st::kVtmParacetamol, "Paracetamol"}};
  domain::Vmp para = vmp(st::kVmpParacetamol, "Paracetamol 500mg tablets", "tablet",
                         {{st::kSubstanceParacetamol, "Paracetamol", Decimal::from_int(500), "mg"}}, kOral);
  para.vtm_id = st::kVtmParacetamol;
  domain::Vmp coco = vmp(st::kVmpCocodamol, "Co-codamol 8mg/500mg tablets", "tablet",
                         {{st::kSubstanceCodeine, "Codeine phosphate", Decimal::from_int(8), "mg"},
                          {st::kSubstanceParacetamol, "Paracetamol", Decimal::from_int(500), "mg"}},
                         kOral);
  coco.controlled_drug_code = "0010";
  coco.controlled_drug = domain::ControlledDrugCategory::kSchedule5;
  domain::Vmp patch = vmp(kVmpBuprenorphinePatch, "Buprenorphine 5micrograms/hour transdermal patches", "patch",
                          {{"3912611000001105", "Buprenorphine", Decimal::from_int(5), "microgram"}}, "45890007");
  patch.controlled_drug_code = "0005";
  patch.controlled_drug = domain::ControlledDrugCategory::kSchedule3;
  b.vmps = {para,
            coco,
            vmp(kVmpAlendronate, "Alendronic acid 70mg tablets", "tablet",
                {{"3911311000001109", "Alendronic acid", Decimal::from_int(70), "mg"}}, kOral),
            vmp(kVmpLactulose, "Lactulose 3.35g/5ml oral solution", "ml",
                {{"3911611000001104", "Lactulose", Decimal::from_int(670), "mg"}}, kOral),
            vmp(kVmpCocareldopa, "Co-careldopa 25mg/100mg tablets", "tablet",
                {{"3911811000001100", "Carbidopa", Decimal::from_int(25), "mg"},
                 {"3911911000001105", "Levodopa", Decimal::from_int(100), "mg"}},
                kOral),
            vmp(kVmpMethotrexate, "Methotrexate 2.5mg tablets", "tablet",
                {{"3912211000001108", "Methotrexate", *Decimal::parse("2.5"), "mg"}}, kOral),
            patch};
  b.amps = {{st::kAmpParacetamol, st::kVmpParacetamol, "Paracetamol 500mg tablets (Accord)", "Accord"},
            {st::kAmpCocodamol, st::kVmpCocodamol, "Co-codamol 8mg/500mg tablets (Zentiva)", "Zentiva"},
            {kAmpAlendronate, kVmpAlendronate, "Alendronic acid 70mg tablets (Teva)", "Teva"},
            {kAmpLactulose, kVmpLactulose, "Lactulose 3.35g/5ml oral solution (Fresenius)", "Fresenius"},
            {kAmpSinemet, kVmpCocareldopa, "Sinemet 25mg/100mg tablets (Organon)", "Organon"}};
  b.ampps = {{st::kAmppParacetamol32, st::kAmpParacetamol, "Paracetamol 500mg tablets (Accord) 32 tablet",
              Decimal::from_int(32), 85},
             {st::kAmppCocodamol30, st::kAmpCocodamol, "Co-codamol 8mg/500mg tablets (Zentiva) 30 tablet",
              Decimal::from_int(30), std::nullopt},
             {kAmppAlendronate4, kAmpAlendronate, "Alendronic acid 70mg tablets (Teva) 4 tablet", Decimal::from_int(4),
              std::nullopt},
             {kAmppLactulose500, kAmpLactulose, "Lactulose 3.35g/5ml oral solution (Fresenius) 500 ml",
              Decimal::from_int(500), std::nullopt},
             {kAmppSinemet100, kAmpSinemet, "Sinemet 25mg/100mg tablets (Organon) 100 tablet", Decimal::from_int(100),
              std::nullopt}};
  check(store.import_products(b, actor), "products");
  return h;
}

std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(BCMA_SOURCE_DIR) / "tests" / "fixtures" / "fhir" / name;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Station::Station() : file(dir.path() / "station.db") {
  auto s = store::Store::open(file, clock, store::StoreOptions{std::chrono::milliseconds{5000},
                                                               store::PinHashCost::minimum(),
                                                               std::chrono::minutes{10}});
  if (!s) throw std::runtime_error("open: " + s.error().message);
  store.emplace(std::move(*s));
  home = seed_home(*store);
}

const ResourceOutcome& outcome(const ImportSummary& summary, const std::string& id) {
  for (const auto& r : summary.resources) {
    if (r.resource_id == id) return r;
  }
  ADD_FAILURE() << "no outcome for " << id;
  static const ResourceOutcome none;
  return none;
}

std::string request_with_dosage(const std::string& id, const std::string& medication_code,
                                const std::string& dosage_json) {
  return R"({"resourceType":"MedicationRequest","id":")" + id +
         R"(","identifier":[{"system":"https://fhir.mainstreet-pharmacy.example/Id/prescription","value":")" + id +
         R"("}],"status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"system":"https://dmd.nhs.uk","code":")" +
         medication_code +
         R"("}]},"subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990020027"}},"authoredOn":"2026-03-09T12:00:00Z","dosageInstruction":[)" +
         dosage_json + "]}";
}

domain::Instant at(const char* iso) { return *domain::parse_instant(iso); }

}  // namespace bcma::station::emar::testing
