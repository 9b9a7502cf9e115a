// Group commit across sessions (Service::record_outcomes with SessionRecords): one durable
// commit for every session's records, each record checked and answered on its own.
#include "bcma/station/service/errors.hpp"
#include "service_fixture.hpp"

namespace bcma::station::service::testing {
namespace {

constexpr const char* kBatchA = "ba7c0000-0000-4000-8000-00000000000a";
constexpr const char* kBatchB = "ba7c0000-0000-4000-8000-00000000000b";
constexpr const char* kBatchC = "ba7c0000-0000-4000-8000-00000000000c";
constexpr const char* kBatchD = "ba7c0000-0000-4000-8000-00000000000d";

class BatchTest : public ServiceTest {
 protected:
  /// Jane's PRN paracetamol, refused (no pack scanned).
  OutcomeRequest prn_refused(std::string record_id) const {
    OutcomeRequest r;
    r.record_id = std::move(record_id);
    r.resident_id = jane_;
    r.wristband = wristband(kJaneGsrn);
    r.prescription_id = jane_paracetamol_prn_;
    r.outcome = domain::Outcome::kRefused;
    r.code = "refused";
    r.event_time = clock_.now();
    return r;
  }
  std::uint64_t commits() { return store_->database().commits(); }
  domain::StaffId recorded_by(const char* record_id) {
    auto stored = store_->administration(record_id);
    EXPECT_TRUE(stored) << record_id;
    return stored ? stored->record.staff_id : 0;
  }
};

TEST_F(BatchTest, RecordsOfSeveralSessionsShareOneCommitAndABadOneIsRefusedAlone) {
  const std::string carol = sign_in(carol_);
  const std::string dave = sign_in(dave_);
  OutcomeRequest no_code = prn_refused(kBatchC);
  no_code.outcome = domain::Outcome::kOmitted;
  no_code.code.clear();
  const std::vector<SessionRecord> batch{{carol, given(kBatchA)},
                                         {dave, prn_refused(kBatchB)},
                                         {dave, no_code},
                                         {"no-such-session", prn_refused(kBatchD)}};
  const std::uint64_t before = commits();
  const auto results = service_->record_outcomes(batch);
  EXPECT_EQ(commits() - before, 1U) << "one transaction for both sessions' records";

  ASSERT_EQ(results.size(), 4U);
  ASSERT_TRUE(results[0]) << results[0].error().message;
  ASSERT_TRUE(results[1]) << results[1].error().message;
  ASSERT_FALSE(results[2]);
  EXPECT_EQ(results[2].error().code, "missing_code");
  ASSERT_FALSE(results[3]);
  EXPECT_EQ(results[3].error().code, errc::kNotSignedIn);
  EXPECT_EQ(count("administrations"), 2);
  // Each record is its own session's: who recorded it, in batch order in the audit chain.
  EXPECT_EQ(recorded_by(kBatchA), carol_.id);
  EXPECT_EQ(recorded_by(kBatchB), dave_.id);
  EXPECT_LT(results[0]->ack.audit_seq, results[1]->ack.audit_seq);
  auto verified = store_->verify_audit();
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(verified->intact());
}

// Without the second check, the refused omission would count as Jane's 08:00 amlodipine and
// block the dose another care worker really gave in the same batch.
TEST_F(BatchTest, ARecordTheStoreRefusesDoesNotCountAgainstLaterRecords) {
  const std::string carol = sign_in(carol_);
  const std::string dave = sign_in(dave_);
  OutcomeRequest omitted = given(kBatchA);
  omitted.outcome = domain::Outcome::kOmitted;
  omitted.quantity = domain::Decimal{};
  omitted.code = "no_such_code";  // the store refuses it; the service does not know the codes
  const std::vector<SessionRecord> batch{{carol, omitted}, {dave, given(kBatchB)}};
  const std::uint64_t before = commits();
  const auto results = service_->record_outcomes(batch);
  ASSERT_EQ(results.size(), 2U);
  ASSERT_FALSE(results[0]);
  EXPECT_EQ(results[0].error().code, "unknown_code");
  ASSERT_TRUE(results[1]) << results[1].error().code << ": " << results[1].error().message;
  ASSERT_TRUE(results[1]->verdict);
  EXPECT_EQ(results[1]->verdict->decision, rules::Decision::kProceed);
  EXPECT_EQ(count("administrations"), 1);
  EXPECT_EQ(commits() - before, 1U) << "the withdrawn first attempt is rolled back, not committed";
}

TEST_F(BatchTest, CopiesFromTwoSessionsOfOneScannerGetTheFirstAcknowledgement) {
  const std::string first = sign_in(carol_);
  const std::string second = sign_in(carol_);  // signed in again on the same scanner
  const OutcomeRequest r = given(kBatchA);
  const std::vector<SessionRecord> batch{{first, r}, {second, r}, {first, r}};
  const auto results = service_->record_outcomes(batch);
  ASSERT_EQ(results.size(), 3U);
  for (const auto& result : results) ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(results[0]->duplicate);
  EXPECT_TRUE(results[1]->duplicate);
  EXPECT_EQ(results[1]->ack, results[0]->ack);
  EXPECT_EQ(results[2]->ack, results[0]->ack);
  EXPECT_EQ(count("administrations"), 1);
  // Another member of staff sending the same id is other content, refused for good.
  const std::string dave = sign_in(dave_);
  const auto again = service_->record_outcomes(std::vector<SessionRecord>{{first, r}, {dave, r}});
  ASSERT_TRUE(again[0]);
  EXPECT_EQ(again[0]->ack, results[0]->ack);
  ASSERT_FALSE(again[1]);
  EXPECT_EQ(again[1].error().code, "record_conflict");
}

}  // namespace
}  // namespace bcma::station::service::testing
