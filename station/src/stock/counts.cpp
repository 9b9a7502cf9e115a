// Stock counts: the count is kept beside the balance it was compared with, and a discrepancy
// is put right in the ledger by an adjustment that names the count.
#include <nlohmann/json.hpp>

#include "bcma/station/stock/stock.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "stock_internal.hpp"

namespace bcma::station::stock {

namespace errc = store::errc;
using Json = nlohmann::ordered_json;

std::string_view to_string(CountKind k) {
  switch (k) {
    case CountKind::kCarriedForward: return "carried_forward";
    case CountKind::kPeriodic: return "periodic";
    case CountKind::kControlledDrug: return "controlled_drug";
  }
  return "periodic";
}

Result<CountResult> record_count(store::Store& store, const CountRequest& request,
                                 const store::Actor& actor) {
  if (auto t = detail::check_event_time(request.at, store.now()); !t) {
    return Unexpected(std::move(t).error());
  }
  if (request.counted < domain::Decimal{}) {
    return fail(errc::kInvalidQuantity, "a count cannot be below zero");
  }
  auto categories = detail::register_categories(store);
  if (!categories) return Unexpected(std::move(categories).error());
  auto& db = store.database();
  auto tx = store::Transaction::begin(db);
  if (!tx) return Unexpected(std::move(tx).error());
  auto category = detail::amp_cd_category(db, request.amp_id);
  if (!category) return Unexpected(std::move(category).error());
  if (request.resident_id) {
    if (auto r = store.resident(*request.resident_id); !r) return Unexpected(std::move(r).error());
  }
  if (auto r = detail::check_signatures(db, actor, request.witness); !r) {
    return Unexpected(std::move(r).error());
  }
  CountResult out;
  out.controlled_drug = detail::in_categories(*categories, *category);
  if ((out.controlled_drug || request.kind == CountKind::kControlledDrug) && !request.witness) {
    return fail("witness_required", "a controlled drug count is signed by two people");
  }
  // The balance as of the count: entries recorded for later events do not belong to it.
  auto balance = detail::balance_before(db, request.amp_id, request.resident_id,
                                        request.at + std::chrono::seconds{1});
  if (!balance) return Unexpected(std::move(balance).error());
  out.balance = *balance;
  out.counted = request.counted;
  out.discrepancy = request.counted - *balance;
  out.incident = out.controlled_drug && !out.discrepancy.is_zero();
  const domain::Instant now = store.now();
  if (!out.discrepancy.is_zero()) {
    store::StockEntry e;
    e.kind = store::StockKind::kAdjustment;
    e.amp_id = request.amp_id;
    e.resident_id = request.resident_id;
    e.quantity = out.discrepancy;
    e.reason = std::string(to_string(request.kind)) + " count: counted " + request.counted.to_string() +
               ", balance " + balance->to_string();
    e.staff_id = actor.staff_id;
    e.witness = request.witness;
    e.event_time = request.at;
    auto id = detail::write_ledger(db, e, actor, now);
    if (!id) return Unexpected(std::move(id).error());
    out.adjustment_id = *id;
  }
  auto st = db.prepare(
      "INSERT INTO stock_counts (kind, amp_id, resident_id, counted, balance, staff_id, witness_id,"
      " counted_at, adjustment_id, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, to_string(request.kind)).bind(2, request.amp_id).bind(3, request.resident_id)
      .bind(4, detail::to_db(request.counted)).bind(5, detail::to_db(*balance)).bind(6, actor.staff_id)
      .bind(7, request.witness).bind(8, detail::to_db(request.at)).bind(9, out.adjustment_id)
      .bind(10, request.note);
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  out.id = db.last_insert_rowid();
  Json j{{"count_id", out.id},
         {"kind", to_string(request.kind)},
         {"amp_id", request.amp_id},
         {"resident_id", request.resident_id ? Json(*request.resident_id) : Json()},
         {"counted", request.counted.to_string()},
         {"balance", balance->to_string()},
         {"witness_id", request.witness ? Json(*request.witness) : Json()},
         {"incident", out.incident}};
  auto a = store::append_audit(
      db,
      store::AuditEvent{store::AuditKind::kStock, actor, "stock:" + request.amp_id,
                        j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)},
      now);
  if (!a) return Unexpected(std::move(a).error());
  if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
  return out;
}

Result<std::vector<CountSheetLine>> count_sheet(store::Store& store, domain::Instant at) {
  auto categories = detail::register_categories(store);
  if (!categories) return Unexpected(std::move(categories).error());
  auto st = store.database().prepare(
      "SELECT l.resident_id, coalesce(r.given_name || ' ' || r.family_name, 'home stock'), l.amp_id,"
      "       a.name, sum(l.quantity), v.cd_category"
      " FROM stock_ledger l JOIN amp a ON a.id = l.amp_id JOIN vmp v ON v.id = a.vmp_id"
      " LEFT JOIN residents r ON r.id = l.resident_id"
      " WHERE l.event_time < ?1 GROUP BY l.resident_id, l.amp_id HAVING sum(l.quantity) <> 0"
      " ORDER BY l.resident_id IS NULL, r.family_name, r.given_name, l.resident_id, a.name");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, detail::to_db(at));
  std::vector<CountSheetLine> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    out.push_back({st->optional_int64(0), st->text(1), st->text(2), st->text(3), detail::dec(st->int64(4)),
                   detail::in_categories(*categories, static_cast<int>(st->int64(5)))});
  }
  return out;
}

}  // namespace bcma::station::stock
