// Everything the station cannot represent safely goes to the review queue with its exact
// reason; the rest of the feed is applied; nothing is guessed.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "bcma/station/emar/errors.hpp"
#include "bcma/station/emar/import.hpp"
#include "bcma/station/emar/review.hpp"
#include "emar_test_support.hpp"

namespace bcma::station::emar::testing {
namespace {

namespace st = store::testing;

struct Expected {
  const char* id;
  std::vector<const char*> codes;  ///< every reason, in order
  const char* location;            ///< of the first reason
  const char* says;                ///< part of the first reason's message
};

const std::vector<Expected>& expectations() {
  static const std::vector<Expected> all{
      {"rx-unknown-code", {reason::kUnknownMedication}, "/medicationCodeableConcept/coding/0",
       "dm+d code 3999911000001105 (Imaginary 10mg tablets) is not in this home's dm+d data"},
      {"rx-unknown-patient", {reason::kUnknownPatient}, "/subject",
       "NHS number 999 003 0030 is not a resident of this home"},
      {"rx-mg-not-whole", {reason::kDoseNotConvertible}, "/dosageInstruction/0/doseAndRate/0/doseQuantity",
       "750 mg is 1.5 tablet of Paracetamol 500mg tablets (500 mg per tablet)"},
      {"rx-cocodamol-mg", {reason::kDoseNotConvertible}, "/dosageInstruction/0/doseAndRate/0/doseQuantity",
       "it has 2 active ingredients, so a dose by mass is ambiguous"},
      {"rx-every-90-minutes", {reason::kUnsupportedTiming}, "/dosageInstruction/0/timing/repeat/periodUnit",
       "a regular dose every 90 min cannot be given at the home's fixed rounds"},
      {"rx-at-breakfast", {reason::kUnmappedWhen}, "/dosageInstruction/0/timing/repeat/when/0",
       "\"CM\" (at breakfast) is not one of this home's rounds (AFT 14:00, EVE 17:00, HS 22:00, MORN 08:00"},
      {"rx-tds-no-times", {reason::kUnsupportedTiming}, "/dosageInstruction/0/timing/repeat",
       "\"3 per 1 d\" does not say when"},
      {"rx-discharged", {reason::kResidentLeft}, "/subject",
       "Carol Cole (NHS number 999 004 0044) is recorded as discharged"},
      {"rx-vtm", {reason::kUnsupportedMedicationLevel}, "/medicationCodeableConcept/coding/0",
       "is a VTM (a substance), not a product"},
      {"rx-two-dosages", {reason::kUnsupportedTiming}, "/dosageInstruction", "2 dosage instructions"},
      {"rx-plan", {reason::kUnsupportedStatus, reason::kNotAnOrder}, "/status", "status \"draft\""},
      {"rx-not-dmd", {reason::kNotDmdCoded}, "/medicationCodeableConcept",
       "the medication \"Paracetamol 500mg tablets\" has no dm+d code"},
      {"rx-bad-nhs-number", {reason::kInvalidNhsNumber}, "/subject", "\"9990020028\" is not a valid NHS number"},
      {"rx-wrong-person", {reason::kPatientMismatch}, "/subject",
       "was born 1983-05-17, but the home's Alice Archer with that NHS number was born 1938-05-17"},
      {"rx-when-and-time", {reason::kAmbiguousData}, "/dosageInstruction/0/timing/repeat",
       "both when and timeOfDay are given"},
      {"rx-modifier", {reason::kUnsupportedResource}, "/dosageInstruction/0/modifierExtension",
       "a modifierExtension changes what the resource means"},
      {"disp-no-label", {reason::kInvalidLabel}, "/identifier", "no pharmacy label barcode"},
      {"disp-wrong-product", {reason::kDispenseMismatch}, "/medicationCodeableConcept",
       "dispensed Co-codamol 8mg/500mg tablets (Zentiva) 30 tablet against a prescription of Paracetamol 500mg tablets"},
      {"disp-unknown-request", {reason::kUnknownPrescription}, "/authorizingPrescription/0",
       "dispensed against MedicationRequest/rx-never-sent, which the station does not hold"},
      {"disp-bad-check-digit", {reason::kInvalidLabel}, "/identifier",
       "the GDTI 9521234000014 in \"9521234000014RX000462\" has a wrong check digit"},
      {"rx-deleted", {reason::kUnsupportedResource}, "/entry/22/request/method",
       "a transaction entry with method DELETE is not applied"},
  };
  return all;
}

class ReviewFeed : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = import_file(station.s(), fixture("review-feed.json"));
    ASSERT_TRUE(r) << r.error().message;
    summary = std::move(*r);
  }
  Station station;
  ImportSummary summary;
};

