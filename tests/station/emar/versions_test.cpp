// Changes from the pharmacy: new versions, stops, holds and replacements take effect from their
// effective time; history is kept; an older or repeated version changes nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bcma/station/emar/errors.hpp"
#include "bcma/station/emar/import.hpp"
#include "emar_test_support.hpp"

namespace bcma::station::emar::testing {
namespace {

namespace st = store::testing;
using namespace std::chrono_literals;
using domain::Decimal;
using Json = nlohmann::json;

Json fixture_resource(const std::string& file, const std::string& id) {
  const Json bundle = Json::parse(read_text(fixture(file)));
  for (const auto& e : bundle["entry"]) {
    if (e["resource"]["id"] == id) return e["resource"];
  }
  throw std::runtime_error("no " + id + " in " + file);
}

class Versions : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = import_file(station.s(), fixture("regular-feed.json"));
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->count(Action::kQueued), 0);
    para = *outcome(*r, "rx-para-regular").prescription_id;
    alendronate = *outcome(*r, "rx-alendronate-weekly").prescription_id;
    cocodamol = *outcome(*r, "rx-cocodamol-prn").prescription_id;
    sinemet = *outcome(*r, "rx-sinemet-times").prescription_id;
    lactulose = *outcome(*r, "rx-lactulose-range").prescription_id;
  }
  ImportSummary import_updates() {
    station.clock.set(at("2026-03-11T10:00:00Z"));
    auto r = import_file(station.s(), fixture("updates-feed.json"));
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : ImportSummary{};
  }
  domain::Prescription now(domain::PrescriptionId id) {
    auto p = station.s().prescription_at(id, station.clock.now());
    EXPECT_TRUE(p) << p.error().message;
    return p ? *p : domain::Prescription{};
  }
  Station station;
  domain::PrescriptionId para = 0, alendronate = 0, cocodamol = 0, sinemet = 0, lactulose = 0;
};

TEST_F(Versions, HoldAndStopTakeEffectFromTheImportAndHistoryIsKept) {
  const auto s = import_updates();
  EXPECT_EQ(outcome(s, "rx-para-regular").action, Action::kUpdated) << summary_text(s);
  EXPECT_EQ(outcome(s, "rx-para-regular").prescription_version, 2);
  EXPECT_EQ(now(para).status, domain::PrescriptionStatus::kOnHold);
  EXPECT_EQ(now(alendronate).status, domain::PrescriptionStatus::kStopped);

  auto history = station.s().prescription_history(para);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[0].prescription.status, domain::PrescriptionStatus::kActive);
  EXPECT_EQ((*history)[0].effective_from, at("2026-03-09T10:15:00Z"));  // v1: from its start
  EXPECT_EQ((*history)[1].effective_from, at("2026-03-11T10:00:00Z"));  // the hold: from when it arrived
  // Yesterday's record still says what was in force then.
  auto before = station.s().prescription_at(para, at("2026-03-10T12:00:00Z"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, domain::PrescriptionStatus::kActive);
  EXPECT_EQ(before->version, 1);

  EXPECT_EQ(st::raw_sql(station.file,
                        "SELECT count(*) FROM audit_log WHERE subject = 'prescription:" + std::to_string(para) + "/v2'"),
            "1");
}

TEST_F(Versions, ADoseChangeWithANewVersionIdIsANewVersion) {
  const auto s = import_updates();
  EXPECT_EQ(outcome(s, "rx-lactulose-range").action, Action::kUpdated);
  const auto p = now(lactulose);
  EXPECT_EQ(p.version, 2);
  EXPECT_EQ(p.dose.min, Decimal::from_int(15));
  EXPECT_EQ(p.dose.max, Decimal::from_int(15));
}

TEST_F(Versions, APriorPrescriptionReplacementContinuesTheSamePrescription) {
  const auto s = import_updates();
  const auto& o = outcome(s, "rx-cocodamol-prn-2");
  EXPECT_EQ(o.action, Action::kUpdated) << o.detail;
  EXPECT_EQ(o.prescription_id, cocodamol);
  const auto p = now(cocodamol);
  EXPECT_EQ(p.dose.max, Decimal::from_int(1));
  ASSERT_TRUE(p.prn);
  EXPECT_EQ(p.prn->min_interval, 360min);
  EXPECT_EQ(p.prn->max_per_24h, Decimal::from_int(4));
  EXPECT_EQ(p.starts, at("2026-03-11T09:10:00Z"));

  // The replaced request, sent again, no longer governs anything.
  station.clock.advance(1h);
  const std::string before = st::dump_database(station.file);
  auto old = import_feed(station.s(), fixture_resource("regular-feed.json", "rx-cocodamol-prn").dump());
  ASSERT_TRUE(old);
  EXPECT_EQ(old->resources[0].action, Action::kUnchanged);
  EXPECT_NE(old->resources[0].detail.find("replaced by a later request"), std::string::npos);
  EXPECT_EQ(st::dump_database(station.file), before);
}

