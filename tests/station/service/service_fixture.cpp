#include "service_fixture.hpp"

#include <stdexcept>
#include <unistd.h>

#include "bcma/gs1/element_string.hpp"
#include "bcma/station/store/database.hpp"

namespace bcma::station::service::testing {
namespace {

const store::Actor kSetup{std::nullopt, "test-setup"};

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().code + ": " + r.error().message);
  return std::move(*r);
}
void must(Result<void> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().code + ": " + r.error().message);
}

domain::Decimal dec(const char* text) { return *domain::Decimal::parse(text); }

store::ProductBatch products() {
  store::ProductBatch b;
  b.vtms = {{"90332006", "Paracetamol"}, {"108537001", "Amlodipine"}, {"55452001", "Oxycodone"}};
  domain::Vmp para;
  para.id = "42109611000001109";
  para.name = "Paracetamol 500mg tablets";
  para.vtm_id = "90332006";
  para.ingredients = {{"387517004", "Paracetamol", dec("500"), "mg"}};
  para.route_ids = {"26643006"};
  para.unit_dose_unit = "tablet";
  para.controlled_drug_code = "0000";
  domain::Vmp amlo;
  amlo.id = "319283006";
  amlo.name = "Amlodipine 5mg tablets";
  amlo.vtm_id = "108537001";
  amlo.ingredients = {{"386864001", "Amlodipine", dec("5"), "mg"}};
  amlo.route_ids = {"26643006"};
  amlo.unit_dose_unit = "tablet";
  amlo.controlled_drug_code = "0000";
  domain::Vmp oxy;
  oxy.id = "36128611000001105";
  oxy.name = "Oxycodone 5mg capsules";
  oxy.vtm_id = "55452001";
  oxy.ingredients = {{"55452001", "Oxycodone hydrochloride", dec("5"), "mg"}};
  oxy.route_ids = {"26643006"};
  oxy.unit_dose_unit = "capsule";
  oxy.controlled_drug_code = "0002";
  oxy.controlled_drug = domain::ControlledDrugCategory::kSchedule2;
  b.vmps = {para, amlo, oxy};
  b.amps = {{"4161211000001102", "42109611000001109", "Paracetamol 500mg tablets (Accord)", "Accord"},
            {"4149711000001103", "319283006", "Amlodipine 5mg tablets (Accord)", "Accord"},
            {"4309411000001104", "36128611000001105", "Shortec 5mg capsules", "Qdem"}};
  b.ampps = {{"1006311000001105", "4161211000001102", "Paracetamol 500mg tablets 32", dec("32"), {}},
             {kAmppAmlodipine, "4149711000001103", "Amlodipine 5mg tablets 28", dec("28"), {}},
             {"1091711000001106", "4309411000001104", "Shortec 5mg capsules 56", dec("56"), {}}};
  const domain::Date from{std::chrono::year{2020}, std::chrono::January, std::chrono::day{1}};
  b.gtins = {{kParacetamolGtin, "1006311000001105", from, {}},
             {kAmlodipineGtin, kAmppAmlodipine, from, {}},
             {kOxycodoneGtin, "1091711000001106", from, {}}};
  return b;
}

domain::Resident resident(const char* nhs, const char* gsrn, const char* given, const char* family) {
  domain::Resident r;
  r.nhs_number = nhs;
  r.wristband_gsrn = gsrn;
  r.given_name = given;
  r.family_name = family;
  r.date_of_birth = domain::Date{std::chrono::year{1938}, std::chrono::April, std::chrono::day{12}};
  r.photo_ref = std::string("photos/") + given + ".jpg";
  r.no_known_allergies = true;
  return r;
}

}  // namespace

domain::Instant at(std::string_view iso) {
  const auto t = domain::parse_instant(iso);
  if (!t) throw std::invalid_argument("bad instant in test: " + std::string(iso));
  return *t;
}

