// Store: the stock ledger. Balances are sums of entries, never a stored number: a count can be
// explained entry by entry, and nothing can drift.
#include <nlohmann/json.hpp>

#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "codec.hpp"
#include "json_text.hpp"

namespace bcma::station::store {

namespace {

using Json = nlohmann::ordered_json;

using detail::dump;

}  // namespace

Result<std::int64_t> Store::insert_stock(const StockEntry& e) {
  auto st = db_.prepare(
      "INSERT INTO stock_ledger (kind, amp_id, ampp_id, resident_id, label_id, quantity, reason,"
      " staff_id, witness_id, administration_id, event_time, entered_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
      "         (SELECT id FROM administrations WHERE record_id = ?10), ?11, ?12)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, codec::to_text(e.kind)).bind(2, e.amp_id).bind(3, e.ampp_id).bind(4, e.resident_id)
      .bind(5, e.label_id).bind(6, codec::to_db(e.quantity)).bind(7, e.reason).bind(8, e.staff_id)
      .bind(9, e.witness).bind(10, e.administration_record_id).bind(11, codec::to_db(e.event_time))
      .bind(12, codec::to_db(e.entered_at));
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  return db_.last_insert_rowid();
}

Result<std::int64_t> Store::record_stock(const NewStockEntry& e, const Actor& actor) {
  const domain::Decimal zero{};
  if (e.kind == StockKind::kAdministration) {
    return fail(errc::kInvalidArgument, "a dose moves stock through record_administration");
  }
  if (e.kind == StockKind::kAdjustment ? e.quantity == zero : e.quantity <= zero) {
    return fail(errc::kInvalidQuantity,
                e.kind == StockKind::kAdjustment
                    ? "an adjustment needs a non-zero quantity (its sign says which way)"
                    : "a stock quantity must be more than zero (the kind gives the direction)");
  }
  if (e.kind != StockKind::kReceipt && e.reason.empty()) {
    return fail(errc::kInvalidArgument,
                std::string("a ") + std::string(codec::to_text(e.kind)) + " needs a reason");
  }

  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  StockEntry s;
  s.kind = e.kind;
  s.resident_id = e.resident_id;
  s.label_id = e.label_id;
  s.reason = e.reason;
  s.staff_id = actor.staff_id;
  s.witness = e.witness;
  s.event_time = e.event_time;
  s.entered_at = clock_->now();
  domain::SnomedId ampp = e.ampp_id;
  if (e.label_id) {
    auto item = dispensed_item(*e.label_id);
    if (!item) return Unexpected(std::move(item).error());
    if (e.resident_id && *e.resident_id != item->resident_id) {
      return fail(errc::kLabelNotForResident, "label " + *e.label_id + " was dispensed for resident " +
                                                  std::to_string(item->resident_id));
    }
    if (!ampp.empty() && ampp != item->ampp_id) {
      return fail(errc::kProductMismatch, "label " + *e.label_id + " is for pack " + item->ampp_id +
                                              ", not " + ampp);
    }
    ampp = item->ampp_id;
    s.resident_id = item->resident_id;
  }
  if (ampp.empty()) return fail(errc::kMissingProduct, "a stock entry needs the pack (AMPP) or a label");
  if (auto r = ensure_product(ampp, &s.amp_id); !r) return Unexpected(std::move(r).error());
  s.ampp_id = ampp;
  if (s.resident_id) {
    if (auto r = resident(*s.resident_id); !r) return Unexpected(std::move(r).error());
  }
  if (actor.staff_id) {
    if (auto r = ensure_staff(*actor.staff_id, "stock entry"); !r) return Unexpected(std::move(r).error());
  }
  if (e.witness) {
    if (auto r = ensure_staff(*e.witness, "stock witness"); !r) return Unexpected(std::move(r).error());
    if (actor.staff_id == e.witness) {
      return fail(errc::kInvalidWitness, "a witness must be a second person");
    }
  }
  s.quantity = e.kind == StockKind::kReceipt || e.kind == StockKind::kAdjustment
                   ? e.quantity
                   : zero - e.quantity;
  auto id = insert_stock(s);
  if (!id) return id;
  Json j{{"id", *id},
         {"kind", codec::to_text(s.kind)},
         {"amp_id", s.amp_id},
         {"ampp_id", ampp},
         {"resident_id", s.resident_id ? Json(*s.resident_id) : Json()},
         {"label_id", s.label_id ? Json(*s.label_id) : Json()},
         {"quantity", codec::decimal_text(s.quantity)},
         {"reason", s.reason},
         {"witness_id", s.witness ? Json(*s.witness) : Json()},
         {"event_time", codec::instant_text(s.event_time)}};
  if (auto r = audit(AuditKind::kStock, actor, "stock:" + s.amp_id, dump(j)); !r) {
    return Unexpected(std::move(r).error());
  }
  if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
  return id;
}

Result<domain::Decimal> Store::stock_balance(const domain::SnomedId& amp_id,
                                             std::optional<domain::ResidentId> resident) {
  auto st = db_.prepare(
      "SELECT coalesce(sum(quantity), 0) FROM stock_ledger WHERE amp_id = ?1 AND resident_id IS ?2");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, amp_id).bind(2, resident);
  if (auto r = st->step(); !r) return Unexpected(std::move(r).error());
  return codec::decimal_from_db(st->int64(0));
}

Result<std::vector<StockEntry>> Store::stock_entries(const domain::SnomedId& amp_id,
                                                     std::optional<domain::ResidentId> resident) {
  auto st = db_.prepare(
      "SELECT s.id, s.kind, s.amp_id, s.ampp_id, s.resident_id, s.label_id, s.quantity, s.reason,"
      "       s.staff_id, s.witness_id, a.record_id, s.event_time, s.entered_at"
      " FROM stock_ledger s LEFT JOIN administrations a ON a.id = s.administration_id"
      " WHERE s.amp_id = ?1 AND s.resident_id IS ?2 ORDER BY s.id");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, amp_id).bind(2, resident);
  std::vector<StockEntry> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const auto kind = codec::stock_kind_from_text(st->text(1));
    if (!kind) return fail(errc::kCorruptData, "stock entry " + std::to_string(st->int64(0)));
    StockEntry e;
    e.id = st->int64(0);
    e.kind = *kind;
    e.amp_id = st->text(2);
    e.ampp_id = st->optional_text(3);
    e.resident_id = st->optional_int64(4);
    e.label_id = st->optional_text(5);
    e.quantity = codec::decimal_from_db(st->int64(6));
    e.reason = st->text(7);
    e.staff_id = st->optional_int64(8);
    e.witness = st->optional_int64(9);
    e.administration_record_id = st->optional_text(10);
    e.event_time = codec::instant_from_db(st->int64(11));
    e.entered_at = codec::instant_from_db(st->int64(12));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace bcma::station::store
