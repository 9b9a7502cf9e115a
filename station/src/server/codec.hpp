#pragma once
// Between the bcma.v1 messages and the service's types: pure functions, no I/O, no state.
// The mapping rules are documented in docs/station.md ("Protocol mapping").

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/service/requests.hpp"
#include "bcma/v1/envelope.pb.h"
#include "session_book.hpp"

namespace bcma::station::server::detail {

inline constexpr std::uint32_t kProtocolMajor = 1;
/// Raised with every release that adds to bcma.v1 (docs/protocol.md "Versioning rules").
inline constexpr std::uint32_t kProtocolMinor = 1;

/// Stable error codes the server itself adds to the service's and the store's.
namespace errc {
inline constexpr const char* kMalformedFrame = "malformed_frame";
inline constexpr const char* kFrameTooLarge = "frame_too_large";
inline constexpr const char* kUnsupportedVersion = "unsupported_version";
inline constexpr const char* kHelloRequired = "hello_required";
inline constexpr const char* kUnsupportedMessage = "unsupported_message";
inline constexpr const char* kUnexpectedMessage = "unexpected_message";
inline constexpr const char* kInvalidRequest = "invalid_request";
inline constexpr const char* kScanContextLost = "scan_context_lost";
inline constexpr const char* kStationStopping = "station_stopping";
inline constexpr const char* kInternal = "internal_error";
// Protocol 1.1.
inline constexpr const char* kWitnessUnverified = "witness_unverified";
inline constexpr const char* kSnapshotExpired = "snapshot_expired";
}  // namespace errc

std::string serialize(const v1::Envelope& envelope);
/// An Error envelope, serialized.
std::string error_envelope(std::uint64_t request_id, std::string_view code, std::string_view message);

void set_timestamp(google::protobuf::Timestamp& ts, domain::Instant t);
/// Whole seconds (the store keeps seconds); nanoseconds are dropped.
domain::Instant instant_of(const google::protobuf::Timestamp& ts);

/// A scan as the scanner sent it. A typed entry keeps the scanner's reason (protocol 1.1,
/// `manual_reason`); a 1.0 scanner sends none, and the reason then says so. It is kept with the
/// record, and the record shows a manual entry as manual.
service::ScanInput scan_input(const v1::RawDecode& decode, v1::EntryMethod entry,
                              std::string_view manual_reason = {});

/// "<prescription id>@<slot, Unix seconds>", e.g. "12@1773129600": names one scheduled dose.
std::string scheduled_dose_id(domain::PrescriptionId prescription, domain::Instant slot);
struct ScheduledDose {
  domain::PrescriptionId prescription_id = 0;
  std::optional<domain::Instant> slot;  ///< absent for "<prescription id>" alone (PRN)
};
/// Errors: `invalid_request`.
Result<ScheduledDose> parse_scheduled_dose_id(std::string_view text);
/// A decimal id ("12"); nullopt if empty. Errors: `invalid_request`.
Result<std::optional<std::int64_t>> parse_id(std::string_view text, std::string_view what);

/// The resident screen: who, with photo reference, date of birth and allergies (protocol 1.1
/// adds `photo_ref` and the list of `due` doses to 1.0's count).
void fill_summary(const service::ResidentView& view, v1::ResidentSummary& out);
void fill_verdict(const service::ItemCheck& check, v1::Verdict& out);
/// What the station remembers of an item check for the record that follows it.
VerdictMemo memo_of(const service::ItemCheck& check, const service::ScanInput& item,
                    std::optional<domain::ResidentId> resident);

/// Everything the translation of a RecordOutcome needs besides the message.
struct RecordContext {
  const SessionMemo* session = nullptr;
  domain::StaffId staff_id = 0;  ///< of the signed-in member of staff (0: unknown)
  /// Non-administration code -> the outcome it belongs to (the store's code table).
  const std::map<std::string, domain::Outcome, std::less<>>* codes = nullptr;
};

/// The service request for a RecordOutcome, or why there is none: a Refusal whose code is
/// `invalid_request` (final: the message cannot be recorded as sent) or `scan_context_lost`
/// (the station no longer holds the scans the record follows; the scanner keeps it).
Result<service::OutcomeRequest, service::Refusal> outcome_request(const v1::RecordOutcome& msg,
                                                                  const RecordContext& context);

/// Refusals the scanner must keep the record for and send again later (sessions, the
/// database, the station itself): answered with an Error, never with a REJECTED
/// acknowledgement, because a scanner drops a rejected record from its outbox.
bool is_transient(std::string_view code);

void fill_ack(const service::OutcomeAck& ack, std::string_view outcome_id, v1::Acknowledgement& out);
void fill_rejection(const service::Refusal& refusal, std::string_view outcome_id,
                    v1::Acknowledgement& out);

}  // namespace bcma::station::server::detail
