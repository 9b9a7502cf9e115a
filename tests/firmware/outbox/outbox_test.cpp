// The outbox's promises to the round and the sender: append order, durability across reopen,
// idempotent appends, durable acknowledgements, bounded growth, clear errors.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "bcma/fw/outbox/crc32c.hpp"
#include "outbox_fixture.hpp"

namespace bcma::fw::outbox::testing {
namespace {

class OutboxBasics : public OutboxTest {};

TEST_F(OutboxBasics, NewOutboxIsEmptyAndSaysItWasCreated) {
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_TRUE(box->recovery().created);
  EXPECT_TRUE(box->recovery().clean());
  EXPECT_EQ(box->size(), 0u);
  EXPECT_TRUE(box->pending().empty());
  EXPECT_TRUE(std::filesystem::exists(log_));
}

TEST_F(OutboxBasics, CreatesAMissingDirectory) {
  const auto nested = dir_.path() / "data" ;
  auto box = open_or_fail(nested);
  ASSERT_TRUE(box);
  ASSERT_TRUE(box->append(id_of(1), payload_of(1)));
  EXPECT_TRUE(std::filesystem::exists(log_path(nested)));
}

TEST_F(OutboxBasics, RecordsSurviveReopenInAppendOrder) {
  const std::vector<std::uint64_t> ns = {42, 7, 1000, 3, 99};
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    append_all(*box, ns);
    EXPECT_EQ(box->size(), ns.size());
    EXPECT_EQ(as_pairs(box->pending()), expected_records(ns));
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_FALSE(box->recovery().created);
  EXPECT_TRUE(box->recovery().clean());
  EXPECT_EQ(box->recovery().pending, ns.size());
  EXPECT_EQ(as_pairs(box->pending()), expected_records(ns));
  const auto records = box->pending();
  for (std::size_t i = 1; i < records.size(); ++i) EXPECT_GT(records[i].seq, records[i - 1].seq);
}

TEST_F(OutboxBasics, PendingWithALimitGivesTheOldestFirst) {
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  append_all(*box, {5, 6, 7, 8});
  EXPECT_EQ(as_pairs(box->pending(2)), expected_records({5, 6}));
  EXPECT_TRUE(box->pending(0).empty());
}

TEST_F(OutboxBasics, EmptyPayloadIsARecordToo) {
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    ASSERT_TRUE(box->append(id_of(1), Bytes{}));
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  ASSERT_EQ(box->size(), 1u);
  EXPECT_TRUE(box->pending()[0].payload.empty());
}

TEST_F(OutboxBasics, AppendingTheSameIdAgainIsANoOp) {
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    append_all(*box, {1, 2});
    const auto size_before = std::filesystem::file_size(log_);
    for (int i = 0; i < 3; ++i) {
      const auto again = box->append(id_of(1), payload_of(1));
      ASSERT_TRUE(again) << again.error().message;
    }
    EXPECT_EQ(std::filesystem::file_size(log_), size_before) << "a retry wrote to the log";
    EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2}));
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  // A retry after a restart (the first append's answer was lost) is a no-op too.
  ASSERT_TRUE(box->append(id_of(2), payload_of(2)));
  EXPECT_EQ(as_pairs(box->pending()), expected_records({1, 2}));
  EXPECT_EQ(box->recovery().duplicates, 0u);
}

TEST_F(OutboxBasics, SameIdWithDifferentPayloadIsAConflict) {
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  append_all(*box, {1});
  const auto clash = box->append(id_of(1), payload_of(2));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, Errc::id_conflict);
  EXPECT_NE(clash.error().message.find(id_of(1).to_string()), std::string::npos);
  EXPECT_EQ(as_pairs(box->pending()), expected_records({1}));
}

TEST_F(OutboxBasics, RefusesANilIdAndAnOversizedPayload) {
  Options options;
  options.max_payload_bytes = 100;
  auto box = open_or_fail(dir_.path(), options);
  ASSERT_TRUE(box);
  const auto nil = box->append(Uuid{}, payload_of(1));
  ASSERT_FALSE(nil);
  EXPECT_EQ(nil.error().code, Errc::invalid_argument);
  const auto big = box->append(id_of(1), Bytes(101, 0x55));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, Errc::payload_too_large);
  EXPECT_TRUE(box->append(id_of(1), Bytes(100, 0x55)));
  EXPECT_EQ(box->size(), 1u);
}

