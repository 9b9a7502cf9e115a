// Regular schedules: windows, slot choice, clock changes, weekly and every-N-days patterns,
// start and stop, time-critical medicines, and due_doses.

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace bcma::rules::testing {
namespace {

using domain::Outcome;
namespace chr = std::chrono;

World amlodipine_at(std::vector<domain::DoseTime> times) {
  World w;
  w.with(regular(10, amlodipine_5(), std::move(times), fixed("1", "tablet")))
      .scanning(amlodipine_5());
  return w;
}

TEST(Windows, TooEarlySaysWhenTheDoseCanBeGiven) {
  const Verdict v = amlodipine_at({at(8, 0)}).evaluate(local(2026, 3, 4, 6, 59));
  const Reason* r = find_reason(v, ReasonCode::kTooEarly);
  ASSERT_NE(r, nullptr) << codes(v);
  EXPECT_EQ(r->message,
            "Amlodipine 5mg tablets: the 08:00 dose can be given from 07:00; it is 06:59 "
            "(1 minute too early). The dose due at 08:00 yesterday has no record.");
  EXPECT_EQ(v.decision, Decision::kBlock);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 8, 0));
}

TEST(Windows, TooLateSaysWhenItWasDueAndWhatComesNext) {
  const Verdict v = amlodipine_at({at(8, 0), at(20, 0)}).evaluate(local(2026, 3, 4, 9, 1));
  const Reason* r = find_reason(v, ReasonCode::kTooLate);
  ASSERT_NE(r, nullptr) << codes(v);
  EXPECT_EQ(r->message,
            "Amlodipine 5mg tablets: the 08:00 dose was due by 09:00; it is 09:01 (1 minute "
            "after that). The next dose is due at 20:00.");
  EXPECT_EQ(v.decision, Decision::kWarn);
}

TEST(Windows, AHomeWindowAndAMedicineWindowAreBothHonoured) {
  World w = amlodipine_at({at(8, 0)});
  w.policy.default_window = Minutes{30};
  EXPECT_TRUE(w.evaluate(local(2026, 3, 4, 7, 29)).has(ReasonCode::kTooEarly));
  EXPECT_FALSE(w.evaluate(local(2026, 3, 4, 7, 30)).has(ReasonCode::kTooEarly));
  w.prescriptions[0].window = Minutes{90};
  EXPECT_FALSE(w.evaluate(local(2026, 3, 4, 6, 30)).has(ReasonCode::kTooEarly));
  EXPECT_TRUE(w.evaluate(local(2026, 3, 4, 6, 29)).has(ReasonCode::kTooEarly));
}

TEST(Windows, AWindowCrossingMidnightStillFindsYesterdaysSlot) {
  World w = amlodipine_at({at(23, 30)});
  const Verdict v = w.evaluate(local(2026, 3, 5, 0, 15));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 23, 30));
  EXPECT_EQ(v.summary,
            "Give 1 tablet of Amlodipine 5mg tablets (oral) for the dose due at 23:30 "
            "yesterday.");
}

TEST(SlotChoice, NearestUnrecordedSlotWhoseWindowHoldsNow) {
  World w = amlodipine_at({at(12, 0), at(13, 0)});
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 12, 40)).slot, local(2026, 3, 4, 13, 0));
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 12, 20)).slot, local(2026, 3, 4, 12, 0));
  // A recorded nearer slot does not hide a due one.
  w.history.push_back(given(10, local(2026, 3, 4, 12, 55), "1", local(2026, 3, 4, 13, 0)));
  Verdict v = w.evaluate(local(2026, 3, 4, 12, 40));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 12, 0));
  // Nor does a recorded earlier one: at 12:20 with 12:00 done, the 13:00 dose is due.
  w.history = {given(10, local(2026, 3, 4, 12, 2), "1", local(2026, 3, 4, 12, 0))};
  v = w.evaluate(local(2026, 3, 4, 12, 20));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 13, 0));
}

