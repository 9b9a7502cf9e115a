// Round trip: a feed imported, doses recorded through the store, exported as FHIR R4
// MedicationAdministration and checked the way a receiving system would check it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "bcma/station/emar/export.hpp"
#include "bcma/station/emar/fhir_systems.hpp"
#include "bcma/station/emar/import.hpp"
#include "emar_test_support.hpp"

namespace bcma::station::emar::testing {
namespace {

namespace st = store::testing;
using Json = nlohmann::json;
using domain::Decimal;

// Structural validation against FHIR R4: required elements, value sets, constraint mad-1,
// codings in the right systems, and references that resolve against what the pharmacy sent
// (its MedicationRequest ids) and what the home holds (NHS numbers, dm+d codes, staff badges).
struct Validator {
  std::set<std::string> request_ids;
  std::set<std::string> nhs_numbers;
  std::set<std::string> dmd_codes;
  std::set<std::string> badges;
  std::vector<std::string> problems;

  // Const access that never asserts on a missing key or a wrong type (the resource may be bad).
  static const Json& at(const Json& j, const char* key) {
    static const Json kNull;
    return j.is_object() && j.contains(key) ? j[key] : kNull;
  }
  static const Json& item(const Json& j, std::size_t i) {
    static const Json kNull;
    return j.is_array() && i < j.size() ? j[i] : kNull;
  }
  static std::string text(const Json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }

  void expect(bool ok, const std::string& what) {
    if (!ok) problems.push_back(what);
  }
  void coding(const Json& cc, std::string_view system, const std::string& where) {
    const Json& list = at(cc, "coding");
    expect(list.is_array() && !list.empty(), where + ": coding");
    if (!list.is_array()) return;
    for (const auto& c : list) {
      expect(text(at(c, "system")) == system, where + ": system " + text(at(c, "system")));
      expect(!text(at(c, "code")).empty(), where + ": code");
    }
  }
  void bundle(const Json& b) {
    expect(text(at(b, "resourceType")) == "Bundle", "Bundle.resourceType");
    expect(text(at(b, "type")) == "collection", "Bundle.type");
    expect(domain::parse_instant(text(at(b, "timestamp"))).has_value(), "Bundle.timestamp");
    std::set<std::string> urls;
    for (const auto& e : at(b, "entry")) {
      const std::string url = text(at(e, "fullUrl"));
      expect(urls.insert(url).second, "bdl-7: fullUrl unique: " + url);
      expect(url == "urn:uuid:" + text(at(at(e, "resource"), "id")), "fullUrl is the resource's uuid: " + url);
      administration(at(e, "resource"));
    }
  }
  void administration(const Json& r) {
    const std::string id = text(at(r, "id"));
    expect(text(at(r, "resourceType")) == "MedicationAdministration", id + ": resourceType");
    static const std::set<std::string> kStatus{"in-progress", "not-done", "on-hold", "completed",
                                               "entered-in-error", "stopped", "unknown"};
    const std::string status = text(at(r, "status"));
    expect(kStatus.count(status) == 1, id + ": status in the R4 value set");
    const Json& ident = item(at(r, "identifier"), 0);
    expect(text(at(ident, "system")) == fhir::kUri && text(at(ident, "value")) == "urn:uuid:" + id, id + ": identifier");
    const Json& med = at(r, "medicationCodeableConcept");
    coding(med, fhir::kDmd, id + ": medication");
    expect(dmd_codes.count(text(at(item(at(med, "coding"), 0), "code"))) == 1, id + ": dm+d code held");
    const Json& subject = at(at(r, "subject"), "identifier");
    expect(text(at(subject, "system")) == fhir::kNhsNumber, id + ": subject system");
    expect(nhs_numbers.count(text(at(subject, "value"))) == 1, id + ": subject resolves");
    expect(domain::parse_instant(text(at(r, "effectiveDateTime"))).has_value(), id + ": effectiveDateTime");
    for (const auto& p : at(r, "performer")) {
      coding(at(p, "function"), fhir::kPerformFunction, id + ": performer.function");
      const Json& actor = at(at(p, "actor"), "identifier");
      expect(text(at(actor, "system")) == fhir::kStaffBadge, id + ": actor system");
      expect(badges.count(text(at(actor, "value"))) == 1, id + ": actor resolves");
    }
    if (r.contains("request")) {
      const std::string ref = text(at(at(r, "request"), "reference"));
      expect(ref.rfind("MedicationRequest/", 0) == 0 && request_ids.count(ref.substr(18)) == 1,
             id + ": request resolves: " + ref);
    }
    if (status == "not-done") {
      expect(!at(r, "statusReason").empty(), id + ": statusReason");
      coding(item(at(r, "statusReason"), 0), fhir::kNonAdministrationReason, id + ": statusReason");
      expect(!r.contains("dosage"), id + ": no dosage when not done");
    }
    if (r.contains("dosage")) {  // mad-1: dose or rate
      const Json& value = at(at(at(r, "dosage"), "dose"), "value");
      expect(value.is_number() && value.get<double>() > 0, id + ": mad-1 dose");
      coding(at(at(r, "dosage"), "route"), fhir::kSnomed, id + ": route");
    }
  }
};

class Export : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = import_file(station.s(), fixture("regular-feed.json"));
    ASSERT_TRUE(r) << r.error().message;
    para = *outcome(*r, "rx-para-regular").prescription_id;
    sinemet = *outcome(*r, "rx-sinemet-times").prescription_id;
    lactulose = *outcome(*r, "rx-lactulose-range").prescription_id;
    cocodamol = *outcome(*r, "rx-cocodamol-prn").prescription_id;
    const Json feed = Json::parse(read_text(fixture("regular-feed.json")));
    for (const auto& e : feed["entry"]) {
      if (e["resource"]["resourceType"] == "MedicationRequest") v.request_ids.insert(e["resource"]["id"]);
    }
    v.nhs_numbers = {kAliceNhs, kBobNhs};
    v.dmd_codes = {st::kVmpParacetamol, st::kAmpParacetamol, kAmpSinemet, kVmpLactulose, st::kVmpCocodamol,
                   st::kAmpCocodamol};
    v.badges = {station.home.carer_badge, st::gsrn("80170000000000112")};
    station.clock.set(at("2026-03-10T18:00:00Z"));
  }

