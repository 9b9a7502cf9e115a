#pragma once
/// \file
/// The station's structured log: one JSON object per line (time, level, event, device, then
/// the event's fields), to stderr or a file. Machine-readable first, because operators feed it
/// to log tools and the tests read it; a person can still read it.
///
/// What never goes in: PINs, PIN hashes, raw scan text, names, dates of birth, NHS numbers or
/// anything else about a person's health beyond ids (resident id, record id, verdict id). The
/// handler passes only ids and codes; this class does not filter, so callers must not either.

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "bcma/core/result.hpp"

namespace bcma::station::server {

enum class LogLevel { debug, info, warn, error };

std::string_view to_string(LogLevel level);
/// "debug", "info", "warn" (or "warning"), "error"; nullopt otherwise.
std::optional<LogLevel> parse_log_level(std::string_view text);

/// One field of a log line. Strings, integers, booleans and doubles only: nothing that could
/// smuggle a structure full of personal data into the log.
struct LogField {
  using Value = std::variant<std::string, std::int64_t, std::uint64_t, bool, double>;
  std::string_view key;
  Value value;

  LogField(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, long long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, unsigned v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  LogField(std::string_view k, unsigned long v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  LogField(std::string_view k, unsigned long long v)
      : key(k), value(static_cast<std::uint64_t>(v)) {}
};

/// Thread-safe: each line is written whole, with one write, and flushed, so that lines from
/// many threads never interleave and a crash loses at most the line being written.
class Logger {
 public:
  /// Logs to stderr.
  explicit Logger(LogLevel threshold = LogLevel::info);
  /// Appends to `path` (created with mode 0640 if absent).
  /// Errors: `log_open_failed`.
  static Result<std::unique_ptr<Logger>> open_file(const std::string& path, LogLevel threshold);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  bool enabled(LogLevel level) const { return level >= threshold_; }
  /// `device` may be empty (a station-level event).
  void log(LogLevel level, std::string_view event, std::string_view device,
           std::initializer_list<LogField> fields = {});

  void debug(std::string_view event, std::string_view device,
             std::initializer_list<LogField> fields = {}) {
    log(LogLevel::debug, event, device, fields);
  }
  void info(std::string_view event, std::string_view device,
            std::initializer_list<LogField> fields = {}) {
    log(LogLevel::info, event, device, fields);
  }
  void warn(std::string_view event, std::string_view device,
            std::initializer_list<LogField> fields = {}) {
    log(LogLevel::warn, event, device, fields);
  }
  void error(std::string_view event, std::string_view device,
             std::initializer_list<LogField> fields = {}) {
    log(LogLevel::error, event, device, fields);
  }

 private:
  Logger(int fd, bool owns_fd, LogLevel threshold);

  int fd_;
  bool owns_fd_;
  LogLevel threshold_;
  std::mutex mutex_;
};

/// The one log line of a log call, without the newline. Exposed for tests.
std::string format_log_line(std::string_view time, LogLevel level, std::string_view event,
                            std::string_view device, std::initializer_list<LogField> fields);

}  // namespace bcma::station::server
