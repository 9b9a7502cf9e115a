// Signing in and out: badge and PIN, wrong PINs, lockout, inactivity, scans of the wrong kind,
// offline sign-in for the last person only, a station restart.
#include "round_fixture.hpp"

namespace bcma::fw::round::testing {
namespace {

TEST_F(RoundTest, StartsAskingForABadge) {
  EXPECT_EQ(state(), "sign_in");
  EXPECT_EQ(display_.current().title, "Scan your staff badge");
  EXPECT_NE(screen().status.find("Not signed in"), std::string::npos);
}

TEST_F(RoundTest, BadgeThenPinSignsInAndShowsWhoIsSignedIn) {
  round_->on_scan(badge(home_.care_worker_badge));
  ASSERT_EQ(state(), "pin");
  ASSERT_TRUE(screen().entry.has_value());
  EXPECT_TRUE(screen().entry->masked);
  type_and_confirm("1234");
  EXPECT_EQ(state(), "scan_wristband");
  EXPECT_NE(screen().status.find("Cara Worker"), std::string::npos) << screen().status;
  EXPECT_NE(screen().status.find("Online"), std::string::npos) << screen().status;
}

TEST_F(RoundTest, PinDigitsFromTheKeypadAndBackDeletes) {
  round_->on_scan(badge(home_.care_worker_badge));
  for (auto k : {hal::Key::kDigit1, hal::Key::kDigit2, hal::Key::kDigit9}) round_->on_key(k);
  round_->on_key(hal::Key::kBack);  // deletes the 9
  for (auto k : {hal::Key::kDigit3, hal::Key::kDigit4}) round_->on_key(k);
  EXPECT_EQ(screen().entry->text, "1234");
  round_->on_key(hal::Key::kConfirm);
  EXPECT_EQ(state(), "scan_wristband") << text();
}

TEST_F(RoundTest, WrongPinIsRefusedWithASignalAndAnotherTry) {
  round_->on_scan(badge(home_.care_worker_badge));
  type_and_confirm("9999");
  EXPECT_EQ(state(), "pin");
  EXPECT_EQ(screen().notice, "Badge or PIN not accepted.");
  EXPECT_EQ(last_signal(), hal::Signal::kError);
  EXPECT_TRUE(screen().entry->text.empty());
  type_and_confirm("1234");
  EXPECT_EQ(state(), "scan_wristband");
}

TEST_F(RoundTest, LockedOutBadgeGoesBackToSignIn) {
  round_->on_scan(badge(home_.care_worker_badge));
  for (int i = 0; i < 5; ++i) type_and_confirm("0000");
  type_and_confirm("1234");  // right PIN, but the badge is locked now
  EXPECT_EQ(state(), "sign_in");
  EXPECT_NE(screen().notice.find("locked"), std::string::npos) << screen().notice;
  EXPECT_EQ(last_signal(), hal::Signal::kError);
}

TEST_F(RoundTest, ScansOfTheWrongKindAtSignInAreNoticesNotErrors) {
  const auto before = link_.requests().size();
  round_->on_scan(pack(home_.paracetamol_gtin));
  EXPECT_EQ(state(), "sign_in");
  EXPECT_EQ(screen().notice, "That is a medicine pack. Scan your staff badge to sign in first.");
  EXPECT_EQ(last_signal(), hal::Signal::kAttention);
  round_->on_scan(wristband(home_.edith_gsrn));
  EXPECT_EQ(screen().notice, "That is a resident's wristband. Scan your staff badge to sign in first.");
  EXPECT_EQ(link_.requests().size(), before) << "nothing is sent for a scan of the wrong kind";
}

TEST_F(RoundTest, InactivitySignsOutAfterTheConfiguredTime) {
  RoundOptions o;
  o.inactivity_timeout = 90s;
  rebuild(o);
  sign_in(home_.care_worker_badge, "1234");
  clock_.advance(89s);
  round_->tick();
  EXPECT_EQ(state(), "scan_wristband");
  round_->on_scan(wristband(home_.edith_gsrn));  // activity restarts the count
  clock_.advance(89s);
  round_->tick();
  EXPECT_EQ(state(), "resident");
  clock_.advance(1s);
  round_->tick();
  EXPECT_EQ(state(), "sign_in");
  EXPECT_EQ(screen().notice, "Signed out: no activity for 1 minute.");
  EXPECT_FALSE(round_->signed_in());
}

TEST_F(RoundTest, SignOutFromTheMenu) {
  sign_in(home_.care_worker_badge, "1234");
  choose("sign_out");
  EXPECT_EQ(state(), "sign_in");
  EXPECT_NE(screen().status.find("Not signed in"), std::string::npos);
}

TEST_F(RoundTest, OfflineTheLastPersonCanSignInAgainWithTheirPin) {
  sign_in(home_.care_worker_badge, "1234");
  choose("sign_out");
  link_.set_reachable(false);
  round_->on_scan(badge(home_.care_worker_badge));
  type_and_confirm("1234");
  ASSERT_EQ(state(), "scan_wristband") << text();
  EXPECT_NE(screen().status.find("signed in offline"), std::string::npos) << screen().status;
  EXPECT_NE(screen().status.find("OFFLINE"), std::string::npos);
  EXPECT_NE(screen().notice.find("checked on this scanner"), std::string::npos);
}

TEST_F(RoundTest, OfflineAWrongPinIsRefusedAndThreeEndOfflineSignIn) {
  sign_in(home_.care_worker_badge, "1234");
  choose("sign_out");
  link_.set_reachable(false);
  round_->on_scan(badge(home_.care_worker_badge));
  type_and_confirm("1111");
  EXPECT_EQ(state(), "pin");
  EXPECT_EQ(screen().notice, "PIN not accepted.");
  type_and_confirm("2222");
  type_and_confirm("3333");
  EXPECT_EQ(state(), "sign_in");
  round_->on_scan(badge(home_.care_worker_badge));
  type_and_confirm("1234");  // right, but too late: needs the station now
  EXPECT_EQ(state(), "sign_in");
  EXPECT_NE(screen().notice.find("Cannot reach the station"), std::string::npos) << screen().notice;
}

TEST_F(RoundTest, OfflineNobodyElseCanSignIn) {
  sign_in(home_.care_worker_badge, "1234");
  choose("sign_out");
  link_.set_reachable(false);
  round_->on_scan(badge(home_.nurse_badge));
  type_and_confirm("5678");
  EXPECT_EQ(state(), "sign_in");
  EXPECT_NE(screen().notice.find("only the last person who signed in"), std::string::npos) << screen().notice;
}

TEST_F(RoundTest, NoOfflineSignInBeforeAnyOnlineOne) {
  link_.set_reachable(false);
  round_->on_scan(badge(home_.care_worker_badge));
  type_and_confirm("1234");
  EXPECT_EQ(state(), "sign_in");
  EXPECT_EQ(last_signal(), hal::Signal::kError);
}

TEST_F(RoundTest, AStationRestartEndsTheSignInWithAClearMessage) {
  sign_in(home_.care_worker_badge, "1234");
  station_.restart();
  round_->on_scan(wristband(home_.edith_gsrn));
  EXPECT_EQ(state(), "sign_in");
  EXPECT_NE(screen().notice.find("ended your sign-in"), std::string::npos) << screen().notice;
  sign_in(home_.care_worker_badge, "1234");
  identify(home_.edith_gsrn);
}

TEST_F(RoundTest, ABadgeScannedAgainAtThePinStartsOverWithIt) {
  round_->on_scan(badge(home_.care_worker_badge));
  ASSERT_TRUE(round_->type("12"));
  round_->on_scan(badge(home_.nurse_badge));
  EXPECT_EQ(state(), "pin");
  EXPECT_TRUE(screen().entry->text.empty());
  type_and_confirm("5678");
  EXPECT_NE(screen().status.find("Nora Nurse"), std::string::npos);
}

}  // namespace
}  // namespace bcma::fw::round::testing
