// The evaluator's downloads of the audit export from the web pages: with the home's key (the
// station's pseudonym_key_file) every download, and `bcma audit export` with the same key
// file, give a person the same pseudonym; the proof offered beside the events verifies them
// as `bcma audit verify-export` does, even when scans arrive between the two clicks.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <set>

#include "../station/store_fixture.hpp"
#include "bcma/station/export/audit_export.hpp"
#include "bcma/station/web/handler.hpp"

namespace bcma::station::web::download_testing {
namespace {

namespace st = store::testing;
namespace ex = exporting;
using namespace std::chrono;

constexpr const char* kPeriod = "from=2026-03-01&to=2026-03-31";
constexpr const char* kEvaluatorBadge = "80170000000000022";

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `attachment; filename="x"` -> x
std::string attachment_name(const Response& r) {
  const std::string cd = r.header("Content-Disposition");
  const auto at = cd.find("filename=\"");
  if (at == std::string::npos) return {};
  const auto start = at + 10;
  return cd.substr(start, cd.find('"', start) - start);
}

// The href of the link with this id on a page, with &amp; turned back into &.
std::string link(const std::string& page, const std::string& id) {
  const auto at = page.find("id=\"" + id + "\" href=\"");
  if (at == std::string::npos) return {};
  const auto start = at + id.size() + 12;  // id=" and " href="
  std::string href = page.substr(start, page.find('"', start) - start);
  for (std::size_t p; (p = href.find("&amp;")) != std::string::npos;) href.replace(p, 5, "&");
  return href;
}

std::set<std::string> pseudonyms_in(const std::string& csv, char prefix) {
  std::set<std::string> out;
  const std::string marker = std::string(",") + prefix + "-";
  for (std::size_t at = csv.find(marker); at != std::string::npos; at = csv.find(marker, at + 1)) {
    out.insert(csv.substr(at + 1, 18));
  }
  return out;
}

class ExportDownloadTest : public st::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store().add_staff({0, "Evan Evaluator", st::gsrn(kEvaluatorBadge), domain::Role::kEvaluator, true},
                                  "2580", st::setup_actor()));
    for (std::uint64_t n = 1; n <= 3; ++n) {
      const auto when = st::test_now() + hours{24 * static_cast<int>(n)};
      clock_.set(when);
      ASSERT_TRUE(store().record_administration(st::given_record(seed_, n, when)));
    }
    bool created = false;
    auto key = ex::PseudonymKey::load_or_create(key_file(), &created);
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_TRUE(created);
    key_.emplace(*key);
  }

  std::filesystem::path key_file() const { return dir_.path() / "pseudonym.key"; }

  Handler& handler(bool with_key) {
    HandlerOptions options;
    if (with_key) options.pseudonym_key = key_;
    handler_.emplace(store(), clock_, options);
    return *handler_;
  }

  std::string sign_in(const std::string& badge, const std::string& pin) {
    const Response r = handler_->handle({"POST", "/login", "", "application/x-www-form-urlencoded",
                                         "badge=" + badge + "&pin=" + pin, "127.0.0.1"});
    EXPECT_EQ(r.status, 303);
    const std::string set = r.header("Set-Cookie");
    return set.substr(0, set.find(';'));
  }
  std::string sign_in_evaluator() { return sign_in(st::gsrn(kEvaluatorBadge), "2580"); }

  Response get(const std::string& target, const std::string& cookie) {
    return handler_->handle({"GET", target, cookie, "", "", "127.0.0.1"});
  }

  // The instants the web page's period means (both dates inclusive, Europe/London).
  static ex::ExportOptions march() {
    return {domain::London::start_of_day(domain::Date{year{2026} / 3 / 1}),
            domain::London::start_of_day(domain::Date{year{2026} / 4 / 1}), ex::Format::kCsv, {}};
  }

  std::optional<ex::PseudonymKey> key_;
  std::optional<Handler> handler_;
};