TEST(SlotChoice, EveryOutcomeClosesTheSlot) {
  for (Outcome o : {Outcome::kGiven, Outcome::kRefused, Outcome::kRefusedAndDestroyed,
                    Outcome::kOmitted, Outcome::kNotRequired, Outcome::kSelfAdministered}) {
    World w = amlodipine_at({at(8, 0)});
    w.history.push_back(given(10, local(2026, 3, 4, 8, 2), "1", local(2026, 3, 4, 8, 0), o));
    const Verdict v = w.evaluate(local(2026, 3, 4, 8, 20));
    const Reason* r = find_reason(v, ReasonCode::kAlreadyGiven);
    ASSERT_NE(r, nullptr) << to_string(o) << " " << codes(v);
    EXPECT_NE(r->message.find("08:02"), std::string::npos) << r->message;
  }
  World w = amlodipine_at({at(8, 0)});
  w.history.push_back(
      given(10, local(2026, 3, 4, 8, 2), "0", local(2026, 3, 4, 8, 0), Outcome::kRefused));
  EXPECT_EQ(message_of(w.evaluate(local(2026, 3, 4, 8, 20)), ReasonCode::kAlreadyGiven),
            "Amlodipine 5mg tablets: the 08:00 dose was recorded as refused at 08:02.");
}

TEST(SlotChoice, BetweenWindowsTheNearerSlotExplainsTheVerdict) {
  World w = amlodipine_at({at(8, 0), at(12, 0)});
  w.history.push_back(given(10, local(2026, 3, 4, 8, 5), "1", local(2026, 3, 4, 8, 0)));
  // 09:30 is nearer 08:00 (given): a second dose is what is being attempted.
  Verdict v = w.evaluate(local(2026, 3, 4, 9, 30));
  ASSERT_TRUE(v.has(ReasonCode::kAlreadyGiven)) << codes(v);
  EXPECT_EQ(message_of(v, ReasonCode::kAlreadyGiven),
            "Amlodipine 5mg tablets: the 08:00 dose was given at 08:05. The next dose is due at "
            "12:00.");
  // 10:30 is nearer 12:00: too early for it.
  v = w.evaluate(local(2026, 3, 4, 10, 30));
  ASSERT_TRUE(v.has(ReasonCode::kTooEarly)) << codes(v);
  EXPECT_EQ(message_of(v, ReasonCode::kTooEarly),
            "Amlodipine 5mg tablets: the 12:00 dose can be given from 11:00; it is 10:30 "
            "(30 minutes too early). The 08:00 dose was given at 08:05.");
}

TEST(SlotChoice, AMissedDoseCloseToTheNextOneIsNotGivenLate) {
  World w = amlodipine_at({at(8, 0), at(12, 0)});
  Verdict v = w.evaluate(local(2026, 3, 4, 9, 45));
  EXPECT_TRUE(v.has(ReasonCode::kTooLate)) << codes(v);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 8, 0));
  v = w.evaluate(local(2026, 3, 4, 10, 15));
  EXPECT_TRUE(v.has(ReasonCode::kTooEarly)) << codes(v);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 12, 0));
  EXPECT_NE(message_of(v, ReasonCode::kTooEarly).find("The 08:00 dose has no record."),
            std::string::npos);
}

// The clocks go forward at 01:00 UTC on Sunday 29 March 2026 and back on Sunday 25 October.
TEST(ClockChanges, An0800DoseOnTheSpringForwardDayIsDueAt0700Utc) {
  World w = amlodipine_at({at(8, 0)});
  const Verdict v = w.evaluate(utc("2026-03-29T07:00:00Z"));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.slot, utc("2026-03-29T07:00:00Z"));
  EXPECT_FALSE(w.evaluate(utc("2026-03-29T06:00:00Z")).has(ReasonCode::kTooEarly));
  EXPECT_TRUE(w.evaluate(utc("2026-03-29T05:59:00Z")).has(ReasonCode::kTooEarly));
  EXPECT_FALSE(w.evaluate(utc("2026-03-29T08:00:00Z")).has(ReasonCode::kTooLate));
  EXPECT_TRUE(w.evaluate(utc("2026-03-29T08:01:00Z")).has(ReasonCode::kTooLate));
}

