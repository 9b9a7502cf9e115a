// Recording outcomes: the rules are evaluated again at the event time, and what is stored.
#include <nlohmann/json.hpp>

#include "bcma/station/service/errors.hpp"
#include "service_fixture.hpp"

namespace bcma::station::service::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kId1 = "0d1e5e00-0000-4000-8000-000000000001";
constexpr const char* kId2 = "0d1e5e00-0000-4000-8000-000000000002";

TEST_F(ServiceTest, AStaleVerdictIsNeverUsed) {
  const std::string carol = sign_in(carol_);
  const std::string dave = sign_in(dave_);
  ASSERT_TRUE(service_->scan_resident(carol, wristband(kJaneGsrn)));
  auto seen = service_->scan_item(carol, ItemRequest{amlodipine(), std::nullopt, std::nullopt});
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen->verdict.decision, rules::Decision::kProceed);

  // Meanwhile Dave, on another scanner, gives Jane the same dose.
  ASSERT_TRUE(service_->record_outcome(dave, given(kId1)));
  clock_.advance(1min);
  auto late = service_->record_outcome(carol, given(kId2));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, errc::kBlocked);
  ASSERT_TRUE(late.error().verdict);
  EXPECT_TRUE(late.error().verdict->has(rules::ReasonCode::kAlreadyGiven));
  EXPECT_EQ(store_->administration(kId2).error().code, "unknown_record") << "nothing stored";
}

TEST_F(ServiceTest, RecordsAreEvaluatedAtTheirEventTime) {
  const std::string carol = sign_in(carol_);
  clock_.set(at("2026-03-16T10:00:00Z"));
  OutcomeRequest early = given(kId1);
  early.event_time = at("2026-03-16T06:30:00Z");  // 90 minutes before the 08:00 dose
  auto refused = service_->record_outcome(carol, early);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, errc::kBlocked);
  EXPECT_TRUE(refused.error().verdict->has(rules::ReasonCode::kTooEarly));

  OutcomeRequest late = given(kId2);
  late.event_time = at("2026-03-16T09:30:00Z");
  auto ack = service_->record_outcome(carol, late);
  ASSERT_TRUE(ack) << ack.error().message;
  ASSERT_TRUE(ack->verdict);
  EXPECT_EQ(ack->verdict->decision, rules::Decision::kWarn);
  EXPECT_EQ(ack->slot, at("2026-03-16T08:00:00Z"));
  // The stored record carries the station's re-evaluation, not what the scanner showed.
  auto stored = store_->administration(kId2);
  ASSERT_TRUE(stored);
  ASSERT_TRUE(stored->record.verdict);
  EXPECT_EQ(stored->record.verdict->decision, rules::Decision::kWarn);
  ASSERT_EQ(stored->record.verdict->reasons.size(), 1U);
  EXPECT_EQ(stored->record.verdict->reasons[0].code, rules::ReasonCode::kTooLate);
  EXPECT_EQ(stored->record.prescription_id, jane_amlodipine_);
  EXPECT_EQ(stored->record.staff_id, carol_.id);
  EXPECT_EQ(stored->record.ampp_id, std::optional<std::string>(kAmppAmlodipine));
}

TEST_F(ServiceTest, ARecordIsAuditedByTheStoreWithItsOverride) {
  clock_.set(at("2026-03-16T06:50:00Z"));  // too early: a senior may override
  const std::string carol = sign_in(carol_);
  OutcomeRequest r = given(kId1);
  r.override = OverrideRequest{sam_.credentials(), "hospital appointment", std::nullopt};
  const std::int64_t before = audit_head();
  auto ack = service_->record_outcome(carol, r);
  ASSERT_TRUE(ack) << ack.error().message;
  const auto entries = audit_from(before + 1);
  // The overrider signs in (audited), then the override and the administration.
  ASSERT_EQ(entries.size(), 3U);
  EXPECT_EQ(entries[0].kind, "login");
  EXPECT_EQ(entries[0].staff_id, sam_.id);
  EXPECT_EQ(entries[1].kind, "override");
  EXPECT_EQ(entries[1].staff_id, sam_.id);
  EXPECT_EQ(Json::parse(entries[1].payload).at("reasons").at(0), "too_early");
  EXPECT_EQ(entries[2].kind, "administration");
  EXPECT_EQ(entries[2].seq, ack->ack.audit_seq);
  auto stored = store_->administration(kId1);
  ASSERT_TRUE(stored && stored->record.override);
  EXPECT_EQ(stored->record.override->by, sam_.id);
  EXPECT_EQ(stored->record.override->reason, "hospital appointment");
}