TEST_F(ExportDownloadTest, TheHomeKeyFileIsMadeOwnerOnlyAndReadBackUnchanged) {
  struct stat info {};
  ASSERT_EQ(::stat(key_file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777U, 0600U);
  const std::string text = slurp(key_file());
  EXPECT_EQ(text.size(), 65U);  // 64 hex digits and a newline
  bool created = true;
  auto again = ex::PseudonymKey::load_or_create(key_file(), &created);
  ASSERT_TRUE(again);
  EXPECT_FALSE(created);
  EXPECT_EQ(again->key_id(), key_->key_id());
  EXPECT_EQ(slurp(key_file()), text);  // not rewritten
  // A key other users can read is refused, not used.
  ASSERT_EQ(::chmod(key_file().c_str(), 0644), 0);
  auto exposed = ex::PseudonymKey::load_or_create(key_file());
  ASSERT_FALSE(exposed);
  EXPECT_EQ(exposed.error().code, "insecure_key_file");
  // Saving over an exposed file narrows it again.
  ASSERT_TRUE(key_->save(key_file()));
  ASSERT_EQ(::stat(key_file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777U, 0600U);
}

TEST_F(ExportDownloadTest, WithTheHomeKeyEveryDownloadAndTheCliExportGiveTheSamePseudonyms) {
  handler(true);
  const std::string cookie = sign_in_evaluator();
  const Response first = get(std::string("/evaluation/events.csv?") + kPeriod, cookie);
  const Response second = get(std::string("/evaluation/events.csv?") + kPeriod, cookie);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(second.status, 200);
  const auto residents = pseudonyms_in(first.body, 'R');
  ASSERT_EQ(residents.size(), 1U) << first.body;  // Alice, three times
  EXPECT_EQ(first.body, second.body);
  // `bcma audit export --key-file <the station's key file>`: the same key, read from the file.
  auto from_file = ex::PseudonymKey::from_file(key_file());
  ASSERT_TRUE(from_file);
  auto exported = ex::export_audit(store().database(), ex::Pseudonymiser(*from_file), march(),
                                   dir_.path() / "cli");
  ASSERT_TRUE(exported) << exported.error().message;
  EXPECT_EQ(slurp(exported->events_file), first.body);
}

TEST_F(ExportDownloadTest, WithoutTheKeyEachDownloadHasItsOwnPseudonymsAndNoProof) {
  handler(false);
  const std::string cookie = sign_in_evaluator();
  const Response a = get(std::string("/evaluation/events.csv?") + kPeriod, cookie);
  const Response b = get(std::string("/evaluation/events.csv?") + kPeriod, cookie);
  ASSERT_EQ(a.status, 200);
  ASSERT_EQ(b.status, 200);
  EXPECT_NE(pseudonyms_in(a.body, 'R'), pseudonyms_in(b.body, 'R'));
  const Response page = get(std::string("/evaluation?") + kPeriod, cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(link(page.body, "csv-download"), "");
  EXPECT_EQ(link(page.body, "proof-download"), "");
  EXPECT_EQ(get(std::string("/evaluation/proof.json?") + kPeriod, cookie).status, 404);
}

TEST_F(ExportDownloadTest, TheProofBesideTheDownloadVerifiesItEvenAfterMoreScans) {
  handler(true);
  const std::string cookie = sign_in_evaluator();
  const Response page = get(std::string("/evaluation?") + kPeriod, cookie);
  ASSERT_EQ(page.status, 200);
  const std::string events_link = link(page.body, "csv-download");
  const std::string proof_link = link(page.body, "proof-download");
  ASSERT_NE(proof_link, "") << page.body;
  EXPECT_NE(events_link.find("&through="), std::string::npos) << events_link;

  // A dose is recorded between opening the page and the downloads.
  const Response before = get(events_link, cookie);
  ASSERT_TRUE(store().record_administration(st::given_record(seed_, 9, clock_.now() - hours{1})));
  const Response events = get(events_link, cookie);
  const Response proof = get(proof_link, cookie);
  ASSERT_EQ(events.status, 200) << events.body;
  ASSERT_EQ(proof.status, 200) << proof.body;
  EXPECT_EQ(events.body, before.body);  // the new dose is after the page's head
  EXPECT_EQ(proof.content_type, "application/json");
  EXPECT_EQ(attachment_name(events), "audit_events_2026-03-01_2026-03-31.csv");
  EXPECT_EQ(attachment_name(proof), "audit_proof_2026-03-01_2026-03-31.json");
  // Without the page's head the download has the new dose too.
  const Response latest = get(std::string("/evaluation/events.csv?") + kPeriod, cookie);
  EXPECT_GT(latest.body.size(), events.body.size());

  // Saved side by side, as a browser saves them, they verify alone, against the database and
  // cell by cell with the key.
  const auto saved = dir_.path() / "downloads";
  std::filesystem::create_directories(saved);
  std::ofstream(saved / attachment_name(events), std::ios::binary) << events.body;
  std::ofstream(saved / attachment_name(proof), std::ios::binary) << proof.body;
  const auto proof_file = saved / attachment_name(proof);
  auto alone = ex::verify_export(proof_file, nullptr, nullptr);
  ASSERT_TRUE(alone) << alone.error().message;
  EXPECT_TRUE(alone->ok()) << (alone->problems.empty() ? "" : alone->problems[0].message);
  auto full = ex::verify_export(proof_file, &store().database(), &*key_);
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_TRUE(full->ok()) << (full->problems.empty() ? "" : full->problems[0].message);
  EXPECT_TRUE(full->checked_content);
  EXPECT_GE(full->rows, 4);  // at least three doses and the evaluator's sign-in

  // A changed byte in the saved events file is found.
  std::string edited = events.body;
  edited[edited.size() / 2] = edited[edited.size() / 2] == 'x' ? 'y' : 'x';
  std::ofstream(saved / attachment_name(events), std::ios::binary | std::ios::trunc) << edited;
  auto tampered = ex::verify_export(proof_file, nullptr, nullptr);
  ASSERT_TRUE(tampered);
  ASSERT_FALSE(tampered->ok());
  EXPECT_EQ(tampered->problems[0].code, "digest_mismatch");
}

TEST_F(ExportDownloadTest, TheProofIsForTheEvaluatorAndTheManagerOnly) {
  handler(true);
  const std::string target = std::string("/evaluation/proof.json?") + kPeriod;
  EXPECT_EQ(get(target, "").status, 401);
  EXPECT_EQ(get(target, sign_in(seed_.carer_badge, "1234")).status, 403);
  EXPECT_EQ(get(target, sign_in(st::gsrn("80170000000000012"), "5678")).status, 403);  // nurse
  const std::string cookie = sign_in_evaluator();
  EXPECT_EQ(get(target, cookie).status, 200);
  EXPECT_EQ(get(target + "&through=abc", cookie).status, 400);
  EXPECT_EQ(get(target + "&through=0", cookie).status, 400);
  EXPECT_EQ(get(target + "&through=999999", cookie).status, 200);  // past the head: the head
}

}  // namespace
}  // namespace bcma::station::web::download_testing
