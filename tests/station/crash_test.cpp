// Durability: a process recording administrations is killed with SIGKILL at random moments,
// hundreds of times. Every record it acknowledged must be there afterwards, the file must pass
// SQLite's integrity check, and the audit chain must verify.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "store_fixture.hpp"

namespace bcma::station::store::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Child {
  pid_t pid = -1;
  int out = -1;
};

// posix_spawn rather than fork: copying the page tables of a sanitizer-instrumented parent
// costs more than the child's whole run.
Child spawn(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return {};
  }
  return {pid, fds[0]};
}

// Reads what is available within `timeout`; false on end of file.
bool read_some(int fd, std::string& into, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return true;
  char buf[4096];
  const ssize_t n = read(fd, buf, sizeof buf);
  if (n <= 0) return false;
  into.append(buf, static_cast<std::size_t>(n));
  return true;
}

class Crash : public StoreTest {};

TEST_F(Crash, EveryAcknowledgedRecordSurvivesSigkill) {
  constexpr int kCycles = 200;
  store_.reset();  // the child is the only writer while it runs
  std::mt19937 rng(20260310);
  std::set<std::string> acknowledged;
  std::size_t killed_mid_run = 0;
  std::size_t with_acks = 0;  // cycles in which the child acknowledged something before the kill

  for (int cycle = 0; cycle < kCycles; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    const int group = cycle % 3 == 2 ? 8 : 1;
    Child c = spawn({BCMA_STORE_CRASH_CHILD, path_.string(),
                     std::to_string(static_cast<std::uint64_t>(cycle + 1) * 1000000),
                     std::to_string(group), std::to_string(seed_.alice),
                     std::to_string(seed_.alice_paracetamol), std::to_string(seed_.carer)});
    ASSERT_GT(c.pid, 0);
    std::string out;
    bool open = true;
    // Some kills land while the child starts and opens the file (recovering the previous
    // kill's WAL); most after it has acknowledged at least one record.
    const bool wait_for_first = rng() % 5 >= 2;
    const auto start = Clock::now();
    if (wait_for_first) {
      while (open && out.find('\n') == std::string::npos &&
             Clock::now() - start < std::chrono::seconds(10)) {
        open = read_some(c.out, out, std::chrono::milliseconds(50));
      }
    }
    // Short runs: the point is many kills, each at an unpredictable moment.
    const auto delay = std::chrono::microseconds(rng() % (wait_for_first ? 10000 : 150000));
    const auto kill_at = Clock::now() + delay;
    while (open && Clock::now() < kill_at) {
      open = read_some(c.out, out, std::chrono::duration_cast<std::chrono::milliseconds>(
                                       kill_at - Clock::now()) + std::chrono::milliseconds(1));
    }
    kill(c.pid, SIGKILL);
    while (read_some(c.out, out, std::chrono::milliseconds(1000))) {
    }
    close(c.out);
    int status = 0;
    waitpid(c.pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child ended on its own (status " << status << "): " << out;
    if (open) ++killed_mid_run;
    if (out.find('\n') != std::string::npos) ++with_acks;

    // Only complete lines were acknowledged; a torn last line was not yet.
    std::vector<std::string> fresh;
    std::size_t pos = 0;
    for (std::size_t nl; (nl = out.find('\n', pos)) != std::string::npos; pos = nl + 1) {
      fresh.push_back(out.substr(pos, nl - pos));
    }

    ASSERT_EQ(raw_sql(path_, "PRAGMA integrity_check"), "ok");
    auto s = Store::open(path_, clock_, options());
    ASSERT_TRUE(s) << s.error().message;
    for (const auto& id : fresh) {
      auto rec = s->administration(id);
      ASSERT_TRUE(rec) << "acknowledged record " << id << " is missing: " << rec.error().message;
      acknowledged.insert(id);
    }
    auto v = s->verify_audit();
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->intact()) << v->first_break->message;
  }

  // At the end, every record acknowledged in any cycle is still there, exactly once.
  auto s = Store::open(path_, clock_, options());
  ASSERT_TRUE(s);
  for (const auto& id : acknowledged) ASSERT_TRUE(s->administration(id)) << id;
  const auto stored = std::stoull(raw_sql(path_, "SELECT count(*) FROM administrations"));
  EXPECT_GE(stored, acknowledged.size());
  // The test did real work: most cycles acknowledged records before the kill, and the kill
  // found the child still running (not finished or failed).
  EXPECT_GT(acknowledged.size(), static_cast<std::size_t>(kCycles / 2));
  EXPECT_GT(with_acks, static_cast<std::size_t>(kCycles / 2));
  EXPECT_GT(killed_mid_run, static_cast<std::size_t>(kCycles * 9 / 10));
  RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
}

}  // namespace
}  // namespace bcma::station::store::testing