// Who may override a too_early block under the default policy.
struct OverrideCase {
  const char* who;       // a role, or "inactive_nurse"
  const char* expected;  // "" accepted, else the refusal code
};

class OverrideRoles : public ServiceTest, public ::testing::WithParamInterface<OverrideCase> {
 protected:
  const StaffMember& member() const {
    const std::string who = GetParam().who;
    if (who == "care_worker") return dave_;
    if (who == "senior") return sam_;
    if (who == "nurse") return nina_;
    if (who == "manager") return mike_;
    if (who == "pharmacist") return pat_;
    if (who == "evaluator") return eve_;
    return olga_;
  }
};

TEST_P(OverrideRoles, OnlyPermittedRolesOverrideABlock) {
  clock_.set(at("2026-03-16T06:50:00Z"));
  const std::string carol = sign_in(carol_);
  OutcomeRequest r = given(kId1);
  r.override = OverrideRequest{member().credentials(), "going out", std::nullopt};
  auto ack = service_->record_outcome(carol, r);
  if (std::string(GetParam().expected).empty()) {
    ASSERT_TRUE(ack) << ack.error().code << ": " << ack.error().message;
    EXPECT_EQ(store_->administration(kId1)->record.override->by, member().id);
  } else {
    ASSERT_FALSE(ack);
    EXPECT_EQ(ack.error().code, GetParam().expected) << ack.error().message;
    EXPECT_FALSE(store_->administration(kId1)) << "a refused override stores nothing";
  }
}

INSTANTIATE_TEST_SUITE_P(
    TooEarly, OverrideRoles,
    ::testing::Values(OverrideCase{"care_worker", errc::kOverrideNotPermitted},
                      OverrideCase{"senior", ""}, OverrideCase{"nurse", ""},
                      OverrideCase{"manager", ""},
                      OverrideCase{"pharmacist", errc::kOverrideNotPermitted},
                      OverrideCase{"evaluator", errc::kOverrideNotPermitted},
                      OverrideCase{"inactive_nurse", "staff_inactive"}),
    [](const ::testing::TestParamInfo<OverrideCase>& param) { return std::string(param.param.who); });

TEST_F(ServiceTest, AnOverrideNeedsAReasonAndABlock) {
  clock_.set(at("2026-03-16T06:50:00Z"));
  const std::string session = sign_in(sam_);
  OutcomeRequest r = given(kId1);
  r.override = OverrideRequest{std::nullopt, " ", std::nullopt};
  EXPECT_EQ(service_->record_outcome(session, r).error().code, errc::kOverrideReasonMissing);
  r.override->reason = "appointment";
  r.override->by = Credentials{nina_.badge, "0000"};
  EXPECT_EQ(service_->record_outcome(session, r).error().code, "wrong_pin");
  // The signed-in senior overrides when no one else is named.
  r.override->by.reset();
  ASSERT_TRUE(service_->record_outcome(session, r));
  EXPECT_EQ(store_->administration(kId1)->record.override->by, sam_.id);

  // Nothing blocks John's oxycodone (a warning): an override is refused, not silently kept.
  OutcomeRequest oxy;
  oxy.record_id = kId2;
  oxy.resident_id = john_;
  oxy.wristband = wristband(kJohnGsrn);
  oxy.item = gs1_scan("(01)09520123400071(17)280131(10)OX5");
  oxy.quantity = *domain::Decimal::parse("1");
  oxy.event_time = clock_.now();
  oxy.witness = dave_.credentials();
  oxy.override = OverrideRequest{std::nullopt, "just in case", std::nullopt};
  EXPECT_EQ(service_->record_outcome(session, oxy).error().code, errc::kOverrideNotNeeded);
}

