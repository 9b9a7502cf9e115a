// `bcma dmd` as a person runs it: the real binary, a real database file, the fixture releases.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <nlohmann/json.hpp>

#include "../../tools/child_process.hpp"
#include "dmd_test_support.hpp"

namespace bcma::station::dmd::testing {
namespace {

using test::run_process;

struct TerminalRun {
  int exit_code = -1;
  std::string shown;  ///< everything the terminal received, standard output and error together
};

// Runs `argv` with a pseudo-terminal as its standard input, output and error, as a person at a
// terminal would, and collects what the terminal was sent.
TerminalRun run_on_terminal(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) {
    ADD_FAILURE() << "forkpty failed: errno " << errno;
    return {};
  }
  if (pid == 0) {
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  TerminalRun r;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      r.shown.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child has closed the terminal
    }
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class DmdCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(BCMA_CLI).empty()) GTEST_SKIP() << "the bcma binary is not built";
    db_ = (dir_.path() / "station.db").string();
  }
  test::ProcessResult bcma(std::vector<std::string> args) {
    args.insert(args.begin(), BCMA_CLI);
    return run_process(args);
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(DmdCli, ImportsAReleaseZipAndLooksUpAGtin) {
  const auto imported = bcma({"dmd", "import", (fixtures() / "zips" / "nhsbsa_dmd_10.1.0_20260105000001.zip").string(),
                              "--db", db_});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const auto summary = nlohmann::json::parse(imported.out);
  EXPECT_EQ(summary["release_date"], "2026-01-05");
  EXPECT_EQ(summary["counts"]["gtins"], 10);
  EXPECT_TRUE(imported.err.empty()) << "progress is for terminals only: " << imported.err;

  const auto found = bcma({"dmd", "lookup", "--gtin", kGtinMstNew, "--date", "2026-01-06", "--db", db_});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_EQ(found.out,
            "{\"gtin\":\"05012345000022\","
            "\"ampp\":{\"id\":\"1327911000001107\",\"name\":\"MST Continus 10mg tablets (Alpha Generics Ltd) 60 tablet "
            "4 x 15 tablets\"},"
            "\"amp\":{\"id\":\"35926411000001109\",\"name\":\"MST Continus 10mg tablets\"},"
            "\"vmp\":{\"id\":\"36031111000001105\",\"name\":\"Morphine sulfate 10mg modified-release tablets\"},"
            "\"vtm\":{\"id\":\"73572009\",\"name\":\"Morphine\"},"
            "\"controlled_drug_category\":\"0002\",\"price_pence\":3384}\n");

  // No VTM and no price print as null; the 13-digit scan is shown as 14 digits.
  const auto cream = nlohmann::json::parse(bcma({"dmd", "lookup", "--gtin", kGtinCream, "--db", db_}).out);
  EXPECT_TRUE(cream["vtm"].is_null());
  EXPECT_EQ(cream["gtin"], "05020000000010");
  const auto panadol = nlohmann::json::parse(bcma({"dmd", "lookup", "--gtin", kGtinPanadol32, "--db", db_}).out);
  EXPECT_TRUE(panadol["price_pence"].is_null());
}

TEST_F(DmdCli, ProgressIsShownOnATerminalOnly) {
  const auto shown = run_on_terminal({BCMA_CLI, "dmd", "import", release_a().string(), "--db", db_});
  ASSERT_EQ(shown.exit_code, 0) << shown.shown;
  // One line per file with its records, the running total and the rate.
  for (const char* file : {"f_lookup2_3050126.xml", "f_vmp2_3050126.xml", "f_gtin2_0050126.xml"}) {
    EXPECT_NE(shown.shown.find(file), std::string::npos) << file << " not shown in:\n" << shown.shown;
  }
  EXPECT_NE(shown.shown.find("[1/9]"), std::string::npos) << shown.shown;
  EXPECT_NE(shown.shown.find("records"), std::string::npos) << shown.shown;
  EXPECT_NE(shown.shown.find("/s)"), std::string::npos) << shown.shown;
  EXPECT_NE(shown.shown.find("\"release_date\":\"2026-01-05\""), std::string::npos) << shown.shown;
  // --quiet at a terminal, and any run whose standard error is not a terminal: the summary only.
  const auto quiet = run_on_terminal({BCMA_CLI, "dmd", "import", release_a().string(), "--db", db_, "--quiet"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.shown;
  EXPECT_EQ(quiet.shown.find("[1/9]"), std::string::npos) << quiet.shown;
  EXPECT_EQ(quiet.shown.find("/s)"), std::string::npos) << quiet.shown;
  const auto piped = bcma({"dmd", "import", release_a().string(), "--db", db_});
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_TRUE(piped.err.empty()) << piped.err;
  EXPECT_EQ(std::count(piped.out.begin(), piped.out.end(), '\n'), 1) << piped.out;
}

TEST_F(DmdCli, AnUnknownGtinExitsOne) {
  ASSERT_EQ(bcma({"dmd", "import", release_a().string(), "--db", db_, "--quiet"}).exit_code, 0);
  const auto r = bcma({"dmd", "lookup", "--gtin", "5000000000005", "--db", db_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "{\"error\":\"unknown_gtin\"}\n");
  const auto bad = bcma({"dmd", "lookup", "--gtin", "5000000000002", "--db", db_});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(bad.out)["error"], "invalid_gtin");
}

TEST_F(DmdCli, LooksUpVmpsAmpsAndNames) {
  ASSERT_EQ(bcma({"dmd", "import", release_a().string(), "--db", db_}).exit_code, 0);
  const auto vmp = bcma({"dmd", "lookup", "--vmp", "322236009", "--db", db_});
  ASSERT_EQ(vmp.exit_code, 0) << vmp.err;
  const auto v = nlohmann::json::parse(vmp.out);
  EXPECT_EQ(v["vmp"]["id"], "42109611000001109");
  EXPECT_EQ(v["requested_id"], "322236009");
  EXPECT_EQ(v["ingredients"][0]["strength"], "500");

  const auto amp = bcma({"dmd", "lookup", "--amp", "3421011000001103", "--db", db_});
  ASSERT_EQ(amp.exit_code, 0) << amp.err;
  const auto a = nlohmann::json::parse(amp.out);
  EXPECT_EQ(a["packs"].size(), 2u);

  const auto names = bcma({"dmd", "lookup", "--name", "PARACETAMOL", "--limit", "3", "--db", db_});
  ASSERT_EQ(names.exit_code, 0) << names.err;
  std::stringstream lines(names.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_NE(j["name"].get<std::string>().find("aracetamol"), std::string::npos) << line;
    ++n;
  }
  EXPECT_EQ(n, 3);

  const auto release = nlohmann::json::parse(bcma({"dmd", "release", "--db", db_}).out);
  EXPECT_EQ(release["release_date"], "2026-01-05");
}

TEST_F(DmdCli, ABrokenReleaseNamesFileLineAndReasonAndExitsOne) {
  const auto release = dir_.path() / "release";
  copy_tree(release_a(), release);
  std::filesystem::copy(fixtures() / "broken" / "amp-names-unknown-vmp" / "f_amp2_3050126.xml", release,
                        std::filesystem::copy_options::overwrite_existing);
  const auto r = bcma({"dmd", "import", release.string(), "--db", db_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("f_amp2_3050126.xml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("39695211000001199"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  const auto none = bcma({"dmd", "release", "--db", db_});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(none.out)["error"], "no_release");
}

TEST_F(DmdCli, UsageErrorsExitTwo) {
  EXPECT_EQ(bcma({"dmd", "lookup", "--db", db_}).exit_code, 2);
  EXPECT_EQ(bcma({"dmd", "lookup", "--gtin", "1", "--vmp", "2", "--db", db_}).exit_code, 2);
  EXPECT_EQ(bcma({"dmd", "import", "--db", db_}).exit_code, 2);
  EXPECT_EQ(bcma({"dmd", "frobnicate", "--db", db_}).exit_code, 2);
}

}  // namespace
}  // namespace bcma::station::dmd::testing
