#include "store_test_support.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "bcma/gs1/gtin.hpp"
#include "bcma/ident/nhs_number.hpp"
#include "bcma/rules/policy.hpp"

namespace bcma::station::store::testing {

using namespace std::chrono_literals;

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "bcma-store-XXXXXX").string();
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string uuid(std::uint64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(n >> 48),
                static_cast<unsigned long long>(n & 0xffffffffffffULL));
  return buf;
}

std::string gsrn(std::string_view seventeen) {
  return std::string(seventeen) + *gs1::mod10_check_digit(seventeen);
}

std::string gtin(std::string_view digits) {
  return std::string(digits) + *gs1::mod10_check_digit(digits);
}

std::string test_nhs_number(int serial) {
  // 999 followed by six digits; skip serials whose check digit would be 10.
  for (int s = serial;; ++s) {
    char nine[16];
    std::snprintf(nine, sizeof nine, "999%06d", s % 1000000);
    const int check = ident::nhs_check_digit(nine);
    if (check >= 0) return std::string(nine) + static_cast<char>('0' + check);
  }
}

namespace {

struct Raw {
  sqlite3* db = nullptr;
  explicit Raw(const std::filesystem::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + file.string());
    }
  }
  ~Raw() { sqlite3_close_v2(db); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;
};

std::string column_text(sqlite3_stmt* st, int i) {
  const auto* p = sqlite3_column_text(st, i);
  if (p == nullptr) return "NULL";
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(st, i)));
}

}  // namespace

std::string raw_sql(const std::filesystem::path& file, const std::string& sql) {
  Raw raw(file);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(raw.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(raw.db));
  }
  std::string out;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out = column_text(st, 0);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
  }
  const std::string err = sqlite3_errmsg(raw.db);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) throw std::runtime_error("step: " + err);
  return out;
}

std::string dump_database(const std::filesystem::path& file) {
  Raw raw(file);
  std::vector<std::string> tables;
  {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(raw.db,
                       "SELECT name FROM sqlite_master WHERE type = 'table'"
                       " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                       -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) tables.push_back(column_text(st, 0));
    sqlite3_finalize(st);
  }
  std::string out;
  for (const auto& t : tables) {
    out += "== " + t + "\n";
    // Table names come from sqlite_master of a test file, not from users.
    const std::string sql = "SELECT * FROM \"" + t + "\" ORDER BY 1, 2";
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(raw.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("dump: ") + sqlite3_errmsg(raw.db));
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) out += column_text(st, i) + "|";
      out += "\n";
    }
    sqlite3_finalize(st);
  }
  return out;
}

domain::Instant test_now() {
  return domain::Instant{std::chrono::sys_days{std::chrono::year{2026} / 3 / 10}} + 8h;
}

Actor setup_actor() { return Actor{std::nullopt, "test-setup"}; }

