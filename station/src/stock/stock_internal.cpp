#include "stock_internal.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "bcma/rules/policy.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::stock::detail {

namespace errc = store::errc;
using Json = nlohmann::ordered_json;

std::string_view kind_text(store::StockKind k) {
  switch (k) {
    case store::StockKind::kReceipt: return "receipt";
    case store::StockKind::kAdministration: return "administration";
    case store::StockKind::kWaste: return "waste";
    case store::StockKind::kReturn: return "return";
    case store::StockKind::kAdjustment: return "adjustment";
  }
  return "adjustment";
}

Result<PackInfo> pack_info(store::Database& db, const domain::SnomedId& ampp_id) {
  auto st = db.prepare(
      "SELECT p.id, a.id, v.id, p.name, a.name, v.name, v.cd_category, p.pack_size, p.price_pence"
      " FROM ampp p JOIN amp a ON a.id = p.amp_id JOIN vmp v ON v.id = a.vmp_id WHERE p.id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, ampp_id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownProduct, "no pack (AMPP) " + ampp_id + " in the product data");
  PackInfo p;
  p.ampp_id = st->text(0);
  p.amp_id = st->text(1);
  p.vmp_id = st->text(2);
  p.ampp_name = st->text(3);
  p.amp_name = st->text(4);
  p.vmp_name = st->text(5);
  p.cd_category = static_cast<int>(st->int64(6));
  p.pack_size = dec(st->int64(7));
  p.price_pence = st->optional_int64(8);
  return p;
}

Result<int> amp_cd_category(store::Database& db, const domain::SnomedId& amp_id) {
  auto st = db.prepare(
      "SELECT v.cd_category FROM amp a JOIN vmp v ON v.id = a.vmp_id WHERE a.id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, amp_id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownProduct, "no product (AMP) " + amp_id + " in the product data");
  return static_cast<int>(st->int64(0));
}

Result<std::vector<int>> register_categories(store::Store& store) {
  auto policy = store.policy();
  std::vector<int> out;
  if (!policy) {
    if (policy.error().code != errc::kNoHome) return Unexpected(std::move(policy).error());
  } else {
    for (auto c : policy->witness_categories) out.push_back(static_cast<int>(c));
  }
  if (out.empty()) {
    out = {static_cast<int>(domain::ControlledDrugCategory::kSchedule2),
           static_cast<int>(domain::ControlledDrugCategory::kSchedule2Exempt),
           static_cast<int>(domain::ControlledDrugCategory::kSchedule3)};
  }
  return out;
}

bool in_categories(const std::vector<int>& categories, int category) {
  return category != 0 && std::find(categories.begin(), categories.end(), category) != categories.end();
}

Result<std::string> staff_name(store::Database& db, domain::StaffId id) {
  auto st = db.prepare("SELECT name FROM staff WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownStaff, "no member of staff " + std::to_string(id));
  return st->text(0);
}

Result<void> check_signatures(store::Database& db, const store::Actor& actor,
                              std::optional<domain::StaffId> witness) {
  if (!actor.staff_id) {
    return fail(errc::kInvalidWitness, "stock is signed for by a member of staff, not the system");
  }
  if (auto r = staff_name(db, *actor.staff_id); !r) return Unexpected(std::move(r).error());
  if (witness) {
    if (auto r = staff_name(db, *witness); !r) return Unexpected(std::move(r).error());
    if (*witness == *actor.staff_id) {
      return fail(errc::kInvalidWitness, "a witness must be a second person");
    }
  }
  return {};
}

Result<void> check_event_time(domain::Instant at, domain::Instant now) {
  if (at > now + std::chrono::minutes{10}) {
    return fail(errc::kInvalidTime, "the event time " + domain::to_string(at) + " is in the future" +
                                        " (station clock " + domain::to_string(now) + ")");
  }
  return {};
}

Result<domain::Decimal> balance_before(store::Database& db, const domain::SnomedId& amp_id,
                                       std::optional<domain::ResidentId> resident,
                                       domain::Instant before) {
  auto st = db.prepare(
      "SELECT coalesce(sum(quantity), 0) FROM stock_ledger"
      " WHERE amp_id = ?1 AND resident_id IS ?2 AND event_time < ?3");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, amp_id).bind(2, resident).bind(3, to_db(before));
  if (auto r = st->step(); !r) return Unexpected(std::move(r).error());
  return dec(st->int64(0));
}

Result<std::int64_t> write_ledger(store::Database& db, const store::StockEntry& e,
                                  const store::Actor& actor, domain::Instant entered_at) {
  auto st = db.prepare(
      "INSERT INTO stock_ledger (kind, amp_id, ampp_id, resident_id, label_id, quantity, reason,"
      " staff_id, witness_id, administration_id, event_time, entered_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10, ?11)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, kind_text(e.kind)).bind(2, e.amp_id).bind(3, e.ampp_id).bind(4, e.resident_id)
      .bind(5, e.label_id).bind(6, to_db(e.quantity)).bind(7, e.reason).bind(8, e.staff_id)
      .bind(9, e.witness).bind(10, to_db(e.event_time)).bind(11, to_db(entered_at));
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  const std::int64_t id = db.last_insert_rowid();
  // The same payload shape as Store::record_stock, so an audit reader sees one kind of entry.
  Json j{{"id", id},
         {"kind", kind_text(e.kind)},
         {"amp_id", e.amp_id},
         {"ampp_id", e.ampp_id ? Json(*e.ampp_id) : Json()},
         {"resident_id", e.resident_id ? Json(*e.resident_id) : Json()},
         {"label_id", e.label_id ? Json(*e.label_id) : Json()},
         {"quantity", e.quantity.to_string()},
         {"reason", e.reason},
         {"witness_id", e.witness ? Json(*e.witness) : Json()},
         {"event_time", domain::to_string(e.event_time)}};
  auto a = store::append_audit(
      db,
      store::AuditEvent{store::AuditKind::kStock, actor, "stock:" + e.amp_id,
                        j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)},
      entered_at);
  if (!a) return Unexpected(std::move(a).error());
  return id;
}

}  // namespace bcma::station::stock::detail
