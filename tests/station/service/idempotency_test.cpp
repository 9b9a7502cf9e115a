// Records are idempotent by their UUID, through the store; group commit keeps order and sees
// the records before each one.
#include "bcma/station/service/errors.hpp"
#include "service_fixture.hpp"

namespace bcma::station::service::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kFirstId = "1de70000-0000-4000-8000-000000000001";
constexpr const char* kSecondId = "1de70000-0000-4000-8000-000000000002";

TEST_F(ServiceTest, TheSameRecordAgainGetsTheFirstAcknowledgementAndWritesNothing) {
  const std::string carol = sign_in(carol_);
  const OutcomeRequest r = given(kFirstId);
  auto first = service_->record_outcome(carol, r);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first->duplicate);
  const std::int64_t rows = count("administrations");
  const std::int64_t stock = count("stock_ledger");
  const std::int64_t audit = audit_head();

  // Later (the dose is now closed, which would block a new record) the scanner resends it.
  clock_.advance(3min);
  auto again = service_->record_outcome(carol, r);
  ASSERT_TRUE(again) << again.error().code << ": " << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->ack, first->ack);
  EXPECT_EQ(count("administrations"), rows);
  EXPECT_EQ(count("stock_ledger"), stock);
  EXPECT_EQ(audit_head(), audit) << "a repeat writes no audit entry either";

  OutcomeRequest upper = r;
  upper.record_id = "1DE70000-0000-4000-8000-000000000001";
  auto same = service_->record_outcome(carol, upper);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->ack, first->ack);
}

TEST_F(ServiceTest, TheSameIdWithOtherContentIsAConflict) {
  const std::string carol = sign_in(carol_);
  ASSERT_TRUE(service_->record_outcome(carol, given(kFirstId)));
  const std::int64_t rows = count("administrations");
  OutcomeRequest other = given(kFirstId);
  other.note = "something else";
  EXPECT_EQ(service_->record_outcome(carol, other).error().code, "record_conflict");
  other = given(kFirstId);
  other.event_time += 1min;
  EXPECT_EQ(service_->record_outcome(carol, other).error().code, "record_conflict");
  // The same content from another member of staff is other content.
  const std::string dave = sign_in(dave_);
  EXPECT_EQ(service_->record_outcome(dave, given(kFirstId)).error().code, "record_conflict");
  EXPECT_EQ(count("administrations"), rows);
}

TEST_F(ServiceTest, ARepeatOfAnOverriddenRecordNeedsNoSecondSignIn) {
  clock_.set(at("2026-03-16T06:50:00Z"));
  const std::string carol = sign_in(carol_);
  OutcomeRequest r = given(kFirstId);
  r.override = OverrideRequest{sam_.credentials(), "day trip", std::nullopt};
  auto first = service_->record_outcome(carol, r);
  ASSERT_TRUE(first) << first.error().message;
  const std::int64_t audit = audit_head();
  auto again = service_->record_outcome(carol, r);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->ack, first->ack);
  EXPECT_EQ(audit_head(), audit);
  r.override->reason = "another reason";
  EXPECT_EQ(service_->record_outcome(carol, r).error().code, "record_conflict");
}

TEST_F(ServiceTest, GroupCommitKeepsOrderAndSeesEarlierRecordsInTheBatch) {
  const std::string carol = sign_in(carol_);
  std::vector<OutcomeRequest> batch{given(kFirstId), given(kSecondId), given(kFirstId)};
  batch[2].record_id = kFirstId;
  OutcomeRequest bad = given("1de70000-0000-4000-8000-000000000003");
  bad.outcome = domain::Outcome::kOmitted;
  bad.item.reset();
  bad.quantity = domain::Decimal{};
  bad.prescription_id = jane_paracetamol_prn_;
  batch.push_back(bad);  // no code: refused by the store, alone
  const auto results = service_->record_outcomes(carol, batch);
  ASSERT_EQ(results.size(), 4U);
  ASSERT_TRUE(results[0]) << results[0].error().message;
  ASSERT_FALSE(results[1]);
  EXPECT_EQ(results[1].error().code, errc::kBlocked) << "the second dose of the slot in the batch";
  ASSERT_TRUE(results[2]) << results[2].error().message;
  EXPECT_TRUE(results[2]->duplicate);
  EXPECT_EQ(results[2]->ack, results[0]->ack);
  ASSERT_FALSE(results[3]);
  EXPECT_EQ(results[3].error().code, "missing_code");
  EXPECT_EQ(count("administrations"), 1);
}

TEST_F(ServiceTest, ABatchFromAnExpiredSessionIsRefusedWhole) {
  const std::string carol = sign_in(carol_);
  clock_.advance(13h);
  const std::vector<OutcomeRequest> batch{given(kFirstId), given(kSecondId)};
  const auto results = service_->record_outcomes(carol, batch);
  ASSERT_EQ(results.size(), 2U);
  for (const auto& r : results) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::kSessionExpired);
  }
  EXPECT_EQ(count("administrations"), 0);
}

}  // namespace
}  // namespace bcma::station::service::testing
