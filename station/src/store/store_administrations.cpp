// Store: recording administrations. Each record is validated completely before anything is
// written; then its audit entries, its row, its scans and reasons and its stock movement are
// written in one transaction (one savepoint of it in a group commit). Records are append-only.
#include "administration_codec.hpp"
#include "bcma/core/text.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "codec.hpp"

namespace bcma::station::store {

using domain::Outcome;

struct Store::Prepared {
  std::string record_id;
  std::string content_sha256;
  int prescription_version = 0;
  std::optional<domain::SnomedId> ampp_id;
  std::optional<domain::SnomedId> amp_id;
  std::optional<domain::ResidentId> stock_owner;  ///< labelled stock: the label's resident
  std::optional<std::string> code;                ///< null for a dose given
  std::optional<std::string> corrects;            ///< normalised record id
  std::optional<StockEntry> reversal;             ///< undoes the corrected record's movement
};

namespace {

Result<void> check_scan(const ScanEvidence& s, const std::string& what) {
  const bool has_text = s.text.has_value() && !s.text->empty();
  const bool has_reason = s.unable_reason.has_value() && !s.unable_reason->empty();
  if (has_text == has_reason) {
    return fail(errc::kInvalidScan, what + " needs either the scanned text or the reason it could"
                                           " not be scanned (exactly one)");
  }
  return {};
}

// The code recorded when none is given for an outcome that is not an omission.
std::string_view implied_code(Outcome o) {
  switch (o) {
    case Outcome::kRefused: return "refused";
    case Outcome::kRefusedAndDestroyed: return "refused_destroyed";
    case Outcome::kNotRequired: return "not_required";
    case Outcome::kSelfAdministered: return "self_administering";
    case Outcome::kGiven:
    case Outcome::kOmitted: break;
  }
  return {};
}

}  // namespace

Result<Store::Prepared> Store::prepare_record(const NewAdministration& in,
                                              const std::string& record_id) {
  Prepared p;
  p.record_id = record_id;
  auto hash = administration_content_hash(in, record_id);
  if (!hash) return Unexpected(std::move(hash).error());
  p.content_sha256 = std::move(*hash);

  if (is_blank(in.device_id)) return fail(errc::kInvalidArgument, "a record needs the device id");
  if (in.event_time > clock_->now() + options_.max_clock_skew) {
    return fail(errc::kInvalidTime, "the event time " + codec::instant_text(in.event_time) +
                                        " is in the future (station time " +
                                        codec::instant_text(clock_->now()) +
                                        "): check the scanner's clock");
  }

  // Who and for whom.
  if (auto r = resident(in.resident_id); !r) return Unexpected(std::move(r).error());
  {
    auto st = db_.prepare("SELECT resident_id FROM prescriptions WHERE id = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, in.prescription_id);
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) {
      return fail(errc::kUnknownPrescription,
                  "no prescription with id " + std::to_string(in.prescription_id));
    }
    if (st->int64(0) != in.resident_id) {
      return fail(errc::kPrescriptionNotForResident,
                  "prescription " + std::to_string(in.prescription_id) +
                      " belongs to another resident, not resident " + std::to_string(in.resident_id));
    }
  }
  {
    // 0 when no version was in force yet at the event time (a backdated record).
    auto st = db_.prepare(
        "SELECT coalesce(max(version), 0) FROM prescription_versions WHERE prescription_id = ?1"
        " AND effective_from <= ?2");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, in.prescription_id).bind(2, codec::to_db(in.event_time));
    if (auto r = st->step(); !r) return Unexpected(std::move(r).error());
    p.prescription_version = static_cast<int>(st->int64(0));
  }
  if (auto r = ensure_staff(in.staff_id, "the person recording"); !r) return Unexpected(std::move(r).error());
  if (in.witness) {
    if (auto r = ensure_staff(*in.witness, "witness"); !r) return Unexpected(std::move(r).error());
    if (*in.witness == in.staff_id) {
      return fail(errc::kInvalidWitness, "the witness must be a second person, not the giver");
    }
  }

