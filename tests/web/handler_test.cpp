// The web pages without a browser or a socket: sign-in, sessions, and the role check in front
// of every page and download, on a real store.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "../station/store_fixture.hpp"
#include "bcma/station/web/handler.hpp"

namespace bcma::station::web {
namespace {

namespace t = store::testing;

// (std::regex is avoided: GCC 12 warns inside it at -O1 with the sanitizers.)
bool all_of_class(std::string_view s, int (*is)(int)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [is](char c) {
    return is(static_cast<unsigned char>(c)) != 0 || (is == isalnum && (c == '+' || c == '/' || c == '='));
  });
}

class WebHandlerTest : public t::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    const store::Actor setup = t::setup_actor();
    badges_[domain::Role::kCareWorker] = seed_.carer_badge;
    badges_[domain::Role::kNurse] = t::gsrn("80170000000000012");
    struct Extra {
      const char* name;
      const char* serial;
      domain::Role role;
    };
    for (const Extra& e : {Extra{"Priya Pharmacist", "80170000000000021", domain::Role::kPharmacist},
                           Extra{"Evan Evaluator", "80170000000000022", domain::Role::kEvaluator},
                           Extra{"Mina Manager", "80170000000000023", domain::Role::kManager}}) {
      ASSERT_TRUE(store().add_staff({0, e.name, t::gsrn(e.serial), e.role, true}, "2580", setup));
      badges_[e.role] = t::gsrn(e.serial);
    }
    for (std::uint64_t n = 1; n <= 3; ++n) {
      const auto when = t::test_now() + std::chrono::hours{24 * static_cast<int>(n)};
      clock_.set(when);
      ASSERT_TRUE(store().record_administration(t::given_record(seed_, n, when)));
    }
    handler_.emplace(store(), clock_);
  }

  std::string pin_of(domain::Role r) {
    if (r == domain::Role::kCareWorker) return "1234";
    if (r == domain::Role::kNurse) return "5678";
    return "2580";
  }

  Response post_login(const std::string& badge, const std::string& pin) {
    return handler_->handle({"POST", "/login", "", "application/x-www-form-urlencoded",
                             "badge=" + badge + "&pin=" + pin, "127.0.0.1"});
  }

  /// Signs in and returns the Cookie header to send.
  std::string sign_in(domain::Role role) {
    const Response r = post_login(badges_.at(role), pin_of(role));
    EXPECT_EQ(r.status, 303);
    const std::string set = r.header("Set-Cookie");
    return set.substr(0, set.find(';'));
  }

  Response get(const std::string& target, const std::string& cookie) {
    return handler_->handle({"GET", target, cookie, "", "", "127.0.0.1"});
  }

  std::map<domain::Role, std::string> badges_;
  std::optional<Handler> handler_;
};

TEST_F(WebHandlerTest, NobodySignedInIsSentToSignInAndDownloadsAreRefused) {
  const Response home = get("/", "");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(home.header("Location"), "/login");
  EXPECT_EQ(get("/reports/waste.csv", "").status, 401);
  EXPECT_EQ(get("/evaluation/events.csv", "").status, 401);
  EXPECT_EQ(get("/", "bcma_session=0123456789abcdef").status, 303);
  const Response login = get("/login", "");
  EXPECT_EQ(login.status, 200);
  EXPECT_NE(login.body.find("id=\"badge\""), std::string::npos);
}

TEST_F(WebHandlerTest, ASignInSetsALockedDownCookieThatOpensThePages) {
  const Response r = post_login(badges_.at(domain::Role::kCareWorker), "1234");
  ASSERT_EQ(r.status, 303);
  const std::string set = r.header("Set-Cookie");
  const std::string prefix = "bcma_session=";
  const std::string suffix = "; Path=/; Secure; HttpOnly; SameSite=Strict";
  ASSERT_EQ(set.size(), prefix.size() + 64 + suffix.size()) << set;
  EXPECT_TRUE(set.starts_with(prefix)) << set;
  EXPECT_TRUE(set.ends_with(suffix)) << set;
  EXPECT_TRUE(all_of_class(std::string_view(set).substr(prefix.size(), 64), isxdigit)) << set;
  const std::string cookie = set.substr(0, set.find(';'));
  const Response home = get("/", cookie);
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Carol Carer (care worker)"), std::string::npos);
  // Each sign-in is a new session: a token seen before signing in is never reused.
  EXPECT_NE(sign_in(domain::Role::kCareWorker), cookie);
}

TEST_F(WebHandlerTest, WrongPinsAreRefusedAlikeAndLockTheBadge) {
  const std::string badge = badges_.at(domain::Role::kNurse);
  const Response unknown = post_login(t::gsrn("80170000000000099"), "1234");
  const Response wrong = post_login(badge, "0000");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("Badge or PIN not recognised."), std::string::npos);
  for (int i = 0; i < 4; ++i) post_login(badge, "0000");
  const Response locked = post_login(badge, "5678");
  EXPECT_EQ(locked.status, 429);
  EXPECT_NE(locked.body.find("Too many wrong PINs"), std::string::npos);
  clock_.set(clock_.now() + std::chrono::minutes{16});
  EXPECT_EQ(post_login(badge, "5678").status, 303);
}

