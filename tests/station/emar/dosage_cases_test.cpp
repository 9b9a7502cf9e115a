// Dosage to schedule, one dosage instruction at a time: what is accepted and exactly how, and
// what is refused with which reason at which element.
#include <gtest/gtest.h>

#include <functional>

#include "bcma/station/emar/errors.hpp"
#include "bcma/station/emar/import.hpp"
#include "emar_test_support.hpp"

namespace bcma::station::emar::testing {
namespace {

namespace st = store::testing;
using namespace std::chrono_literals;
using domain::Decimal;
using domain::TimeOfDay;

const std::string kRoute = R"("route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006","display":"Oral"}]})";
const std::string kOneTablet = R"("doseAndRate":[{"doseQuantity":{"value":1,"unit":"tablet"}}])";
const std::string kOneToTwo =
    R"("doseAndRate":[{"doseRange":{"low":{"value":1,"unit":"tablet"},"high":{"value":2,"unit":"tablet"}}}])";

std::string dosage(const std::string& timing, const std::string& dose = kOneTablet, const std::string& extra = "") {
  return "{" + (timing.empty() ? std::string() : R"("timing":)" + timing + ",") + kRoute + "," + dose +
         (extra.empty() ? "" : "," + extra) + "}";
}

struct Accepted {
  const char* name;
  std::string medication;
  std::string dosage_json;
  std::function<void(const domain::Prescription&)> check;
};

struct Refused {
  const char* name;
  std::string medication;
  std::string dosage_json;
  const char* code;
  const char* location;
};

Result<ImportSummary> import_one(Station& station, const std::string& name, const std::string& medication,
                                 const std::string& dosage_json) {
  return import_feed(station.s(), request_with_dosage(name, medication, dosage_json));
}

TEST(DosageCases, Accepted) {
  const std::vector<Accepted> cases{
      {"round-with-offset-after", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["MORN"],"offset":30}})"),
       [](const auto& p) {
         ASSERT_EQ(p.times.size(), 1U);
         EXPECT_TRUE(p.times[0].round.empty());
         EXPECT_EQ(p.times[0].time, TimeOfDay::hm(8, 30));
         EXPECT_NE(p.instructions.find("Timing: 30 minutes after MORN (08:00): 08:30"), std::string::npos);
       }},
      {"before-sleep-offset-counts-back", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["HS"],"offset":60}})"),
       [](const auto& p) { EXPECT_EQ(p.times.at(0).time, TimeOfDay::hm(21, 0)); }},
      {"every-8-hours-at-stated-times", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":1,"period":8,"periodUnit":"h","timeOfDay":["06:00:00","14:00:00","22:00:00"]}})"),
       [](const auto& p) {
         EXPECT_EQ(p.times.size(), 3U);
         EXPECT_EQ(p.days.kind, domain::DayPattern::Kind::kEveryDay);
       }},
      {"weekly-from-a-stated-start", kVmpAlendronate,
       dosage(R"({"repeat":{"boundsPeriod":{"start":"2026-03-12"},"frequency":1,"period":1,"periodUnit":"wk","when":["WAKE"]}})"),
       [](const auto& p) {
         EXPECT_EQ(p.days.kind, domain::DayPattern::Kind::kEveryNDays);
         EXPECT_EQ(p.days.every_n_days, 7);
         EXPECT_EQ(p.days.anchor, domain::Date{std::chrono::year{2026} / 3 / 12});
       }},
      {"days-of-week-daily-period", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":1,"period":1,"periodUnit":"d","dayOfWeek":["mon","wed","fri"],"when":["NOON"]}})"),
       [](const auto& p) { EXPECT_EQ(p.days.weekdays, 0b0010101); }},
      {"period-end-date-covers-the-day", st::kVmpParacetamol,
       dosage(R"({"repeat":{"boundsPeriod":{"start":"2026-03-10T08:00:00Z","end":"2026-03-14"},"when":["MORN"]}})"),
       [](const auto& p) {
         EXPECT_EQ(p.starts, *domain::parse_instant("2026-03-10T08:00:00Z"));
         EXPECT_EQ(p.ends, *domain::parse_instant("2026-03-15T00:00:00Z"));
       }},
      {"period-end-instant-is-inclusive", st::kVmpParacetamol,
       dosage(R"({"repeat":{"boundsPeriod":{"end":"2026-03-14T08:00:00.000+00:00"},"when":["MORN"]}})"),
       [](const auto& p) { EXPECT_EQ(p.ends, *domain::parse_instant("2026-03-14T08:00:01Z")); }},
      {"prn-up-to-four-times-a-day", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":4,"period":1,"periodUnit":"d"}})", kOneToTwo, R"("asNeededBoolean":true)"),
       [](const auto& p) {
         ASSERT_TRUE(p.prn);
         EXPECT_EQ(p.prn->min_interval, 0min);
         EXPECT_EQ(p.prn->max_per_24h, Decimal::from_int(8));
         EXPECT_NE(p.instructions.find("up to 4 times a day"), std::string::npos);
       }},
      {"prn-tighter-of-count-and-maximum", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":4,"period":1,"periodUnit":"d"}})", kOneToTwo,
              R"("asNeededBoolean":true,"maxDosePerPeriod":{"numerator":{"value":6,"unit":"tablets"},"denominator":{"value":1,"unit":"day"}})"),
       [](const auto& p) { EXPECT_EQ(p.prn->max_per_24h, Decimal::from_int(6)); }},
      {"prn-every-90-minutes-is-an-interval", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":1,"period":90,"periodUnit":"min"}})", kOneTablet, R"("asNeededBoolean":true)"),
       [](const auto& p) { EXPECT_EQ(p.prn->min_interval, 90min); }},
      {"prn-maximum-by-mass", st::kVmpParacetamol,
       dosage("", kOneToTwo,
              R"("asNeededBoolean":true,"maxDosePerPeriod":{"numerator":{"value":4,"unit":"g","system":"http://unitsofmeasure.org","code":"g"},"denominator":{"value":24,"unit":"h"}})"),
       [](const auto& p) {
         EXPECT_EQ(p.prn->max_per_24h, Decimal::from_int(8));
         EXPECT_TRUE(p.times.empty());
       }},
      {"half-a-tablet-as-written", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["NIGHT"]}})", R"("doseAndRate":[{"doseQuantity":{"value":0.5,"unit":"tablet"}}])"),
       [](const auto& p) { EXPECT_EQ(p.dose.min, *Decimal::parse("0.5")); }},
      {"mass-to-millilitres", kVmpLactulose,
       dosage(R"({"repeat":{"when":["MORN"]}})",
              R"("doseAndRate":[{"doseQuantity":{"value":3.35,"unit":"g","system":"http://unitsofmeasure.org","code":"g"}}])"),
       [](const auto& p) {
         EXPECT_EQ(p.dose.min, Decimal::from_int(5));
         EXPECT_EQ(p.dose.unit, "ml");
       }},
      {"instructions-are-kept", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["MORN"]}})", kOneTablet,
              R"("text":"ONE in the morning","patientInstruction":"with breakfast","additionalInstruction":[{"coding":[{"system":"http://snomed.info/sct","code":"311504000","display":"With or just after food"}]}],"method":{"text":"Swallow"})"),
       [](const auto& p) {
         EXPECT_EQ(p.instructions,
                   "ONE in the morning\nPatient instruction: with breakfast\nAdditional: With or just after food\n"
                   "Method: Swallow");
       }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Station station;
    auto r = import_one(station, c.name, c.medication, c.dosage_json);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->resources.size(), 1U);
    ASSERT_EQ(r->resources[0].action, Action::kImported) << summary_text(*r);
    auto p = station.s().prescription_at(*r->resources[0].prescription_id, station.clock.now());
    ASSERT_TRUE(p) << p.error().message;
    c.check(*p);
  }
}