TEST_F(Versions, UpdatesImportedTwiceAndOlderVersionsChangeNothing) {
  import_updates();
  const std::string before = st::dump_database(station.file);
  station.clock.advance(2h);
  auto again = import_file(station.s(), fixture("updates-feed.json"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->count(Action::kUnchanged), 4) << summary_text(*again);
  auto older = import_file(station.s(), fixture("regular-feed.json"));
  ASSERT_TRUE(older);
  EXPECT_EQ(outcome(*older, "rx-para-regular").action, Action::kUnchanged);
  EXPECT_NE(outcome(*older, "rx-para-regular").detail.find("older than the version held"), std::string::npos);
  EXPECT_EQ(older->count(Action::kUpdated) + older->count(Action::kImported) + older->count(Action::kQueued), 0)
      << summary_text(*older);
  EXPECT_EQ(st::dump_database(station.file), before);
  EXPECT_EQ(now(para).status, domain::PrescriptionStatus::kOnHold);
}

TEST_F(Versions, NdjsonResumesTheHeldPrescriptionAndSkipsTheStaleLine) {
  import_updates();
  station.clock.set(at("2026-03-12T09:00:00Z"));
  auto r = import_file(station.s(), fixture("resume-feed.ndjson"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->resources.size(), 3U);
  EXPECT_EQ(r->resources[0].where, "line 1");
  EXPECT_EQ(r->resources[0].action, Action::kUpdated);
  EXPECT_EQ(r->resources[0].prescription_version, 3);
  EXPECT_EQ(r->resources[1].action, Action::kUnchanged);
  EXPECT_EQ(r->resources[2].action, Action::kUnchanged);  // the dispense, already held
  EXPECT_EQ(now(para).status, domain::PrescriptionStatus::kActive);
}

TEST_F(Versions, SettingsTheHomeAddedAreKeptByANewVersion) {
  // The home marks the Parkinson's medicine time-critical with a 10-minute window.
  auto held = now(sinemet);
  held.time_critical = true;
  held.window = 10min;
  ASSERT_TRUE(station.s().put_prescription(held, station.clock.now(), st::setup_actor()));

  Json v2 = fixture_resource("regular-feed.json", "rx-sinemet-times");
  v2["meta"] = {{"versionId", "2"}, {"lastUpdated", "2026-03-10T09:00:00Z"}};
  v2["dosageInstruction"][0]["text"] = "ONE tablet at 6am, 10am, 2pm and 6pm. Do not omit";
  v2["subject"] = {{"identifier", {{"system", "https://fhir.nhs.uk/Id/nhs-number"}, {"value", kBobNhs}}}};
  station.clock.advance(1h);
  auto r = import_feed(station.s(), v2.dump());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->resources[0].action, Action::kUpdated);
  const auto p = now(sinemet);
  EXPECT_EQ(p.version, 3);
  EXPECT_TRUE(p.time_critical);
  EXPECT_EQ(p.window, 10min);
  EXPECT_EQ(p.instructions, "ONE tablet at 6am, 10am, 2pm and 6pm. Do not omit");
}

TEST_F(Versions, SameVersionWithOtherContentIsAConflict) {
  Json changed = fixture_resource("regular-feed.json", "rx-lactulose-range");
  changed["dosageInstruction"][0]["doseAndRate"][0]["doseRange"]["high"]["value"] = 30;
  auto r = import_feed(station.s(), changed.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->resources[0].action, Action::kQueued);
  EXPECT_EQ(r->resources[0].reasons[0].code, reason::kVersionConflict);
  EXPECT_NE(r->resources[0].reasons[0].message.find("a change needs a new meta.versionId"), std::string::npos);
  EXPECT_EQ(now(lactulose).dose.max, Decimal::from_int(15));
}

TEST_F(Versions, AnOrderThatCannotBeDecidedIsAConflict) {
  Json changed = fixture_resource("regular-feed.json", "rx-lactulose-range");
  changed["meta"] = {{"versionId", "b7"}};
  changed["dosageInstruction"][0]["text"] = "changed";
  auto r = import_feed(station.s(), changed.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->resources[0].action, Action::kQueued);
  EXPECT_EQ(r->resources[0].reasons[0].code, reason::kVersionConflict);
  EXPECT_NE(r->resources[0].reasons[0].message.find("cannot tell whether this version"), std::string::npos);
}

TEST_F(Versions, AReplacementOfAnUnknownRequestIsQueued) {
  Json n = fixture_resource("updates-feed.json", "rx-cocodamol-prn-2");
  n["id"] = "rx-orphan";
  n["identifier"][0]["value"] = "RX-1001-99";
  n["priorPrescription"] = {{"reference", "MedicationRequest/rx-never-held"}};
  auto r = import_feed(station.s(), n.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->resources[0].action, Action::kQueued);
  EXPECT_EQ(r->resources[0].reasons[0].code, reason::kUnknownPrescription);
  EXPECT_EQ(r->resources[0].reasons[0].location, "/priorPrescription");
}

TEST_F(Versions, AVersionForAnotherResidentIsQueued) {
  Json v2 = fixture_resource("regular-feed.json", "rx-lactulose-range");
  v2["meta"] = {{"versionId", "2"}};
  v2["subject"] = {{"identifier", {{"system", "https://fhir.nhs.uk/Id/nhs-number"}, {"value", kAliceNhs}}}};
  auto r = import_feed(station.s(), v2.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->resources[0].action, Action::kQueued);
  EXPECT_EQ(r->resources[0].reasons[0].code, reason::kAmbiguousData);
  EXPECT_NE(r->resources[0].reasons[0].message.find("another resident"), std::string::npos);
  EXPECT_EQ(now(lactulose).resident_id, station.home.bob);
}

TEST_F(Versions, AFutureChangeWaitsForItsStartAndEnteredInErrorCancels) {
  Json v2 = fixture_resource("regular-feed.json", "rx-lactulose-range");
  v2["meta"] = {{"versionId", "2"}};
  v2["subject"] = {{"identifier", {{"system", "https://fhir.nhs.uk/Id/nhs-number"}, {"value", kBobNhs}}}};
  v2["dosageInstruction"][0]["timing"]["repeat"]["boundsPeriod"] = {{"start", "2026-03-16"}};
  v2["dosageInstruction"][0]["doseAndRate"][0] = {{"doseQuantity", {{"value", 20}, {"unit", "ml"}}}};
  auto r = import_feed(station.s(), v2.dump());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->resources[0].action, Action::kUpdated) << r->resources[0].detail;
  EXPECT_EQ(now(lactulose).dose.max, Decimal::from_int(15));  // still version 1 today
  auto monday = station.s().prescription_at(lactulose, at("2026-03-16T00:00:00Z"));
  ASSERT_TRUE(monday);
  EXPECT_EQ(monday->dose.max, Decimal::from_int(20));

  Json err = fixture_resource("regular-feed.json", "rx-patch-7day");
  err["meta"] = {{"versionId", "2"}};
  err["status"] = "entered-in-error";
  err["subject"] = {{"identifier", {{"system", "https://fhir.nhs.uk/Id/nhs-number"}, {"value", kBobNhs}}}};
  auto e = import_feed(station.s(), err.dump());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->resources[0].action, Action::kUpdated);
  EXPECT_NE(e->resources[0].detail.find("cancelled (entered in error)"), std::string::npos);
}

