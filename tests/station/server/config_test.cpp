// The station's configuration: file, flags, and the refusals an operator would hit.
#include <fstream>

#include <gtest/gtest.h>

#include "../store_test_support.hpp"
#include "bcma/station/server/config.hpp"

namespace bcma::station::server {
namespace {

TEST(StationConfig, DefaultsAreSafeForDevelopment) {
  const StationConfig c;
  EXPECT_EQ(c.listen_address, "127.0.0.1");
  EXPECT_EQ(c.port, kDefaultPort);
  EXPECT_EQ(c.max_frame_size, 64u * 1024u);
  EXPECT_EQ(c.threads, 0u);
  EXPECT_FALSE(validate(c)) << "a station directory must be named";
}

TEST(StationConfig, FileSettingsAreRead) {
  auto c = parse_config(R"({
    // comments are allowed
    "station_dir": "home/station",
    "database": "/var/lib/bcma/rowan.db",
    "listen_address": "0.0.0.0",
    "port": 7000,
    "threads": 4,
    "idle_timeout_ms": 30000,
    "commit_batch_max": 128,
    "commit_wait_max_ms": 5,
    "log_level": "warn",
    "log_file": "/var/log/bcma.log"
  })",
                        "/etc/bcma");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->station_dir, std::filesystem::path("/etc/bcma/home/station"))
      << "relative paths are taken from the file's directory";
  EXPECT_EQ(c->database_path(), std::filesystem::path("/var/lib/bcma/rowan.db"));
  EXPECT_EQ(c->listen_address, "0.0.0.0");
  EXPECT_EQ(c->port, 7000);
  EXPECT_EQ(c->threads, 4u);
  EXPECT_EQ(c->idle_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(c->commit_batch_max, 128u);
  EXPECT_EQ(c->commit_wait_max, std::chrono::milliseconds(5));
  EXPECT_EQ(c->log_level, LogLevel::warn);
  EXPECT_EQ(c->log_file, "/var/log/bcma.log");
  EXPECT_TRUE(validate(*c));
}

TEST(StationConfig, DatabaseDefaultsToTheStationDirectory) {
  StationConfig c;
  c.station_dir = "/srv/station";
  EXPECT_EQ(c.database_path(), std::filesystem::path("/srv/station/station.db"));
}

struct BadFile {
  const char* text;
  const char* mentions;  ///< the message must name what is wrong
};

class StationConfigRefuses : public ::testing::TestWithParam<BadFile> {};

TEST_P(StationConfigRefuses, WithAMessageNamingTheSetting) {
  auto c = parse_config(GetParam().text, "/etc/bcma");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "config_invalid");
  EXPECT_NE(c.error().message.find(GetParam().mentions), std::string::npos) << c.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StationConfigRefuses,
    ::testing::Values(BadFile{R"({"idle_timout_ms": 5})", "idle_timout_ms"},  // misspelt
                      BadFile{R"({"port": 70000})", "port"},
                      BadFile{R"({"port": "7443"})", "port"},
                      BadFile{R"({"port": -1})", "port"},
                      BadFile{R"({"threads": 1.5})", "threads"},
                      BadFile{R"({"log_level": "loud"})", "log_level"},
                      BadFile{R"({"station_dir": 7})", "station_dir"},
                      BadFile{R"({"station_dir": ""})", "station_dir"},
                      BadFile{R"({"max_frame_size": 10})", "max_frame_size"},
                      // Above the protocol's 64 KiB: scanners would refuse the frames.
                      BadFile{R"({"max_frame_size": 1048576})", "max_frame_size"},
                      BadFile{R"({"commit_batch_max": 0})", "commit_batch_max"},
                      BadFile{R"([1, 2])", "JSON object"},
                      BadFile{R"({"port": )", "not valid JSON"}));

TEST(StationConfig, FlagsUseTheSameNamesWithDashes) {
  StationConfig c;
  ASSERT_TRUE(apply_setting(c, "station-dir", "relative/dir"));
  ASSERT_TRUE(apply_setting(c, "idle-timeout-ms", "1500"));
  ASSERT_TRUE(apply_setting(c, "port", "0"));
  ASSERT_TRUE(apply_setting(c, "log_level", "debug"));
  EXPECT_EQ(c.station_dir, std::filesystem::path("relative/dir"));
  EXPECT_EQ(c.idle_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.port, 0);
  EXPECT_EQ(c.log_level, LogLevel::debug);

  auto unknown = apply_setting(c, "colour", "blue");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("colour"), std::string::npos);
  EXPECT_FALSE(apply_setting(c, "port", "12ab"));
  EXPECT_FALSE(apply_setting(c, "port", "-5"));
  EXPECT_FALSE(apply_setting(c, "port", ""));
}

TEST(StationConfig, FileThenFlags) {
  store::testing::TempDir dir;
  const auto file = dir.path() / "station.json";
  std::ofstream(file) << R"({"station_dir": "st", "port": 9000, "log_level": "error"})";
  auto c = load_config(file);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->station_dir, dir.path() / "st");
  ASSERT_TRUE(apply_setting(*c, "port", "9001"));
  EXPECT_EQ(c->port, 9001);

  auto missing = load_config(dir.path() / "nope.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "config_unreadable");
}

TEST(StationConfig, EverySettingIsListedWithHelp) {
  for (const auto& s : settings()) {
    EXPECT_FALSE(s.help.empty()) << s.key;
    // Each listed setting is accepted by name (the value may be refused, the key must not be).
    StationConfig c;
    auto r = apply_setting(c, s.key, "1");
    if (!r) {
      EXPECT_EQ(r.error().message.find("unknown setting"), std::string::npos) << s.key;
    }
  }
}

}  // namespace
}  // namespace bcma::station::server