  store::NewAdministration record(std::uint64_t n, domain::ResidentId who, domain::PrescriptionId rx,
                                  domain::Outcome outcome, const char* when) {
    store::NewAdministration a;
    a.record_id = st::uuid(n);
    a.resident_id = who;
    a.prescription_id = rx;
    a.slot = at(when);
    a.outcome = outcome;
    a.wristband = store::ScanEvidence::scanned("]d28018" + std::to_string(who), "]d2");
    a.items = {store::ScanEvidence::scanned("]d2253" "9521234000013RX000451", "]d2")};
    a.verdict = store::RecordedVerdict{rules::Decision::kProceed, {}};
    a.event_time = at(when) + std::chrono::minutes{5};
    a.device_id = "scanner-01";
    a.staff_id = station.home.carer;
    return a;
  }
  void recorded(const store::NewAdministration& a) {
    auto ack = station.s().record_administration(a);
    ASSERT_TRUE(ack) << ack.error().message;
  }
  Json exported(domain::Instant since) {
    auto r = export_administrations(station.s(), since);
    EXPECT_TRUE(r) << r.error().message;
    return r ? Json::parse(r->bundle_json) : Json();
  }
  static const Json& entry(const Json& bundle, std::uint64_t n) {
    for (const auto& e : bundle["entry"]) {
      if (e["resource"]["id"] == st::uuid(n)) return e["resource"];
    }
    throw std::runtime_error("no record " + st::uuid(n));
  }

  Station station;
  Validator v;
  domain::PrescriptionId para = 0, sinemet = 0, lactulose = 0, cocodamol = 0;
};