TEST_F(Versions, ARequestLinkedBeforeACrashGetsItsFirstVersionOnTheReservedPrescription) {
  // As if the import died after linking rx-bob-new (its prescription id reserved) and before
  // the store wrote version 1.
  const std::string bob = std::to_string(station.home.bob);
  st::raw_sql(station.file, "INSERT INTO prescriptions (resident_id) VALUES (" + bob + ")");
  const std::string reserved = st::raw_sql(station.file, "SELECT max(id) FROM prescriptions");
  st::raw_sql(station.file, "INSERT INTO emar_requests (prescription_id, resource_id, supply, linked_at) VALUES (" +
                                reserved + ", 'rx-bob-new', '{}', 0)");
  const std::string request = st::raw_sql(station.file, "SELECT max(id) FROM emar_requests");
  st::raw_sql(station.file,
              "INSERT INTO emar_request_keys VALUES ('https://fhir.mainstreet-pharmacy.example/Id/prescription|rx-bob-new', " +
                  request + ")");
  const std::string prescriptions_before = st::raw_sql(station.file, "SELECT count(*) FROM prescriptions");

  const std::string rx = request_with_dosage(
      "rx-bob-new", st::kVmpParacetamol,
      R"({"timing":{"repeat":{"when":["NIGHT"]}},"route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006","display":"Oral"}]},"doseAndRate":[{"doseQuantity":{"value":1,"unit":"tablet"}}]})");
  auto r = import_feed(station.s(), rx);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->resources[0].action, Action::kImported) << r->resources[0].detail;
  EXPECT_EQ(std::to_string(*r->resources[0].prescription_id), reserved);
  EXPECT_EQ(r->resources[0].prescription_version, 1);
  EXPECT_EQ(st::raw_sql(station.file, "SELECT count(*) FROM prescriptions"), prescriptions_before);
}

TEST_F(Versions, AVersionStoredBeforeACrashIsNotStoredTwice) {
  import_updates();
  // As if the import died after the store wrote version 2 and before the link recorded it.
  st::raw_sql(station.file,
              "UPDATE emar_requests SET content_sha256 = 'lost', version_id = '1' WHERE resource_id = 'rx-para-regular'");
  st::raw_sql(station.file, "DELETE FROM emar_prescription_versions WHERE prescription_id = " + std::to_string(para) +
                                " AND version = 2");
  station.clock.advance(1h);
  auto r = import_file(station.s(), fixture("updates-feed.json"));
  ASSERT_TRUE(r);
  EXPECT_EQ(outcome(*r, "rx-para-regular").action, Action::kUnchanged) << summary_text(*r);
  auto history = station.s().prescription_history(para);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 2U);
  EXPECT_EQ(st::raw_sql(station.file, "SELECT resource_id FROM emar_prescription_versions WHERE prescription_id = " +
                                          std::to_string(para) + " AND version = 2"),
            "rx-para-regular");
}

}  // namespace
}  // namespace bcma::station::emar::testing
