// A feed refused whole changes nothing: the database is byte-for-byte the same afterwards.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include "bcma/station/emar/errors.hpp"
#include "bcma/station/emar/import.hpp"
#include "emar_test_support.hpp"

namespace bcma::station::emar::testing {
namespace {

namespace st = store::testing;

struct Case {
  const char* name;
  std::string text;       ///< feed text (ignored when file is set)
  std::string file;       ///< a fixture
  const char* code;
  const char* says;       ///< part of the message: where the problem is
};

TEST(FeedErrors, EveryRefusedFeedLeavesTheDatabaseUnchanged) {
  const std::vector<Case> cases{
      {"truncated-json", "", "malformed.json", errc::kInvalidJson, "line 10, column 27"},
      {"json-but-not-fhir", "", "not-fhir.json", errc::kInvalidFeed, "without a resourceType"},
      {"broken-ndjson-line", "", "broken-line.ndjson", errc::kInvalidJson, "NDJSON line 2 is not valid JSON"},
      {"missing-file", "", "no-such-feed.json", errc::kCannotRead, "no-such-feed.json"},
      {"empty", "  \n ", "", errc::kInvalidFeed, "empty"},
      {"array", "[1, 2]", "", errc::kInvalidFeed, "it is array"},
      {"entry-not-array", R"({"resourceType":"Bundle","type":"collection","entry":{}})", "", errc::kInvalidFeed,
       "/entry"},
      {"trailing-garbage", R"({"resourceType":"Bundle"} x)", "", errc::kInvalidJson, "not valid JSON"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Station station;
    ASSERT_TRUE(import_file(station.s(), fixture("regular-feed.json")));  // something to keep
    const std::string before = st::dump_database(station.file);
    const auto r = c.file.empty() ? import_feed(station.s(), c.text) : import_file(station.s(), fixture(c.file));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
    EXPECT_EQ(st::dump_database(station.file), before);
  }
}

TEST(FeedErrors, AStationWithoutAHomeRefusesTheFeed) {
  TempDir dir;
  domain::FixedClock clock(st::test_now());
  const auto file = dir.path() / "bare.db";
  auto s = store::Store::open(file, clock);
  ASSERT_TRUE(s);
  const std::string before = st::dump_database(file);
  auto r = import_file(*s, fixture("regular-feed.json"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::kNoHome);
  EXPECT_EQ(st::dump_database(file), before);
}

TEST(FeedErrors, ADatabaseLockedByAnotherWriterIsReportedAndNothingIsWritten) {
  TempDir dir;
  domain::FixedClock clock(st::test_now());
  const auto file = dir.path() / "locked.db";
  {
    auto s = store::Store::open(file, clock);
    ASSERT_TRUE(s);
    seed_home(*s);
  }
  store::StoreOptions quick;
  quick.busy_timeout = std::chrono::milliseconds{50};
  quick.pin_cost = store::PinHashCost::minimum();
  auto s = store::Store::open(file, clock, quick);
  ASSERT_TRUE(s);
  const std::string before = st::dump_database(file);

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto r = import_file(*s, fixture("regular-feed.json"));
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "database_busy");
  EXPECT_EQ(st::dump_database(file), before);

  // Once the other writer is done, the same feed imports.
  auto again = import_file(*s, fixture("regular-feed.json"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->count(Action::kImported), 10);
}

TEST(FeedErrors, AResourceWithBrokenParsIsQueuedWithThePointerToIt) {
  Station station;
  auto r = import_feed(station.s(), R"({"resourceType":"Bundle","type":"collection","entry":[
      {"resource":{"resourceType":"MedicationRequest","id":"rx-typed-wrong","identifier":[{"system":"s","value":"v"}],
       "status":7,"intent":"order","authoredOn":"2026-03","subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990020027"}},
       "medicationCodeableConcept":{"coding":[{"system":"https://dmd.nhs.uk","code":"42109611000001109"}]},
       "dosageInstruction":[{"timing":{"repeat":{"when":["MORN"]}},"route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006"}]},"doseAndRate":[{"doseQuantity":{"value":1,"unit":"tablet"}}]}]}},
      {"fullUrl":"urn:uuid:1"},
      {"resource":{"id":"no-type"}}]})");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->resources.size(), 3U);
  const auto& typed = r->resources[0];
  ASSERT_EQ(typed.action, Action::kQueued);
  ASSERT_GE(typed.reasons.size(), 2U);
  EXPECT_EQ(typed.reasons[0].location, "/status");
  EXPECT_NE(typed.reasons[0].message.find("must be a string, not number"), std::string::npos);
  EXPECT_EQ(typed.reasons[1].location, "/authoredOn");
  EXPECT_NE(typed.reasons[1].message.find("partial date"), std::string::npos) << typed.reasons[1].message;
  EXPECT_EQ(r->resources[1].action, Action::kQueued);
  EXPECT_EQ(r->resources[1].reasons[0].location, "/entry/1");
  EXPECT_EQ(r->resources[2].action, Action::kQueued);
  EXPECT_EQ(r->resources[2].reasons[0].location, "/resourceType");
}

}  // namespace
}  // namespace bcma::station::emar::testing
