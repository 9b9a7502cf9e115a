// Store: reading administrations back, and the history the rules engine is fed.
#include <map>

#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "codec.hpp"
#include "queries.hpp"

namespace bcma::station::store {

Result<AdministrationRecord> Store::administration(std::string_view record_id) {
  auto id = codec::normalise_uuid(record_id);
  if (!id) {
    std::string message(record_id);
    message += " is not a UUID (8-4-4-4-12 hex digits)";
    return fail(errc::kInvalidRecordId, std::move(message));
  }
  auto st = db_.prepare(
      "SELECT a.id, a.resident_id, a.prescription_id, a.prescription_version, a.slot, a.outcome,"
      "       a.quantity, a.ampp_id, a.amp_id, a.label_id, a.code, a.code_text, a.decision,"
      "       a.override_by, a.override_reason, a.override_witness, a.witness_id, a.event_time,"
      "       a.entered_at, a.device_id, a.staff_id, o.record_id, a.note, a.audit_seq,"
      "       (SELECT c.record_id FROM administrations c WHERE c.corrects_id = a.id)"
      " FROM administrations a LEFT JOIN administrations o ON o.id = a.corrects_id"
      " WHERE a.record_id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, *id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownRecord, "no record " + *id);
  AdministrationRecord out;
  NewAdministration& r = out.record;
  const std::int64_t row_id = st->int64(0);
  r.record_id = *id;
  r.resident_id = st->int64(1);
  r.prescription_id = st->int64(2);
  out.prescription_version = static_cast<int>(st->int64(3));
  if (!st->is_null(4)) r.slot = codec::instant_from_db(st->int64(4));
  const auto outcome = codec::outcome_from_text(st->text(5));
  if (!outcome) return fail(errc::kCorruptData, "record " + *id + " outcome");
  r.outcome = *outcome;
  r.quantity = codec::decimal_from_db(st->int64(6));
  r.ampp_id = st->optional_text(7);
  out.amp_id = st->optional_text(8);
  r.label_id = st->optional_text(9);
  r.code = st->optional_text(10).value_or("");
  r.code_text = st->text(11);
  if (!st->is_null(12)) {
    const auto decision = codec::decision_from_text(st->text(12));
    if (!decision) return fail(errc::kCorruptData, "record " + *id + " decision");
    r.verdict = RecordedVerdict{*decision, {}};
  }
  if (!st->is_null(13)) r.override = Override{st->int64(13), st->text(14), st->optional_int64(15)};
  r.witness = st->optional_int64(16);
  r.event_time = codec::instant_from_db(st->int64(17));
  out.ack = Ack{*id, row_id, st->int64(23), codec::instant_from_db(st->int64(18))};
  r.device_id = st->text(19);
  r.staff_id = st->int64(20);
  r.corrects = st->optional_text(21);
  r.note = st->text(22);
  out.corrected_by = st->optional_text(24);

  auto scans = db_.prepare(
      "SELECT role, symbology, raw_text, unable_reason FROM administration_scans"
      " WHERE administration_id = ?1 ORDER BY ordinal");
  if (!scans) return Unexpected(std::move(scans).error());
  scans->bind(1, row_id);
  for (;;) {
    auto s = scans->step();
    if (!s) return Unexpected(std::move(s).error());
    if (!*s) break;
    ScanEvidence e{scans->optional_text(2), scans->text(1), scans->optional_text(3)};
    if (scans->text(0) == "wristband") {
      r.wristband = std::move(e);
    } else {
      r.items.push_back(std::move(e));
    }
  }
  if (r.verdict) {
    auto reasons = db_.prepare(
        "SELECT code, message, prescription_id FROM administration_reasons"
        " WHERE administration_id = ?1 ORDER BY ordinal");
    if (!reasons) return Unexpected(std::move(reasons).error());
    reasons->bind(1, row_id);
    for (;;) {
      auto s = reasons->step();
      if (!s) return Unexpected(std::move(s).error());
      if (!*s) break;
      const auto code = rules::reason_from_string(reasons->text(0));
      if (!code) return fail(errc::kCorruptData, "reason code '" + reasons->text(0) + "'");
      r.verdict->reasons.push_back(
          rules::Reason{*code, reasons->text(1), reasons->optional_int64(2)});
    }
  }
  return out;
}

Result<std::vector<domain::PastDose>> Store::history(domain::ResidentId resident,
                                                     domain::Instant since) {
  std::optional<Transaction> tx;
  if (!db_.in_transaction()) {
    auto t = Transaction::begin(db_, Transaction::Kind::kDeferred);
    if (!t) return Unexpected(std::move(t).error());
    tx.emplace(std::move(*t));
  }
  auto st = db_.prepare(
      "SELECT a.record_id, a.prescription_id, a.slot, a.event_time, a.outcome, a.quantity,"
      "       m.vmp_id"
      " FROM administrations a LEFT JOIN amp m ON m.id = a.amp_id"
      " WHERE a.resident_id = ?1 AND a.event_time >= ?2"
      "   AND NOT EXISTS (SELECT 1 FROM administrations c WHERE c.corrects_id = a.id)"
      " ORDER BY a.event_time, a.id");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, resident).bind(2, codec::to_db(since));
  std::vector<domain::PastDose> out;
  std::vector<std::string> vmps;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    domain::PastDose d;
    d.record_id = st->text(0);
    d.prescription_id = st->int64(1);
    if (!st->is_null(2)) d.slot = codec::instant_from_db(st->int64(2));
    d.event_time = codec::instant_from_db(st->int64(3));
    const auto outcome = codec::outcome_from_text(st->text(4));
    if (!outcome) return fail(errc::kCorruptData, "record " + d.record_id + " outcome");
    d.outcome = *outcome;
    // Only what went in counts towards intervals and maxima.
    if (domain::was_taken(d.outcome)) d.quantity = codec::decimal_from_db(st->int64(5));
    vmps.push_back(st->optional_text(6).value_or(""));
    out.push_back(std::move(d));
  }
  std::map<std::string, std::vector<domain::Ingredient>> cache;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (vmps[i].empty()) continue;
    auto it = cache.find(vmps[i]);
    if (it == cache.end()) {
      auto ingredients = queries::vmp_ingredients(db_, vmps[i]);
      if (!ingredients) return Unexpected(std::move(ingredients).error());
      it = cache.emplace(vmps[i], std::move(*ingredients)).first;
    }
    out[i].ingredients = it->second;
  }
  return out;
}

}  // namespace bcma::station::store