TEST_F(WebHandlerTest, SignOutAndIdleTimeEndTheSession) {
  std::string cookie = sign_in(domain::Role::kManager);
  EXPECT_EQ(get("/", cookie).status, 200);
  const Response out = handler_->handle({"POST", "/logout", cookie, "", "", ""});
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(get("/", cookie).status, 303);

  cookie = sign_in(domain::Role::kManager);
  clock_.set(clock_.now() + std::chrono::minutes{14});
  EXPECT_EQ(get("/", cookie).status, 200);
  clock_.set(clock_.now() + std::chrono::minutes{16});
  EXPECT_EQ(get("/", cookie).status, 303);
}

struct Access {
  domain::Role role;
  const char* target;
  int status;
};

TEST_F(WebHandlerTest, EveryRoleGetsExactlyItsPagesAndDownloads) {
  using R = domain::Role;
  const std::string period = "?from=2026-03-01&to=2026-03-31";
  const std::vector<Access> table{
      {R::kCareWorker, "/", 200},
      {R::kCareWorker, "/reports/waste", 403},
      {R::kCareWorker, "/reports/waste.csv", 403},
      {R::kCareWorker, "/reports/stock_on_hand", 403},
      {R::kCareWorker, "/evaluation", 403},
      {R::kCareWorker, "/evaluation/events.csv", 403},
      {R::kNurse, "/reports/stock_on_hand", 200},
      {R::kNurse, "/reports/waste", 403},
      {R::kNurse, "/evaluation", 403},
      {R::kPharmacist, "/reports/waste", 200},
      {R::kPharmacist, "/reports/waste.csv", 200},
      {R::kPharmacist, "/reports/prescribing_alerts", 200},
      {R::kPharmacist, "/evaluation", 200},
      {R::kPharmacist, "/evaluation/events.csv", 403},
      {R::kEvaluator, "/reports/waste", 403},
      {R::kEvaluator, "/reports/waste.csv", 403},
      {R::kEvaluator, "/reports/overrides", 403},
      {R::kEvaluator, "/evaluation", 200},
      {R::kEvaluator, "/evaluation/events.csv", 200},
      {R::kManager, "/reports/waste", 200},
      {R::kManager, "/reports/prescribing_alerts", 403},
      {R::kManager, "/evaluation/events.csv", 200},
      {R::kManager, "/reports/no_such_report", 404},
      {R::kManager, "/reports/waste?from=2026-13-01", 400},
  };
  std::map<R, std::string> cookies;
  for (const auto& a : table) {
    if (!cookies.contains(a.role)) cookies[a.role] = sign_in(a.role);
    std::string target = a.target;
    if (target.find('?') == std::string::npos && target != "/") target += period;
    const Response r = get(target, cookies[a.role]);
    EXPECT_EQ(r.status, a.status) << domain::to_string(a.role) << " " << target << "\n"
                                  << r.body.substr(0, 400);
    if (a.status == 200 && target.find(".csv") != std::string::npos) {
      EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
      EXPECT_NE(r.header("Content-Disposition").find("attachment"), std::string::npos);
    }
  }
}

TEST_F(WebHandlerTest, TheEvaluatorSeesNoIdentifierAndPagesLoadNothingFromElsewhere) {
  const std::string cookie = sign_in(domain::Role::kEvaluator);
  const Response page = get("/evaluation?from=2026-03-01&to=2026-03-31", cookie);
  const Response csv = get("/evaluation/events.csv?from=2026-03-01&to=2026-03-31", cookie);
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  EXPECT_NE(csv.body.find(",R-"), std::string::npos);
  const auto alice = store().resident(seed_.alice);
  ASSERT_TRUE(alice);
  for (const std::string& id : {alice->given_name, alice->family_name, alice->nhs_number,
                                alice->wristband_gsrn, domain::to_string(alice->date_of_birth),
                                std::string("Carol Carer"), seed_.carer_badge}) {
    EXPECT_EQ(page.body.find(id), std::string::npos) << id;
    EXPECT_EQ(csv.body.find(id), std::string::npos) << id;
  }
  const std::string csp = page.header("Content-Security-Policy");
  const auto at = csp.find("script-src 'sha256-");
  ASSERT_NE(at, std::string::npos) << csp;
  const std::string_view hash = std::string_view(csp).substr(at + 19, 44);
  EXPECT_TRUE(all_of_class(hash, isalnum)) << csp;
  EXPECT_EQ(csp.substr(at + 19 + 44, 1), "'") << csp;
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  for (const char* external : {"src=\"http", "href=\"http", "<link", "<script src", "url("}) {
    EXPECT_EQ(page.body.find(external), std::string::npos) << external;
  }
}

}  // namespace
}  // namespace bcma::station::web
