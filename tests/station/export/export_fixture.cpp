#include "export_fixture.hpp"

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

namespace bcma::station::exporting::testing {

using store::testing::raw_sql;
using store::testing::uuid;
namespace t = store::testing;

namespace {

domain::Instant at(int day, int hour, int minute) {
  return domain::Instant{std::chrono::sys_days{std::chrono::year{2026} / 3 / day}} +
         std::chrono::hours{hour} + std::chrono::minutes{minute};
}

std::string verdict_payload(domain::ResidentId resident, const char* decision,
                            std::vector<std::pair<std::string, std::string>> reasons) {
  nlohmann::ordered_json r = nlohmann::ordered_json::array();
  for (auto& [code, message] : reasons) r.push_back({{"code", code}, {"message", message}});
  return nlohmann::ordered_json{{"resident_id", resident}, {"decision", decision},
                                {"reasons", r}, {"prescription_id", nullptr}, {"slot", nullptr},
                                {"witness_required", false}, {"summary", "x"}, {"scan_seq", 1}}
      .dump();
}

}  // namespace

// The week, worked by hand (the summary tests assert these figures):
//  - Mon 16 08:10  Alice paracetamol given, slot 08:00, both scans          on time (10 min)
//  - Tue 17 09:30  Alice paracetamol given, slot 08:00, wristband unable    late (90 min), manual
//  - Wed 18 08:00  Bob paracetamol refused (slot 08:00)                      not given
//  - Thu 19 08:00  Alice paracetamol given after a "too early" warning, overridden by the
//                  nurse with a reason naming Alice and her NHS number      on time (0 min)
//  - verdicts: Mon block wrong_resident (message names Bob Baker), Thu warn too_early,
//    Thu proceed; one override
//  - Fri 20 waste: 2 tablets from Alice's label, reason naming the carer
//  - sign-ins: the carer (good PIN) and a wrong PIN for the nurse
// So: given 3 (scanned 2, manual 1), verdicts 3 (1 block, 1 warn), overrides 1 (rate 0.5),
// on time 2 of 3, waste 2 units, residents 2 -> 2 / 2 / (7 / 28) = 4 per resident per cycle.
void ExportTest::SetUp() {
  StoreTest::SetUp();
  if (HasFatalFailure()) return;
  const store::Actor setup = t::setup_actor();
  auto add = [&](const char* name, const char* serial, domain::Role role) {
    auto id = store().add_staff({0, name, t::gsrn(serial), role, true}, "9999", setup);
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  };
  pharmacist_ = add("Priya Pharmacist", "80170000000000021", domain::Role::kPharmacist);
  evaluator_ = add("Evan Evaluator", "80170000000000022", domain::Role::kEvaluator);
  manager_ = add("Mina Manager", "80170000000000023", domain::Role::kManager);

  week_from_ = at(16, 0, 0);
  week_to_ = at(23, 0, 0);

  clock_.set(at(16, 8, 5));
  ASSERT_TRUE(store().append_audit(store::AuditEvent{
      store::AuditKind::kVerdict, {seed_.carer, "scanner-01"}, "resident:" + std::to_string(seed_.alice),
      verdict_payload(seed_.alice, "block",
                      {{"wrong_resident", "This pack is for Bob Baker, not Alice Archer"}})}));

  clock_.set(at(16, 8, 10));
  auto r1 = t::given_record(seed_, 1, at(16, 8, 10));
  r1.slot = at(16, 8, 0);
  ASSERT_TRUE(store().record_administration(r1));

  clock_.set(at(17, 9, 30));
  auto r2 = t::given_record(seed_, 2, at(17, 9, 30));
  r2.slot = at(17, 8, 0);
  r2.wristband = store::ScanEvidence::unable_to_scan("wristband of Alice Archer torn");
  ASSERT_TRUE(store().record_administration(r2));

  clock_.set(at(18, 8, 0));
  store::NewAdministration r3;
  r3.record_id = uuid(3);
  r3.resident_id = seed_.bob;
  r3.prescription_id = seed_.bob_paracetamol;
  r3.slot = at(18, 8, 0);
  r3.outcome = domain::Outcome::kRefused;
  r3.code = "refused";
  r3.wristband = store::ScanEvidence::scanned("]C1" + raw_sql(path_, "SELECT nhs_number FROM residents WHERE id = " + std::to_string(seed_.bob)), "]C1");
  r3.event_time = at(18, 8, 0);
  r3.device_id = "scanner-02";
  r3.staff_id = seed_.carer;
  auto a3 = store().record_administration(r3);
  ASSERT_TRUE(a3) << a3.error().code << ": " << a3.error().message;

  clock_.set(at(19, 7, 59));
  ASSERT_TRUE(store().append_audit(store::AuditEvent{
      store::AuditKind::kVerdict, {seed_.carer, "scanner-01"}, "resident:" + std::to_string(seed_.alice),
      verdict_payload(seed_.alice, "warn", {{"too_early", "Alice Archer's dose is early"}})}));
  ASSERT_TRUE(store().append_audit(store::AuditEvent{
      store::AuditKind::kVerdict, {seed_.carer, "scanner-01"}, "resident:" + std::to_string(seed_.alice),
      verdict_payload(seed_.alice, "proceed", {})}));
  clock_.set(at(19, 8, 0));
  auto r4 = t::given_record(seed_, 4, at(19, 8, 0));
  r4.slot = at(19, 8, 0);
  r4.verdict = store::RecordedVerdict{rules::Decision::kWarn,
                                      {rules::Reason{rules::ReasonCode::kTooEarly, "early", {}}}};
  const std::string alice_nhs =
      raw_sql(path_, "SELECT nhs_number FROM residents WHERE id = " + std::to_string(seed_.alice));
  r4.override = store::Override{seed_.nurse,
                                "Alice Archer (NHS " + alice_nhs + ") leaving for hospital at 8:30",
                                std::nullopt};
  auto a4 = store().record_administration(r4);
  ASSERT_TRUE(a4) << a4.error().code << ": " << a4.error().message;

  clock_.set(at(20, 14, 0));
  store::NewStockEntry waste;
  waste.kind = store::StockKind::kWaste;
  waste.label_id = seed_.alice_label;
  waste.resident_id = seed_.alice;
  waste.quantity = domain::Decimal::from_int(2);
  waste.reason = "dropped on the floor by Carol Carer";
  waste.witness = seed_.nurse;
  waste.event_time = at(20, 14, 0);
  auto w = store().record_stock(waste, store::Actor{seed_.carer, "station"});
  ASSERT_TRUE(w) << w.error().code << ": " << w.error().message;

  clock_.set(at(21, 9, 0));
  ASSERT_TRUE(store().login(seed_.carer_badge, "1234", "web"));
  ASSERT_FALSE(store().login(t::gsrn("80170000000000012"), "0000", "web"));
}

std::vector<std::string> ExportTest::identifiers() const {
  std::vector<std::string> out;
  const std::string sep = "\x1f";
  auto split = [&](const std::string& s) {
    std::size_t start = 0;
    while (start <= s.size()) {
      const std::size_t end = std::min(s.find(sep, start), s.size());
      if (end > start) out.push_back(s.substr(start, end - start));
      start = end + sep.size();
    }
  };
  split(raw_sql(path_,
                "SELECT group_concat(v, char(31)) FROM ("
                " SELECT nhs_number AS v FROM residents"
                " UNION ALL SELECT substr(nhs_number, 1, 3) || ' ' || substr(nhs_number, 4, 3) || ' '"
                "  || substr(nhs_number, 7) FROM residents"
                " UNION ALL SELECT wristband_gsrn FROM residents WHERE wristband_gsrn IS NOT NULL"
                " UNION ALL SELECT given_name FROM residents"
                " UNION ALL SELECT family_name FROM residents"
                " UNION ALL SELECT date_of_birth FROM residents"
                " UNION ALL SELECT substr(date_of_birth, 9, 2) || '/' || substr(date_of_birth, 6, 2)"
                "  || '/' || substr(date_of_birth, 1, 4) FROM residents"
                " UNION ALL SELECT name FROM staff"
                " UNION ALL SELECT badge_gsrn FROM staff)"));
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace bcma::station::exporting::testing
