#include "bcma/station/server/config.hpp"

#include <charconv>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <variant>

#include <nlohmann/json.hpp>

#include "bcma/transport/frame_codec.hpp"

namespace bcma::station::server {

// The protocol's limit (docs/protocol.md "Framing"): scanners refuse larger frames, so the
// station may lower it but never raise it.
static_assert(kDefaultMaxFrameSize == transport::kDefaultMaxFrameSize);

namespace {

using Member = std::variant<std::filesystem::path StationConfig::*, std::string StationConfig::*,
                            std::size_t StationConfig::*, std::uint16_t StationConfig::*,
                            std::chrono::milliseconds StationConfig::*, LogLevel StationConfig::*,
                            std::optional<domain::Instant> StationConfig::*>;

struct Setting {
  SettingInfo info;
  Member member;
  std::uint64_t min = 0;  ///< numbers only
  std::uint64_t max = 0;
};

constexpr std::uint64_t kDay = 24ull * 3600 * 1000;

const std::vector<Setting>& table() {
  static const std::vector<Setting> kTable{
      {{"station_dir", "station directory holding pki/ (from `bcma station init`); required"},
       &StationConfig::station_dir},
      {{"database", "SQLite store (default <station_dir>/station.db)"}, &StationConfig::database},
      {{"station_id", "name reported to scanners (default: the station certificate's name)"},
       &StationConfig::station_id},
      {{"nhs_gsrn_prefixes", "comma-separated 7-digit GS1 prefixes of NHS wristband GSRNs"},
       &StationConfig::nhs_gsrn_prefixes},
      {{"listen_address", "address to listen on (default 127.0.0.1)"},
       &StationConfig::listen_address},
      {{"port", "TCP port (default 7443; 0 = any free port)"}, &StationConfig::port, 0, 65535},
      {{"web_port", "HTTPS port of the web pages (e.g. 8443; default 0 = no web pages)"},
       &StationConfig::web_port, 0, 65535},
      {{"pseudonym_key_file", "the home's pseudonym key for audit export downloads (default "
                              "<station_dir>/pseudonym.key; made owner-only if absent)"},
       &StationConfig::pseudonym_key_file},
      {{"threads", "network threads (0 = hardware concurrency)"}, &StationConfig::threads, 0, 256},
      {{"max_frame_size", "largest frame in bytes, both directions (default and most 65536)"},
       &StationConfig::max_frame_size, 1024, kDefaultMaxFrameSize},
      {{"max_connections", "connections at once (default 1024)"}, &StationConfig::max_connections,
       1, 100'000},
      {{"max_in_flight", "unanswered frames per connection before reading pauses (default 32)"},
       &StationConfig::max_in_flight, 1, 4096},
      {{"handshake_timeout_ms", "TLS handshake time limit (default 10000)"},
       &StationConfig::handshake_timeout, 100, kDay},
      {{"idle_timeout_ms", "close a connection silent this long (default 60000; 0 = never)"},
       &StationConfig::idle_timeout, 0, kDay},
      {{"drain_timeout_ms", "on shutdown, wait this long for in-flight replies (default 5000)"},
       &StationConfig::drain_timeout, 0, kDay},
      {{"linger_timeout_ms", "after the last reply, wait this long for the scanner to close "
                             "(default 1000)"},
       &StationConfig::linger_timeout, 0, kDay},
      {{"commit_batch_max", "group commit: most records in one transaction (default 64)"},
       &StationConfig::commit_batch_max, 1, 4096},
      {{"commit_wait_max_ms", "group commit: longest a record waits for company (default 2)"},
       &StationConfig::commit_wait_max, 0, 1000},
      {{"revocation_sweep_ms", "how often revoked devices are looked for and cut off "
                               "(default 1000)"},
       &StationConfig::revocation_sweep, 50, 3'600'000},
      {{"clock_start", "training and demos only: the clock reads this instant (e.g. "
                       "2026-11-25T07:55:00Z) at start and runs on from it"},
       &StationConfig::clock_start},
      {{"log_level", "debug, info, warn or error (default info)"}, &StationConfig::log_level},
      {{"log_file", "append the log here instead of stderr"}, &StationConfig::log_file},
  };
  return kTable;
}

std::string normalise_key(std::string_view key) {
  std::string k(key);
  for (auto& c : k) {
    if (c == '-') c = '_';
  }
  return k;
}

const Setting* find_setting(std::string_view key) {
  const std::string k = normalise_key(key);
  for (const auto& s : table()) {
    if (s.info.key == k) return &s;
  }
  return nullptr;
}

Unexpected<Error> invalid(std::string_view key, std::string_view why) {
  return fail("config_invalid", "setting '" + std::string(key) + "': " + std::string(why));
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t v = 0;
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || p != end || text.empty()) return std::nullopt;
  return v;
}

/// The value as the setting needs it; `number` is set for numeric settings, `text` otherwise.
Result<void> store(StationConfig& config, const Setting& s, std::optional<std::uint64_t> number,
                   const std::string* text, const std::filesystem::path& base_dir) {
  const auto key = s.info.key;
  auto range_ok = [&](std::uint64_t v) { return v >= s.min && v <= s.max; };
  auto range_text = [&] {
    return "must be between " + std::to_string(s.min) + " and " + std::to_string(s.max);
  };
  return std::visit(
      [&](auto member) -> Result<void> {
        using T = std::remove_reference_t<decltype(config.*member)>;
        if constexpr (std::is_same_v<T, std::filesystem::path>) {
          if (text == nullptr || text->empty()) return invalid(key, "must be a non-empty path");
          std::filesystem::path p(*text);
          config.*member = p.is_relative() && !base_dir.empty() ? base_dir / p : p;
        } else if constexpr (std::is_same_v<T, std::string>) {
          if (text == nullptr) return invalid(key, "must be a string");
          config.*member = *text;
        } else if constexpr (std::is_same_v<T, std::optional<domain::Instant>>) {
          auto at = text != nullptr ? domain::parse_instant(*text) : std::nullopt;
          if (!at) return invalid(key, "must be an instant such as 2026-11-25T07:55:00Z");
          config.*member = *at;
        } else if constexpr (std::is_same_v<T, LogLevel>) {
          auto level = text != nullptr ? parse_log_level(*text) : std::nullopt;
          if (!level) return invalid(key, "must be one of debug, info, warn, error");
          config.*member = *level;
        } else {
          if (!number) return invalid(key, "must be a whole number");
          if (!range_ok(*number)) return invalid(key, range_text());
          if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
            config.*member = std::chrono::milliseconds(static_cast<std::int64_t>(*number));
          } else {
            config.*member = static_cast<T>(*number);
          }
        }
        return ok();
      },
      s.member);
}

bool is_numeric(const Setting& s) {
  return std::holds_alternative<std::size_t StationConfig::*>(s.member) ||
         std::holds_alternative<std::uint16_t StationConfig::*>(s.member) ||
         std::holds_alternative<std::chrono::milliseconds StationConfig::*>(s.member);
}

}  // namespace