TEST(ClockChanges, An0800DoseOnTheFallBackDayIsDueAt0800Utc) {
  World w = amlodipine_at({at(8, 0)});
  const Verdict v = w.evaluate(utc("2026-10-25T08:00:00Z"));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.slot, utc("2026-10-25T08:00:00Z"));
  EXPECT_TRUE(w.evaluate(utc("2026-10-25T06:59:00Z")).has(ReasonCode::kTooEarly));
  EXPECT_TRUE(w.evaluate(utc("2026-10-25T09:01:00Z")).has(ReasonCode::kTooLate));
  // The day before (BST) the same dose is at 07:00 UTC.
  EXPECT_EQ(w.evaluate(utc("2026-10-24T07:00:00Z")).slot, utc("2026-10-24T07:00:00Z"));
}

TEST(ClockChanges, A0130DoseOnTheSpringForwardDayIsGivenAt0230OnTheClock) {
  World w = amlodipine_at({at(1, 30)});
  const Verdict v = w.evaluate(utc("2026-03-29T01:30:00Z"));
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.slot, utc("2026-03-29T01:30:00Z"));
  EXPECT_EQ(v.summary, "Give 1 tablet of Amlodipine 5mg tablets (oral) for the 02:30 dose.");
  // There is one such dose that day, not none and not two.
  const auto due = due_doses(w.prescriptions, date(2026, 3, 29), w.policy);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].slot, utc("2026-03-29T01:30:00Z"));
}

TEST(ClockChanges, A0130DoseOnTheFallBackDayIsGivenOnceInTheFirst0130) {
  World w = amlodipine_at({at(1, 30)});
  const Instant first = utc("2026-10-25T00:30:00Z");   // 01:30 BST
  const Instant second = utc("2026-10-25T01:30:00Z");  // 01:30 GMT, an hour later
  Verdict v = w.evaluate(first);
  EXPECT_EQ(v.decision, Decision::kProceed) << codes(v);
  EXPECT_EQ(v.slot, first);
  EXPECT_EQ(v.summary, "Give 1 tablet of Amlodipine 5mg tablets (oral) for the 01:30 BST dose.");
  w.history.push_back(given(10, first + Minutes{5}, "1", first));
  v = w.evaluate(second);
  ASSERT_TRUE(v.has(ReasonCode::kAlreadyGiven)) << codes(v);
  EXPECT_EQ(message_of(v, ReasonCode::kAlreadyGiven),
            "Amlodipine 5mg tablets: the 01:30 BST dose was given at 01:35 BST.");
  const auto due = due_doses(w.prescriptions, date(2026, 10, 25), w.policy);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].slot, first);
}

TEST(ClockChanges, DueDosesOnChangeDaysHaveTheRightUtcInstants) {
  World w = amlodipine_at({round("MORN"), round("NOON"), round("EVE"), round("NIGHT")});
  auto instants = [&](domain::Date d) {
    std::vector<std::string> out;
    for (const DueDose& dd : due_doses(w.prescriptions, d, w.policy))
      out.push_back(domain::to_string(dd.slot));
    return out;
  };
  EXPECT_EQ(instants(date(2026, 3, 28)),
            (std::vector<std::string>{"2026-03-28T08:00:00Z", "2026-03-28T12:00:00Z",
                                      "2026-03-28T17:00:00Z", "2026-03-28T22:00:00Z"}));
  EXPECT_EQ(instants(date(2026, 3, 29)),
            (std::vector<std::string>{"2026-03-29T07:00:00Z", "2026-03-29T11:00:00Z",
                                      "2026-03-29T16:00:00Z", "2026-03-29T21:00:00Z"}));
  EXPECT_EQ(instants(date(2026, 10, 25)),
            (std::vector<std::string>{"2026-10-25T08:00:00Z", "2026-10-25T12:00:00Z",
                                      "2026-10-25T17:00:00Z", "2026-10-25T22:00:00Z"}));
  const auto due = due_doses(w.prescriptions, date(2026, 3, 29), w.policy);
  EXPECT_EQ(due[0].window_opens, utc("2026-03-29T06:00:00Z"));
  EXPECT_EQ(due[0].window_closes, utc("2026-03-29T08:00:00Z"));
}

