// The bodies of the child processes crash_test.cpp and storage_failure_test.cpp fork. Each
// writes one line to `out` after an operation has RETURNED successfully, so the parent knows
// exactly what was promised.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "child.hpp"

namespace bcma::fw::outbox::testing {
namespace {

void say(int out, const std::string& line) {
  // One write per line: a line in the pipe is whole, or absent, whatever moment the kill hits.
  const std::string s = line + "\n";
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(out, s.data() + done, s.size() - done);
    if (n <= 0) std::_Exit(3);
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

int run_appender(int out, const std::filesystem::path& dir, std::uint64_t n) {
  Options options;
  options.compact_min_dead_bytes = 512;  // compact often, so kills land in compactions too
  auto box = Outbox::open_directory(dir, options);
  if (!box) {
    std::fprintf(stderr, "open: %s\n", box.error().message.c_str());
    return 1;
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < until) {
    if (auto appended = (*box)->append(id_of(n), payload_of(n)); !appended) {
      std::fprintf(stderr, "append: %s\n", appended.error().message.c_str());
      return 1;
    }
    say(out, "A " + std::to_string(n));
    ++n;
    while ((*box)->size() > 2) {
      std::vector<Uuid> oldest;
      for (const auto& r : (*box)->pending(1 + n % 3)) oldest.push_back(r.id);
      for (const auto& id : oldest) say(out, "T " + std::to_string(number_of(id)));
      const auto acked = (*box)->acknowledge(oldest);
      if (!acked) {
        std::fprintf(stderr, "acknowledge: %s\n", acked.error().message.c_str());
        return 1;
      }
      for (const auto& id : oldest) say(out, "K " + std::to_string(number_of(id)));
      if (acked->compacted) say(out, "C 0");
    }
  }
  return 0;
}

int run_filler(int out, const std::filesystem::path& dir, std::uint64_t limit) {
  ::signal(SIGXFSZ, SIG_IGN);  // else the kernel kills us instead of failing the write
  const rlimit rl{static_cast<rlim_t>(limit), static_cast<rlim_t>(limit)};
  if (::setrlimit(RLIMIT_FSIZE, &rl) != 0) return 1;
  auto box = Outbox::open_directory(dir);
  if (!box) {
    std::fprintf(stderr, "open: %s\n", box.error().message.c_str());
    return 1;
  }
  for (std::uint64_t n = 1;; ++n) {
    const auto appended = (*box)->append(id_of(n), payload_of(n));
    if (!appended) {
      say(out, "E " + std::string(to_string(appended.error().code)) + " " +
          std::to_string(appended.error().sys_errno));
      break;
    }
    say(out, "A " + std::to_string(n));
  }
  const auto acked = (*box)->acknowledge(id_of(1));
  say(out, acked ? "K 1" : "F " + std::string(to_string(acked.error().code)));
  const auto again = (*box)->append(id_of(1000000), payload_of(1000000, 2000));
  say(out, again ? "A 1000000" : "F " + std::string(to_string(again.error().code)));
  return 0;
}

}  // namespace bcma::fw::outbox::testing
