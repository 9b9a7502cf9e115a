#include "bcma/station/server/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include <nlohmann/json.hpp>

namespace bcma::station::server {

namespace {

std::string utc_now_text() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto secs = time_point_cast<seconds>(now);
  const auto millis = duration_cast<milliseconds>(now - secs).count();
  const std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

void write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a failing log; the station carries on
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}

std::optional<LogLevel> parse_log_level(std::string_view text) {
  if (text == "debug") return LogLevel::debug;
  if (text == "info") return LogLevel::info;
  if (text == "warn" || text == "warning") return LogLevel::warn;
  if (text == "error") return LogLevel::error;
  return std::nullopt;
}

std::string format_log_line(std::string_view time, LogLevel level, std::string_view event,
                            std::string_view device, std::initializer_list<LogField> fields) {
  nlohmann::ordered_json j;
  j["time"] = time;
  j["level"] = to_string(level);
  j["event"] = event;
  j["device"] = device;
  for (const auto& f : fields) {
    std::visit([&](const auto& v) { j[std::string(f.key)] = v; }, f.value);
  }
  // Invalid UTF-8 (a field copied from a peer) is replaced, never a reason to lose the line.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Logger::Logger(LogLevel threshold) : Logger(STDERR_FILENO, false, threshold) {}

Logger::Logger(int fd, bool owns_fd, LogLevel threshold)
    : fd_(fd), owns_fd_(owns_fd), threshold_(threshold) {}

Result<std::unique_ptr<Logger>> Logger::open_file(const std::string& path, LogLevel threshold) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return fail("log_open_failed", "cannot open log file " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<Logger>(new Logger(fd, true, threshold));
}

Logger::~Logger() {
  if (owns_fd_) ::close(fd_);
}

void Logger::log(LogLevel level, std::string_view event, std::string_view device,
                 std::initializer_list<LogField> fields) {
  if (!enabled(level)) return;
  std::string line = format_log_line(utc_now_text(), level, event, device, fields);
  line.push_back('\n');
  const std::lock_guard lock(mutex_);
  write_all(fd_, line);
}

}  // namespace bcma::station::server