TEST_F(ServiceTest, WitnessesAreADifferentValidMemberOfStaff) {
  // already_given: senior staff, witnessed.
  const std::string carol = sign_in(carol_);
  ASSERT_TRUE(service_->record_outcome(carol, given(kId1)));
  clock_.advance(10min);
  OutcomeRequest again = given(kId2);
  again.override = OverrideRequest{sam_.credentials(), "vomited straight away", std::nullopt};
  EXPECT_EQ(service_->record_outcome(carol, again).error().code, errc::kWitnessRequired);
  again.override->witness = sam_.credentials();
  EXPECT_EQ(service_->record_outcome(carol, again).error().code, errc::kInvalidWitness);
  again.override->witness = olga_.credentials();
  EXPECT_EQ(service_->record_outcome(carol, again).error().code, "staff_inactive");
  again.override->witness = Credentials{dave_.badge, "9999"};
  EXPECT_EQ(service_->record_outcome(carol, again).error().code, "wrong_pin");
  again.override->witness = dave_.credentials();
  auto ack = service_->record_outcome(carol, again);
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(store_->administration(kId2)->record.override->witness, dave_.id);
}

TEST_F(ServiceTest, AControlledDrugNeedsAWitnessWhoIsNotTheGiver) {
  const std::string nina = sign_in(nina_);
  ASSERT_TRUE(service_->scan_resident(nina, wristband(kJohnGsrn)));
  OutcomeRequest oxy;
  oxy.record_id = kId1;
  oxy.resident_id = john_;
  oxy.wristband = wristband(kJohnGsrn);
  oxy.item = gs1_scan("(01)09520123400071(17)280131(10)OX5");
  oxy.quantity = *domain::Decimal::parse("1");
  oxy.event_time = clock_.now();
  EXPECT_EQ(service_->record_outcome(nina, oxy).error().code, errc::kWitnessRequired);
  oxy.witness = nina_.credentials();
  EXPECT_EQ(service_->record_outcome(nina, oxy).error().code, errc::kInvalidWitness);
  oxy.witness = carol_.credentials();
  ASSERT_TRUE(service_->record_outcome(nina, oxy));
  auto stored = store_->administration(kId1);
  EXPECT_EQ(stored->record.witness, carol_.id);
  EXPECT_EQ(stored->record.staff_id, nina_.id);
}

TEST_F(ServiceTest, TheWristbandInARecordMustBeTheResidents) {
  const std::string carol = sign_in(carol_);
  OutcomeRequest r = given(kId1);
  r.wristband = wristband(kJohnGsrn);
  EXPECT_EQ(service_->record_outcome(carol, r).error().code, errc::kWristbandMismatch);
  r.wristband = ScanInput::unable_to_scan("");
  EXPECT_EQ(service_->record_outcome(carol, r).error().code, errc::kInvalidRequest);
  // A manual entry is stored as one, with its reason and what was typed.
  r.wristband = ScanInput::typed("9990000018", "wristband missing");
  ASSERT_TRUE(service_->record_outcome(carol, r));
  const auto stored = store_->administration(kId1);
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->record.wristband.text);
  EXPECT_EQ(stored->record.wristband.unable_reason,
            std::optional<std::string>("wristband missing; typed by hand: 9990000018"));
}

TEST_F(ServiceTest, AnOmissionAnswersTheNearestOpenDose) {
  const std::string carol = sign_in(carol_);
  OutcomeRequest r;
  r.record_id = kId1;
  r.resident_id = jane_;
  r.wristband = wristband(kJaneGsrn);
  r.outcome = domain::Outcome::kOmitted;
  r.code = "asleep";
  r.event_time = clock_.now();
  EXPECT_EQ(service_->record_outcome(carol, r).error().code, errc::kMissingPrescription);
  r.prescription_id = jane_amlodipine_;
  auto ack = service_->record_outcome(carol, r);
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(ack->slot, at("2026-03-16T08:00:00Z"));
  r.record_id = kId2;
  EXPECT_EQ(service_->record_outcome(carol, r).error().code, errc::kMissingSlot);
  r.slot = at("2026-03-16T09:00:00Z");
  EXPECT_EQ(service_->record_outcome(carol, r).error().code, errc::kInvalidSlot);
}

}  // namespace
}  // namespace bcma::station::service::testing
