// Translating bcma.v1 messages for the service: what a record becomes, and which refusals a
// scanner must keep a record for.
#include <gtest/gtest.h>

#include "codec.hpp"
#include "session_book.hpp"

namespace bcma::station::server::detail {
namespace {

using namespace std::chrono_literals;

v1::RecordOutcome base_record() {
  v1::RecordOutcome m;
  m.set_outcome_id("3f1c9a2e-8d4b-4c71-9e0a-5b6d7c8e9f01");
  m.set_session_id("s");
  m.set_resident_id("7");
  m.set_verdict_id("41");
  m.set_kind(v1::OUTCOME_KIND_GIVEN);
  m.mutable_quantity()->set_value("2.5");
  m.mutable_quantity()->set_unit("ml");
  m.mutable_event_time()->set_seconds(1'773'129'600);
  return m;
}

struct Fixture {
  SessionBook book;
  SessionMemo* memo = nullptr;
  std::map<std::string, domain::Outcome, std::less<>> codes{{"refused", domain::Outcome::kRefused},
                                                            {"asleep", domain::Outcome::kOmitted}};
  Fixture() {
    const domain::Instant now{std::chrono::seconds(1'773'129'600)};
    book.signed_in("s", "ward-a-01", 3, now + 12h, now);
    memo = book.find("s", "ward-a-01");
    scan::Decode band;
    band.text = "8018123";
    book.resident_scanned(*memo, 7, service::ScanInput::scanned(band));
    VerdictMemo v;
    scan::Decode pack;
    pack.text = "01050";
    v.item = service::ScanInput::scanned(pack);
    v.resident_id = 7;
    v.prescription_id = 12;
    v.slot = now;
    v.dose_unit = "ml";
    v.witness_required = true;
    book.verdict_given(*memo, 41, v);
  }
  RecordContext context() { return RecordContext{memo, 3, &codes}; }
};

TEST(RecordTranslation, AGivenDoseCarriesTheScansTheStationSaw) {
  Fixture f;
  auto r = outcome_request(base_record(), f.context());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->resident_id, 7);
  EXPECT_EQ(r->wristband.decode.text, "8018123");
  ASSERT_TRUE(r->item);
  EXPECT_EQ(r->item->decode.text, "01050");
  EXPECT_EQ(r->prescription_id, 12);
  EXPECT_EQ(r->outcome, domain::Outcome::kGiven);
  EXPECT_EQ(r->quantity, *domain::Decimal::parse("2.5"));
  EXPECT_EQ(r->event_time.time_since_epoch().count(), 1'773'129'600);
}

TEST(RecordTranslation, TheCodeDecidesTheOutcomeOfADoseNotGiven) {
  Fixture f;
  auto m = base_record();
  m.set_kind(v1::OUTCOME_KIND_NOT_GIVEN);
  m.clear_quantity();
  m.set_non_administration_code("refused");
  auto refused = outcome_request(m, f.context());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->outcome, domain::Outcome::kRefused);
  m.set_non_administration_code("asleep");
  auto asleep = outcome_request(m, f.context());
  ASSERT_TRUE(asleep);
  EXPECT_EQ(asleep->outcome, domain::Outcome::kOmitted);
  EXPECT_EQ(asleep->code, "asleep");
}

struct Refused {
  const char* name;
  void (*change)(v1::RecordOutcome&);
  const char* code;
};

class RecordTranslationRefuses : public ::testing::TestWithParam<Refused> {};

TEST_P(RecordTranslationRefuses, WithTheRightKindOfRefusal) {
  Fixture f;
  auto m = base_record();
  GetParam().change(m);
  auto r = outcome_request(m, f.context());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, GetParam().code) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RecordTranslationRefuses,
    ::testing::Values(
        Refused{"NoOutcomeId", [](v1::RecordOutcome& m) { m.clear_outcome_id(); }, "invalid_request"},
        Refused{"NoEventTime", [](v1::RecordOutcome& m) { m.clear_event_time(); }, "invalid_request"},
        Refused{"NoKind", [](v1::RecordOutcome& m) { m.set_kind(v1::OUTCOME_KIND_UNSPECIFIED); },
                "invalid_request"},
        Refused{"NotGivenWithoutCode",
                [](v1::RecordOutcome& m) { m.set_kind(v1::OUTCOME_KIND_NOT_GIVEN); },
                "invalid_request"},
        Refused{"GivenWithCode",
                [](v1::RecordOutcome& m) { m.set_non_administration_code("refused"); },
                "invalid_request"},
        Refused{"WrongUnit", [](v1::RecordOutcome& m) { m.mutable_quantity()->set_unit("tablet"); },
                "invalid_request"},
        Refused{"BadQuantity", [](v1::RecordOutcome& m) { m.mutable_quantity()->set_value("two"); },
                "invalid_request"},
        Refused{"BadResidentId", [](v1::RecordOutcome& m) { m.set_resident_id("seven"); },
                "invalid_request"},
        Refused{"OverrideBySomeoneElse",
                [](v1::RecordOutcome& m) {
                  m.mutable_override()->set_by_staff_id("99");
                  m.mutable_override()->set_reason_code("gp_advised");
                },
                "invalid_request"},
        // What the station no longer remembers (a restart): the scanner must keep the record.
        Refused{"UnknownVerdict", [](v1::RecordOutcome& m) { m.set_verdict_id("40"); },
                "scan_context_lost"},
        Refused{"ResidentNeverScanned", [](v1::RecordOutcome& m) { m.set_resident_id("8"); },
                "scan_context_lost"}),
    [](const auto& case_info) { return std::string(case_info.param.name); });

TEST(RecordTranslation, AnOverrideWitnessAlsoWitnessesAControlledDrug) {
  Fixture f;
  auto m = base_record();
  m.mutable_override()->set_reason_code("gp_advised");
  m.mutable_override()->set_reason_text("GP phoned");
  m.mutable_override()->mutable_witness()->set_badge_gsrn("801700000000000120");
  m.mutable_override()->mutable_witness()->set_pin("5678");
  auto r = outcome_request(m, f.context());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->override);
  EXPECT_FALSE(r->override->by) << "the signed-in member of staff overrides";
  EXPECT_EQ(r->override->reason, "gp_advised: GP phoned");
  ASSERT_TRUE(r->override->witness);
  ASSERT_TRUE(r->witness) << "the verdict said a witness is required";
  EXPECT_EQ(r->witness->badge_gsrn, "801700000000000120");
}

TEST(RecordTranslation, TransientRefusalsKeepTheRecordOnTheScanner) {
  for (const char* code : {"not_signed_in", "session_expired", "database_busy", "sqlite_error",
                           "scan_context_lost", "station_stopping"}) {
    EXPECT_TRUE(is_transient(code)) << code;
  }
  for (const char* code : {"blocked", "record_conflict", "invalid_request", "missing_code",
                           "wristband_mismatch", "invalid_time"}) {
    EXPECT_FALSE(is_transient(code)) << code;
  }
}

TEST(ScheduledDoseId, RoundTrips) {
  const domain::Instant slot{std::chrono::seconds(1'773'129'600)};
  EXPECT_EQ(scheduled_dose_id(12, slot), "12@1773129600");
  auto parsed = parse_scheduled_dose_id("12@1773129600");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->prescription_id, 12);
  EXPECT_EQ(parsed->slot, slot);
  auto prn = parse_scheduled_dose_id("13");
  ASSERT_TRUE(prn);
  EXPECT_FALSE(prn->slot);
  for (const char* bad : {"", "@5", "x@5", "12@", "12@x", "-3@5", "0"}) {
    EXPECT_FALSE(parse_scheduled_dose_id(bad)) << bad;
  }
}

TEST(SessionBook, ASessionBelongsToTheDeviceThatOpenedIt) {
  SessionBook book;
  const domain::Instant now{std::chrono::seconds(1'773'129'600)};
  book.signed_in("abc", "ward-a-01", 3, now + 12h, now);
  EXPECT_NE(book.find("abc", "ward-a-01"), nullptr);
  EXPECT_EQ(book.find("abc", "ward-a-02"), nullptr) << "a session id from another scanner";
  EXPECT_EQ(book.find("xyz", "ward-a-01"), nullptr);
  // Expired sessions are forgotten at the next sign-in.
  book.signed_in("def", "ward-a-02", 4, now + 24h + 12h, now + 13h);
  EXPECT_EQ(book.find("abc", "ward-a-01"), nullptr);
  EXPECT_EQ(book.size(), 1u);
}

TEST(SessionBook, VerdictsAreBoundedPerSession) {
  SessionBook book;
  const domain::Instant now{std::chrono::seconds(1'773'129'600)};
  book.signed_in("s", "d", 1, now + 12h, now);
  SessionMemo* m = book.find("s", "d");
  for (std::int64_t i = 1; i <= static_cast<std::int64_t>(SessionBook::kMaxVerdictsPerSession) + 10; ++i) {
    book.verdict_given(*m, i, VerdictMemo{});
  }
  EXPECT_EQ(m->verdicts.size(), SessionBook::kMaxVerdictsPerSession);
  EXPECT_FALSE(m->verdicts.contains(1)) << "the oldest go first";
  EXPECT_TRUE(m->verdicts.contains(static_cast<std::int64_t>(SessionBook::kMaxVerdictsPerSession) + 10));
}

}  // namespace
}  // namespace bcma::station::server::detail
