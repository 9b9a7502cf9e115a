#pragma once
/// \file
/// The stable error codes the scan-handling service adds to the store's (`store/errors.hpp`,
/// which pass through unchanged: `wrong_pin`, `record_conflict`, `invalid_time`...). The
/// network server maps them to scanner messages and the scenario files match on them, so never
/// rename one. A clinical "no" is a verdict, never one of these; `blocked` is the refusal to
/// *record* a dose given against a block.

namespace bcma::station::service::errc {

// Sessions and sign-in.
inline constexpr const char* kNotSignedIn = "not_signed_in";      ///< no such session
inline constexpr const char* kSessionExpired = "session_expired";  ///< past its lifetime
inline constexpr const char* kLockedOut = "locked_out";           ///< too many wrong PINs
inline constexpr const char* kNotPermitted = "not_permitted";      ///< the role may not do this

// Requests that are incomplete or do not fit what the station knows.
inline constexpr const char* kInvalidRequest = "invalid_request";
/// The wristband in a record (or an item scan's resident) is not the resident named.
inline constexpr const char* kWristbandMismatch = "wristband_mismatch";
/// An item scan names a resident other than the one whose wristband this session scanned last.
inline constexpr const char* kResidentNotCurrent = "resident_not_current";
/// The record names a prescription or dose other than the one the station's re-evaluation
/// finds for this scan now: the verdict the scanner showed is stale. Scan again.
inline constexpr const char* kPrescriptionMismatch = "prescription_mismatch";
inline constexpr const char* kSlotMismatch = "slot_mismatch";
inline constexpr const char* kMissingPrescription = "missing_prescription";
inline constexpr const char* kMissingSlot = "missing_slot";  ///< a regular dose with no dose named
inline constexpr const char* kInvalidSlot = "invalid_slot";  ///< not a dose time of the prescription

// Giving against a verdict.
inline constexpr const char* kBlocked = "blocked";  ///< given against a block, no valid override
inline constexpr const char* kNotOverridable = "not_overridable";        ///< policy: nobody may
inline constexpr const char* kOverrideNotPermitted = "override_not_permitted";  ///< not this role
inline constexpr const char* kOverrideReasonMissing = "override_reason_missing";
inline constexpr const char* kOverrideNotNeeded = "override_not_needed";  ///< nothing is blocked
inline constexpr const char* kWitnessRequired = "witness_required";
/// The witness is the same person as the one they witness, or not a valid member of staff.
inline constexpr const char* kInvalidWitness = "invalid_witness";
/// A witness named by a confirmation id this station did not give on this device, or gave to
/// a session that has ended (a restart forgets them all).
inline constexpr const char* kUnknownConfirmation = "unknown_confirmation";

}  // namespace bcma::station::service::errc
