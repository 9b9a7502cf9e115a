#include "station_home.hpp"

#include "bcma/gs1/gtin.hpp"
#include "bcma/ident/nhs_number.hpp"
#include "bcma/rules/policy.hpp"

namespace bcma::fw::testing {

namespace {

namespace store = station::store;
using domain::Decimal;

std::string with_check(const std::string& digits) {
  return digits + gs1::mod10_check_digit(digits).value_or('0');
}

std::string nhs(const std::string& nine) {
  return nine + static_cast<char>('0' + ident::nhs_check_digit(nine));
}

struct Product {
  std::string gtin;
  const char* vmp_id;
  const char* name;
  const char* unit;
  domain::Ingredient ingredient;
  domain::ControlledDrugCategory cd = domain::ControlledDrugCategory::kNone;
};

void add_product(store::ProductBatch& batch, const Product& p) {
  domain::Vmp vmp;
  vmp.id = p.vmp_id;
  vmp.name = p.name;
  vmp.ingredients = {p.ingredient};
  vmp.route_ids = {"26643006"};
  vmp.unit_dose_unit = p.unit;
  vmp.controlled_drug = p.cd;
  vmp.controlled_drug_code = p.cd == domain::ControlledDrugCategory::kNone ? "0000" : "0002";
  const std::string amp_id = std::string(p.vmp_id) + "1";
  const std::string ampp_id = std::string(p.vmp_id) + "2";
  batch.vmps.push_back(vmp);
  batch.amps.push_back(domain::Amp{amp_id, p.vmp_id, std::string(p.name) + " (Generic)", "Generic Ltd"});
  batch.ampps.push_back(domain::Ampp{ampp_id, amp_id, std::string(p.name) + " x 28",
                                     Decimal::from_int(28), 100});
  batch.gtins.push_back(store::GtinMapping{p.gtin, ampp_id, std::chrono::year{2020} / 1 / 1, std::nullopt});
}

domain::Prescription morning_dose(domain::ResidentId resident, const Product& p, std::int64_t dose,
                                  domain::Instant starts) {
  domain::Prescription rx;
  rx.resident_id = resident;
  rx.medication_id = p.vmp_id;
  rx.route_id = "26643006";
  rx.route_name = "oral";
  rx.dose = domain::DoseRange{Decimal::from_int(dose), Decimal::from_int(dose), p.unit};
  rx.times = {domain::DoseTime{"MORN", {}}};
  rx.starts = starts;
  return rx;
}

}  // namespace

Result<StationHome> seed_station_home(store::Store& store, domain::Instant now,
                                      std::optional<domain::TimeOfDay> edith_due_at) {
  StationHome h;
  const store::Actor actor{std::nullopt, "test-setup"};
  if (auto r = store.set_home(store::Home{"Beech House", "VN777"}, actor); !r) return Unexpected(r.error());
  if (auto r = store.set_policy(rules::Policy::defaults(), actor); !r) return Unexpected(r.error());

  h.care_worker_badge = with_check("50123450000000011");
  h.senior_badge = with_check("50123450000000012");
  h.nurse_badge = with_check("50123450000000013");
  h.edith_gsrn = with_check("50123450000000101");
  h.arthur_gsrn = with_check("50123450000000102");
  h.edith_nhs = nhs("943476591");
  h.paracetamol_gtin = with_check("0501234500001");
  h.amoxicillin_gtin = with_check("0501234500002");
  h.ibuprofen_gtin = with_check("0501234500003");
  h.morphine_gtin = with_check("0501234500004");
  h.unknown_gtin = with_check("0501234500009");

  const Product para{h.paracetamol_gtin, "42109611000001109", "Paracetamol 500mg tablets", "tablet",
                     {"387517004", "Paracetamol", Decimal::from_int(500), "mg"}};
  const Product amox{h.amoxicillin_gtin, "39732311000001104", "Amoxicillin 500mg capsules", "capsule",
                     {"372687004", "Amoxicillin", Decimal::from_int(500), "mg"}};
  const Product ibu{h.ibuprofen_gtin, "42095411000001102", "Ibuprofen 200mg tablets", "tablet",
                    {"387207008", "Ibuprofen", Decimal::from_int(200), "mg"}};
  const Product morphine{h.morphine_gtin, "36128211000001104", "Morphine 10mg tablets", "tablet",
                         {"373529000", "Morphine", Decimal::from_int(10), "mg"},
                         domain::ControlledDrugCategory::kSchedule2};
  store::ProductBatch batch;
  for (const auto* p : {&para, &amox, &ibu, &morphine}) add_product(batch, *p);
  if (auto r = store.import_products(batch, actor); !r) return Unexpected(r.error());

  domain::Resident edith;
  edith.nhs_number = h.edith_nhs;
  edith.wristband_gsrn = h.edith_gsrn;
  edith.given_name = "Edith";
  edith.family_name = "Clarke";
  edith.date_of_birth = std::chrono::year(1938) / 4 / 17;
  edith.photo_ref = "photos/edith-clarke.jpg";
  edith.no_known_allergies = true;
  edith.room = "12";
  auto e = store.add_resident(edith, actor);
  if (!e) return Unexpected(e.error());
  h.edith = *e;

  domain::Resident arthur;
  arthur.nhs_number = nhs("999000001");
  arthur.wristband_gsrn = h.arthur_gsrn;
  arthur.given_name = "Arthur";
  arthur.family_name = "Penn";
  arthur.date_of_birth = std::chrono::year(1941) / 11 / 2;
  arthur.allergies = {{domain::Allergy::Level::kSubstance, "372687004", "Amoxicillin - rash"}};
  arthur.room = "14";
  auto a = store.add_resident(arthur, actor);
  if (!a) return Unexpected(a.error());
  h.arthur = *a;

  h.staff = {
      {h.care_worker_badge, "1234", "Cara Worker", 0, domain::Role::kCareWorker},
      {h.senior_badge, "2468", "Sam Senior", 0, domain::Role::kSenior},
      {h.nurse_badge, "5678", "Nora Nurse", 0, domain::Role::kNurse},
  };
  for (auto& s : h.staff) {
    auto id = store.add_staff(domain::Staff{0, s.name, s.badge_gsrn, s.role, true}, s.pin, actor);
    if (!id) return Unexpected(id.error());
    s.id = *id;
  }
  h.care_worker = h.staff[0].id;
  h.senior = h.staff[1].id;
  h.nurse = h.staff[2].id;

  const domain::Instant starts = now - std::chrono::days(365);
  auto put = [&](const domain::Prescription& rx) -> Result<domain::PrescriptionId> {
    auto stored = store.put_prescription(rx, starts, actor);
    if (!stored) return Unexpected(stored.error());
    return stored->id;
  };
  auto edith_rx = morning_dose(h.edith, para, 2, starts);
  if (edith_due_at) edith_rx.times = {domain::DoseTime{"", *edith_due_at}};
  auto regular = put(edith_rx);
  if (!regular) return Unexpected(regular.error());
  h.edith_regular = *regular;
  auto prn_rx = morning_dose(h.edith, para, 1, starts);
  prn_rx.times.clear();
  prn_rx.as_needed = true;
  prn_rx.dose.max = Decimal::from_int(2);
  prn_rx.prn = domain::PrnRule{domain::Minutes(240), Decimal::from_int(8), "for pain"};
  auto prn = put(prn_rx);
  if (!prn) return Unexpected(prn.error());
  h.edith_prn = *prn;
  auto amox_rx = put(morning_dose(h.arthur, amox, 1, starts));
  if (!amox_rx) return Unexpected(amox_rx.error());
  h.arthur_regular = *amox_rx;
  auto morphine_rx = put(morning_dose(h.arthur, morphine, 1, starts));
  if (!morphine_rx) return Unexpected(morphine_rx.error());
  h.arthur_morphine = *morphine_rx;
  return h;
}

}  // namespace bcma::fw::testing
