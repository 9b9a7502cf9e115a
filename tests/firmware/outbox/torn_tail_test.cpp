// Power lost in the middle of an append: whatever part of the last frame reached the disk, the
// reopened outbox holds exactly the records whose append had returned, and it can carry on.
#include <gtest/gtest.h>

#include <random>

#include "outbox_fixture.hpp"

namespace bcma::fw::outbox::testing {
namespace {

class OutboxTornTail : public OutboxTest {
 protected:
  // Builds a log with `ns` appended (and `acked` acknowledged), then does `last` and returns
  // the log before and after it: the bytes of the last write are the difference.
  void build(const std::vector<std::uint64_t>& ns, const std::vector<std::uint64_t>& acked,
             const std::function<void(Outbox&)>& last) {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    append_all(*box, ns);
    for (const auto n : acked) ASSERT_TRUE(box->acknowledge(id_of(n)));
    before_ = read_file(log_);
    last(*box);
    box.reset();
    after_ = read_file(log_);
    ASSERT_GT(after_.size(), before_.size());
    ASSERT_TRUE(std::equal(before_.begin(), before_.end(), after_.begin()));
  }

  // Writes `image` as the log, reopens, and checks the outbox holds exactly `expected`, has
  // cut the log back to `before_` when the image had more, and keeps working.
  void check_reopen(const Bytes& image, const std::vector<std::uint64_t>& expected,
                    const std::string& what) {
    SCOPED_TRACE(what);
    write_file(log_, image);
    {
      auto box = open_or_fail(dir_.path());
      ASSERT_TRUE(box);
      EXPECT_EQ(as_pairs(box->pending()), expected_records(expected));
      EXPECT_EQ(box->recovery().torn_tail_bytes, image.size() - before_.size());
      EXPECT_TRUE(box->recovery().corrupt.empty());
      EXPECT_FALSE(box->recovery().missing_header);
      EXPECT_EQ(read_file(log_), before_) << "the torn tail was not cut off";
      // The next append lands on a frame boundary: nothing reads as damage afterwards.
      ASSERT_TRUE(box->append(id_of(900), payload_of(900)));
    }
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    EXPECT_TRUE(box->recovery().clean());
    auto with_new = expected;
    with_new.push_back(900);
    EXPECT_EQ(as_pairs(box->pending()), expected_records(with_new));
  }

  Bytes before_;
  Bytes after_;
};

TEST_F(OutboxTornTail, EveryPrefixOfAnAppendedRecordIsDiscarded) {
  build({1, 2, 3}, {}, [](Outbox& box) { ASSERT_TRUE(box.append(id_of(4), payload_of(4, 100))); });
  const std::size_t frame = after_.size() - before_.size();
  ASSERT_EQ(frame, 140u);
  for (std::size_t len = 0; len < frame; ++len) {
    Bytes image(after_.begin(), after_.begin() + static_cast<std::ptrdiff_t>(before_.size() + len));
    check_reopen(image, {1, 2, 3}, "first " + std::to_string(len) + " bytes of the last record");
    if (HasFatalFailure()) return;
  }
  // The whole frame: the append had returned, the record is there.
  write_file(log_, after_);
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_TRUE(box->recovery().clean());
  EXPECT_EQ(as_pairs(box->pending()), (std::vector<std::pair<Uuid, Bytes>>{
                                          {id_of(1), payload_of(1)}, {id_of(2), payload_of(2)},
                                          {id_of(3), payload_of(3)}, {id_of(4), payload_of(4, 100)}}));
}

TEST_F(OutboxTornTail, EveryPrefixOfAnAcknowledgementLeavesTheRecordPending) {
  // An acknowledgement that did not fully reach the disk did not happen: the record is sent
  // again and the station answers the repeat. It must not vanish, nor take others with it.
  build({1, 2, 3}, {}, [](Outbox& box) {
    ASSERT_TRUE(box.acknowledge(std::vector{id_of(1), id_of(3)}));
  });
  const std::size_t frame = after_.size() - before_.size();
  for (std::size_t len = 0; len < frame; ++len) {
    Bytes image(after_.begin(), after_.begin() + static_cast<std::ptrdiff_t>(before_.size() + len));
    check_reopen(image, {1, 2, 3}, "first " + std::to_string(len) + " bytes of the ack");
    if (HasFatalFailure()) return;
  }
}

TEST_F(OutboxTornTail, ZerosOrGarbageWhereTheLastRecordShouldBeAreDiscarded) {
  // After a power cut a file system may show the new size with blocks that never got their
  // data: zeros, or old garbage. Also a complete-length frame with its last bytes missing.
  build({1, 2}, {1}, [](Outbox& box) { ASSERT_TRUE(box.append(id_of(3), payload_of(3, 64))); });
  const std::size_t frame = after_.size() - before_.size();
  std::mt19937 rng(1234);
  for (std::size_t len = 1; len <= frame + 64; ++len) {
    Bytes zeros = before_;
    zeros.resize(before_.size() + len, 0x00);
    check_reopen(zeros, {2}, std::to_string(len) + " zero bytes");
    Bytes garbage = before_;
    for (std::size_t i = 0; i < len; ++i) garbage.push_back(static_cast<std::uint8_t>(rng()));
    check_reopen(garbage, {2}, std::to_string(len) + " random bytes");
    if (HasFatalFailure()) return;
  }
  // The frame at full length, but only its first `kept` bytes real (a page that never landed).
  for (std::size_t kept = 0; kept < frame; ++kept) {
    Bytes partly = after_;
    std::fill(partly.begin() + static_cast<std::ptrdiff_t>(before_.size() + kept), partly.end(), 0);
    check_reopen(partly, {2}, "only the first " + std::to_string(kept) + " bytes of the frame real");
    if (HasFatalFailure()) return;
  }
}

TEST_F(OutboxTornTail, AHalfWrittenFirstRecordLeavesAnEmptyOutbox) {
  build({}, {}, [](Outbox& box) { ASSERT_TRUE(box.append(id_of(1), payload_of(1))); });
  const std::size_t frame = after_.size() - before_.size();
  for (std::size_t len = 1; len < frame; ++len) {
    Bytes image(after_.begin(), after_.begin() + static_cast<std::ptrdiff_t>(before_.size() + len));
    check_reopen(image, {}, "first " + std::to_string(len) + " bytes");
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace bcma::fw::outbox::testing
