// Service: a witness confirms at the trolley (protocol 1.1). The badge and PIN are checked at
// once, as a sign-in, so that a wrong PIN is known while both people are still there; the
// record that follows names the confirmation instead of carrying the PIN.
#include <array>
#include <cstdio>
#include <random>

#include "bcma/station/service/errors.hpp"
#include "bcma/station/service/service.hpp"
#include "bcma/station/store/errors.hpp"

namespace bcma::station::service {
namespace {

// 128 bits from the kernel's CSPRNG (std::random_device on Linux): a confirmation id must not
// be guessable from another one.
std::string random_confirmation_id() {
  std::random_device rd;
  std::array<char, 36> out{};
  std::snprintf(out.data(), out.size(), "wc-%08x%08x%08x%08x", rd(), rd(), rd(), rd());
  return std::string(out.data());
}

}  // namespace

Result<WitnessConfirmed> Service::confirm_witness(std::string_view session_id,
                                                  const Credentials& witness) {
  auto live = live_session(session_id);
  if (!live) return Unexpected(std::move(live).error());
  const Session session = **live;  // a copy: authenticate() may not touch sessions_, but be safe
  if (witness.badge_gsrn == session.staff.badge_gsrn) {
    // Refused before the PIN is looked at: the giver cannot be their own second signature.
    return fail(errc::kInvalidWitness,
                "the witness must be a second person, not " + session.staff.name);
  }
  Credentials checked{witness.badge_gsrn, witness.pin};  // never by an earlier confirmation
  auto staff = authenticate(checked, session.device_id, "witness");
  if (!staff) return Unexpected(std::move(staff).error());
  if (staff->id == session.staff.id) {
    return fail(errc::kInvalidWitness,
                "the witness must be a second person, not " + session.staff.name);
  }
  const domain::Instant now = clock_->now();
  std::erase_if(confirmations_, [&](const auto& entry) { return entry.second.expires_at <= now; });
  WitnessConfirmed out{random_confirmation_id(), *staff};
  confirmations_[out.confirmation_id] =
      Confirmation{session.id, session.device_id, staff->badge_gsrn, staff->id, session.expires_at};
  return out;
}

Result<domain::Staff> Service::confirmed_witness(const Credentials& credentials,
                                                 std::string_view device_id) {
  const auto it = confirmations_.find(credentials.confirmation_id);
  if (it == confirmations_.end() || it->second.device_id != device_id ||
      it->second.badge_gsrn != credentials.badge_gsrn || it->second.expires_at <= clock_->now()) {
    return fail(errc::kUnknownConfirmation,
                "witness confirmation " + credentials.confirmation_id +
                    " was not given to this scanner for badge " + credentials.badge_gsrn +
                    " (or the station has restarted since): the witness must confirm again");
  }
  auto staff = store_->staff(it->second.staff_id);
  if (!staff) return Unexpected(std::move(staff).error());
  if (!staff->active) {
    return fail(store::errc::kStaffInactive, staff->name + " is no longer active at this home");
  }
  return staff;
}

}  // namespace bcma::station::service
