#pragma once
// Child processes for the crash and storage-full tests: the test process forks, the child runs
// one of the bodies below with its output on a pipe, and the parent reads, kills and reaps it.
// Forking (no exec) keeps a cycle cheap under the sanitizers; the child is still a real
// process the kernel kills with SIGKILL. A child never returns into GoogleTest: it _exits.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "outbox_test_support.hpp"

namespace bcma::fw::outbox::testing {

/// Appends records n, n+1, ... writing "A n" after each append returned, and whenever more
/// than 2 are pending acknowledges the oldest ones in small batches ("T n" per id before the
/// call, "K n" after it returned, then "C 0" if it compacted). Compacts often. Runs until
/// killed, or for 60 seconds.
int run_appender(int out, const std::filesystem::path& dir, std::uint64_t n);

/// Limits the size of any file it writes to `limit` bytes (RLIMIT_FSIZE: the kernel cuts the
/// write that crosses it short, then fails with EFBIG), appends until an append fails ("A n"
/// per success, then "E code errno"), then tries to acknowledge record 1 ("K 1" or
/// "F code") and one more, large, append ("A 1000000" or "F code").
int run_filler(int out, const std::filesystem::path& dir, std::uint64_t limit);

struct Child {
  pid_t pid = -1;
  int out = -1;  ///< read end of the child's output pipe
};

inline Child spawn_child(const std::function<int(int out)>& body) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a test run that died
    ::_exit(body(fds[1]));
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    return {};
  }
  return {pid, fds[0]};
}

/// Appends to `into` what arrives within `timeout`; false once the child closed its output.
inline bool read_some(int fd, std::string& into, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return true;
  char buf[4096];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  if (n <= 0) return false;
  into.append(buf, static_cast<std::size_t>(n));
  return true;
}

/// Reads until the child closes its output, then reaps it; returns the wait status.
inline int finish_child(Child& c, std::string& out) {
  while (read_some(c.out, out, std::chrono::milliseconds(1000))) {
  }
  ::close(c.out);
  int status = 0;
  ::waitpid(c.pid, &status, 0);
  return status;
}

/// The complete lines of `out` (a cut-off last line is not a line yet).
inline std::vector<std::string> lines_of(const std::string& out) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  for (std::size_t nl; (nl = out.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    lines.push_back(out.substr(pos, nl - pos));
  }
  return lines;
}

}  // namespace bcma::fw::outbox::testing