TEST_F(OutboxBasics, RefusesLimitsTheFormatCannotReadBack) {
  Options options;
  options.max_payload_bytes = Outbox::kMaxPayloadLimit + 1;
  auto box = Outbox::open_directory(dir_.path(), options);
  ASSERT_FALSE(box);
  EXPECT_EQ(box.error().code, Errc::invalid_argument);
  options.max_payload_bytes = Outbox::kMaxPayloadLimit;
  auto ok = open_or_fail(dir_.path(), options);
  ASSERT_TRUE(ok);
  append_all(*ok, {1});
  const std::vector<Uuid> too_many(Outbox::kMaxAckBatch + 1, id_of(1));
  const auto ack = ok->acknowledge(too_many);
  ASSERT_FALSE(ack);
  EXPECT_EQ(ack.error().code, Errc::invalid_argument);
  EXPECT_EQ(ok->size(), 1u);
}

TEST_F(OutboxBasics, AppendingAndAcknowledgingFromTwoThreads) {
  // The UI appends while the network task acknowledges: the outcome is as if one at a time.
  constexpr std::uint64_t kRecords = 120;
  std::set<std::uint64_t> acked;
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    std::atomic<bool> done{false};
    std::thread sender([&] {
      while (!done.load() || box->size() > 10) {
        const auto batch = box->pending(3);
        std::vector<Uuid> ids;
        for (const auto& r : batch) ids.push_back(r.id);
        if (ids.empty()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
          continue;
        }
        const auto ack = box->acknowledge(ids);
        if (!ack) break;
        for (const auto& id : ids) acked.insert(number_of(id));
      }
    });
    for (std::uint64_t n = 1; n <= kRecords; ++n) {
      const auto appended = box->append(id_of(n), payload_of(n));
      EXPECT_TRUE(appended) << appended.error().message;
    }
    done = true;
    sender.join();
  }
  ASSERT_GT(acked.size(), 0u);
  std::vector<std::uint64_t> expected;
  for (std::uint64_t n = 1; n <= kRecords; ++n) {
    if (!acked.contains(n)) expected.push_back(n);
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_TRUE(box->recovery().clean());
  EXPECT_EQ(as_pairs(box->pending()), expected_records(expected));
}

TEST_F(OutboxBasics, AcknowledgedRecordsStayGoneAfterReopen) {
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    append_all(*box, {1, 2, 3, 4, 5});
    const auto ack = box->acknowledge(id_of(2));
    ASSERT_TRUE(ack) << ack.error().message;
    EXPECT_EQ(ack->acknowledged, 1u);
    EXPECT_EQ(ack->unknown, 0u);
    const auto batch = box->acknowledge(std::vector{id_of(4), id_of(1), id_of(4), id_of(77)});
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->acknowledged, 2u);
    EXPECT_EQ(batch->unknown, 2u);  // the repeat in the batch, and an id never appended
    EXPECT_EQ(as_pairs(box->pending()), expected_records({3, 5}));
    EXPECT_FALSE(box->find(id_of(1)));
    ASSERT_TRUE(box->find(id_of(3)));
    EXPECT_EQ(box->find(id_of(3))->payload, payload_of(3));
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_EQ(as_pairs(box->pending()), expected_records({3, 5}));
  EXPECT_EQ(box->recovery().acknowledged, 3u);
  // A repeated acknowledgement (the station answered a resend) changes nothing.
  const auto size_before = std::filesystem::file_size(log_);
  const auto again = box->acknowledge(id_of(2));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->acknowledged, 0u);
  EXPECT_EQ(again->unknown, 1u);
  EXPECT_EQ(std::filesystem::file_size(log_), size_before);
}

TEST_F(OutboxBasics, AnAcknowledgedIdAppendedAgainIsPendingAgain) {
  // Only a caller bug reuses an id, but the log must replay to what the outbox said.
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    append_all(*box, {1, 2});
    ASSERT_TRUE(box->acknowledge(id_of(1)));
    append_all(*box, {1});
    EXPECT_EQ(as_pairs(box->pending()), expected_records({2, 1}));
  }
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_EQ(as_pairs(box->pending()), expected_records({2, 1}));
}