TEST_F(Export, RecordedDosesComeBackAsValidMedicationAdministrations) {
  auto given = record(1, station.home.alice, para, domain::Outcome::kGiven, "2026-03-10T08:00:00Z");
  given.quantity = Decimal::from_int(2);
  given.label_id = "9521234000013RX000451";
  recorded(given);
  auto refused = record(2, station.home.bob, sinemet, domain::Outcome::kRefused, "2026-03-10T10:00:00Z");
  refused.items.clear();
  recorded(refused);
  auto omitted = record(3, station.home.bob, lactulose, domain::Outcome::kOmitted, "2026-03-10T08:00:00Z");
  omitted.code = "asleep";
  omitted.items.clear();
  recorded(omitted);
  auto prn = record(4, station.home.alice, cocodamol, domain::Outcome::kGiven, "2026-03-10T14:00:00Z");
  prn.slot.reset();
  prn.quantity = Decimal::from_int(1);
  prn.ampp_id = st::kAmppCocodamol30;
  prn.witness = station.home.nurse;
  prn.note = "for back pain";
  recorded(prn);

  const Json bundle = exported(at("2026-03-10T00:00:00Z"));
  v.bundle(bundle);
  EXPECT_TRUE(v.problems.empty()) << ::testing::PrintToString(v.problems);
  ASSERT_EQ(bundle["entry"].size(), 4U);

  const Json& g = entry(bundle, 1);
  EXPECT_EQ(g["status"], "completed");
  EXPECT_EQ(g["medicationCodeableConcept"]["coding"][0]["code"], st::kAmpParacetamol);  // the pack given
  EXPECT_EQ(g["subject"]["identifier"]["value"], kAliceNhs);
  EXPECT_EQ(g["subject"]["display"], "Alice Archer");
  EXPECT_EQ(g["effectiveDateTime"], "2026-03-10T08:05:00Z");
  EXPECT_EQ(g["dosage"]["dose"]["value"], 2);
  EXPECT_EQ(g["dosage"]["dose"]["unit"], "tablet");
  EXPECT_EQ(g["dosage"]["route"]["coding"][0]["code"], kOral);
  EXPECT_EQ(g["request"]["reference"], "MedicationRequest/rx-para-regular");
  EXPECT_EQ(g["performer"][0]["actor"]["display"], "Carol Carer");
  EXPECT_EQ(g["performer"].size(), 1U);

  const Json& r = entry(bundle, 2);
  EXPECT_EQ(r["status"], "not-done");
  EXPECT_EQ(r["statusReason"][0]["coding"][0]["code"], "refused");
  EXPECT_EQ(r["medicationCodeableConcept"]["coding"][0]["code"], kAmpSinemet);  // as prescribed (brand)
  EXPECT_FALSE(r.contains("dosage"));

  const Json& o = entry(bundle, 3);
  EXPECT_EQ(o["statusReason"][0]["coding"][0]["code"], "asleep");
  EXPECT_FALSE(o["statusReason"][0]["text"].get<std::string>().empty());

  const Json& w = entry(bundle, 4);
  EXPECT_EQ(w["performer"].size(), 2U);
  EXPECT_EQ(w["performer"][1]["function"]["coding"][0]["code"], "witness");
  EXPECT_EQ(w["performer"][1]["actor"]["display"], "Nora Nurse");
  EXPECT_EQ(w["note"][0]["text"], "for back pain");
  EXPECT_EQ(w["request"]["reference"], "MedicationRequest/rx-cocodamol-prn");
}

