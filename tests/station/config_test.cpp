// The home, its policy and codes, residents, staff and sign-in.
#include <gtest/gtest.h>

#include "bcma/station/store/errors.hpp"
#include "store_fixture.hpp"

namespace bcma::station::store::testing {
namespace {

using domain::Decimal;
using rules::Decision;
using rules::ReasonCode;

class Config : public StoreTest {};

TEST_F(Config, HomeRoundTripsAndIsAudited) {
  auto h = store().home();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->name, "Rowan House");
  EXPECT_EQ(h->ods_code, "VN123");
  ASSERT_TRUE(store().set_home({"Rowan House Care Home", "VN123"}, setup_actor()));
  EXPECT_EQ(store().home()->name, "Rowan House Care Home");
  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM audit_log WHERE subject = 'home'"), "2");
}

TEST_F(Config, EmptyDatabaseHasNoHomeOrPolicyYet) {
  TempDir dir;
  auto s = Store::open(dir.path() / "empty.db", clock_, options());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->home().error().code, errc::kNoHome);
  EXPECT_EQ(s->policy().error().code, errc::kNoHome);
}

TEST_F(Config, PolicyRoundTripsExactly) {
  rules::Policy p = rules::Policy::defaults();
  p.rounds["TEA"] = domain::TimeOfDay{15 * 60 + 30};
  p.rounds.erase("HS");
  p.default_window = domain::Minutes{45};
  p.time_critical_window = domain::Minutes{10};
  p.for_reason(ReasonCode::kTooLate) = {Decision::kBlock,
                                        {domain::Role::kNurse, domain::Role::kManager}, true};
  p.for_reason(ReasonCode::kTimeCritical).decision = Decision::kProceed;
  p.ingredient_limits.push_back({"372687004", "Ibuprofen", Decimal::from_int(1200), "mg"});
  p.witness_categories = {domain::ControlledDrugCategory::kSchedule2,
                          domain::ControlledDrugCategory::kSchedule3};
  ASSERT_TRUE(store().set_policy(p, Actor{seed_.nurse, "station"}));

  // A new connection proves it came from the file, not from memory.
  auto reopened = Store::open(path_, clock_, options());
  ASSERT_TRUE(reopened);
  auto back = reopened->policy();
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->rounds, p.rounds);
  EXPECT_EQ(back->default_window, p.default_window);
  EXPECT_EQ(back->time_critical_window, p.time_critical_window);
  for (int i = 0; i < rules::kReasonCodeCount; ++i) {
    const auto code = static_cast<ReasonCode>(i);
    SCOPED_TRACE(std::string(rules::to_string(code)));
    EXPECT_EQ(back->for_reason(code).decision, p.for_reason(code).decision);
    EXPECT_EQ(back->for_reason(code).override_roles, p.for_reason(code).override_roles);
    EXPECT_EQ(back->for_reason(code).override_needs_witness,
              p.for_reason(code).override_needs_witness);
  }
  ASSERT_EQ(back->ingredient_limits.size(), 2u);
  EXPECT_EQ(back->ingredient_limits[1].substance_id, "372687004");
  EXPECT_EQ(back->ingredient_limits[1].max_per_24h, Decimal::from_int(1200));
  EXPECT_EQ(back->witness_categories, p.witness_categories);
  // The change is in the audit log, with who made it.
  auto entries = store().audit_entries(1, 1000);
  ASSERT_TRUE(entries);
  const auto& last = entries->back();
  EXPECT_EQ(last.kind, "config");
  EXPECT_EQ(last.subject, "policy");
  EXPECT_EQ(last.staff_id, seed_.nurse);
  EXPECT_NE(last.payload.find("\"TEA\":930"), std::string::npos) << last.payload;
}

TEST_F(Config, AReasonMissingFromTheFileReadsAsAnUnoverridableBlock) {
  raw_sql(path_, "DELETE FROM policy_override_roles WHERE code = 'too_early'");
  raw_sql(path_, "DELETE FROM policy_reasons WHERE code = 'too_early'");
  auto p = store().policy();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->for_reason(ReasonCode::kTooEarly).decision, Decision::kBlock);
  EXPECT_TRUE(p->for_reason(ReasonCode::kTooEarly).override_roles.empty());
}

TEST_F(Config, BadPolicyIsRefused) {
  rules::Policy p = rules::Policy::defaults();
  p.rounds["LATE"] = domain::TimeOfDay{1440};
  auto r = store().set_policy(p, setup_actor());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::kInvalidArgument);
  EXPECT_EQ(store().policy()->rounds.count("LATE"), 0u);
}