void ServiceTest::SetUp() {
  std::string pattern = (std::filesystem::temp_directory_path() / "bcma-service-test-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
  clock_.set(at("2026-03-16T07:58:00Z"));
  store::StoreOptions options;
  options.pin_cost = store::PinHashCost::minimum();  // the same hashing, only cheaper
  store_.emplace(must(store::Store::open(dir_ / "station.db", clock_, options), "open"));
  store::Store& s = *store_;
  must(s.set_home(store::Home{"Test Home", ""}, kSetup), "home");
  must(s.set_policy(rules::Policy::defaults(), kSetup), "policy");
  must(s.import_products(products(), kSetup), "products");
  jane_ = must(s.add_resident(resident("9990000018", kJaneGsrn, "Jane", "Smith"), kSetup), "jane");
  john_ = must(s.add_resident(resident("9990000026", kJohnGsrn, "John", "Brown"), kSetup), "john");
  auto staff = [&](StaffMember& m, const char* name, const char* badge, domain::Role role,
                   const char* pin, bool active = true) {
    m.id = must(s.add_staff(domain::Staff{0, name, badge, role, active}, pin, kSetup), name);
    m.badge = badge;
    m.pin = pin;
  };
  staff(carol_, "Carol Carer", "952111100000000011", domain::Role::kCareWorker, "1234");
  staff(dave_, "Dave Day", "952111100000000028", domain::Role::kCareWorker, "4321");
  staff(sam_, "Sam Senior", "952111100000000035", domain::Role::kSenior, "2468");
  staff(nina_, "Nina Nurse", "952111100000000042", domain::Role::kNurse, "5678");
  staff(mike_, "Mike Manager", "952111100000000059", domain::Role::kManager, "1357");
  staff(pat_, "Pat Pharmacist", "952111100000000066", domain::Role::kPharmacist, "9753");
  staff(eve_, "Eve Evaluator", "952111100000000073", domain::Role::kEvaluator, "8642");
  staff(olga_, "Olga Old", "952111100000000080", domain::Role::kNurse, "1111", false);

  domain::Prescription amlo;
  amlo.resident_id = jane_;
  amlo.medication_id = "319283006";
  amlo.route_id = "26643006";
  amlo.route_name = "oral";
  amlo.dose = {dec("1"), dec("1"), "tablet"};
  amlo.times = {domain::DoseTime{"MORN", {}}};
  amlo.starts = at("2026-01-01T00:00:00Z");
  const domain::Instant from = at("2026-01-01T00:00:00Z");
  jane_amlodipine_ = must(s.put_prescription(amlo, from, kSetup), "amlodipine").id;
  domain::Prescription prn;
  prn.resident_id = jane_;
  prn.medication_id = "42109611000001109";
  prn.route_id = "26643006";
  prn.dose = {dec("1"), dec("2"), "tablet"};
  prn.as_needed = true;
  prn.prn = domain::PrnRule{domain::Minutes{240}, dec("8"), "for pain"};
  prn.starts = from;
  jane_paracetamol_prn_ = must(s.put_prescription(prn, from, kSetup), "paracetamol").id;
  domain::Prescription oxy = prn;
  oxy.resident_id = john_;
  oxy.medication_id = "36128611000001105";
  oxy.dose = {dec("1"), dec("1"), "capsule"};
  john_oxycodone_ = must(s.put_prescription(oxy, from, kSetup), "oxycodone").id;

  ServiceOptions service_options;
  service_options.nhs_gsrn_prefixes = {"9520000"};
  service_.emplace(must(Service::create(s, clock_, service_options), "service"));
}

void ServiceTest::TearDown() {
  service_.reset();
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string ServiceTest::sign_in(const StaffMember& who) {
  auto s = service_->login(who.credentials(), "scanner-01");
  EXPECT_TRUE(s) << (s ? "" : s.error().code + ": " + s.error().message);
  return s ? s->id : std::string();
}

ScanInput ServiceTest::gs1_scan(std::string_view bracketed) {
  auto msg = gs1::parse(bracketed);
  if (!msg) throw std::invalid_argument("bad GS1 in test: " + std::string(bracketed));
  return ScanInput::scanned(scan::Decode{"DataMatrix", "]d2", true, gs1::to_scan_data(*msg, "]d2").substr(3)});
}

ScanInput ServiceTest::wristband(const char* gsrn) { return gs1_scan("(8018)" + std::string(gsrn)); }

ScanInput ServiceTest::amlodipine() { return gs1_scan("(01)09520123400118(17)280131(10)A1"); }

OutcomeRequest ServiceTest::given(std::string record_id) const {
  OutcomeRequest r;
  r.record_id = std::move(record_id);
  r.resident_id = jane_;
  r.wristband = wristband(kJaneGsrn);
  r.item = amlodipine();
  r.outcome = domain::Outcome::kGiven;
  r.quantity = dec("1");
  r.event_time = clock_.now();
  return r;
}

std::vector<store::AuditEntry> ServiceTest::audit_from(std::int64_t from_seq) {
  return must(store_->audit_entries(from_seq, 1000), "audit");
}

std::int64_t ServiceTest::audit_head() {
  const auto v = must(store_->verify_audit(), "verify");
  EXPECT_TRUE(v.intact());
  return v.head_seq;
}

std::int64_t ServiceTest::count(const std::string& table) {
  // Table names are constants from the tests, never input.
  auto st = store_->database().prepare("SELECT count(*) FROM " + table);
  if (!st) throw std::runtime_error(st.error().message);
  must(st->step(), "count");
  return st->int64(0);
}

}  // namespace bcma::station::service::testing