TEST_F(Export, SinceSelectsLaterRecordsAndACorrectionResendsTheCorrectedOneAsEnteredInError) {
  auto first = record(11, station.home.alice, para, domain::Outcome::kGiven, "2026-03-10T08:00:00Z");
  first.quantity = Decimal::from_int(2);
  first.label_id = "9521234000013RX000451";
  recorded(first);
  station.clock.set(at("2026-03-10T20:00:00Z"));
  auto fix = first;
  fix.record_id = st::uuid(12);
  fix.quantity = Decimal::from_int(1);
  fix.corrects = st::uuid(11);
  fix.note = "one tablet given, not two";
  recorded(fix);

  const Json later = exported(at("2026-03-10T19:00:00Z"));
  v.bundle(later);
  EXPECT_TRUE(v.problems.empty()) << ::testing::PrintToString(v.problems);
  ASSERT_EQ(later["entry"].size(), 2U);
  EXPECT_EQ(entry(later, 11)["status"], "entered-in-error");
  EXPECT_EQ(entry(later, 12)["status"], "completed");
  EXPECT_EQ(entry(later, 12)["dosage"]["dose"]["value"], 1);
  EXPECT_EQ(entry(later, 12)["note"][1]["text"], "Corrects record " + st::uuid(11));

  const Json none = exported(at("2026-03-10T21:00:00Z"));
  EXPECT_TRUE(none["entry"].empty());
}

TEST_F(Export, TheRequestIsTheVersionInForceWhenTheDoseWasGiven) {
  // Co-codamol is replaced by a new request at 10:00 on the 11th; a dose before and one after.
  station.clock.set(at("2026-03-11T10:00:00Z"));
  ASSERT_TRUE(import_file(station.s(), fixture("updates-feed.json")));
  v.request_ids.insert("rx-cocodamol-prn-2");
  auto before = record(21, station.home.alice, cocodamol, domain::Outcome::kGiven, "2026-03-11T09:00:00Z");
  before.slot.reset();
  before.quantity = Decimal::from_int(1);
  before.ampp_id = st::kAmppCocodamol30;
  recorded(before);
  station.clock.set(at("2026-03-11T12:00:00Z"));
  auto after = before;
  after.record_id = st::uuid(22);
  after.event_time = at("2026-03-11T11:30:00Z");
  recorded(after);
  const Json bundle = exported(at("2026-03-11T00:00:00Z"));
  v.bundle(bundle);
  EXPECT_TRUE(v.problems.empty()) << ::testing::PrintToString(v.problems);
  EXPECT_EQ(entry(bundle, 21)["request"]["reference"], "MedicationRequest/rx-cocodamol-prn");
  EXPECT_EQ(entry(bundle, 22)["request"]["reference"], "MedicationRequest/rx-cocodamol-prn-2");
}

TEST_F(Export, ExportingChangesNothing) {
  auto given = record(31, station.home.alice, para, domain::Outcome::kGiven, "2026-03-10T12:00:00Z");
  given.quantity = Decimal::from_int(2);
  given.label_id = "9521234000013RX000451";
  recorded(given);
  const std::string before = st::dump_database(station.file);
  const Json bundle = exported(at("2026-01-01T00:00:00Z"));
  EXPECT_EQ(bundle["entry"].size(), 1U);
  EXPECT_EQ(st::dump_database(station.file), before);
}

TEST_F(Export, TheValidatorCatchesWhatIsWrong) {
  // The structural checks above must be able to fail.
  Json bad = {{"resourceType", "MedicationAdministration"},
              {"id", "x"},
              {"status", "given"},
              {"identifier", Json::array({{{"system", "urn:ietf:rfc:3986"}, {"value", "urn:uuid:x"}}})},
              {"medicationCodeableConcept", {{"coding", Json::array({{{"system", "http://snomed.info/sct"}, {"code", "1"}}})}}},
              {"subject", {{"identifier", {{"system", fhir::kNhsNumber}, {"value", kNobodyNhs}}}}},
              {"request", {{"reference", "MedicationRequest/rx-unknown"}}},
              {"dosage", {{"route", {{"coding", Json::array({{{"system", fhir::kSnomed}, {"code", kOral}}})}}}}}};
  v.administration(bad);
  EXPECT_GE(v.problems.size(), 6U) << ::testing::PrintToString(v.problems);
}

}  // namespace
}  // namespace bcma::station::emar::testing
