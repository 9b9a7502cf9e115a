#pragma once
/// \file
/// What the store reads and writes beyond the shared domain types: administration records and
/// their acknowledgements, dispensed items, stock ledger entries, non-administration codes,
/// prescription versions and dm+d import batches.

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
#include "bcma/rules/policy.hpp"
#include "bcma/rules/reason.hpp"

namespace bcma::station::store {

/// Who did something and from where: stamped on every audit entry.
struct Actor {
  std::optional<domain::StaffId> staff_id;  ///< nullopt: the system (pharmacy sync, setup)
  std::string device_id;                    ///< "station", "scanner-07", "pharmacy-sync"
};

/// The care home. There is exactly one per station database.
struct Home {
  std::string name;
  std::string ods_code;  ///< the home's organisation code, may be empty
};

/// A code for a dose that was not given: the domain's type; the store keeps the home's list.
using domain::NonAdministrationCode;
using domain::default_non_administration_codes;

/// What the care worker scanned, or why they could not: kept with the record.
struct ScanEvidence {
  std::optional<std::string> text;           ///< raw decode text exactly as read (with GS)
  std::string symbology;                     ///< "]d2", "]C1", "]E0"; may be empty
  std::optional<std::string> unable_reason;  ///< "unable to scan": why (exactly one of the two)

  static ScanEvidence scanned(std::string raw, std::string symbology_id = {}) {
    return ScanEvidence{std::move(raw), std::move(symbology_id), std::nullopt};
  }
  static ScanEvidence unable_to_scan(std::string why) {
    return ScanEvidence{std::nullopt, {}, std::move(why)};
  }
  friend bool operator==(const ScanEvidence&, const ScanEvidence&) = default;
};

/// The verdict shown before the outcome was recorded.
struct RecordedVerdict {
  rules::Decision decision = rules::Decision::kProceed;
  std::vector<rules::Reason> reasons;
  friend bool operator==(const RecordedVerdict&, const RecordedVerdict&) = default;
};

/// A block or warning overridden by a permitted person.
struct Override {
  domain::StaffId by = 0;
  std::string reason;                       ///< why, as typed or chosen; never empty
  std::optional<domain::StaffId> witness;   ///< when the policy demands one
  friend bool operator==(const Override&, const Override&) = default;
};

/// One outcome of one dose, as a scanner or the station submits it.
struct NewAdministration {
  std::string record_id;                    ///< client-generated UUID: idempotency key
  domain::ResidentId resident_id = 0;
  domain::PrescriptionId prescription_id = 0;
  std::optional<domain::Instant> slot;      ///< the scheduled dose it answers
  domain::Outcome outcome = domain::Outcome::kGiven;
  domain::Decimal quantity;                 ///< dose units; > 0 for given
  /// The pack given (dm+d AMPP). Optional when `label_id` names it.
  std::optional<domain::SnomedId> ampp_id;
  /// The pharmacy label scanned: stock then moves from the resident's labelled stock.
  std::optional<std::string> label_id;
  std::string code;                         ///< non-administration code; empty for given
  std::string code_text;                    ///< free text ("other" requires it)
  ScanEvidence wristband;
  std::vector<ScanEvidence> items;
  std::optional<RecordedVerdict> verdict;
  std::optional<Override> override;       ///< a block or warning overridden
  std::optional<domain::StaffId> witness;   ///< controlled drugs: the second person
  domain::Instant event_time{};             ///< when it happened (may be before entry)
  std::string device_id;
  domain::StaffId staff_id = 0;
  std::optional<std::string> corrects;      ///< record id of the record this one corrects
  std::string note;
};

/// The store's answer to a recorded administration. A repeated delivery of the same record
/// gets exactly the same acknowledgement.
struct Ack {
  std::string record_id;       ///< normalised (lower-case) UUID
  std::int64_t sequence = 0;   ///< the record's row number in this home
  std::int64_t audit_seq = 0;  ///< the audit entry that logged it
  domain::Instant entered_at{};  ///< when the station stored it
  friend bool operator==(const Ack&, const Ack&) = default;
};

/// A stored administration, as read back.
struct AdministrationRecord {
  NewAdministration record;
  Ack ack;
  int prescription_version = 0;   ///< the version in force at event_time
  std::optional<domain::SnomedId> amp_id;  ///< of the product given
  std::optional<std::string> corrected_by;  ///< a later record that corrects this one
};

/// A pack dispensed by the pharmacy for one resident, identified by the label's barcode.
struct DispensedItem {
  std::string label_id;                    ///< as on the label barcode
  domain::ResidentId resident_id = 0;
  domain::SnomedId ampp_id;
  std::optional<domain::PrescriptionId> prescription_id;
  domain::Decimal quantity;                ///< dose units in the pack
  domain::Date dispensed_on{};
  std::string pharmacy;
  friend bool operator==(const DispensedItem&, const DispensedItem&) = default;
};

enum class StockKind : std::uint8_t {
  kReceipt,         ///< booked in: +
  kAdministration,  ///< a dose given: -
  kWaste,           ///< destroyed, dropped, expired, refused and destroyed: -
  kReturn,          ///< returned to the pharmacy: -
  kAdjustment,      ///< count correction or reversal of a corrected record: + or -
};

/// A stock movement to record. `quantity` is a magnitude (> 0) for every kind but adjustment,
/// whose sign says which way the count moved.
struct NewStockEntry {
  StockKind kind = StockKind::kReceipt;
  domain::SnomedId ampp_id;                ///< the pack; optional when label_id names it
  std::optional<domain::ResidentId> resident_id;  ///< labelled stock; nullopt = home stock
  std::optional<std::string> label_id;
  domain::Decimal quantity;
  std::string reason;                      ///< required for waste, return and adjustment
  std::optional<domain::StaffId> witness;
  domain::Instant event_time{};
};

/// A stock ledger entry as stored (signed quantity).
struct StockEntry {
  std::int64_t id = 0;
  StockKind kind = StockKind::kReceipt;
  domain::SnomedId amp_id;
  std::optional<domain::SnomedId> ampp_id;
  std::optional<domain::ResidentId> resident_id;
  std::optional<std::string> label_id;
  domain::Decimal quantity;                ///< signed: + in, - out
  std::string reason;
  std::optional<domain::StaffId> staff_id;
  std::optional<domain::StaffId> witness;
  std::optional<std::string> administration_record_id;
  domain::Instant event_time{};
  domain::Instant entered_at{};
};

/// One version of a prescription, with when it took effect and when it was stored.
struct PrescriptionVersion {
  domain::Prescription prescription;
  domain::Instant effective_from{};
  domain::Instant recorded_at{};
};

/// A GTIN of a pack, valid from `start` to `end` inclusive (dm+d GTINDATA).
struct GtinMapping {
  std::string gtin;  ///< 13 or 14 digits; stored as 14
  domain::SnomedId ampp_id;
  domain::Date start{};
  std::optional<domain::Date> end;
};

/// A chunk of dm+d data, imported in one transaction (existing rows are replaced by id).
struct ProductBatch {
  std::vector<domain::Vtm> vtms;
  std::vector<domain::Vmp> vmps;
  std::vector<domain::Amp> amps;
  std::vector<domain::Ampp> ampps;
  std::vector<GtinMapping> gtins;
};

}  // namespace bcma::station::store