std::filesystem::path StationConfig::database_path() const {
  return database.empty() ? station_dir / "station.db" : database;
}

std::filesystem::path StationConfig::pseudonym_key_path() const {
  return pseudonym_key_file.empty() ? station_dir / "pseudonym.key" : pseudonym_key_file;
}

const std::vector<SettingInfo>& settings() {
  static const std::vector<SettingInfo> kInfo = [] {
    std::vector<SettingInfo> v;
    for (const auto& s : table()) v.push_back(s.info);
    return v;
  }();
  return kInfo;
}

Result<StationConfig> parse_config(std::string_view json_text, const std::filesystem::path& base_dir,
                                   StationConfig defaults) {
  // Comments are allowed: operators annotate their configuration.
  auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false,
                                 /*ignore_comments=*/true);
  if (j.is_discarded()) return fail("config_invalid", "the configuration is not valid JSON");
  if (!j.is_object()) return fail("config_invalid", "the configuration must be a JSON object");
  StationConfig config = std::move(defaults);
  for (const auto& [key, value] : j.items()) {
    const Setting* s = find_setting(key);
    if (s == nullptr || s->info.key != key) return invalid(key, "unknown setting");
    std::optional<std::uint64_t> number;
    std::optional<std::string> text;
    if (value.is_number_unsigned()) {
      number = value.get<std::uint64_t>();
    } else if (value.is_string()) {
      text = value.get<std::string>();
    } else if (!value.is_number_integer()) {
      return invalid(key, "must be a " + std::string(is_numeric(*s) ? "whole number" : "string"));
    } else {
      return invalid(key, "must not be negative");
    }
    if (is_numeric(*s) && !number) return invalid(key, "must be a whole number, not text");
    if (auto r = store(config, *s, number, text ? &*text : nullptr, base_dir); !r) return Unexpected(r.error());
  }
  return config;
}

Result<StationConfig> load_config(const std::filesystem::path& file, StationConfig defaults) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("config_unreadable", "cannot read configuration file " + file.string());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = parse_config(text, file.parent_path(), std::move(defaults));
  if (!parsed) {
    return fail(parsed.error().code, file.string() + ": " + parsed.error().message);
  }
  return parsed;
}

Result<void> apply_setting(StationConfig& config, std::string_view key, std::string_view value) {
  const Setting* s = find_setting(key);
  if (s == nullptr) return invalid(key, "unknown setting");
  const std::string text(value);
  const auto number = parse_unsigned(value);
  if (is_numeric(*s) && !number) return invalid(s->info.key, "must be a whole number");
  return store(config, *s, number, &text, {});
}

Result<void> validate(const StationConfig& config) {
  if (config.station_dir.empty()) {
    return fail("config_invalid",
                "setting 'station_dir' is required (the directory made by `bcma station init`)");
  }
  return ok();
}

}  // namespace bcma::station::server
