// Crashes around compaction. Compaction writes the new log to a temporary file, fsyncs it,
// renames it over the log and fsyncs the directory. A crash before the rename leaves a temp
// file (ignored and deleted: the log is still the old one); a crash after it leaves either
// file, and both hold the same pending records.
#include <gtest/gtest.h>

#include "outbox_fixture.hpp"

namespace bcma::fw::outbox::testing {
namespace {

class OutboxCompactionCrash : public OutboxTest {
 protected:
  // 1..6 appended, 2 and 5 acknowledged: pending {1, 3, 4, 6}. Returns the log before and
  // after a compaction of that state.
  void build() {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    append_all(*box, {1, 2, 3, 4, 5, 6});
    ASSERT_TRUE(box->acknowledge(std::vector{id_of(2), id_of(5)}));
    old_log_ = read_file(log_);
    ASSERT_TRUE(box->compact());
    new_log_ = read_file(log_);
    ASSERT_LT(new_log_.size(), old_log_.size());
  }

  std::filesystem::path temp_path() const {
    return dir_.path() / (std::string(Outbox::kLogName) + std::string(PosixStorage::kTempSuffix));
  }

  void expect_state_after_reopen(const std::string& what) {
    SCOPED_TRACE(what);
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 3, 4, 6}));
    EXPECT_TRUE(box->recovery().clean());
    EXPECT_FALSE(std::filesystem::exists(temp_path())) << "leftover temp file not removed";
    // And the outbox carries on normally.
    ASSERT_TRUE(box->append(id_of(7), payload_of(7)));
    ASSERT_TRUE(box->acknowledge(id_of(1)));
    box.reset();
    box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    EXPECT_EQ(as_pairs(box->pending()), expected_records({3, 4, 6, 7}));
  }

  Bytes old_log_;
  Bytes new_log_;
};

TEST_F(OutboxCompactionCrash, KilledAfterWritingTheTempFileBeforeTheRename) {
  build();
  ASSERT_FALSE(HasFatalFailure());
  // Every way the temp file can be left: complete, cut short, empty, or garbage.
  std::vector<std::pair<std::string, Bytes>> temps = {
      {"complete", new_log_}, {"empty", {}}, {"garbage", Bytes(200, 0xA5)}};
  for (std::size_t len = 1; len < new_log_.size(); len += 7) {
    temps.emplace_back("first " + std::to_string(len) + " bytes",
                       Bytes(new_log_.begin(), new_log_.begin() + static_cast<std::ptrdiff_t>(len)));
  }
  for (const auto& [what, temp] : temps) {
    write_file(log_, old_log_);
    write_file(temp_path(), temp);
    expect_state_after_reopen("temp file " + what + ", old log in place");
    if (HasFatalFailure()) return;
  }
}

TEST_F(OutboxCompactionCrash, KilledAfterTheRenameEitherLogGivesTheSameRecords) {
  build();
  ASSERT_FALSE(HasFatalFailure());
  // Before the directory fsync, the rename may or may not survive a power cut.
  write_file(log_, old_log_);
  expect_state_after_reopen("rename lost: old log");
  if (HasFatalFailure()) return;
  write_file(log_, new_log_);
  expect_state_after_reopen("rename kept: new log");
}

TEST_F(OutboxCompactionCrash, AnAcknowledgedRecordNeverReturnsAfterADurableAck) {
  // Compaction only ever writes what is pending: an ack that was durable before the
  // compaction started cannot be undone by a crash anywhere in it.
  build();
  ASSERT_FALSE(HasFatalFailure());
  for (const Bytes* log : {&old_log_, &new_log_}) {
    write_file(log_, *log);
    write_file(temp_path(), old_log_);  // even a stale full copy of the old log as temp
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    EXPECT_FALSE(box->find(id_of(2)));
    EXPECT_FALSE(box->find(id_of(5)));
  }
}

// Failures of the storage during compaction, through a Storage that fails on command.
class OutboxCompactionFailure : public OutboxTest {
 protected:
  std::unique_ptr<Outbox> open_faulty(FaultyStorage*& faulty, Options options = {}) {
    auto inner = PosixStorage::open(dir_.path());
    EXPECT_TRUE(inner);
    if (!inner) return nullptr;
    auto storage = std::make_unique<FaultyStorage>(std::move(*inner));
    faulty = storage.get();
    auto box = Outbox::open(std::move(storage), options);
    EXPECT_TRUE(box);
    return box ? std::move(*box) : nullptr;
  }
};