domain::Prescription weekly_alendronate() {
  domain::Prescription rx = regular(50, alendronic_acid_70(), {at(7, 0)}, fixed("1", "tablet"));
  rx.days.kind = domain::DayPattern::Kind::kDaysOfWeek;
  rx.days.weekdays = 0b0000001;  // Monday
  rx.instructions = "Swallow whole with a full glass of water, 30 minutes before food";
  return rx;
}

TEST(DayPatterns, WeeklyMedicineIsDueOnItsDayOnly) {
  World w;
  w.with(weekly_alendronate()).scanning(alendronic_acid_70());
  const Verdict monday = w.evaluate(local(2026, 3, 9, 7, 10));
  EXPECT_EQ(monday.decision, Decision::kProceed) << codes(monday);
  EXPECT_EQ(monday.summary,
            "Give 1 tablet of Alendronic acid 70mg tablets (oral) for the 07:00 dose. Swallow "
            "whole with a full glass of water, 30 minutes before food.");
  const Verdict tuesday = w.evaluate(local(2026, 3, 10, 7, 10));
  const Reason* r = find_reason(tuesday, ReasonCode::kNotDueToday);
  ASSERT_NE(r, nullptr) << codes(tuesday);
  EXPECT_EQ(r->message,
            "Alendronic acid 70mg tablets is given on Mondays only, and it is not due today "
            "(Tuesday). The next dose is due at 07:00 on Monday 16 March.");
  EXPECT_EQ(tuesday.decision, Decision::kBlock);
  EXPECT_EQ(due_doses(w.prescriptions, date(2026, 3, 9), w.policy).size(), 1U);
  EXPECT_TRUE(due_doses(w.prescriptions, date(2026, 3, 10), w.policy).empty());
}

TEST(DayPatterns, SeveralWeekdaysAreNamed) {
  World w;
  domain::Prescription rx = weekly_alendronate();
  rx.days.weekdays = 0b0010101;  // Monday, Wednesday, Friday
  w.with(rx).scanning(alendronic_acid_70());
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 7, 0)).decision, Decision::kProceed);
  const Verdict v = w.evaluate(local(2026, 3, 5, 7, 0));
  ASSERT_TRUE(v.has(ReasonCode::kNotDueToday));
  EXPECT_NE(message_of(v, ReasonCode::kNotDueToday).find("on Mondays, Wednesdays and Fridays"),
            std::string::npos);
}

TEST(DayPatterns, PatchEveryThreeDaysCountsLocalDaysAcrossTheClockChange) {
  World w;
  domain::Prescription rx = regular(80, fentanyl_25_patch(), {at(9, 0)}, fixed("1", "patch"));
  rx.days.kind = domain::DayPattern::Kind::kEveryNDays;
  rx.days.every_n_days = 3;
  rx.days.anchor = date(2026, 3, 1);
  w.with(rx).scanning(fentanyl_25_patch());
  for (unsigned day : {1U, 4U, 7U, 28U, 31U}) {
    const Verdict v = w.evaluate(local(2026, 3, day, 9, 0));
    EXPECT_FALSE(v.has(ReasonCode::kNotDueToday)) << "March " << day << " " << codes(v);
    EXPECT_TRUE(v.witness_required) << "fentanyl is Schedule 2";
  }
  for (unsigned day : {2U, 3U, 5U, 29U, 30U}) {
    EXPECT_TRUE(w.evaluate(local(2026, 3, day, 9, 0)).has(ReasonCode::kNotDueToday)) << day;
  }
  const Verdict v = w.evaluate(local(2026, 3, 29, 9, 0));
  EXPECT_EQ(message_of(v, ReasonCode::kNotDueToday),
            "Fentanyl 25micrograms/hour transdermal patches is given every 3 days, and it is not "
            "due today (Sunday). The next dose is due at 09:00 on Tuesday 31 March.");
  EXPECT_EQ(due_doses(w.prescriptions, date(2026, 3, 31), w.policy).front().slot,
            utc("2026-03-31T08:00:00Z"));
  // Before the anchor nothing is due.
  EXPECT_TRUE(due_doses(w.prescriptions, date(2026, 2, 26), w.policy).empty());
}