  // Outcome, quantity and code.
  const domain::Decimal zero{};
  if (in.quantity < zero) return fail(errc::kInvalidQuantity, "a quantity cannot be negative");
  switch (in.outcome) {
    case Outcome::kGiven:
      if (in.quantity <= zero) {
        return fail(errc::kInvalidQuantity, "a dose given needs a quantity more than zero");
      }
      break;
    case Outcome::kRefused:
    case Outcome::kOmitted:
    case Outcome::kNotRequired:
      if (in.quantity != zero) {
        return fail(errc::kInvalidQuantity,
                    std::string("nothing is given when the outcome is ") +
                        std::string(codec::to_text(in.outcome)) + ": the quantity must be 0");
      }
      break;
    case Outcome::kRefusedAndDestroyed:
    case Outcome::kSelfAdministered:
      break;
  }
  if (in.outcome == Outcome::kGiven) {
    if (!in.code.empty()) {
      return fail(errc::kUnexpectedCode, "a dose given takes no non-administration code");
    }
  } else {
    std::string code = in.code;
    if (code.empty()) {
      if (in.outcome == Outcome::kOmitted) {
        return fail(errc::kMissingCode, "an omitted dose needs a non-administration code");
      }
      code = std::string(implied_code(in.outcome));
    }
    auto st = db_.prepare(
        "SELECT outcome, requires_text, active FROM non_administration_codes WHERE code = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, code);
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row || st->int64(2) == 0) {
      return fail(in.code.empty() ? errc::kMissingCode : errc::kUnknownCode,
                  "'" + code + "' is not an active non-administration code of this home");
    }
    if (st->text(0) != codec::to_text(in.outcome)) {
      return fail(errc::kCodeNotForOutcome, "code '" + code + "' is for outcome " + st->text(0) +
                                                ", not " + std::string(codec::to_text(in.outcome)));
    }
    if (st->int64(1) != 0 && is_blank(in.code_text)) {
      return fail(errc::kMissingText, "code '" + code + "' needs a free-text explanation");
    }
    p.code = std::move(code);
  }

  // Scans.
  if (auto r = check_scan(in.wristband, "the wristband"); !r) return Unexpected(std::move(r).error());
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    if (auto r = check_scan(in.items[i], "item scan " + std::to_string(i + 1)); !r) {
      return Unexpected(std::move(r).error());
    }
  }
  if (in.outcome == Outcome::kGiven && in.items.empty()) {
    return fail(errc::kInvalidScan,
                "a dose given needs the item scan, or the reason the item could not be scanned");
  }

  // The product, and whose stock it is.
  if (in.ampp_id && !in.ampp_id->empty()) p.ampp_id = *in.ampp_id;
  if (in.label_id) {
    auto item = dispensed_item(*in.label_id);
    if (!item) return Unexpected(std::move(item).error());
    if (item->resident_id != in.resident_id) {
      return fail(errc::kLabelNotForResident,
                  "label " + *in.label_id + " was dispensed for another resident");
    }
    if (p.ampp_id && *p.ampp_id != item->ampp_id) {
      return fail(errc::kProductMismatch, "label " + *in.label_id + " is for pack " +
                                              item->ampp_id + ", not " + *p.ampp_id);
    }
    p.ampp_id = item->ampp_id;
    p.stock_owner = item->resident_id;
  }
  if (p.ampp_id) {
    domain::SnomedId amp;
    if (auto r = ensure_product(*p.ampp_id, &amp); !r) return Unexpected(std::move(r).error());
    p.amp_id = std::move(amp);
  } else if (in.outcome == Outcome::kGiven) {
    return fail(errc::kMissingProduct, "a dose given needs the pack given (AMPP) or its label");
  }

  // Verdict and override.
  if (in.override) {
    const auto& o = *in.override;
    if (!in.verdict || in.verdict->decision == rules::Decision::kProceed) {
      return fail(errc::kInvalidOverride, "an override needs the warning or block it overrides");
    }
    if (is_blank(o.reason)) return fail(errc::kInvalidOverride, "an override needs a reason");
    if (auto r = ensure_staff(o.by, "override"); !r) return Unexpected(std::move(r).error());
    if (o.witness) {
      if (auto r = ensure_staff(*o.witness, "override witness"); !r) return Unexpected(std::move(r).error());
      if (*o.witness == o.by) {
        return fail(errc::kInvalidWitness, "the override witness must be a second person");
      }
    }
  }

  // Correction.
  if (in.corrects) {
    auto target = codec::normalise_uuid(*in.corrects);
    if (!target) return fail(errc::kInvalidCorrection, "'" + *in.corrects + "' is not a record id");
    if (*target == record_id) return fail(errc::kInvalidCorrection, "a record cannot correct itself");
    auto st = db_.prepare(
        "SELECT a.id, a.resident_id, a.prescription_id,"
        "       (SELECT c.record_id FROM administrations c WHERE c.corrects_id = a.id)"
        " FROM administrations a WHERE a.record_id = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, *target);
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) return fail(errc::kInvalidCorrection, "there is no record " + *target + " to correct");
    if (st->int64(1) != in.resident_id || st->int64(2) != in.prescription_id) {
      return fail(errc::kInvalidCorrection,
                  "record " + *target + " is for another resident or prescription");
    }
    if (!st->is_null(3)) {
      return fail(errc::kInvalidCorrection, "record " + *target + " was already corrected by " +
                                                st->text(3) + ": correct that record instead");
    }
    const std::int64_t original = st->int64(0);
    p.corrects = *target;

    auto moved = db_.prepare(
        "SELECT amp_id, ampp_id, resident_id, label_id, sum(quantity) FROM stock_ledger"
        " WHERE administration_id = ?1 GROUP BY amp_id, ampp_id, resident_id, label_id");
    if (!moved) return Unexpected(std::move(moved).error());
    moved->bind(1, original);
    auto m = moved->step();
    if (!m) return Unexpected(std::move(m).error());
    if (*m && moved->int64(4) != 0) {
      StockEntry rev;
      rev.kind = StockKind::kAdjustment;
      rev.amp_id = moved->text(0);
      rev.ampp_id = moved->optional_text(1);
      rev.resident_id = moved->optional_int64(2);
      rev.label_id = moved->optional_text(3);
      rev.quantity = domain::Decimal::from_thousandths(-moved->int64(4));
      rev.reason = "reverses record " + *target + ", corrected by " + record_id;
      p.reversal = std::move(rev);
    }
  }
  return p;
}

