#pragma once
// Private to the web pages: signed-in sessions (random tokens held only in memory, so a
// restart signs everyone out) and the per-badge count of wrong PINs.

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"

namespace bcma::station::web::detail {

struct Session {
  domain::StaffId staff = 0;
  std::string name;
  domain::Role role = domain::Role::kCareWorker;
  domain::Instant created{};
  domain::Instant last_seen{};
};

class SessionBook {
 public:
  SessionBook(std::chrono::seconds idle, std::chrono::seconds lifetime)
      : idle_(idle), lifetime_(lifetime) {}

  /// A new session and its token (32 random bytes, hex). Empty when no randomness is available.
  std::string open(const Session& s);
  /// The live session of `token`, touched; an expired one is removed.
  std::optional<Session> find(const std::string& token, domain::Instant now);
  void close(const std::string& token) { sessions_.erase(token); }
  std::size_t size() const { return sessions_.size(); }

 private:
  std::chrono::seconds idle_;
  std::chrono::seconds lifetime_;
  std::map<std::string, Session> sessions_;
};

class FailedLogins {
 public:
  FailedLogins(int limit, std::chrono::seconds lockout) : limit_(limit), lockout_(lockout) {}
  /// Until when `badge` is locked, if it is.
  std::optional<domain::Instant> locked_until(const std::string& badge, domain::Instant now);
  void failed(const std::string& badge, domain::Instant now);
  void succeeded(const std::string& badge) { failures_.erase(badge); }

 private:
  struct Entry {
    int count = 0;
    domain::Instant first{};
  };
  int limit_;
  std::chrono::seconds lockout_;
  std::map<std::string, Entry> failures_;
};

/// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace bcma::station::web::detail