TEST(DosageCases, Refused) {
  const std::vector<Refused> cases{
      {"offset-from-an-unmapped-meal", st::kVmpParacetamol, dosage(R"({"repeat":{"when":["ACM"],"offset":30}})"),
       reason::kUnmappedWhen, "/dosageInstruction/0/timing/repeat/when/0"},
      {"offset-at-a-meal", st::kVmpParacetamol, dosage(R"({"repeat":{"when":["CM"],"offset":30}})"),
       reason::kAmbiguousData, "/dosageInstruction/0/timing/repeat/offset"},
      {"offset-without-when", st::kVmpParacetamol, dosage(R"({"repeat":{"timeOfDay":["08:00:00"],"offset":30}})"),
       reason::kAmbiguousData, "/dosageInstruction/0/timing/repeat/offset"},
      {"seconds-in-a-time", st::kVmpParacetamol, dosage(R"({"repeat":{"timeOfDay":["08:00:30"]}})"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/repeat/timeOfDay/0"},
      {"not-a-time", st::kVmpParacetamol, dosage(R"({"repeat":{"timeOfDay":["8am"]}})"), reason::kInvalidResource,
       "/dosageInstruction/0/timing/repeat/timeOfDay/0"},
      {"every-8-hours-two-times", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":1,"period":8,"periodUnit":"h","timeOfDay":["06:00:00","14:00:00"]}})"),
       reason::kAmbiguousData, "/dosageInstruction/0/timing/repeat"},
      {"every-5-hours", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":1,"period":5,"periodUnit":"h","timeOfDay":["06:00:00"]}})"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/repeat/period"},
      {"frequency-disagrees-with-times", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":2,"period":1,"periodUnit":"d","when":["MORN","NOON","EVE"]}})"),
       reason::kAmbiguousData, "/dosageInstruction/0/timing/repeat/frequency"},
      {"weekly-with-no-day-or-start", kVmpAlendronate,
       dosage(R"({"repeat":{"frequency":1,"period":1,"periodUnit":"wk","when":["WAKE"]}})"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/repeat/boundsPeriod"},
      {"fortnightly-on-a-weekday", kVmpAlendronate,
       dosage(R"({"repeat":{"frequency":1,"period":2,"periodUnit":"wk","dayOfWeek":["mon"],"when":["WAKE"]}})"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/repeat"},
      {"monthly", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":1,"period":1,"periodUnit":"mo","when":["MORN"]}})"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/repeat/periodUnit"},
      {"course-in-months", st::kVmpParacetamol,
       dosage(R"({"repeat":{"boundsDuration":{"value":1,"code":"mo"},"when":["MORN"]}})"), reason::kUnsupportedTiming,
       "/dosageInstruction/0/timing/repeat/boundsDuration"},
      {"not-a-unit-of-time", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":1,"period":1,"periodUnit":"fortnight","when":["MORN"]}})"),
       reason::kInvalidResource, "/dosageInstruction/0/timing/repeat/periodUnit"},
      {"not-a-weekday", st::kVmpParacetamol, dosage(R"({"repeat":{"dayOfWeek":["monday"],"when":["MORN"]}})"),
       reason::kInvalidResource, "/dosageInstruction/0/timing/repeat/dayOfWeek/0"},
      {"count-range", st::kVmpParacetamol, dosage(R"({"repeat":{"count":3,"countMax":5,"when":["MORN"]}})"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/repeat/countMax"},
      {"infusion-duration", st::kVmpParacetamol,
       dosage(R"({"repeat":{"duration":30,"durationUnit":"min","when":["MORN"]}})"), reason::kUnsupportedTiming,
       "/dosageInstruction/0/timing/repeat/duration"},
      {"listed-dates", st::kVmpParacetamol, dosage(R"({"event":["2026-03-10T08:00:00Z"]})"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/event"},
      {"abbreviation-only", st::kVmpParacetamol,
       dosage(R"({"code":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation","code":"BID"}]}})"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/code"},
      {"regular-without-timing", st::kVmpParacetamol, dosage(""), reason::kUnsupportedTiming,
       "/dosageInstruction/0/timing"},
      {"prn-at-night-only", st::kVmpParacetamol, dosage(R"({"repeat":{"when":["NIGHT"]}})", kOneTablet,
                                                          R"("asNeededBoolean":true)"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/repeat"},
      {"prn-total-count", st::kVmpParacetamol,
       dosage(R"({"repeat":{"count":10}})", kOneTablet, R"("asNeededBoolean":true)"), reason::kUnsupportedTiming,
       "/dosageInstruction/0/timing/repeat/count"},
      {"prn-two-every-four-hours", st::kVmpParacetamol,
       dosage(R"({"repeat":{"frequency":2,"period":4,"periodUnit":"h"}})", kOneTablet, R"("asNeededBoolean":true)"),
       reason::kUnsupportedTiming, "/dosageInstruction/0/timing/repeat/frequency"},
      {"maximum-per-12-hours", st::kVmpParacetamol,
       dosage("", kOneTablet,
              R"("asNeededBoolean":true,"maxDosePerPeriod":{"numerator":{"value":4,"unit":"tablet"},"denominator":{"value":12,"unit":"h"}})"),
       reason::kUnsupportedDose, "/dosageInstruction/0/maxDosePerPeriod/denominator"},
      {"lifetime-maximum", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["MORN"]}})", kOneTablet,
              R"("maxDosePerLifetime":{"value":100,"unit":"tablet"})"),
       reason::kUnsupportedDose, "/dosageInstruction/0/maxDosePerLifetime"},
      {"a-rate", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["MORN"]}})",
              R"("doseAndRate":[{"doseQuantity":{"value":1,"unit":"tablet"},"rateQuantity":{"value":1,"unit":"mL/h"}}])"),
       reason::kUnsupportedDose, "/dosageInstruction/0/doseAndRate/0/rateQuantity"},
      {"up-to-is-not-a-dose", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["MORN"]}})", R"("doseAndRate":[{"doseRange":{"high":{"value":2,"unit":"tablet"}}}])"),
       reason::kUnsupportedDose, "/dosageInstruction/0/doseAndRate/0/doseRange"},
      {"wrong-unit", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["MORN"]}})", R"("doseAndRate":[{"doseQuantity":{"value":1,"unit":"capsule"}}])"),
       reason::kUnsupportedDose, "/dosageInstruction/0/doseAndRate/0/doseQuantity"},
      {"zero-dose", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["MORN"]}})", R"("doseAndRate":[{"doseQuantity":{"value":0,"unit":"tablet"}}])"),
       reason::kUnsupportedDose, "/dosageInstruction/0/doseAndRate/0/doseQuantity/value"},
      {"four-decimal-places", st::kVmpParacetamol,
       dosage(R"({"repeat":{"when":["MORN"]}})", R"("doseAndRate":[{"doseQuantity":{"value":1.2345,"unit":"tablet"}}])"),
       reason::kInvalidResource, "/dosageInstruction/0/doseAndRate/0/doseQuantity/value"},
      {"mass-to-inexact-millilitres", kVmpLactulose,
       dosage(R"({"repeat":{"when":["MORN"]}})",
              R"("doseAndRate":[{"doseQuantity":{"value":1000,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}])"),
       reason::kDoseNotConvertible, "/dosageInstruction/0/doseAndRate/0/doseQuantity"},
      {"no-dose", st::kVmpParacetamol,
       "{" R"("timing":{"repeat":{"when":["MORN"]}},)" + kRoute + "}", reason::kUnsupportedDose,
       "/dosageInstruction/0/doseAndRate"},
      {"no-route", st::kVmpParacetamol, "{" R"("timing":{"repeat":{"when":["MORN"]}},)" + kOneTablet + "}",
       reason::kInvalidResource, "/dosageInstruction/0/route"},
      {"wrong-type", st::kVmpParacetamol, dosage(R"({"repeat":{"frequency":"twice","when":["MORN"]}})"),
       reason::kInvalidResource, "/dosageInstruction/0/timing/repeat/frequency"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Station station;
    const std::string before = st::dump_database(station.file);
    auto r = import_one(station, c.name, c.medication, c.dosage_json);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->resources.size(), 1U);
    const auto& o = r->resources[0];
    ASSERT_EQ(o.action, Action::kQueued) << o.detail;
    ASSERT_FALSE(o.reasons.empty());
    EXPECT_EQ(o.reasons[0].code, c.code) << o.reasons[0].message;
    EXPECT_EQ(o.reasons[0].location, c.location) << o.reasons[0].message;
    // Nothing but the review entry (and its audit entry) was written.
    auto bob = station.s().current_prescriptions(station.home.bob, station.clock.now());
    ASSERT_TRUE(bob);
    EXPECT_TRUE(bob->empty());
    EXPECT_EQ(st::raw_sql(station.file, "SELECT count(*) FROM prescriptions"), "0");
  }
}

