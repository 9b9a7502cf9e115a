// Durability against a process killed at any moment: a child appends and acknowledges in a
// loop, printing each id only after the call returned, and is killed with SIGKILL at random
// moments, over and over on the same outbox. Every printed append must be there afterwards,
// exactly once and intact; no printed acknowledgement may be undone; and a crash must never
// look like damage.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "child.hpp"
#include "outbox_fixture.hpp"

namespace bcma::fw::outbox::testing {
namespace {

using Clock = std::chrono::steady_clock;

class OutboxCrash : public OutboxTest {};

TEST_F(OutboxCrash, EveryReturnedAppendSurvivesSigkillExactlyOnce) {
  constexpr int kCycles = 120;
  std::random_device seed_source;
  const unsigned seed = seed_source();
  SCOPED_TRACE("random seed " + std::to_string(seed));
  std::mt19937 rng(seed);

  std::set<std::uint64_t> promised;      // append returned, no acknowledgement returned
  std::set<std::uint64_t> acknowledged;  // acknowledgement returned
  std::size_t killed_running = 0;
  std::size_t unprinted_survivors = 0;   // appended but killed before it could say so
  std::size_t compacted_at_open = 0;
  std::size_t compactions = 0;           // done by the child, reported after they returned
  std::size_t killed_in_compaction = 0;

  for (int cycle = 0; cycle < kCycles; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    const std::uint64_t first = static_cast<std::uint64_t>(cycle + 1) * 1000000;
    Child c = spawn_child([&](int out) { return run_appender(out, dir_.path(), first); });
    ASSERT_GT(c.pid, 0);
    std::string out;
    bool open = true;
    // Most kills after the child got going; some while it is still opening and recovering.
    if (rng() % 4 != 0) {
      const auto give_up = Clock::now() + std::chrono::seconds(10);
      while (open && out.find('\n') == std::string::npos && Clock::now() < give_up) {
        open = read_some(c.out, out, std::chrono::milliseconds(20));
      }
    }
    const auto kill_at = Clock::now() + std::chrono::microseconds(rng() % 50000);
    while (open && Clock::now() < kill_at) {
      open = read_some(c.out, out, std::chrono::milliseconds(1));
    }
    ::kill(c.pid, SIGKILL);
    const int status = finish_child(c, out);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child ended on its own (status " << status << "): " << out;
    if (open) ++killed_running;

    std::set<std::uint64_t> maybe_acknowledged;  // the call began; the kill may have beaten it
    for (const auto& line : lines_of(out)) {
      ASSERT_GE(line.size(), 3u) << line;
      const std::uint64_t n = std::stoull(line.substr(2));
      if (line[0] == 'A') {
        ASSERT_TRUE(promised.insert(n).second) << "appended twice: " << n;
      } else if (line[0] == 'T') {
        maybe_acknowledged.insert(n);
      } else if (line[0] == 'C') {
        ++compactions;
      } else {
        ASSERT_EQ(line[0], 'K') << line;
        ASSERT_EQ(promised.erase(n), 1u) << "acknowledged something not pending: " << n;
        maybe_acknowledged.erase(n);
        acknowledged.insert(n);
      }
    }

    // A temp file left behind means the kill came in the middle of a compaction.
    if (std::filesystem::exists(log_.string() + std::string(PosixStorage::kTempSuffix))) {
      ++killed_in_compaction;
    }
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    const RecoveryReport& report = box->recovery();
    EXPECT_TRUE(report.corrupt.empty()) << "a crash produced damage in the middle of the log";
    EXPECT_FALSE(report.missing_header);
    EXPECT_EQ(report.duplicates, 0u);
    if (report.compacted) ++compacted_at_open;
    std::set<std::uint64_t> pending;
    for (const auto& r : box->pending()) {
      const std::uint64_t n = number_of(r.id);
      ASSERT_TRUE(pending.insert(n).second) << "pending twice: " << n;
      ASSERT_EQ(r.payload, payload_of(n)) << "record " << n << " came back altered";
      ASSERT_FALSE(acknowledged.contains(n)) << "acknowledged record " << n << " came back";
      if (!promised.contains(n)) {
        // Only the append the kill interrupted may be here unannounced; adopt it, as the
        // sender would deliver it.
        ASSERT_EQ(n / 1000000, static_cast<std::uint64_t>(cycle + 1)) << n;
        promised.insert(n);
        ++unprinted_survivors;
      }
    }
    for (auto it = promised.begin(); it != promised.end();) {
      const std::uint64_t n = *it;
      if (pending.contains(n)) {
        ++it;
        continue;
      }
      // Gone: allowed only if the kill came during its acknowledgement, which then was durable.
      ASSERT_TRUE(maybe_acknowledged.contains(n)) << "record " << n << " was promised and is lost";
      acknowledged.insert(n);
      it = promised.erase(it);
    }
  }

  // The test did real work: many appends and acknowledgements, most kills mid-run.
  EXPECT_GT(acknowledged.size(), static_cast<std::size_t>(kCycles));
  EXPECT_GT(killed_running, static_cast<std::size_t>(kCycles * 9 / 10));
  RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
  RecordProperty("pending_at_end", static_cast<int>(promised.size()));
  RecordProperty("unprinted_survivors", static_cast<int>(unprinted_survivors));
  RecordProperty("compacted_at_open", static_cast<int>(compacted_at_open));
  RecordProperty("compactions", static_cast<int>(compactions));
  RecordProperty("killed_in_compaction", static_cast<int>(killed_in_compaction));
  // Compaction was exercised: finished ones, and kills that left its temporary file behind.
  EXPECT_GE(compactions + killed_in_compaction, 10u);
}

}  // namespace
}  // namespace bcma::fw::outbox::testing
