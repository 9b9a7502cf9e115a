// A full or failing disk: the append that fails says so clearly, and nothing recorded before it
// is lost or damaged. First for real (a child process whose file size limit makes the kernel
// cut a write short and then refuse it), then through a Storage that fails on command.
#include <gtest/gtest.h>

#include <cerrno>

#include "child.hpp"
#include "outbox_fixture.hpp"

namespace bcma::fw::outbox::testing {
namespace {

class OutboxStorageFull : public OutboxTest {};

TEST_F(OutboxStorageFull, AFullDiskRefusesTheNewRecordAndKeepsEveryEarlierOne) {
  // Room for the header and a few dozen records; the limit falls inside some record's frame.
  Child c = spawn_child([&](int out) { return run_filler(out, dir_.path(), 5000); });
  ASSERT_GT(c.pid, 0);
  std::string out;
  const int status = finish_child(c, out);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status << ": " << out;

  std::vector<std::uint64_t> appended;
  std::string error_line;
  std::vector<std::string> after;
  for (const auto& line : lines_of(out)) {
    if (line[0] == 'A' && error_line.empty()) {
      appended.push_back(std::stoull(line.substr(2)));
    } else if (line[0] == 'E') {
      error_line = line;
    } else {
      after.push_back(line);
    }
  }
  ASSERT_GT(appended.size(), 10u) << out;
  EXPECT_EQ(error_line, "E storage_full " + std::to_string(EFBIG));
  ASSERT_EQ(after.size(), 2u) << out;
  // The large append after the failure cannot fit either, and says so the same way.
  EXPECT_EQ(after[1], "F storage_full");
  if (after[0] == "K 1") appended.erase(appended.begin());

  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  // The failed append's partial frame was cut off at once: nothing to discard, no damage.
  EXPECT_TRUE(box->recovery().clean()) << box->recovery().torn_tail_bytes << " torn bytes";
  EXPECT_EQ(as_pairs(box->pending()), expected_records(appended));
  // With room again, the refused record goes in under its original id.
  const std::uint64_t refused = appended.back() + 1;
  ASSERT_TRUE(box->append(id_of(refused), payload_of(refused)));
  EXPECT_EQ(box->size(), appended.size() + 1);
}

class OutboxFailingStorage : public OutboxTest {
 protected:
  std::unique_ptr<Outbox> open_faulty() {
    auto inner = PosixStorage::open(dir_.path());
    EXPECT_TRUE(inner);
    if (!inner) return nullptr;
    auto storage = std::make_unique<FaultyStorage>(std::move(*inner));
    faulty_ = storage.get();
    auto box = Outbox::open(std::move(storage));
    EXPECT_TRUE(box);
    return box ? std::move(*box) : nullptr;
  }

  FaultyStorage* faulty_ = nullptr;
};

TEST_F(OutboxFailingStorage, AFailedWriteIsCutOffAndTheOutboxCarriesOn) {
  struct Case {
    int sys_errno;
    Errc code;
    std::size_t written;  // bytes of the frame that reached the file before the failure
  };
  for (const Case& k : {Case{ENOSPC, Errc::storage_full, 0}, Case{ENOSPC, Errc::storage_full, 33},
                        Case{EIO, Errc::io, 1}, Case{EIO, Errc::io, 90},
                        Case{EDQUOT, Errc::storage_full, 12}}) {
    SCOPED_TRACE("errno " + std::to_string(k.sys_errno) + " after " + std::to_string(k.written));
    std::filesystem::remove(log_);
    {
      auto box = open_faulty();
      ASSERT_TRUE(box);
      append_all(*box, {1, 2});
      faulty_->faults.append_partial = k.written;
      faulty_->faults.append_errno = k.sys_errno;
      const auto failed = box->append(id_of(3), payload_of(3));
      ASSERT_FALSE(failed);
      EXPECT_EQ(failed.error().code, k.code);
      EXPECT_EQ(failed.error().sys_errno, k.sys_errno);
      EXPECT_EQ(failed.error().path, log_.string());
      EXPECT_NE(failed.error().message.find(log_.string()), std::string::npos);
      EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2}));
      // Once the disk recovers, the retry (same id) and later records go in cleanly.
      faulty_->faults.append_partial.reset();
      append_all(*box, {3, 4});
    }
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    EXPECT_TRUE(box->recovery().clean());
    EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2, 3, 4}));
  }
}

TEST_F(OutboxFailingStorage, WhenTheFailedWriteCannotBeCutOffTheOutboxStopsUntilReopened) {
  {
    auto box = open_faulty();
    ASSERT_TRUE(box);
    append_all(*box, {1, 2});
    faulty_->faults.append_partial = 20;
    faulty_->faults.fail_truncate = true;
    const auto first = box->append(id_of(3), payload_of(3));
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().code, Errc::io);
    faulty_->faults = {};
    // The log's end is unknown: writing after it could bury records behind garbage.
    const auto next = box->append(id_of(4), payload_of(4));
    ASSERT_FALSE(next);
    EXPECT_EQ(next.error().code, Errc::failed);
    EXPECT_NE(next.error().message.find("reopen"), std::string::npos);
    const auto ack = box->acknowledge(id_of(1));
    ASSERT_FALSE(ack);
    EXPECT_EQ(ack.error().code, Errc::failed);
    EXPECT_EQ(box->compact().error().code, Errc::failed);
    // What is pending can still be read and sent.
    EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2}));
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_EQ(box->recovery().torn_tail_bytes, 20u);
  EXPECT_TRUE(box->recovery().corrupt.empty());
  EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2}));
  append_all(*box, {3});
  EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2, 3}));
}

TEST_F(OutboxFailingStorage, AFailedAcknowledgementLeavesTheRecordsPending) {
  {
    auto box = open_faulty();
    ASSERT_TRUE(box);
    append_all(*box, {1, 2, 3});
    faulty_->faults.append_partial = 30;
    faulty_->faults.append_errno = ENOSPC;
    const auto ack = box->acknowledge(std::vector{id_of(1), id_of(3)});
    ASSERT_FALSE(ack);
    EXPECT_EQ(ack.error().code, Errc::storage_full);
    EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2, 3}));
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_TRUE(box->recovery().clean());
  EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2, 3}));
}

}  // namespace
}  // namespace bcma::fw::outbox::testing
