#pragma once
/// \file
/// The station's scan-handling service: the operations of a medication round (sign in, scan
/// the resident, scan each item, record what happened) over the store and the rules engine.
/// The network server, `bcma scenario run` and the demo all call this one code path. No
/// sockets here; time comes from the injected clock. docs/scenarios.md describes the behaviour
/// the scenario files pin down.
///
/// Every scan and verdict is appended to the audit log; every sign-in (good or failed) and
/// every record is audited by the store. One `Service` uses one `store::Store` (one SQLite
/// connection): call it from one thread at a time.

#include <chrono>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/service/requests.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::service {

struct ServiceOptions {
  /// Lockout: this many wrong PINs for one badge within `lockout_window` (and since its last
  /// good sign-in or unlock) lock the badge until the oldest of them is `lockout_window` old,
  /// or until a manager unlocks it. Attempts while locked are refused and audited, and do not
  /// count (so a locked badge cannot be kept locked for ever by guessing).
  int max_failed_logins = 5;
  std::chrono::minutes lockout_window{30};
  std::chrono::hours session_lifetime{12};  ///< one shift; sign in again after
  /// GS1 company prefixes whose wristband GSRNs embed an NHS number (scan::Context).
  std::vector<std::string> nhs_gsrn_prefixes;
};

class Service {
 public:
  /// `store` and `clock` must outlive the service; `clock` must be the store's clock.
  /// Errors: `invalid_argument` (an NHS GSRN prefix that is not seven digits,
  /// `max_failed_logins` below 1, a lockout window or session lifetime not above zero).
  static Result<Service> create(store::Store& store, const domain::Clock& clock,
                                ServiceOptions options = {});

  // --- sessions ------------------------------------------------------------------------------
  /// Badge + PIN sign-in on `device_id`. Both outcomes are audited by the store; a locked
  /// badge's attempt is audited here (`login_failed`, refused `locked_out`).
  /// Errors: `locked_out`, `unknown_badge`, `wrong_pin`, `staff_inactive`, `invalid_request`
  /// (no device id), `sqlite_error`, `database_busy`.
  Result<Session> login(const Credentials& credentials, std::string_view device_id);
  /// Ends a session. Errors: `not_signed_in`.
  Result<void> logout(std::string_view session_id);
  /// The session, refreshed (staff re-read). Errors: `not_signed_in`, `session_expired`,
  /// `staff_inactive` (the session is ended), `sqlite_error`.
  Result<Session> session(std::string_view session_id);
  /// A manager lifts a lockout before it expires; audited (`config`, subject `badge:<gsrn>`).
  /// Errors: as `session`, `not_permitted` (not a manager), `sqlite_error`, `database_busy`.
  Result<void> unlock_badge(std::string_view session_id, std::string_view badge_gsrn);

  // --- the round -----------------------------------------------------------------------------
  /// Who the wristband belongs to, with today's doses and the PRN medicines in force. A scan
  /// that is not a wristband, or a wristband nobody here wears, is a status, not an error.
  /// Sets (or clears) the session's current resident. Audited (`scan`).
  /// Errors: as `session`, `invalid_request` (unable to scan: nothing to look up),
  /// `sqlite_error`, `database_busy`, `corrupt_data`.
  Result<ResidentView> scan_resident(std::string_view session_id, const ScanInput& wristband);

  /// The verdict for a pack or label for the session's current resident, from a snapshot of
  /// the store (prescriptions in force, the product by GTIN on today's date, the label's
  /// owner, 48 hours of history, recalls, policy). The scan and the verdict are audited in one
  /// transaction. Errors: as `session`, `resident_not_current`, `sqlite_error`,
  /// `database_busy`, `corrupt_data`.
  Result<ItemCheck> scan_item(std::string_view session_id, const ItemRequest& request);

  /// Records one outcome, re-evaluating the rules at the record's event time (a stale verdict
  /// is never used). A dose given against a block needs an override by a permitted role with a
  /// reason, and a witness (a different, valid member of staff) where the policy asks; a
  /// controlled drug needs a witness. Idempotent by `record_id` through the store.
  /// Refusal codes: `blocked`, `not_overridable`, `override_not_permitted`,
  /// `override_reason_missing`, `override_not_needed`, `witness_required`, `invalid_witness`,
  /// `wristband_mismatch`, `prescription_mismatch`, `slot_mismatch`, `missing_prescription`,
  /// `missing_slot`, `invalid_slot`, `invalid_request`, the sign-in codes for an overrider or
  /// witness (`wrong_pin`, `unknown_badge`, `staff_inactive`, `locked_out`), the session codes,
  /// and every `Store::record_administration` error (`record_conflict`, `invalid_time`,
  /// `missing_code`, `missing_text`, ...).
  Result<OutcomeAck, Refusal> record_outcome(std::string_view session_id,
                                             const OutcomeRequest& request);
  /// Group commit: each request is checked as `record_outcome` does (seeing the ones before it
  /// in the batch), then all accepted ones are stored in one durable transaction. Results are
  /// in input order; a refused request does not affect the others.
  std::vector<Result<OutcomeAck, Refusal>> record_outcomes(std::string_view session_id,
                                                           std::span<const OutcomeRequest> requests);

  const ServiceOptions& options() const { return options_; }

 private:
  struct Prepared;
  struct BatchEntry;
  Result<Session*> live_session(std::string_view session_id);
  Result<domain::Staff> authenticate(const Credentials& credentials, std::string_view device_id,
                                     std::string_view role_words);
  Result<Prepared, Refusal> prepare(const Session& session, const OutcomeRequest& request,
                                    std::span<const BatchEntry> earlier);
  Result<Prepared, Refusal> prepare_repeat(const Session& session, const OutcomeRequest& request,
                                           const store::NewAdministration& original);
  Result<void, Refusal> authorise(const Session& session, const OutcomeRequest& request,
                                  const rules::Verdict& verdict, const rules::Policy& policy,
                                  store::NewAdministration& record);
  scan::Context scan_context() const;

  Service(store::Store& store, const domain::Clock& clock, ServiceOptions options)
      : store_(&store), clock_(&clock), options_(std::move(options)) {}

  store::Store* store_;
  const domain::Clock* clock_;
  ServiceOptions options_;
  std::map<std::string, Session, std::less<>> sessions_;
};

}  // namespace bcma::station::service
