// Sign-in, sessions and the lockout after repeated wrong PINs.
#include <nlohmann/json.hpp>

#include "bcma/station/service/errors.hpp"
#include "service_fixture.hpp"

namespace bcma::station::service::testing {
namespace {

using namespace std::chrono_literals;

Result<Session> wrong_pin(Service& s, const StaffMember& who) {
  return s.login(Credentials{who.badge, "0000"}, "scanner-01");
}

TEST_F(ServiceTest, LoginGivesASessionWithStaffAndRole) {
  auto s = service_->login(nina_.credentials(), "scanner-07");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->staff.id, nina_.id);
  EXPECT_EQ(s->staff.role, domain::Role::kNurse);
  EXPECT_EQ(s->device_id, "scanner-07");
  EXPECT_EQ(s->expires_at - s->signed_in_at, 12h);
  EXPECT_EQ(s->id.size(), 36U);
  auto again = service_->login(nina_.credentials(), "scanner-07");
  ASSERT_TRUE(again);
  EXPECT_NE(again->id, s->id) << "every sign-in is its own session";
}

TEST_F(ServiceTest, FailedLoginsAreAuditedWithoutThePin) {
  const std::int64_t before = audit_head();
  // PINs that appear in no badge number, so that finding them in a payload means a leak.
  EXPECT_EQ(service_->login(Credentials{carol_.badge, "8531"}, "scanner-01").error().code,
            "wrong_pin");
  EXPECT_EQ(service_->login(Credentials{"952111100000000998", "7319"}, "scanner-01").error().code,
            "unknown_badge");
  EXPECT_EQ(service_->login(olga_.credentials(), "scanner-01").error().code, "staff_inactive");
  const auto entries = audit_from(before + 1);
  ASSERT_EQ(entries.size(), 3U);
  for (const auto& e : entries) {
    EXPECT_EQ(e.kind, "login_failed");
    EXPECT_EQ(e.device_id, "scanner-01");
    EXPECT_EQ(e.payload.find("8531"), std::string::npos) << e.payload;
    EXPECT_EQ(e.payload.find("7319"), std::string::npos) << e.payload;
  }
  EXPECT_EQ(entries[0].subject, "badge:" + carol_.badge);
}

TEST_F(ServiceTest, FiveWrongPinsLockTheBadgeEvenForTheRightPin) {
  for (int i = 0; i < 4; ++i) {
    auto r = wrong_pin(*service_, carol_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "wrong_pin");
    clock_.advance(1min);
  }
  auto fifth = wrong_pin(*service_, carol_);
  EXPECT_EQ(fifth.error().code, "wrong_pin");
  EXPECT_NE(fifth.error().message.find("now locked"), std::string::npos) << fifth.error().message;

  const std::int64_t before = audit_head();
  auto locked = service_->login(carol_.credentials(), "scanner-01");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, errc::kLockedOut);
  const auto entries = audit_from(before + 1);
  ASSERT_EQ(entries.size(), 1U) << "a locked-out attempt is audited";
  EXPECT_EQ(entries[0].kind, "login_failed");
  EXPECT_EQ(entries[0].staff_id, carol_.id);
  EXPECT_EQ(nlohmann::json::parse(entries[0].payload).at("refused"), "locked_out");

  // Other badges are not affected.
  EXPECT_TRUE(service_->login(dave_.credentials(), "scanner-01"));
}

TEST_F(ServiceTest, LockoutSurvivesARestartOfTheService) {
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(wrong_pin(*service_, carol_));
  service_.reset();
  service_.emplace(*Service::create(*store_, clock_));
  EXPECT_EQ(service_->login(carol_.credentials(), "scanner-01").error().code, errc::kLockedOut);
}

TEST_F(ServiceTest, LockoutEndsWhenTheOldestFailureLeavesTheWindow) {
  ASSERT_FALSE(wrong_pin(*service_, carol_));
  const domain::Instant first = clock_.now();
  clock_.advance(10min);
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(wrong_pin(*service_, carol_));
  // Attempts while locked do not count, so they cannot keep the badge locked.
  clock_.set(first + 29min);
  EXPECT_EQ(service_->login(carol_.credentials(), "scanner-01").error().code, errc::kLockedOut);
  EXPECT_EQ(service_->login(carol_.credentials(), "scanner-01").error().code, errc::kLockedOut);
  clock_.set(first + 30min);
  EXPECT_TRUE(service_->login(carol_.credentials(), "scanner-01"));
}

TEST_F(ServiceTest, AGoodSignInResetsTheCount) {
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(wrong_pin(*service_, carol_));
  ASSERT_TRUE(service_->login(carol_.credentials(), "scanner-01"));
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(wrong_pin(*service_, carol_));
  EXPECT_TRUE(service_->login(carol_.credentials(), "scanner-01"));
}

TEST_F(ServiceTest, OnlyAManagerUnlocksABadge) {
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(wrong_pin(*service_, carol_));
  const std::string senior = sign_in(sam_);
  EXPECT_EQ(service_->unlock_badge(senior, carol_.badge).error().code, errc::kNotPermitted);
  EXPECT_EQ(service_->login(carol_.credentials(), "scanner-01").error().code, errc::kLockedOut);
  const std::string manager = sign_in(mike_);
  const std::int64_t before = audit_head();
  ASSERT_TRUE(service_->unlock_badge(manager, carol_.badge));
  const auto entries = audit_from(before + 1);
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].kind, "config");
  EXPECT_EQ(entries[0].staff_id, mike_.id);
  EXPECT_EQ(entries[0].subject, "badge:" + carol_.badge);
  EXPECT_TRUE(service_->login(carol_.credentials(), "scanner-01"));
}

TEST_F(ServiceTest, SessionsExpireEndAndFollowTheStaffRecord) {
  const std::string id = sign_in(carol_);
  EXPECT_TRUE(service_->session(id));
  clock_.advance(12h);
  EXPECT_EQ(service_->session(id).error().code, errc::kSessionExpired);
  EXPECT_EQ(service_->session(id).error().code, errc::kNotSignedIn) << "an expired session is gone";

  const std::string second = sign_in(carol_);
  ASSERT_TRUE(store_->set_staff_active(carol_.id, false, store::Actor{mike_.id, "station"}));
  EXPECT_EQ(service_->session(second).error().code, "staff_inactive");
  EXPECT_EQ(service_->scan_resident(second, wristband(kJaneGsrn)).error().code, errc::kNotSignedIn);

  const std::string third = sign_in(dave_);
  ASSERT_TRUE(service_->logout(third));
  EXPECT_EQ(service_->scan_resident(third, wristband(kJaneGsrn)).error().code, errc::kNotSignedIn);
  EXPECT_EQ(service_->logout(third).error().code, errc::kNotSignedIn);
}

TEST_F(ServiceTest, CreateRefusesBadOptions) {
  ServiceOptions bad_prefix;
  bad_prefix.nhs_gsrn_prefixes = {"952000"};
  EXPECT_EQ(Service::create(*store_, clock_, bad_prefix).error().code, "invalid_argument");
  ServiceOptions no_lockout;
  no_lockout.max_failed_logins = 0;
  EXPECT_EQ(Service::create(*store_, clock_, no_lockout).error().code, "invalid_argument");
  EXPECT_EQ(service_->login(carol_.credentials(), " ").error().code, errc::kInvalidRequest);
}

}  // namespace
}  // namespace bcma::station::service::testing
