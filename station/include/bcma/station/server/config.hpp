#pragma once
/// \file
/// The station process's settings: from a JSON configuration file, then command-line flags
/// (each setting has both forms: key `idle_timeout_ms` is flag `--idle-timeout-ms`). Unknown
/// keys are refused, not ignored: a misspelt timeout in a medication system should stop the
/// start, not silently fall back to a default. Reference: docs/station.md.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/server/log.hpp"

namespace bcma::station::server {

/// The port a station listens on unless told otherwise.
inline constexpr std::uint16_t kDefaultPort = 7443;
/// The protocol's maximum frame (docs/protocol.md "Framing"), which scanners enforce: the
/// station may be configured lower, never higher.
inline constexpr std::size_t kDefaultMaxFrameSize = 64 * 1024;

struct StationConfig {
  /// Holds pki/ (made by `bcma station init`). Required.
  std::filesystem::path station_dir;
  /// The SQLite store; empty means <station_dir>/station.db.
  std::filesystem::path database;
  /// Reported to scanners in HelloResponse; empty means the station certificate's name.
  std::string station_id;
  /// GS1 company prefixes (7 digits, comma-separated) whose wristband GSRNs embed an NHS
  /// number (DCB1077). Empty: none.
  std::string nhs_gsrn_prefixes;

  /// 127.0.0.1 by default so that a development station is not reachable from the network;
  /// a real station sets its Wi-Fi interface's address (or 0.0.0.0).
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = kDefaultPort;  ///< 0: any free port (logged as event "listening")
  /// Network threads (TLS, framing, protocol decoding); 0: hardware concurrency, at least 2.
  /// The store work runs on one more thread of its own (one SQLite connection: docs/station.md).
  std::size_t threads = 0;

  std::size_t max_frame_size = kDefaultMaxFrameSize;
  std::size_t max_connections = 1024;
  std::size_t max_in_flight = 32;
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds drain_timeout{5'000};
  std::chrono::milliseconds linger_timeout{1'000};

  /// Group commit: at most this many records in one transaction...
  std::size_t commit_batch_max = 64;
  /// ...and a record waits at most this long for others to join its batch.
  std::chrono::milliseconds commit_wait_max{2};

  /// How often the device index is checked for revocations that must cut live connections.
  std::chrono::milliseconds revocation_sweep{1'000};

  /// HTTPS port of the web pages for pharmacists, managers and evaluators (docs/web.md), on
  /// `listen_address` with the station's certificate; 0: no web pages.
  std::uint16_t web_port = 0;
  /// The home's pseudonym key for the evaluator's audit export downloads (docs/audit-export.md):
  /// the same file `bcma audit export --key-file` takes, so every download and export of the
  /// home gives a person the same pseudonym. Made (owner-only) when the web pages start if it
  /// does not exist; its content is never logged. Empty means <station_dir>/pseudonym.key.
  std::filesystem::path pseudonym_key_file;

  /// Training and demonstration only: the station's clock reads this instant at start and runs
  /// on in real time (every verdict and record is timed by it). Unset: the real clock. The
  /// station logs a warning at start when it is set.
  std::optional<domain::Instant> clock_start;

  LogLevel log_level = LogLevel::info;
  std::string log_file;  ///< empty: stderr

  /// `database` with its default applied.
  std::filesystem::path database_path() const;
  /// `pseudonym_key_file` with its default applied.
  std::filesystem::path pseudonym_key_path() const;
};

/// One setting's name, the flag that sets it, and a line of help.
struct SettingInfo {
  std::string_view key;
  std::string_view help;
};
/// Every setting, in the order docs/station.md lists them.
const std::vector<SettingInfo>& settings();

/// Parses a configuration file's text (a JSON object of settings). Relative paths are taken
/// relative to `base_dir` (the file's directory).
/// Errors: `config_invalid` (not a JSON object, unknown key, wrong type or out of range; the
/// message names the key).
Result<StationConfig> parse_config(std::string_view json_text, const std::filesystem::path& base_dir,
                                   StationConfig defaults = {});

/// Reads and parses a configuration file. Errors: `config_unreadable`, `config_invalid`.
Result<StationConfig> load_config(const std::filesystem::path& file, StationConfig defaults = {});

/// Applies one setting given as text (a command-line flag): `key` as in the file
/// (`idle_timeout_ms`) or as a flag name (`idle-timeout-ms`). Relative paths stay relative to
/// the working directory.
/// Errors: `config_invalid` (unknown key, value not of the setting's type or out of range).
Result<void> apply_setting(StationConfig& config, std::string_view key, std::string_view value);

/// Final checks once every source has been applied.
/// Errors: `config_invalid` (no station_dir).
Result<void> validate(const StationConfig& config);

}  // namespace bcma::station::server