TEST(DosageCases, AMealCodeMapsOnceTheHomeHasThatRound) {
  Station station;
  auto policy = station.s().policy();
  ASSERT_TRUE(policy);
  policy->rounds["CM"] = TimeOfDay::hm(7, 30);
  ASSERT_TRUE(station.s().set_policy(*policy, st::setup_actor()));
  auto r = import_one(station, "before-breakfast", st::kVmpParacetamol,
                      dosage(R"({"repeat":{"when":["ACM","CM"],"offset":0}})"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->resources[0].action, Action::kQueued);  // ACM is not a round the home named
  EXPECT_EQ(r->resources[0].reasons[0].code, reason::kUnmappedWhen);
  EXPECT_EQ(r->resources[0].reasons[0].location, "/dosageInstruction/0/timing/repeat/when/0");

  auto offset = import_one(station, "thirty-before-breakfast", st::kVmpParacetamol,
                           dosage(R"({"repeat":{"when":["ACM"],"offset":30}})"));
  ASSERT_TRUE(offset);
  ASSERT_EQ(offset->resources[0].action, Action::kImported) << summary_text(*offset);
  auto p = station.s().prescription_at(*offset->resources[0].prescription_id, station.clock.now());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->times.at(0).time, TimeOfDay::hm(7, 0));  // 30 minutes before CM at 07:30
}

