// Service: construction, sessions, sign-in with lockout, and the sign-in checks an overrider
// or witness goes through.
#include "bcma/core/text.hpp"
#include "bcma/station/service/service.hpp"

#include <array>
#include <cstdio>
#include <random>

#include "audit_json.hpp"
#include "bcma/station/service/errors.hpp"
#include "bcma/station/store/errors.hpp"
#include "lockout.hpp"

namespace bcma::station::service {
namespace {

std::string local_clock(domain::Instant t) {
  return domain::London::to_local(t).time.to_string();
}

// 128 random bits in the UUID version 4 layout. std::random_device reads the kernel's CSPRNG
// on Linux; a session id only has meaning inside the mutually authenticated connection.
std::string new_session_id() {
  std::random_device rd;
  std::array<std::uint32_t, 4> w{rd(), rd(), rd(), rd()};
  w[1] = (w[1] & 0xFFFF0FFFU) | 0x00004000U;  // version 4
  w[2] = (w[2] & 0x3FFFFFFFU) | 0x80000000U;  // RFC 4122 variant
  std::array<char, 37> out{};
  std::snprintf(out.data(), out.size(), "%08x-%04x-%04x-%04x-%04x%08x", w[0], w[1] >> 16,
                w[1] & 0xFFFFU, w[2] >> 16, w[2] & 0xFFFFU, w[3]);
  return std::string(out.data());
}

}  // namespace

std::string_view to_string(ResidentScanStatus s) {
  switch (s) {
    case ResidentScanStatus::kFound: return "found";
    case ResidentScanStatus::kNotAWristband: return "not_a_wristband";
    case ResidentScanStatus::kNotFound: return "not_found";
  }
  return "not_found";
}

Result<Service> Service::create(store::Store& store, const domain::Clock& clock,
                                ServiceOptions options) {
  scan::Context probe(2000);
  for (const std::string& prefix : options.nhs_gsrn_prefixes) {
    if (auto r = probe.add_nhs_gsrn_prefix(prefix); !r) {
      return fail(store::errc::kInvalidArgument, r.error().message);
    }
  }
  if (options.max_failed_logins < 1 || options.lockout_window <= std::chrono::minutes{0} ||
      options.session_lifetime <= std::chrono::hours{0}) {
    return fail(store::errc::kInvalidArgument,
                "the lockout needs at least 1 failure and a window above zero, and sessions a "
                "lifetime above zero");
  }
  return Service(store, clock, std::move(options));
}

scan::Context Service::scan_context() const {
  // The GS1 century rule needs the year now: from the injected clock, never the wall.
  const domain::Date today = domain::London::local_date(clock_->now());
  scan::Context context(static_cast<int>(today.year()));
  for (const std::string& prefix : options_.nhs_gsrn_prefixes) {
    (void)context.add_nhs_gsrn_prefix(prefix);  // validated by create()
  }
  return context;
}

Result<domain::Staff> Service::authenticate(const Credentials& credentials,
                                            std::string_view device_id,
                                            std::string_view role_words) {
  if (!credentials.confirmation_id.empty()) return confirmed_witness(credentials, device_id);
  const domain::Instant now = clock_->now();
  auto lock = detail::lock_state(store_->database(), credentials.badge_gsrn, now,
                                 options_.max_failed_logins, options_.lockout_window);
  if (!lock) return Unexpected(std::move(lock).error());
  const std::string who = role_words.empty() ? std::string() : std::string(role_words) + ": ";
  if (lock->locked_until) {
    // Refused without looking at the PIN, and audited like any refused sign-in.
    store::Actor actor{std::nullopt, std::string(device_id)};
    if (auto known = store_->staff_by_badge(credentials.badge_gsrn)) actor.staff_id = known->id;
    auto logged = store_->append_audit(
        store::AuditEvent{store::AuditKind::kLoginFailed, actor, "badge:" + credentials.badge_gsrn,
                          detail::locked_out_payload(credentials.badge_gsrn, *lock->locked_until)});
    if (!logged) return Unexpected(std::move(logged).error());
    return fail(errc::kLockedOut, who + "too many wrong PINs: badge " + credentials.badge_gsrn +
                                      " is locked until " + local_clock(*lock->locked_until) +
                                      ", or until a manager unlocks it");
  }
  auto staff = store_->login(credentials.badge_gsrn, credentials.pin, device_id);
  if (!staff) {
    Error e = std::move(staff).error();
    if (e.code == store::errc::kWrongPin &&
        lock->recent_failures + 1 >= options_.max_failed_logins) {
      e.message += "; the badge is now locked until " + local_clock(now + options_.lockout_window) +
                   ", or until a manager unlocks it";
    }
    e.message = who + e.message;
    return Unexpected(std::move(e));
  }
  return staff;
}

Result<Session> Service::login(const Credentials& credentials, std::string_view device_id) {
  if (is_blank(device_id)) return fail(errc::kInvalidRequest, "a sign-in needs the device id");
  auto staff = authenticate(credentials, device_id, "");
  if (!staff) return Unexpected(std::move(staff).error());
  Session s;
  s.id = new_session_id();
  s.staff = std::move(*staff);
  s.device_id = std::string(device_id);
  s.signed_in_at = clock_->now();
  s.expires_at = s.signed_in_at + options_.session_lifetime;
  sessions_[s.id] = s;
  return s;
}

Result<void> Service::logout(std::string_view session_id) {
  const auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return fail(errc::kNotSignedIn, "no such session");
  sessions_.erase(it);
  return {};
}

Result<Session*> Service::live_session(std::string_view session_id) {
  const auto it = sessions_.find(session_id);
  if (it == sessions_.end()) {
    return fail(errc::kNotSignedIn, "not signed in: scan your badge and enter your PIN");
  }
  if (clock_->now() >= it->second.expires_at) {
    sessions_.erase(it);
    return fail(errc::kSessionExpired, "the session has expired: sign in again");
  }
  auto staff = store_->staff(it->second.staff.id);
  if (!staff) return Unexpected(std::move(staff).error());
  if (!staff->active) {
    sessions_.erase(it);
    return fail(store::errc::kStaffInactive, staff->name + " is no longer active at this home");
  }
  it->second.staff = std::move(*staff);
  return &it->second;
}

Result<Session> Service::session(std::string_view session_id) {
  auto s = live_session(session_id);
  if (!s) return Unexpected(std::move(s).error());
  return **s;
}

Result<void> Service::unlock_badge(std::string_view session_id, std::string_view badge_gsrn) {
  auto s = live_session(session_id);
  if (!s) return Unexpected(std::move(s).error());
  const Session& session = **s;
  if (session.staff.role != domain::Role::kManager) {
    return fail(errc::kNotPermitted, "only a manager can unlock a badge");
  }
  auto logged = store_->append_audit(store::AuditEvent{
      store::AuditKind::kConfig, store::Actor{session.staff.id, session.device_id},
      "badge:" + std::string(badge_gsrn), detail::unlock_payload(badge_gsrn)});
  if (!logged) return Unexpected(std::move(logged).error());
  return {};
}

}  // namespace bcma::station::service