TEST(DayPatterns, AlternateDays) {
  World w = amlodipine_at({at(8, 0)});
  w.prescriptions[0].days.kind = domain::DayPattern::Kind::kEveryNDays;
  w.prescriptions[0].days.every_n_days = 2;
  w.prescriptions[0].days.anchor = date(2026, 3, 4);
  EXPECT_EQ(w.evaluate(local(2026, 3, 4, 8, 0)).decision, Decision::kProceed);
  const Verdict v = w.evaluate(local(2026, 3, 5, 8, 0));
  ASSERT_TRUE(v.has(ReasonCode::kNotDueToday));
  EXPECT_NE(message_of(v, ReasonCode::kNotDueToday).find("every other day"), std::string::npos);
  EXPECT_EQ(w.evaluate(local(2026, 3, 6, 8, 0)).decision, Decision::kProceed);
}

TEST(StartAndStop, MessagesNameTheTimes) {
  World w = amlodipine_at({at(8, 0), at(18, 0)});
  w.prescriptions[0].starts = local(2026, 3, 4, 14, 0);
  Verdict v = w.evaluate(local(2026, 3, 4, 8, 0));
  EXPECT_EQ(message_of(v, ReasonCode::kNotStarted),
            "Amlodipine 5mg tablets: the prescription starts at 14:00.");
  // After the start, the first slot is 18:00: the skipped 08:00 is not "late".
  v = w.evaluate(local(2026, 3, 4, 14, 30));
  EXPECT_TRUE(v.has(ReasonCode::kTooEarly)) << codes(v);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 18, 0));

  w.prescriptions[0].starts = local(2026, 1, 1, 0, 0);
  w.prescriptions[0].ends = local(2026, 3, 4, 12, 0);
  v = w.evaluate(local(2026, 3, 4, 12, 30));
  EXPECT_EQ(message_of(v, ReasonCode::kStopped),
            "Amlodipine 5mg tablets: the prescription ended at 12:00.");
  w.prescriptions[0].ends.reset();
  w.prescriptions[0].status = domain::PrescriptionStatus::kCancelled;
  v = w.evaluate(local(2026, 3, 4, 8, 0));
  EXPECT_EQ(message_of(v, ReasonCode::kStopped),
            "Amlodipine 5mg tablets: the prescription has been cancelled.");
  EXPECT_FALSE(v.has(ReasonCode::kTooEarly)) << "a stopped medicine has no schedule to explain";
}

TEST(StartAndStop, NoMoreDosesBeforeTheEnd) {
  World w = amlodipine_at({at(8, 0)});
  w.prescriptions[0].starts = local(2026, 3, 4, 10, 0);
  w.prescriptions[0].ends = local(2026, 3, 5, 7, 0);
  const Verdict v = w.evaluate(local(2026, 3, 4, 12, 0));
  ASSERT_TRUE(v.has(ReasonCode::kNotDueToday)) << codes(v);
  EXPECT_EQ(message_of(v, ReasonCode::kNotDueToday),
            "Amlodipine 5mg tablets: no more doses are scheduled (the prescription ends at 07:00 "
            "tomorrow).");
}

domain::Prescription co_careldopa_critical_twice_daily() {
  domain::Prescription rx =
      regular(40, co_careldopa_25_100(), {at(8, 0), at(12, 0)}, fixed("1", "tablet"));
  rx.time_critical = true;
  return rx;
}

TEST(TimeCritical, LateWithinTheHomeWindowWarnsAndIsStillThatDose) {
  World w;
  w.with(co_careldopa_critical_twice_daily()).scanning(co_careldopa_25_100());
  Verdict v = w.evaluate(local(2026, 3, 4, 8, 30));
  EXPECT_EQ(v.decision, Decision::kWarn) << codes(v);
  EXPECT_EQ(v.slot, local(2026, 3, 4, 8, 0));
  EXPECT_FALSE(v.has(ReasonCode::kTooLate));
  EXPECT_EQ(message_of(v, ReasonCode::kTimeCritical),
            "Co-careldopa 25mg/100mg tablets is time-critical: the 08:00 dose must be given "
            "within 15 minutes of that time, and it is 30 minutes late.");
  // Beyond the home window it is both late and time-critical: still a warning, because a late
  // Parkinson's dose is better given than missed.
  v = w.evaluate(local(2026, 3, 4, 9, 1));
  EXPECT_TRUE(v.has(ReasonCode::kTooLate)) << codes(v);
  EXPECT_TRUE(v.has(ReasonCode::kTimeCritical)) << codes(v);
  EXPECT_EQ(v.decision, Decision::kWarn);
  // A medicine-specific window replaces the tight one.
  w.prescriptions[0].window = Minutes{30};
  EXPECT_FALSE(w.evaluate(local(2026, 3, 4, 8, 30)).has(ReasonCode::kTimeCritical));
  const auto due = due_doses(w.prescriptions, date(2026, 3, 4), w.policy);
  ASSERT_EQ(due.size(), 2U);
  EXPECT_EQ(due[0].window_closes, local(2026, 3, 4, 8, 30));
}

