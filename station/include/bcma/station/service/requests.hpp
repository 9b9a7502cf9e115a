#pragma once
/// \file
/// What the scan-handling service is asked and what it answers: sessions, scans as they reached
/// the station, the resident view, item checks and outcome records.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bcma/domain/administration.hpp"
#include "bcma/domain/decimal.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/rules/engine.hpp"
#include "bcma/scan/scan.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::service {

/// A signed-in member of staff on one device. The service keeps sessions in memory: a restart
/// of the station signs everyone out.
struct Session {
  std::string id;                    ///< random, 128 bits as a UUID; names the session
  domain::Staff staff;               ///< as read at the last request (role changes apply)
  std::string device_id;
  domain::Instant signed_in_at{};
  domain::Instant expires_at{};
  /// The resident identified by this session's last wristband scan; item scans are for them.
  std::optional<domain::ResidentId> resident_id;
};

/// A badge and PIN: to sign in, and for the person who overrides or witnesses at the trolley.
struct Credentials {
  std::string badge_gsrn;  ///< AI 8017, 18 digits
  std::string pin;
  /// Instead of the PIN: the id `Service::confirm_witness` gave when this person confirmed at
  /// the trolley (protocol 1.1), valid on the same device while that session lasts.
  std::string confirmation_id{};
};

/// One identifier as it reached the station.
struct ScanInput {
  enum class Entry : std::uint8_t {
    kScanned,      ///< read by a scanner: `decode` is what the reader reported
    kTyped,        ///< typed by hand: `decode.text` is what was typed, `reason` why
    kUnableToScan  ///< nothing read or typed: `reason` says why
  };
  Entry entry = Entry::kScanned;
  scan::Decode decode;
  std::string reason;  ///< why it was not scanned (required for a record when not kScanned)

  static ScanInput scanned(scan::Decode d) { return ScanInput{Entry::kScanned, std::move(d), {}}; }
  static ScanInput typed(std::string text, std::string why) {
    scan::Decode d;
    d.text = std::move(text);
    return ScanInput{Entry::kTyped, std::move(d), std::move(why)};
  }
  static ScanInput unable_to_scan(std::string why) {
    return ScanInput{Entry::kUnableToScan, {}, std::move(why)};
  }
};

// --- scan resident ---------------------------------------------------------------------------

enum class ResidentScanStatus : std::uint8_t {
  kFound,
  kNotAWristband,  ///< the scan was something else (a label, a pack, a badge, unreadable)
  kNotFound,       ///< a valid wristband, but nobody in this home wears it
};
std::string_view to_string(ResidentScanStatus s);  ///< "found", "not_a_wristband", "not_found"

/// A scheduled dose around now, with what has been recorded against it.
struct DueLine {
  domain::PrescriptionId prescription_id = 0;
  std::string medication_name;
  std::string route_name;
  domain::DoseRange dose;
  std::string instructions;
  domain::Instant slot{};
  domain::Instant window_opens{};
  domain::Instant window_closes{};
  std::optional<domain::Outcome> recorded;  ///< the latest outcome recorded for this dose
  bool due_now = false;                     ///< its window holds now and nothing is recorded
};

/// A when-required medicine in force now. `available_now` is a guide from the minimum interval
/// (across products sharing an ingredient); the pack scan is checked in full, maxima included.
struct PrnLine {
  domain::PrescriptionId prescription_id = 0;
  std::string medication_name;
  domain::DoseRange dose;
  std::string indication;
  domain::Minutes min_interval{0};
  std::optional<domain::Decimal> max_per_24h;
  std::optional<domain::Instant> last_taken;    ///< of it or of anything sharing an ingredient
  std::optional<domain::Instant> allowed_from;  ///< last_taken + min_interval
  bool available_now = true;
};

struct ResidentView {
  ResidentScanStatus status = ResidentScanStatus::kNotFound;
  scan::Kind kind = scan::Kind::kUnknown;  ///< what the scan was
  std::string message;                     ///< for the care worker when not found
  std::optional<domain::Resident> resident;
  /// Today's doses (local day) and any other day's whose window holds now, in time order.
  std::vector<DueLine> doses;
  std::vector<PrnLine> prn;
  std::int64_t audit_seq = 0;  ///< the scan's audit entry
};

// --- scan item -------------------------------------------------------------------------------

struct ItemRequest {
  ScanInput item;
  /// The resident the scanner thinks it is serving; must be the session's current resident.
  /// nullopt: the session's current resident (none: `resident_not_identified`).
  std::optional<domain::ResidentId> resident_id;
  /// Dose units the care worker intends to give; nullopt: the prescribed dose.
  std::optional<domain::Decimal> quantity;
};

struct ItemCheck {
  scan::Kind kind = scan::Kind::kUnknown;
  rules::Verdict verdict;
  std::optional<domain::ProductMatch> product;  ///< what the pack or label resolved to
  std::optional<std::string> label_id;          ///< a pharmacy label the station knows
  std::int64_t verdict_audit_seq = 0;           ///< the verdict's audit entry ("verdict id")
  /// A block the signed-in member of staff may override (every blocking reason allows their
  /// role), and whether that override needs a witness: what `record_outcome` will accept.
  bool override_allowed = false;
  bool override_needs_witness = false;
};

// --- record outcome --------------------------------------------------------------------------

/// Giving against a block: who decides (a badge and PIN, or the signed-in person), why, and a
/// witness where the policy asks for one.
struct OverrideRequest {
  std::optional<Credentials> by;  ///< nullopt: the signed-in member of staff
  std::string reason;
  std::optional<Credentials> witness;
};

/// One outcome of one dose. `record_id` (a UUID the scanner makes once) makes every repeat of
/// the same request a no-op that gets the first acknowledgement again.
struct OutcomeRequest {
  std::string record_id;
  domain::ResidentId resident_id = 0;
  ScanInput wristband;
  /// The pack or label. For a dose given it is required: scanned, typed, or unable to scan
  /// with `ampp_id` naming the pack identified by hand.
  std::optional<ScanInput> item;
  std::optional<domain::SnomedId> ampp_id;
  /// Required when no item scan names it (refused before a pack was scanned, omitted...).
  std::optional<domain::PrescriptionId> prescription_id;
  /// The scheduled dose; found from the event time when not given.
  std::optional<domain::Instant> slot;
  domain::Outcome outcome = domain::Outcome::kGiven;
  domain::Decimal quantity;
  std::string code;       ///< non-administration code ("asleep"); empty for given
  std::string code_text;  ///< free text ("other" requires it)
  std::optional<OverrideRequest> override;
  std::optional<Credentials> witness;  ///< controlled drugs: the second person
  domain::Instant event_time{};
  std::optional<std::string> corrects;
  std::string note;
};

struct OutcomeAck {
  store::Ack ack;
  bool duplicate = false;  ///< the record was already stored: this is its first acknowledgement
  domain::PrescriptionId prescription_id = 0;
  std::optional<domain::Instant> slot;
  /// The verdict recorded with it: the station's re-evaluation at the event time.
  std::optional<store::RecordedVerdict> verdict;
};

/// Why a record was not stored. `code` is one of service::errc or store::errc; for `blocked`
/// and the override refusals, `verdict` is the re-evaluation that blocked it.
struct Refusal {
  std::string code;
  std::string message;
  std::optional<rules::Verdict> verdict;
};

}  // namespace bcma::station::service