TEST_F(OutboxBasics, CompactionKeepsTheLogBoundedAndThePendingRecordsIntact) {
  Options options;
  options.compact_min_dead_bytes = 1024;
  std::uint64_t max_log = 0;
  std::size_t compactions = 0;
  std::vector<std::uint64_t> expected;
  {
    auto box = open_or_fail(dir_.path(), options);
    ASSERT_TRUE(box);
    // A long shift: records come in, most are acknowledged soon, a few stay (station down).
    for (std::uint64_t n = 1; n <= 300; ++n) {
      ASSERT_TRUE(box->append(id_of(n), payload_of(n)));
      if (n > 3 && (n - 3) % 50 == 0) {
        expected.push_back(n - 3);  // never acknowledged
      } else if (n > 3) {
        const auto ack = box->acknowledge(id_of(n - 3));
        ASSERT_TRUE(ack) << ack.error().message;
        ASSERT_EQ(ack->acknowledged, 1u);
        ASSERT_FALSE(ack->compaction_error) << ack->compaction_error->message;
        if (ack->compacted) ++compactions;
      }
      const auto file = std::filesystem::file_size(log_);
      const auto stats = box->stats();
      ASSERT_EQ(stats.log_bytes, file);
      // Bounded: never beyond twice the pending data plus the compaction threshold.
      ASSERT_LE(file, 2 * stats.live_bytes + options.compact_min_dead_bytes) << "after " << n;
      max_log = std::max<std::uint64_t>(max_log, file);
    }
    expected.insert(expected.end(), {298, 299, 300});
    EXPECT_EQ(as_pairs(box->pending()), expected_records(expected));
    EXPECT_EQ(box->stats().compactions, compactions);
  }
  EXPECT_GT(compactions, 10u);
  EXPECT_LT(max_log, 12u * 1024u) << "300 records went through; the log must not keep them all";
  auto box = open_or_fail(dir_.path(), options);
  ASSERT_TRUE(box);
  EXPECT_EQ(as_pairs(box->pending()), expected_records(expected));
  // Sequence numbers keep rising across compactions and reopen: never reused.
  ASSERT_TRUE(box->append(id_of(5000), payload_of(5000)));
  EXPECT_EQ(box->find(id_of(5000))->seq, 301u);
  EXPECT_EQ(files_in(dir_.path()), std::vector<std::string>{"outbox.log"});
}

TEST_F(OutboxBasics, ExplicitCompactionDropsAcknowledgedRecords) {
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  append_all(*box, {1, 2, 3});
  ASSERT_TRUE(box->acknowledge(std::vector{id_of(1), id_of(3)}));
  const auto before = std::filesystem::file_size(log_);
  ASSERT_TRUE(box->compact());
  EXPECT_LT(std::filesystem::file_size(log_), before);
  EXPECT_EQ(std::filesystem::file_size(log_), 28 + 40 + payload_of(2).size());
  EXPECT_EQ(box->stats().log_bytes, std::filesystem::file_size(log_));
  // Appends continue on the new file.
  append_all(*box, {4});
  box.reset();
  box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  EXPECT_TRUE(box->recovery().clean());
  EXPECT_EQ(as_pairs(box->pending()), expected_records({2, 4}));
}

TEST_F(OutboxBasics, SecondOpenOfTheSameDirectoryIsRefused) {
  auto box = open_or_fail(dir_.path());
  ASSERT_TRUE(box);
  // flock locks belong to the open file description: a second open in this process conflicts
  // just as another process would.
  auto second = Outbox::open_directory(dir_.path());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::locked);
  EXPECT_EQ(second.error().path, dir_.path().string());
  box.reset();
  EXPECT_TRUE(Outbox::open_directory(dir_.path()));
}

TEST_F(OutboxBasics, ALogFromANewerFormatIsLeftUntouched) {
  { ASSERT_TRUE(open_or_fail(dir_.path())); }
  Bytes log = read_file(log_);
  log[12] = 2;  // format version 2, with a valid checksum
  const std::uint32_t crc = crc32c(std::span(log).subspan(4, 20));
  for (int i = 0; i < 4; ++i) log[static_cast<std::size_t>(24 + i)] = static_cast<std::uint8_t>(crc >> (8 * i));
  log.insert(log.end(), {1, 2, 3, 4, 5, 6, 7, 8});  // whatever version 2 appends
  write_file(log_, log);
  auto box = Outbox::open_directory(dir_.path());
  ASSERT_FALSE(box);
  EXPECT_EQ(box.error().code, Errc::unsupported_format);
  EXPECT_EQ(read_file(log_), log);
}

TEST_F(OutboxBasics, AnUnreadableDirectoryIsAnIoErrorNamingThePath) {
  const auto file = dir_.path() / "not-a-directory";
  write_file(file, Bytes{1});
  auto box = Outbox::open_directory(file);
  ASSERT_FALSE(box);
  EXPECT_EQ(box.error().code, Errc::io);
  EXPECT_EQ(box.error().path, file.string());
  EXPECT_EQ(box.error().sys_errno, ENOTDIR);
  EXPECT_NE(box.error().message.find(file.string()), std::string::npos);
}

TEST_F(OutboxBasics, StorageRefusesNamesOutsideItsDirectory) {
  auto storage = PosixStorage::open(dir_.path());
  ASSERT_TRUE(storage);
  for (const char* bad : {"", ".", "..", "../escape", "a/b"}) {
    const auto r = (*storage)->replace(bad, Bytes{1});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::invalid_argument) << bad;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.path().parent_path() / "escape"));
}

}  // namespace
}  // namespace bcma::fw::outbox::testing
