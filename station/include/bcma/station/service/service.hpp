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
#include "bcma/station/service/round_snapshot.hpp"
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

/// One record of a group commit, with the session it was sent in.
struct SessionRecord {
  std::string session_id;
  OutcomeRequest request;
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
  /// Group commit across sessions (many scanners share one fsync): each record is checked as
  /// `record_outcome` does in its own session, seeing every record before it in the batch
  /// whichever session sent it (a copy of an earlier record id is that record's repeat and gets
  /// its acknowledgement; an earlier dose for the same resident counts as recorded), then all
  /// accepted records are stored in ONE durable transaction, each in its own savepoint. Results
  /// are in input order and none exists before the commit has returned. A refused record does
  /// not affect the others; a session that is not live refuses only its own records (its
  /// session code). Refusal codes: as `record_outcome`; if the commit itself fails, every
  /// accepted record gets that error (`database_busy`, `sqlite_error`) and nothing is stored.
  std::vector<Result<OutcomeAck, Refusal>> record_outcomes(std::span<const SessionRecord> batch);

  // --- protocol 1.1 (round_snapshot.hpp) ----------------------------------------------------
  /// The round snapshot for the session's scanner: residents in the home's care, their
  /// prescriptions in force, the packs of those products, 48 hours of doses, recalls, policy,
  /// codes and the signed-in person's role. Read in one transaction; nothing is written.
  /// Errors: as `session`, `sqlite_error`, `database_busy`, `corrupt_data`.
  Result<RoundSnapshotData> round_snapshot(std::string_view session_id);

  /// A second member of staff confirms with badge and PIN at the trolley (a controlled drug, an
  /// override that needs a witness). Checked as a sign-in (audited, counts towards lockout);
  /// the confirmation id stands in for the PIN in the record that follows (Credentials).
  /// Errors: as `session`, `invalid_witness` (the signed-in person themselves),
  /// `unknown_badge`, `wrong_pin`, `staff_inactive`, `locked_out`, `sqlite_error`,
  /// `database_busy`.
  Result<WitnessConfirmed> confirm_witness(std::string_view session_id, const Credentials& witness);

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
  /// A witness given by confirmation id (witness.cpp). Errors: `unknown_confirmation`,
  /// `staff_inactive`, `sqlite_error`.
  Result<domain::Staff> confirmed_witness(const Credentials& credentials, std::string_view device_id);

  /// A witness confirmed at the trolley, until its session ends.
  struct Confirmation {
    std::string session_id;
    std::string device_id;
    std::string badge_gsrn;
    domain::StaffId staff_id = 0;
    domain::Instant expires_at{};
  };

  Service(store::Store& store, const domain::Clock& clock, ServiceOptions options)
      : store_(&store), clock_(&clock), options_(std::move(options)) {}

  store::Store* store_;
  const domain::Clock* clock_;
  ServiceOptions options_;
  std::map<std::string, Session, std::less<>> sessions_;
  std::map<std::string, Confirmation, std::less<>> confirmations_;  ///< by confirmation id
};

}  // namespace bcma::station::service