TEST(DosageCases, AVmpSentUnderItsPreviousDmdCodeIsTheCurrentVmp) {
  Station station;
  // dm+d replaced paracetamol's code (VPIDPREV); the dm+d import keeps old -> current here.
  const std::string old_code = "322236009";
  st::raw_sql(station.file, "INSERT INTO dmd_vmp_history (old_id, vmp_id, changed_on, release_id) VALUES ('" +
                                old_code + "', '" + st::kVmpParacetamol + "', '2025-06-01', 1)");
  const std::string one_gram = R"("doseAndRate":[{"doseQuantity":{"value":1,"unit":"g"}}])";
  auto r = import_one(station, "old-code", old_code, dosage(R"({"repeat":{"when":["MORN"]}})", one_gram));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->resources[0].action, Action::kImported) << summary_text(*r);
  auto p = station.s().prescription_at(*r->resources[0].prescription_id, station.clock.now());
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->medication_id, old_code);  // as the pharmacy sent it
  EXPECT_EQ(p->vmp_id, st::kVmpParacetamol);
  EXPECT_EQ(p->medication_name, "Paracetamol 500mg tablets");
  EXPECT_EQ(p->dose.min, domain::Decimal::from_int(2));  // 1 g with the current VMP's 500 mg strength
  // A code dm+d never had is still unknown.
  auto unknown = import_one(station, "unknown-code", kUnknownCode, dosage(R"({"repeat":{"when":["MORN"]}})"));
  ASSERT_TRUE(unknown);
  ASSERT_EQ(unknown->resources[0].action, Action::kQueued);
  EXPECT_EQ(unknown->resources[0].reasons[0].code, reason::kUnknownMedication);
}

}  // namespace
}  // namespace bcma::station::emar::testing
