// Damage in the middle of the log (flash bit rot, a stray write): it is found, reported with
// where it is, kept aside for a technician, and the damaged record is never delivered; every
// intact record around it still is.
#include <gtest/gtest.h>

#include "outbox_fixture.hpp"

namespace bcma::fw::outbox::testing {
namespace {

class OutboxCorruption : public OutboxTest {
 protected:
  // Five records; remembers where the third one's frame lies.
  void build() {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    append_all(*box, {1, 2});
    third_at_ = std::filesystem::file_size(log_);
    append_all(*box, {3});
    third_end_ = std::filesystem::file_size(log_);
    append_all(*box, {4, 5});
    original_ = read_file(log_);
  }

  void remove_quarantine() {
    for (const auto& name : files_in(dir_.path())) {
      if (name != Outbox::kLogName) std::filesystem::remove(dir_.path() / name);
    }
  }

  std::size_t third_at_ = 0;
  std::size_t third_end_ = 0;
  Bytes original_;
};

TEST_F(OutboxCorruption, AFlippedBitAnywhereInAMiddleRecordIsReportedAndNotDelivered) {
  build();
  ASSERT_FALSE(HasFatalFailure());
  for (std::size_t at = third_at_; at < third_end_; ++at) {
    for (const std::uint8_t bit : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
      SCOPED_TRACE("bit " + std::to_string(bit) + " of byte " + std::to_string(at));
      Bytes damaged = original_;
      damaged[at] ^= bit;
      write_file(log_, damaged);
      remove_quarantine();
      {
        auto box = open_or_fail(dir_.path());
        ASSERT_TRUE(box);
        const RecoveryReport& report = box->recovery();
        EXPECT_FALSE(report.clean());
        ASSERT_EQ(report.corrupt.size(), 1u);
        EXPECT_EQ(report.corrupt[0].offset, third_at_);
        EXPECT_EQ(report.corrupt[0].length, third_end_ - third_at_);
        EXPECT_EQ(report.torn_tail_bytes, 0u);
        EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2, 4, 5}));
        // The damaged log is kept, byte for byte, for someone to look at.
        ASSERT_FALSE(report.quarantine.empty());
        EXPECT_EQ(read_file(report.quarantine), damaged);
        EXPECT_TRUE(report.compacted);
      }
      // Rewritten without the damage: the next open is clean and reports nothing again.
      auto box = open_or_fail(dir_.path());
      ASSERT_TRUE(box);
      EXPECT_TRUE(box->recovery().clean());
      EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2, 4, 5}));
    }
  }
}

TEST_F(OutboxCorruption, OverwrittenStretchAcrossRecordsIsOneReportedRegion) {
  build();
  ASSERT_FALSE(HasFatalFailure());
  Bytes damaged = original_;
  // From the middle of record 2 to the middle of record 4.
  const std::size_t from = third_at_ - 20;
  const std::size_t to = third_end_ + 30;
  std::fill(damaged.begin() + static_cast<std::ptrdiff_t>(from),
            damaged.begin() + static_cast<std::ptrdiff_t>(to), 0xEE);
  write_file(log_, damaged);
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  ASSERT_EQ(box->recovery().corrupt.size(), 1u);
  const auto fifth_at = original_.size() - (12 + 28 + payload_of(5).size());
  EXPECT_EQ(box->recovery().corrupt[0].offset, third_at_ - (12 + 28 + payload_of(2).size()));
  EXPECT_EQ(box->recovery().corrupt[0].offset + box->recovery().corrupt[0].length, fifth_at);
  EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 5}));
}

TEST_F(OutboxCorruption, ADamagedAcknowledgementBringsTheRecordBackAndIsReported) {
  // Resending an acknowledged record is harmless (the station answers the repeat); losing
  // track of it would not be. So a damaged ack leaves its record pending.
  std::size_t ack_at = 0;
  std::size_t ack_end = 0;
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    append_all(*box, {1, 2, 3});
    ack_at = std::filesystem::file_size(log_);
    ASSERT_TRUE(box->acknowledge(id_of(2)));
    ack_end = std::filesystem::file_size(log_);
    append_all(*box, {4});
  }
  Bytes damaged = read_file(log_);
  damaged[ack_at + 14] ^= 0x10;  // inside the acknowledged id
  write_file(log_, damaged);
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  ASSERT_EQ(box->recovery().corrupt.size(), 1u);
  EXPECT_EQ(box->recovery().corrupt[0], (CorruptRegion{ack_at, ack_end - ack_at}));
  EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2, 3, 4}));
}

TEST_F(OutboxCorruption, ADamagedHeaderIsReportedAndRepaired) {
  build();
  ASSERT_FALSE(HasFatalFailure());
  Bytes damaged = original_;
  damaged[16] ^= 0x04;  // inside the header's last-seq field
  write_file(log_, damaged);
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    EXPECT_TRUE(box->recovery().missing_header);
    ASSERT_EQ(box->recovery().corrupt.size(), 1u);
    EXPECT_EQ(box->recovery().corrupt[0], (CorruptRegion{0, 28}));
    EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2, 3, 4, 5}));
    EXPECT_FALSE(box->recovery().quarantine.empty());
    // Numbering continues after the records that survived.
    ASSERT_TRUE(box->append(id_of(6), payload_of(6)));
    EXPECT_EQ(box->find(id_of(6))->seq, 6u);
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_TRUE(box->recovery().clean());
  EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2, 3, 4, 5, 6}));
}

TEST_F(OutboxCorruption, ALogOfPureGarbageOpensEmptyAndIsKeptAside) {
  Bytes garbage(300);
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<std::uint8_t>(i * 37 + 11);
  write_file(log_, garbage);
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_TRUE(box->recovery().missing_header);
  EXPECT_EQ(box->size(), 0u);
  ASSERT_FALSE(box->recovery().quarantine.empty());
  EXPECT_EQ(read_file(box->recovery().quarantine), garbage);
  EXPECT_EQ(std::filesystem::file_size(log_), 28u);
}

TEST_F(OutboxCorruption, EachDamageEventKeepsItsOwnCopy) {
  build();
  ASSERT_FALSE(HasFatalFailure());
  for (int round = 0; round < 3; ++round) {
    Bytes damaged = read_file(log_);
    damaged[40] ^= 0x01;  // always inside the first record
    write_file(log_, damaged);
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    ASSERT_EQ(box->recovery().corrupt.size(), 1u);
  }
  EXPECT_EQ(files_in(dir_.path()), (std::vector<std::string>{
                                       "outbox.damaged.1", "outbox.damaged.2", "outbox.damaged.3",
                                       "outbox.log"}));
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_EQ(as_pairs(box->pending()), expected_records({4, 5}));
}

}  // namespace
}  // namespace bcma::fw::outbox::testing