TEST_F(Config, DefaultNonAdministrationCodesAreCompleteAndConfigurable) {
  auto codes = store().non_administration_codes();
  ASSERT_TRUE(codes);
  std::vector<std::string> names;
  for (const auto& c : *codes) names.push_back(c.code);
  for (const char* expected :
       {"refused", "refused_destroyed", "nausea_vomiting", "asleep", "absent_on_leave",
        "in_hospital", "not_required", "too_soon", "discontinued", "stock_unavailable",
        "destroyed_damaged", "out_of_date", "self_administering", "other"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  const auto other = std::find_if(codes->begin(), codes->end(),
                                  [](const auto& c) { return c.code == "other"; });
  EXPECT_TRUE(other->requires_text);

  ASSERT_TRUE(store().put_non_administration_code(
      {"with_gp", "Resident with the GP", domain::Outcome::kOmitted, false, true}, setup_actor()));
  ASSERT_TRUE(store().put_non_administration_code(
      {"asleep", "Asleep", domain::Outcome::kOmitted, false, false}, setup_actor()));
  auto active = store().non_administration_codes();
  auto all = store().non_administration_codes(true);
  ASSERT_TRUE(active && all);
  auto has = [](const std::vector<NonAdministrationCode>& v, std::string_view code) {
    return std::any_of(v.begin(), v.end(), [&](const auto& c) { return c.code == code; });
  };
  EXPECT_TRUE(has(*active, "with_gp"));
  EXPECT_FALSE(has(*active, "asleep"));
  EXPECT_TRUE(has(*all, "asleep"));

  for (const NonAdministrationCode& bad :
       {NonAdministrationCode{"Has Spaces", "x", domain::Outcome::kOmitted},
        NonAdministrationCode{"no_description", "", domain::Outcome::kOmitted},
        NonAdministrationCode{"given_really", "Given", domain::Outcome::kGiven}}) {
    auto r = store().put_non_administration_code(bad, setup_actor());
    ASSERT_FALSE(r) << bad.code;
    EXPECT_EQ(r.error().code, errc::kInvalidArgument);
  }
}

TEST_F(Config, ResidentsAreFoundByWristbandAndNhsNumber) {
  auto by_band = store().resident_by_wristband(seed_.alice_gsrn);
  ASSERT_TRUE(by_band) << by_band.error().message;
  EXPECT_EQ(by_band->id, seed_.alice);
  EXPECT_EQ(by_band->display_name(), "Alice Archer");
  EXPECT_EQ(by_band->date_of_birth, domain::Date{std::chrono::year{1938} / 5 / 17});
  EXPECT_EQ(by_band->photo_ref, "photos/alice.jpg");
  EXPECT_EQ(by_band->room, "12");
  ASSERT_EQ(by_band->allergies.size(), 1u);
  EXPECT_EQ(by_band->allergies[0].code, "764146007");
  EXPECT_FALSE(by_band->no_known_allergies);

  const std::string nhs = by_band->nhs_number;
  const std::string spaced = nhs.substr(0, 3) + " " + nhs.substr(3, 3) + " " + nhs.substr(6);
  auto by_nhs = store().resident_by_nhs_number(spaced);
  ASSERT_TRUE(by_nhs);
  EXPECT_EQ(by_nhs->id, seed_.alice);

  EXPECT_EQ(store().resident_by_wristband(gsrn("80180000000000099")).error().code,
            errc::kUnknownResident);
  EXPECT_EQ(store().resident_by_nhs_number("1234567890").error().code, errc::kInvalidNhsNumber);
  EXPECT_EQ(store().resident_by_nhs_number(test_nhs_number(5555)).error().code,
            errc::kUnknownResident);
}

TEST_F(Config, ResidentUpdatesReplaceStatusRoomAndAllergies) {
  auto alice = *store().resident(seed_.alice);
  alice.status = domain::ResidentStatus::kInHospital;
  alice.room = "3";
  alice.allergies.push_back({domain::Allergy::Level::kVmp, kVmpCocodamol, "Co-codamol - vomiting"});
  ASSERT_TRUE(store().update_resident(alice, setup_actor()));
  auto back = store().resident(seed_.alice);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, domain::ResidentStatus::kInHospital);
  EXPECT_EQ(back->room, "3");
  ASSERT_EQ(back->allergies.size(), 2u);
  EXPECT_EQ(back->allergies[1].level, domain::Allergy::Level::kVmp);

  alice.id = 999;
  EXPECT_EQ(store().update_resident(alice, setup_actor()).error().code, errc::kUnknownResident);
}

TEST_F(Config, BadResidentsAreRefused) {
  domain::Resident good = *store().resident(seed_.bob);
  good.id = 0;
  good.nhs_number = test_nhs_number(7777);
  good.wristband_gsrn.clear();
  struct Case {
    const char* name;
    void (*mutate)(domain::Resident&);
    const char* code;
  };
  const Case cases[] = {
      {"bad NHS check digit",
       [](domain::Resident& r) {
         r.nhs_number = test_nhs_number(4242);
         char& check = r.nhs_number.back();
         check = check == '9' ? '0' : static_cast<char>(check + 1);
       },
       errc::kInvalidNhsNumber},
      {"GSRN too short", [](domain::Resident& r) { r.wristband_gsrn = "80180000001"; },
       errc::kInvalidGsrn},
      {"GSRN bad check digit",
       [](domain::Resident& r) { r.wristband_gsrn = gsrn("80180000000000077"); r.wristband_gsrn.back() = r.wristband_gsrn.back() == '0' ? '1' : '0'; },
       errc::kInvalidGsrn},
      {"no family name", [](domain::Resident& r) { r.family_name.clear(); }, errc::kInvalidArgument},
      {"impossible birthday",
       [](domain::Resident& r) { r.date_of_birth = std::chrono::year{1940} / 2 / 30; },
       errc::kInvalidArgument},
      {"NHS number in use", [](domain::Resident& r) { r.nhs_number = test_nhs_number(1001); },
       errc::kDuplicate},
      {"wristband in use", [](domain::Resident& r) { r.wristband_gsrn = gsrn("80180000000000001"); },
       errc::kDuplicate},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    domain::Resident r = good;
    c.mutate(r);
    const std::string before = dump_database(path_);
    auto added = store().add_resident(r, setup_actor());
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, c.code) << added.error().message;
    EXPECT_EQ(dump_database(path_), before);
  }
  EXPECT_TRUE(store().add_resident(good, setup_actor()));
}

