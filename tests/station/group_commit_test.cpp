// Group commit: several records in one durable transaction, each refused or kept on its own.
#include <gtest/gtest.h>

#include "bcma/station/store/errors.hpp"
#include "store_fixture.hpp"

namespace bcma::station::store::testing {
namespace {

using domain::Decimal;

class GroupCommit : public StoreTest {};

TEST_F(GroupCommit, ABadRecordIsRefusedAloneAndLeavesNoTrace) {
  std::vector<NewAdministration> batch;
  for (std::uint64_t n = 1; n <= 5; ++n) batch.push_back(given_record(seed_, n, test_now()));
  batch[2].resident_id = 404;           // unknown resident
  batch[3].quantity = Decimal{};        // given nothing
  auto results = store().record_administrations(batch);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(results[0]);
  EXPECT_TRUE(results[1]);
  ASSERT_FALSE(results[2]);
  EXPECT_EQ(results[2].error().code, errc::kUnknownResident);
  ASSERT_FALSE(results[3]);
  EXPECT_EQ(results[3].error().code, errc::kInvalidQuantity);
  EXPECT_TRUE(results[4]);

  for (std::size_t i : {0u, 1u, 4u}) {
    auto back = store().administration(batch[i].record_id);
    ASSERT_TRUE(back) << i;
    EXPECT_EQ(back->ack, *results[i]);
  }
  for (std::size_t i : {2u, 3u}) {
    EXPECT_EQ(store().administration(batch[i].record_id).error().code, errc::kUnknownRecord);
    EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM audit_log WHERE subject = 'record:" +
                                 batch[i].record_id + "'"),
              "0");
  }
  // Three doses of 2 tablets left Alice's stock; the refused ones moved nothing.
  EXPECT_EQ(*store().stock_balance(kAmpParacetamol, seed_.alice), Decimal::from_int(26));
  EXPECT_TRUE(store().verify_audit()->intact());
  // Audit sequence numbers stay gapless across the refused savepoints.
  EXPECT_EQ(results[1]->audit_seq, results[0]->audit_seq + 1);
  EXPECT_EQ(results[4]->audit_seq, results[1]->audit_seq + 1);
}

TEST_F(GroupCommit, ARepeatInsideOneBatchGetsTheSameAcknowledgement) {
  std::vector<NewAdministration> batch{given_record(seed_, 1, test_now()),
                                       given_record(seed_, 1, test_now()),
                                       given_record(seed_, 1, test_now())};
  batch[2].note = "different";
  auto results = store().record_administrations(batch);
  ASSERT_EQ(results.size(), 3u);
  ASSERT_TRUE(results[0] && results[1]);
  EXPECT_EQ(*results[1], *results[0]);
  ASSERT_FALSE(results[2]);
  EXPECT_EQ(results[2].error().code, errc::kRecordConflict);
  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM administrations"), "1");
}

TEST_F(GroupCommit, ALargeBatchIsOneTransaction) {
  std::vector<NewAdministration> batch;
  for (std::uint64_t n = 1; n <= 64; ++n) {
    auto r = given_record(seed_, n, test_now());
    r.label_id.reset();
    r.ampp_id = kAmppParacetamol32;
    batch.push_back(std::move(r));
  }
  auto results = store().record_administrations(batch);
  for (const auto& r : results) ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM administrations"), "64");
  EXPECT_EQ(*store().stock_balance(kAmpParacetamol, std::nullopt), Decimal::from_int(-128));
  EXPECT_TRUE(store().record_administrations({}).empty());
}

}  // namespace
}  // namespace bcma::station::store::testing