Result<Ack> Store::record_one(const NewAdministration& in) {
  auto record_id = codec::normalise_uuid(in.record_id);
  if (!record_id) {
    return fail(errc::kInvalidRecordId,
                "record id '" + in.record_id + "' is not a UUID (8-4-4-4-12 hex digits)");
  }
  {
    auto st = db_.prepare(
        "SELECT id, audit_seq, entered_at, content_sha256 FROM administrations WHERE record_id = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, *record_id);
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (*row) {
      auto hash = administration_content_hash(in, *record_id);
      if (!hash) return Unexpected(std::move(hash).error());
      if (*hash != st->text(3)) {
        return fail(errc::kRecordConflict,
                    "record " + *record_id + " was already stored with different content");
      }
      return Ack{*record_id, st->int64(0), st->int64(1), codec::instant_from_db(st->int64(2))};
    }
  }

  auto prepared = prepare_record(in, *record_id);
  if (!prepared) return Unexpected(std::move(prepared).error());
  const Prepared& p = *prepared;
  const domain::Instant entered = clock_->now();
  const Actor actor{in.staff_id, in.device_id};

  if (in.override) {
    if (auto r = audit(AuditKind::kOverride, Actor{in.override->by, in.device_id},
                       "record:" + p.record_id, override_payload(in, p.record_id));
        !r) {
      return Unexpected(std::move(r).error());
    }
  }
  AuditEvent ev{AuditKind::kAdministration, actor, "record:" + p.record_id,
                administration_payload(in, p.record_id, p.code, p.prescription_version, p.ampp_id,
                                       p.corrects)};
  auto logged = store::append_audit(db_, ev, entered);
  if (!logged) return Unexpected(std::move(logged).error());

  auto st = db_.prepare(
      "INSERT INTO administrations (record_id, content_sha256, resident_id, prescription_id,"
      " prescription_version, slot, outcome, quantity, ampp_id, amp_id, label_id, code, code_text,"
      " decision, override_by, override_reason, override_witness, witness_id, event_time,"
      " entered_at, device_id, staff_id, corrects_id, note, audit_seq)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
      " ?19, ?20, ?21, ?22, (SELECT id FROM administrations WHERE record_id = ?23), ?24, ?25)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, p.record_id).bind(2, p.content_sha256).bind(3, in.resident_id)
      .bind(4, in.prescription_id).bind(5, std::int64_t{p.prescription_version})
      .bind(6, in.slot ? std::optional<std::int64_t>(codec::to_db(*in.slot)) : std::nullopt)
      .bind(7, codec::to_text(in.outcome)).bind(8, codec::to_db(in.quantity)).bind(9, p.ampp_id)
      .bind(10, p.amp_id).bind(11, in.label_id).bind(12, p.code).bind(13, in.code_text);
  if (in.verdict) {
    st->bind(14, codec::to_text(in.verdict->decision));
  } else {
    st->bind_null(14);
  }
  if (in.override) {
    st->bind(15, in.override->by).bind(16, in.override->reason).bind(17, in.override->witness);
  } else {
    st->bind_null(15).bind_null(16).bind_null(17);
  }
  st->bind(18, in.witness).bind(19, codec::to_db(in.event_time)).bind(20, codec::to_db(entered))
      .bind(21, in.device_id).bind(22, in.staff_id).bind(23, p.corrects).bind(24, in.note)
      .bind(25, logged->seq);
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  const std::int64_t row_id = db_.last_insert_rowid();

  std::int64_t ordinal = 0;
  auto add_scan = [&](const ScanEvidence& s, std::string_view role) -> Result<void> {
    auto ins = db_.prepare(
        "INSERT INTO administration_scans (administration_id, ordinal, role, symbology, raw_text,"
        " unable_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!ins) return Unexpected(std::move(ins).error());
    ins->bind(1, row_id).bind(2, ordinal++).bind(3, role).bind(4, s.symbology).bind(5, s.text)
        .bind(6, s.unable_reason);
    return ins->run();
  };
  if (auto r = add_scan(in.wristband, "wristband"); !r) return Unexpected(std::move(r).error());
  for (const auto& item : in.items) {
    if (auto r = add_scan(item, "item"); !r) return Unexpected(std::move(r).error());
  }
  if (in.verdict) {
    std::int64_t n = 0;
    for (const auto& reason : in.verdict->reasons) {
      auto ins = db_.prepare(
          "INSERT INTO administration_reasons (administration_id, ordinal, code, message,"
          " prescription_id) VALUES (?1, ?2, ?3, ?4, ?5)");
      if (!ins) return Unexpected(std::move(ins).error());
      ins->bind(1, row_id).bind(2, n++).bind(3, rules::to_string(reason.code))
          .bind(4, reason.message).bind(5, reason.prescription_id);
      if (auto r = ins->run(); !r) return Unexpected(std::move(r).error());
    }
  }

  if (p.reversal) {
    StockEntry rev = *p.reversal;
    rev.staff_id = in.staff_id;
    rev.administration_record_id = p.record_id;
    rev.event_time = in.event_time;
    rev.entered_at = entered;
    if (auto r = insert_stock(rev); !r) return Unexpected(std::move(r).error());
  }
  const bool moves_stock =
      p.amp_id && in.quantity > domain::Decimal{} &&
      (in.outcome == Outcome::kGiven || in.outcome == Outcome::kRefusedAndDestroyed);
  if (moves_stock) {
    StockEntry s;
    s.kind = in.outcome == Outcome::kGiven ? StockKind::kAdministration : StockKind::kWaste;
    s.amp_id = *p.amp_id;
    s.ampp_id = p.ampp_id;
    s.resident_id = p.stock_owner;
    s.label_id = in.label_id;
    s.quantity = domain::Decimal{} - in.quantity;
    s.reason = in.outcome == Outcome::kGiven ? "dose given" : "refused and destroyed";
    s.staff_id = in.staff_id;
    s.witness = in.witness;
    s.administration_record_id = p.record_id;
    s.event_time = in.event_time;
    s.entered_at = entered;
    if (auto r = insert_stock(s); !r) return Unexpected(std::move(r).error());
  }
  return Ack{p.record_id, row_id, logged->seq, entered};
}

Result<Ack> Store::record_administration(const NewAdministration& record) {
  auto results = record_administrations(std::span<const NewAdministration>(&record, 1));
  return std::move(results.front());
}

std::vector<Result<Ack>> Store::record_administrations(std::span<const NewAdministration> records) {
  return *record_administrations(records, KeepBatch{});
}

std::optional<std::vector<Result<Ack>>> Store::record_administrations(
    std::span<const NewAdministration> records, const KeepBatch& keep) {
  std::vector<Result<Ack>> results;
  results.reserve(records.size());
  auto all_failed = [&](const Error& e) {
    results.assign(records.size(), Result<Ack>(Unexpected(e)));
    return results;
  };
  if (records.empty()) return results;
  auto tx = Transaction::begin(db_);
  if (!tx) return all_failed(tx.error());
  for (const auto& record : records) {
    auto sp = Savepoint::begin(db_);
    if (!sp) {
      results.emplace_back(Unexpected(std::move(sp).error()));
      continue;
    }
    auto ack = record_one(record);
    if (ack) {
      if (auto r = sp->release(); !r) ack = Unexpected(std::move(r).error());
    }
    if (!db_.in_transaction()) {
      // SQLite rolled the whole transaction back (disk full, I/O error): the records before
      // this one are gone too, so none of them may be acknowledged.
      return all_failed(ack ? Error{errc::kSqlite, "the group transaction was rolled back"}
                            : ack.error());
    }
    // A refused record's savepoint is rolled back here, taking only its own writes with it.
    results.push_back(std::move(ack));
  }
  if (keep && !keep(results)) {
    if (auto r = tx->rollback(); !r) return all_failed(r.error());
    return std::nullopt;
  }
  if (auto r = tx->commit(); !r) return all_failed(r.error());
  return results;
}

}  // namespace bcma::station::store