TEST_F(OutboxCompactionFailure, AFailedCompactionKeepsTheAckAndTheLog) {
  Options options;
  options.compact_min_dead_bytes = 1;
  FaultyStorage* faulty = nullptr;
  auto box = open_faulty(faulty, options);
  ASSERT_TRUE(box);
  append_all(*box, {1, 2, 3});
  faulty->faults.fail_replace_before = true;  // disk full while writing the temp file
  const auto ack = box->acknowledge(std::vector{id_of(1), id_of(2)});
  ASSERT_TRUE(ack) << "the acknowledgement was durable before compaction began";
  EXPECT_EQ(ack->acknowledged, 2u);
  EXPECT_FALSE(ack->compacted);
  ASSERT_TRUE(ack->compaction_error);
  EXPECT_EQ(ack->compaction_error->code, Errc::storage_full);
  // Still usable; the next acknowledgement retries the compaction and succeeds.
  append_all(*box, {4});
  faulty->faults.fail_replace_before = false;
  const auto next = box->acknowledge(id_of(3));
  ASSERT_TRUE(next);
  EXPECT_TRUE(next->compacted);
  box.reset();
  auto reopened = open_or_fail(dir_.path());
  ASSERT_TRUE(reopened);
  EXPECT_TRUE(reopened->recovery().clean());
  EXPECT_EQ(as_pairs(reopened->pending()), expected_records({4}));
}

TEST_F(OutboxCompactionFailure, AnErrorAfterTheRenameIsSortedOut) {
  // The rename happened but the directory fsync failed: the outbox must notice that the log
  // is now the compacted one, or its next truncation would use the old size.
  Options options;
  options.compact_min_dead_bytes = 1;
  FaultyStorage* faulty = nullptr;
  auto box = open_faulty(faulty, options);
  ASSERT_TRUE(box);
  append_all(*box, {1, 2, 3});
  faulty->faults.fail_replace_after = true;
  const auto ack = box->acknowledge(std::vector{id_of(1), id_of(2)});
  ASSERT_TRUE(ack);
  ASSERT_TRUE(ack->compaction_error);
  EXPECT_EQ(box->stats().log_bytes, std::filesystem::file_size(log_));
  faulty->faults.fail_replace_after = false;
  // A failed append now truncates back to the right size, and nothing looks damaged later.
  faulty->faults.append_partial = 10;
  EXPECT_FALSE(box->append(id_of(4), payload_of(4)));
  faulty->faults.append_partial.reset();
  append_all(*box, {5});
  box.reset();
  auto reopened = open_or_fail(dir_.path());
  ASSERT_TRUE(reopened);
  EXPECT_TRUE(reopened->recovery().clean());
  EXPECT_EQ(as_pairs(reopened->pending()), expected_records({3, 5}));
}

TEST_F(OutboxCompactionFailure, DamageThatCannotBeKeptAsideIsNotCompactedAway) {
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    append_all(*box, {1, 2, 3});
  }
  Bytes damaged = read_file(log_);
  damaged[28 + 40] ^= 0x01;  // record 1's payload
  write_file(log_, damaged);
  FaultyStorage* faulty = nullptr;
  {
    auto inner = PosixStorage::open(dir_.path());
    ASSERT_TRUE(inner);
    auto storage = std::make_unique<FaultyStorage>(std::move(*inner));
    faulty = storage.get();
    faulty->faults.fail_replace_before = true;
    faulty->faults.replace_prefix = std::string(Outbox::kQuarantinePrefix);
    auto box = Outbox::open(std::move(storage));
    ASSERT_TRUE(box) << box.error().message;
    EXPECT_EQ((*box)->recovery().corrupt.size(), 1u);
    EXPECT_TRUE((*box)->recovery().quarantine.empty());
    EXPECT_FALSE((*box)->recovery().compacted);
    EXPECT_EQ(read_file(log_), damaged) << "damage dropped without a copy";
    // Later, once the copy can be made, compaction makes it first.
    faulty->faults.fail_replace_before = false;
    ASSERT_TRUE((*box)->compact());
    const std::string copy = (*box)->stats().late_quarantine;
    ASSERT_FALSE(copy.empty());
    EXPECT_EQ(read_file(copy), damaged);
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_TRUE(box->recovery().clean());
  EXPECT_EQ(as_pairs(box->pending()), expected_records({2, 3}));
}

}  // namespace
}  // namespace bcma::fw::outbox::testing
