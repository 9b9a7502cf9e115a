#pragma once
// Runs a real program as a child process with given standard input and captures its output
// and exit status. Standard streams go through temporary files, so no pipe can fill and block.

#include <string>
#include <string_view>
#include <vector>

namespace bcma::test {

struct ProcessResult {
  int exit_code = -1;  ///< the exit status, or -1 if the child did not exit normally
  std::string out;
  std::string err;
};

/// Runs `argv[0]` (a path) with `argv`, feeding it `input` on standard input. Fails the
/// calling test (and returns exit_code -1) if the process cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input = {});

}  // namespace bcma::test
