#include "lockout.hpp"

#include <nlohmann/json.hpp>
#include <vector>

namespace bcma::station::service::detail {
namespace {

// The payload is ours or the store's compact JSON; anything unreadable is not a wrong PIN.
std::string field(const std::string& payload, const char* key) {
  const auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {};
  const auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_boolean()) return it->get<bool>() ? "true" : "false";
  return {};
}

}  // namespace

Result<LockState> lock_state(store::Database& db, std::string_view badge_gsrn, domain::Instant now,
                             int max_failures, std::chrono::minutes window) {
  const std::string subject = "badge:" + std::string(badge_gsrn);
  const std::int64_t oldest = (now - window).time_since_epoch().count();
  auto st = db.prepare("SELECT at, kind, subject, payload FROM audit_log ORDER BY seq DESC");
  if (!st) return Unexpected(std::move(st).error());
  std::vector<domain::Instant> failures;  // newest first
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row || st->int64(0) <= oldest) break;
    if (st->text(2) != subject) continue;
    const std::string kind = st->text(1);
    if (kind == "login") break;
    if (kind == "config" && field(st->text(3), "unlocked") == "true") break;
    if (kind == "login_failed" && field(st->text(3), "refused") == "wrong_pin") {
      failures.push_back(domain::Instant{std::chrono::seconds{st->int64(0)}});
    }
  }
  LockState s;
  s.recent_failures = static_cast<int>(failures.size());
  if (max_failures > 0 && s.recent_failures >= max_failures) {
    s.locked_until = failures[static_cast<std::size_t>(max_failures - 1)] + window;
  }
  return s;
}

}  // namespace bcma::station::service::detail