TEST(CheckPrescription, RefusesWhatTheEngineCannotFollow) {
  const Policy policy = Policy::defaults();
  struct Case {
    const char* code;
    std::function<void(domain::Prescription&)> breakit;
  };
  const std::vector<Case> cases = {
      {"bad_dose", [](domain::Prescription& p) { p.dose = range("2", "1", "tablet"); }},
      {"bad_dose", [](domain::Prescription& p) { p.dose = fixed("0", "tablet"); }},
      {"no_dose_times", [](domain::Prescription& p) { p.times.clear(); }},
      {"unknown_round", [](domain::Prescription& p) { p.times = {round("TEATIME")}; }},
      {"bad_time",
       [](domain::Prescription& p) {
         p.times = {domain::DoseTime{"", {1440}}};
       }},
      {"bad_day_pattern",
       [](domain::Prescription& p) { p.days.kind = domain::DayPattern::Kind::kDaysOfWeek; }},
      {"bad_day_pattern",
       [](domain::Prescription& p) {
         p.days.kind = domain::DayPattern::Kind::kEveryNDays;
         p.days.every_n_days = 0;
         p.days.anchor = date(2026, 3, 1);
       }},
      {"bad_window", [](domain::Prescription& p) { p.window = Minutes{12 * 60}; }},
      {"bad_bounds", [](domain::Prescription& p) { p.ends = p.starts; }},
      {"bad_prn_rule",
       [](domain::Prescription& p) {
         p.as_needed = true;
         p.prn = domain::PrnRule{Minutes{240}, dec("0"), ""};
       }},
  };
  const domain::Prescription good = regular(10, amlodipine_5(), {at(8, 0)}, fixed("1", "tablet"));
  EXPECT_TRUE(check_prescription(good, policy));
  for (const Case& c : cases) {
    domain::Prescription p = good;
    c.breakit(p);
    const Result<void> r = check_prescription(p, policy);
    ASSERT_FALSE(r) << c.code;
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_NE(r.error().message.find("Amlodipine 5mg tablets"), std::string::npos);
  }
  // A broken prescription has no due doses rather than wrong ones.
  domain::Prescription p = good;
  p.times = {round("TEATIME")};
  EXPECT_TRUE(due_doses(std::span(&p, 1), date(2026, 3, 4), policy).empty());
}

TEST(DueDoses, ListsRegularActiveDosesInTimeOrder) {
  World w;
  w.with(regular(1, amlodipine_5(), {at(20, 0)}, fixed("1", "tablet")))
      .with(regular(2, co_careldopa_25_100(), {at(8, 0), at(12, 0)}, fixed("1", "tablet")))
      .with(prn(3, paracetamol_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")));
  domain::Prescription held = regular(4, amoxicillin_500(), {at(9, 0)}, fixed("1", "capsule"));
  held.status = domain::PrescriptionStatus::kOnHold;
  w.with(held);
  const auto due = due_doses(w.prescriptions, date(2026, 3, 4), w.policy);
  ASSERT_EQ(due.size(), 3U);
  EXPECT_EQ(due[0].prescription_id, 2);
  EXPECT_EQ(due[1].prescription_id, 2);
  EXPECT_EQ(due[1].slot, local(2026, 3, 4, 12, 0));
  EXPECT_EQ(due[2].prescription_id, 1);
  EXPECT_EQ(due[2].window_opens, local(2026, 3, 4, 19, 0));
}

}  // namespace
}  // namespace bcma::rules::testing