Result<Seed> seed_home(Store& store) {
  using domain::Decimal;
  Seed s;
  const Actor actor = setup_actor();
  if (auto r = store.set_home(Home{"Rowan House", "VN123"}, actor); !r) return Unexpected(r.error());
  if (auto r = store.set_policy(rules::Policy::defaults(), actor); !r) return Unexpected(r.error());

  domain::Resident alice;
  alice.nhs_number = test_nhs_number(1001);
  s.alice_gsrn = gsrn("80180000000000001");
  alice.wristband_gsrn = s.alice_gsrn;
  alice.given_name = "Alice";
  alice.family_name = "Archer";
  alice.date_of_birth = std::chrono::year{1938} / 5 / 17;
  alice.photo_ref = "photos/alice.jpg";
  alice.allergies = {{domain::Allergy::Level::kSubstance, "764146007", "Penicillin - rash"}};
  alice.room = "12";
  auto a = store.add_resident(alice, actor);
  if (!a) return Unexpected(a.error());
  s.alice = *a;

  domain::Resident bob;
  bob.nhs_number = test_nhs_number(2002);
  bob.wristband_gsrn = gsrn("80180000000000002");
  bob.given_name = "Bob";
  bob.family_name = "Baker";
  bob.date_of_birth = std::chrono::year{1941} / 11 / 2;
  bob.no_known_allergies = true;
  bob.room = "14";
  auto b = store.add_resident(bob, actor);
  if (!b) return Unexpected(b.error());
  s.bob = *b;

  s.carer_badge = gsrn("80170000000000011");
  auto carer = store.add_staff({0, "Carol Carer", s.carer_badge, domain::Role::kCareWorker, true},
                               "1234", actor);
  if (!carer) return Unexpected(carer.error());
  s.carer = *carer;
  auto nurse = store.add_staff(
      {0, "Nora Nurse", gsrn("80170000000000012"), domain::Role::kNurse, true}, "5678", actor);
  if (!nurse) return Unexpected(nurse.error());
  s.nurse = *nurse;
  auto senior = store.add_staff(
      {0, "Sam Senior", gsrn("80170000000000013"), domain::Role::kSenior, true}, "2468", actor);
  if (!senior) return Unexpected(senior.error());
  s.senior = *senior;

  ProductBatch batch;
  batch.vtms = {{kVtmParacetamol, "Paracetamol"}};
  domain::Vmp para;
  para.id = kVmpParacetamol;
  para.name = "Paracetamol 500mg tablets";
  para.vtm_id = kVtmParacetamol;
  para.ingredients = {{kSubstanceParacetamol, "Paracetamol", Decimal::from_int(500), "mg"}};
  para.route_ids = {"26643006"};
  para.unit_dose_unit = "tablet";
  para.controlled_drug_code = "0000";
  domain::Vmp coco;
  coco.id = kVmpCocodamol;
  coco.name = "Co-codamol 8mg/500mg tablets";
  coco.ingredients = {{kSubstanceCodeine, "Codeine phosphate", Decimal::from_int(8), "mg"},
                      {kSubstanceParacetamol, "Paracetamol", Decimal::from_int(500), "mg"}};
  coco.route_ids = {"26643006"};
  coco.unit_dose_unit = "tablet";
  coco.controlled_drug_code = "0010";
  coco.controlled_drug = domain::ControlledDrugCategory::kSchedule5;
  batch.vmps = {para, coco};
  batch.amps = {{kAmpParacetamol, kVmpParacetamol, "Paracetamol 500mg tablets (Accord)", "Accord"},
                {kAmpCocodamol, kVmpCocodamol, "Co-codamol 8mg/500mg tablets (Zentiva)", "Zentiva"}};
  batch.ampps = {{kAmppParacetamol32, kAmpParacetamol,
                  "Paracetamol 500mg tablets (Accord) 32 tablet", Decimal::from_int(32), 85},
                 {kAmppCocodamol30, kAmpCocodamol,
                  "Co-codamol 8mg/500mg tablets (Zentiva) 30 tablet", Decimal::from_int(30),
                  std::nullopt}};
  s.paracetamol_gtin = gtin("501234500001");  // 13 digits, as printed on an EAN-13
  s.paracetamol_gtin_new = gtin("0501234599999");
  batch.gtins = {
      {s.paracetamol_gtin, kAmppParacetamol32, std::chrono::year{2020} / 1 / 1,
       domain::Date{std::chrono::year{2025} / 12 / 31}},
      {s.paracetamol_gtin_new, kAmppParacetamol32, std::chrono::year{2026} / 1 / 1, std::nullopt},
      {gtin("0501234588888"), kAmppCocodamol30, std::chrono::year{2020} / 1 / 1, std::nullopt},
  };
  if (auto r = store.import_products(batch, actor); !r) return Unexpected(r.error());

  const domain::Instant start = test_now() - std::chrono::days{30};
  domain::Prescription rx;
  rx.resident_id = s.alice;
  rx.medication_id = kVmpParacetamol;
  rx.route_id = "26643006";
  rx.route_name = "oral";
  rx.dose = {Decimal::from_int(2), Decimal::from_int(2), "tablet"};
  rx.times = {{"MORN", {}}, {"NOON", {}}, {"EVE", {}}, {"NIGHT", {}}};
  rx.starts = start;
  auto p1 = store.put_prescription(rx, start, actor);
  if (!p1) return Unexpected(p1.error());
  s.alice_paracetamol = p1->id;

  domain::Prescription prn;
  prn.resident_id = s.alice;
  prn.medication_id = kVmpCocodamol;
  prn.route_id = "26643006";
  prn.route_name = "oral";
  prn.dose = {Decimal::from_int(1), Decimal::from_int(2), "tablet"};
  prn.as_needed = true;
  prn.prn = domain::PrnRule{std::chrono::minutes{240}, Decimal::from_int(8), "for pain"};
  prn.starts = start;
  auto p2 = store.put_prescription(prn, start, actor);
  if (!p2) return Unexpected(p2.error());
  s.alice_cocodamol = p2->id;

  rx.resident_id = s.bob;
  auto p3 = store.put_prescription(rx, start, actor);
  if (!p3) return Unexpected(p3.error());
  s.bob_paracetamol = p3->id;

  DispensedItem label{s.alice_label, s.alice, kAmppParacetamol32, s.alice_paracetamol,
                      Decimal::from_int(32), std::chrono::year{2026} / 3 / 1, "Main St Pharmacy"};
  if (auto r = store.add_dispensed_item(label, actor); !r) return Unexpected(r.error());
  NewStockEntry in;
  in.kind = StockKind::kReceipt;
  in.label_id = s.alice_label;
  in.quantity = Decimal::from_int(32);
  in.event_time = test_now() - std::chrono::days{9};
  if (auto r = store.record_stock(in, Actor{s.carer, "station"}); !r) return Unexpected(r.error());
  return s;
}

NewAdministration given_record(const Seed& s, std::uint64_t n, domain::Instant event_time) {
  NewAdministration r;
  r.record_id = uuid(n);
  r.resident_id = s.alice;
  r.prescription_id = s.alice_paracetamol;
  r.slot = event_time;
  r.outcome = domain::Outcome::kGiven;
  r.quantity = domain::Decimal::from_int(2);
  r.label_id = s.alice_label;
  r.wristband = ScanEvidence::scanned("]d2" "8018" + s.alice_gsrn, "]d2");
  r.items = {ScanEvidence::scanned("]C1LBL-ALICE-0001", "]C1")};
  r.verdict = RecordedVerdict{rules::Decision::kProceed, {}};
  r.event_time = event_time;
  r.device_id = "scanner-01";
  r.staff_id = s.carer;
  return r;
}

}  // namespace bcma::station::store::testing
