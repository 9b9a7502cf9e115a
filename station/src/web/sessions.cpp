#include "sessions.hpp"

#include <algorithm>
#include <iterator>

#include <sodium.h>

namespace bcma::station::web::detail {

std::string SessionBook::open(const Session& s) {
  if (sodium_init() < 0) return {};
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[2 * sizeof bytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  // Expired sessions go when any new one opens, so the book never grows without bound.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const bool expired = s.created - it->second.last_seen > idle_ ||
                         s.created - it->second.created > lifetime_;
    it = expired ? sessions_.erase(it) : std::next(it);
  }
  sessions_[hex] = s;
  return hex;
}

std::optional<Session> SessionBook::find(const std::string& token, domain::Instant now) {
  const auto it = sessions_.find(token);
  if (it == sessions_.end()) return std::nullopt;
  if (now - it->second.last_seen > idle_ || now - it->second.created > lifetime_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

std::optional<domain::Instant> FailedLogins::locked_until(const std::string& badge,
                                                          domain::Instant now) {
  const auto it = failures_.find(badge);
  if (it == failures_.end()) return std::nullopt;
  if (now - it->second.first > lockout_) {
    failures_.erase(it);
    return std::nullopt;
  }
  if (it->second.count < limit_) return std::nullopt;
  return it->second.first + lockout_;
}

void FailedLogins::failed(const std::string& badge, domain::Instant now) {
  Entry& e = failures_[badge];
  if (e.count == 0 || now - e.first > lockout_) e = Entry{0, now};
  ++e.count;
}

std::string cookie_value(std::string_view header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    const std::size_t end = std::min(header.find(';', pos), header.size());
    std::string_view part = header.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    const std::size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
    pos = end + 1;
  }
  return {};
}

}  // namespace bcma::station::web::detail