TEST_F(ReviewFeed, EachRefusedResourceIsQueuedWithItsExactReason) {
  for (const auto& e : expectations()) {
    SCOPED_TRACE(e.id);
    const ResourceOutcome& o = outcome(summary, e.id);
    ASSERT_EQ(o.action, Action::kQueued) << o.detail;
    ASSERT_EQ(o.reasons.size(), e.codes.size());
    for (std::size_t i = 0; i < e.codes.size(); ++i) EXPECT_EQ(o.reasons[i].code, e.codes[i]);
    EXPECT_EQ(o.reasons[0].location, e.location);
    EXPECT_NE(o.reasons[0].message.find(e.says), std::string::npos) << o.reasons[0].message;
    EXPECT_TRUE(o.review_id.has_value());
  }
  EXPECT_EQ(summary.count(Action::kQueued), static_cast<int>(expectations().size()));
}

TEST_F(ReviewFeed, TheRestOfTheFeedIsApplied) {
  EXPECT_EQ(outcome(summary, "rx-bob-para-ok").action, Action::kImported);
  auto bob = station.s().current_prescriptions(station.home.bob, station.clock.now());
  ASSERT_TRUE(bob);
  ASSERT_EQ(bob->size(), 1U);  // only the good one
  EXPECT_EQ(bob->front().times.front().round, "NIGHT");
  // A date-only authoredOn starts the prescription at local midnight.
  EXPECT_EQ(bob->front().starts, *domain::parse_instant("2026-03-09T00:00:00Z"));
  auto alice = station.s().current_prescriptions(station.home.alice, station.clock.now());
  ASSERT_TRUE(alice);
  EXPECT_TRUE(alice->empty());  // the request whose Patient contradicts her record is not hers
  EXPECT_FALSE(station.s().dispensed_item("9521234000013RX000460"));
}

TEST_F(ReviewFeed, TheQueueListsEveryEntryAsAPharmacistReadsIt) {
  auto queue = review_queue(station.s());
  ASSERT_TRUE(queue) << queue.error().message;
  ASSERT_EQ(queue->size(), expectations().size());
  const std::string text = review_text(*queue);
  EXPECT_NE(text.find("Review queue: 21 open"), std::string::npos) << text;
  EXPECT_NE(text.find("MedicationRequest/rx-unknown-patient"), std::string::npos);
  EXPECT_NE(text.find("NHS number 999 003 0030 (not a resident of this home)"), std::string::npos) << text;
  EXPECT_NE(text.find("Bob Baker, NHS number 999 002 0027"), std::string::npos) << text;
  EXPECT_NE(text.find("Station holds: nothing: this request has never been imported"), std::string::npos);
  EXPECT_NE(text.find("[dose_not_convertible at /dosageInstruction/0/doseAndRate/0/doseQuantity]"),
            std::string::npos);

  const auto j = nlohmann::json::parse(review_json(*queue));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), expectations().size());
  const auto it = std::find_if(j.begin(), j.end(), [](const auto& e) { return e["resource_id"] == "rx-unknown-code"; });
  ASSERT_NE(it, j.end());
  const auto& first = *it;
  EXPECT_EQ(first["status"], "open");
  EXPECT_EQ(first["resource_type"], "MedicationRequest");
  EXPECT_EQ(first["medication"], "3999911000001105 Imaginary 10mg tablets");
  EXPECT_EQ(first["reasons"][0]["code"], "unknown_medication");
  EXPECT_FALSE(first.contains("resource"));
  const auto with = nlohmann::json::parse(review_json(*queue, true));
  EXPECT_EQ(with[static_cast<std::size_t>(it - j.begin())]["resource"]["id"], "rx-unknown-code");
}