TEST_F(Config, PinsAreStoredOnlyAsArgon2idHashes) {
  const std::string hash = raw_sql(path_, "SELECT pin_hash FROM staff WHERE id = " +
                                              std::to_string(seed_.carer));
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_EQ(hash.find("1234"), std::string::npos);
  // Nowhere in the file, not even in the audit log.
  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM audit_log WHERE payload LIKE '%1234%'"
                           " OR payload LIKE '%argon2%'"),
            "0");
}

TEST_F(Config, LoginChecksBadgeAndPinAndAuditsBothWays) {
  auto ok = store().login(seed_.carer_badge, "1234", "scanner-01");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->id, seed_.carer);
  EXPECT_EQ(ok->role, domain::Role::kCareWorker);

  auto wrong = store().login(seed_.carer_badge, "4321", "scanner-01");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, errc::kWrongPin);
  EXPECT_EQ(wrong.error().message.find("4321"), std::string::npos);

  auto unknown = store().login(gsrn("80170000000000099"), "1234", "scanner-01");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, errc::kUnknownBadge);

  ASSERT_TRUE(store().set_staff_active(seed_.carer, false, Actor{seed_.nurse, "station"}));
  auto inactive = store().login(seed_.carer_badge, "1234", "scanner-01");
  ASSERT_FALSE(inactive);
  EXPECT_EQ(inactive.error().code, errc::kStaffInactive);

  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM audit_log WHERE kind = 'login'"), "1");
  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM audit_log WHERE kind = 'login_failed'"), "3");
  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM audit_log WHERE payload LIKE '%4321%'"), "0");
  EXPECT_EQ(raw_sql(path_, "SELECT payload FROM audit_log WHERE kind = 'login_failed'"
                           " ORDER BY seq LIMIT 1"),
            "{\"badge_gsrn\":\"" + seed_.carer_badge + "\",\"refused\":\"wrong_pin\"}");
}

TEST_F(Config, PinChangeAndRehashOnLogin) {
  ASSERT_TRUE(store().set_staff_pin(seed_.nurse, "97531", Actor{seed_.nurse, "station"}));
  EXPECT_EQ(store().login(gsrn("80170000000000012"), "5678", "s").error().code, errc::kWrongPin);
  EXPECT_TRUE(store().login(gsrn("80170000000000012"), "97531", "s"));
  EXPECT_EQ(store().set_staff_pin(seed_.nurse, "12ab", setup_actor()).error().code, errc::kInvalidPin);
  EXPECT_EQ(store().set_staff_pin(seed_.nurse, "123", setup_actor()).error().code, errc::kInvalidPin);
  EXPECT_EQ(store().set_staff_pin(4242, "1234", setup_actor()).error().code, errc::kUnknownStaff);

  // A station that raises its cost upgrades each hash at that person's next good sign-in.
  const std::string before = raw_sql(path_, "SELECT pin_hash FROM staff WHERE id = " +
                                                std::to_string(seed_.nurse));
  StoreOptions stronger = options();
  stronger.pin_cost.ops_limit += 1;
  auto s = Store::open(path_, clock_, stronger);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->login(gsrn("80170000000000012"), "97531", "s"));
  const std::string after = raw_sql(path_, "SELECT pin_hash FROM staff WHERE id = " +
                                               std::to_string(seed_.nurse));
  EXPECT_NE(before, after);
  EXPECT_FALSE(pin_needs_rehash(after, stronger.pin_cost));
  EXPECT_TRUE(s->login(gsrn("80170000000000012"), "97531", "s"));
}

TEST_F(Config, StaffLookups) {
  auto by_badge = store().staff_by_badge(seed_.carer_badge);
  ASSERT_TRUE(by_badge);
  EXPECT_EQ(by_badge->name, "Carol Carer");
  EXPECT_EQ(store().staff(seed_.nurse)->role, domain::Role::kNurse);
  EXPECT_EQ(store().staff(999).error().code, errc::kUnknownStaff);
  auto dup = store().add_staff({0, "Copy", seed_.carer_badge, domain::Role::kCareWorker, true},
                               "1111", setup_actor());
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, errc::kDuplicate);
}

}  // namespace
}  // namespace bcma::station::store::testing
