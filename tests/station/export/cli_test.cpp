// `bcma audit export | verify-export | summary | new-key` run as a person would, as processes.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "export_fixture.hpp"

namespace bcma::station::exporting::testing {
namespace {

struct Run {
  int status = -1;
  std::string out;
};

Run run(const std::string& args) {
  Run r;
  const std::string command = std::string(BCMA_CLI) + " " + args + " 2>&1";
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), p)) > 0) r.out.append(buffer.data(), n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class AuditCliTest : public ExportTest {};

TEST_F(AuditCliTest, ExportVerifyAndSummaryFromTheCommandLine) {
  const std::string db = path_.string();
  const std::string key = (dir_.path() / "home.key").string();
  const std::string out = (dir_.path() / "export").string();
  auto k = run("audit new-key --out " + key);
  ASSERT_EQ(k.status, 0) << k.out;

  auto e = run("audit export --db " + db + " --from 2026-03-16 --to 2026-03-22 --format csv --out " +
               out + " --key-file " + key + " --json");
  ASSERT_EQ(e.status, 0) << e.out;
  const auto ej = nlohmann::json::parse(e.out);
  EXPECT_EQ(ej["rows"], 11);

  auto v = run("audit verify-export " + out + " --db " + db + " --key-file " + key);
  EXPECT_EQ(v.status, 0) << v.out;
  EXPECT_NE(v.out.find("every cell re-derives"), std::string::npos) << v.out;

  std::string csv = read_file(dir_.path() / "export" / "events.csv");
  csv[csv.size() / 2] = csv[csv.size() / 2] == 'x' ? 'y' : 'x';
  std::ofstream(dir_.path() / "export" / "events.csv", std::ios::binary | std::ios::trunc) << csv;
  auto bad = run("audit verify-export " + out + " --json");
  EXPECT_EQ(bad.status, 1) << bad.out;
  EXPECT_EQ(nlohmann::json::parse(bad.out)["problems"][0]["code"], "digest_mismatch");

  auto s = run("audit summary --db " + db + " --from 2026-03-16 --to 2026-03-22 --json");
  ASSERT_EQ(s.status, 0) << s.out;
  const auto sj = nlohmann::json::parse(s.out);
  EXPECT_EQ(sj["total"]["doses_given"], 3);
  EXPECT_EQ(sj["total"]["override_rate"], 0.5);
  auto text = run("audit summary --db " + db + " --from 2026-03-16 --to 2026-03-22");
  EXPECT_NE(text.out.find("scan compliance        66.7% (2 scanned, 1 manual entry)"),
            std::string::npos)
      << text.out;

  EXPECT_EQ(run("audit export --db " + db + " --from 2026-03-16 --format csv --out x").status, 2);
  EXPECT_EQ(run("audit export --db " + db + " --from 2026-03-16 --to 2026-03-22 --format xml --out x").status, 2);
}

}  // namespace
}  // namespace bcma::station::exporting::testing