TEST_F(ReviewFeed, ImportingItAgainAddsNothingToTheQueue) {
  const std::string before = st::dump_database(station.file);
  auto again = import_file(station.s(), fixture("review-feed.json"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->count(Action::kQueued), static_cast<int>(expectations().size()));
  EXPECT_EQ(outcome(*again, "rx-bob-para-ok").action, Action::kUnchanged);
  for (const auto& e : expectations()) {
    EXPECT_EQ(outcome(*again, e.id).review_id, outcome(summary, e.id).review_id) << e.id;
  }
  EXPECT_EQ(st::dump_database(station.file), before);
}

TEST_F(ReviewFeed, FixingTheCauseAtTheHomeImportsItAndClosesItsEntry) {
  // The home gives breakfast doses at 07:30 and admits the unknown resident.
  auto policy = station.s().policy();
  ASSERT_TRUE(policy);
  policy->rounds["CM"] = domain::TimeOfDay::hm(7, 30);
  ASSERT_TRUE(station.s().set_policy(*policy, st::setup_actor()));
  domain::Resident dan;
  dan.nhs_number = kNobodyNhs;
  dan.given_name = "Dan";
  dan.family_name = "Dale";
  dan.date_of_birth = std::chrono::year{1940} / 2 / 2;
  dan.room = "9";
  ASSERT_TRUE(station.s().add_resident(dan, st::setup_actor()));

  auto again = import_file(station.s(), fixture("review-feed.json"));
  ASSERT_TRUE(again);
  EXPECT_EQ(outcome(*again, "rx-at-breakfast").action, Action::kImported);
  EXPECT_EQ(outcome(*again, "rx-unknown-patient").action, Action::kImported);
  EXPECT_EQ(again->count(Action::kQueued), static_cast<int>(expectations().size()) - 2);

  auto open = review_queue(station.s());
  ASSERT_TRUE(open);
  EXPECT_EQ(open->size(), expectations().size() - 2);
  auto all = review_queue(station.s(), true);
  ASSERT_TRUE(all);
  int resolved = 0;
  for (const auto& e : *all) {
    if (e.status != ReviewStatus::kResolved) continue;
    ++resolved;
    EXPECT_NE(e.resolution.find("was imported as version 1 of station prescription"), std::string::npos);
    EXPECT_TRUE(e.resolved_at.has_value());
  }
  EXPECT_EQ(resolved, 2);
}

TEST_F(ReviewFeed, ANewVersionWithOtherProblemsSupersedesTheOldEntry) {
  const std::string fixed = request_with_dosage(
      "rx-at-breakfast", st::kVmpParacetamol,
      R"({"timing":{"repeat":{"when":["CV"]}},"route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006"}]},"doseAndRate":[{"doseQuantity":{"value":1,"unit":"tablet"}}]})");
  // Same identifier as the fixture's rx-at-breakfast, a later authoredOn: a newer version.
  std::string later = fixed;
  later.replace(later.find("2026-03-09T12:00:00Z"), 20, "2026-03-10T07:00:00Z");
  later.replace(later.find("\"value\":\"rx-at-breakfast\""), 25, "\"value\":\"RX-2002-16\"");
  auto r = import_feed(station.s(), later);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->resources.size(), 1U);
  EXPECT_EQ(r->resources[0].action, Action::kQueued);
  EXPECT_EQ(r->resources[0].reasons[0].code, reason::kUnmappedWhen);
  auto all = review_queue(station.s(), true);
  ASSERT_TRUE(all);
  int superseded = 0;
  for (const auto& e : *all) {
    if (e.resource_id == "rx-at-breakfast" && e.status == ReviewStatus::kSuperseded) {
      ++superseded;
      EXPECT_NE(e.resolution.find("a newer version of this resource is entry"), std::string::npos);
    }
  }
  EXPECT_EQ(superseded, 1);
}

}  // namespace
}  // namespace bcma::station::emar::testing
