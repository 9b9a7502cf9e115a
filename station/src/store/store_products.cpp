// Store: dm+d products and their GTINs, recalls, and pharmacy-dispensed items.
#include <nlohmann/json.hpp>

#include "bcma/gs1/gtin.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "codec.hpp"
#include "json_text.hpp"
#include "queries.hpp"

namespace bcma::station::store {

namespace {

using Json = nlohmann::ordered_json;

using detail::dump;

// dm+d GTINs come as 13 or 14 digits; they are held as 14.
Result<std::string> gtin14(std::string_view gtin) {
  if (gtin.size() != 13 && gtin.size() != 14) {
    return fail(errc::kInvalidGtin, "GTIN '" + std::string(gtin) + "' is not 13 or 14 digits");
  }
  auto n = gs1::normalise_gtin(gtin);
  if (!n) return fail(errc::kInvalidGtin, "GTIN '" + std::string(gtin) + "': " + n.error().message);
  return std::move(*n);
}

Result<void> run(Statement& st) { return st.run(); }

// A foreign key refused a row: the batch names a parent product that is not there.
Error explain(Error e, const std::string& what) {
  if (e.message.find("FOREIGN KEY") != std::string::npos) {
    return Error{errc::kUnknownProduct, what + " refers to a product that is neither in this batch"
                                               " nor imported before (import VTM, VMP, AMP, AMPP,"
                                               " GTIN in that order)"};
  }
  e.message = what + ": " + e.message;
  return e;
}

}  // namespace

namespace queries {

Result<std::vector<domain::Ingredient>> vmp_ingredients(Database& db, const std::string& vmp_id) {
  auto st = db.prepare(
      "SELECT substance_id, name, strength, strength_unit FROM vmp_ingredients WHERE vmp_id = ?1"
      " ORDER BY ordinal");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, vmp_id);
  std::vector<domain::Ingredient> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    out.push_back({st->text(0), st->text(1), codec::decimal_from_db(st->int64(2)), st->text(3)});
  }
  return out;
}

}  // namespace queries

Result<void> Store::import_products(const ProductBatch& b, const Actor& actor) {
  std::vector<std::string> gtins;
  gtins.reserve(b.gtins.size());
  for (const auto& v : b.vtms) {
    if (v.id.empty() || v.name.empty()) return fail(errc::kInvalidArgument, "a VTM needs an id and a name");
  }
  for (const auto& v : b.vmps) {
    if (v.id.empty() || v.name.empty()) return fail(errc::kInvalidArgument, "a VMP needs an id and a name");
  }
  for (const auto& a : b.amps) {
    if (a.id.empty() || a.vmp_id.empty() || a.name.empty()) {
      return fail(errc::kInvalidArgument, "an AMP needs an id, a VMP id and a name");
    }
  }
  for (const auto& p : b.ampps) {
    if (p.id.empty() || p.amp_id.empty() || p.name.empty()) {
      return fail(errc::kInvalidArgument, "an AMPP needs an id, an AMP id and a name");
    }
  }
  for (const auto& g : b.gtins) {
    auto n = gtin14(g.gtin);
    if (!n) return Unexpected(std::move(n).error());
    if (!g.start.ok() || (g.end && (!g.end->ok() || *g.end < g.start))) {
      return fail(errc::kInvalidArgument, "GTIN " + g.gtin + " has an impossible date range");
    }
    gtins.push_back(std::move(*n));
  }

  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  for (const auto& v : b.vtms) {
    auto st = db_.prepare(
        "INSERT INTO vtm (id, name) VALUES (?1, ?2)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, v.id).bind(2, v.name);
    if (auto r = run(*st); !r) return Unexpected(explain(std::move(r).error(), "VTM " + v.id));
  }
  for (const auto& v : b.vmps) {
    auto st = db_.prepare(
        "INSERT INTO vmp (id, name, vtm_id, unit_dose_unit, cd_code, cd_category, invalid)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name, vtm_id = excluded.vtm_id,"
        "  unit_dose_unit = excluded.unit_dose_unit, cd_code = excluded.cd_code,"
        "  cd_category = excluded.cd_category, invalid = excluded.invalid");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, v.id).bind(2, v.name).bind(3, v.vtm_id).bind(4, v.unit_dose_unit)
        .bind(5, v.controlled_drug_code.empty() ? std::string("0000") : v.controlled_drug_code)
        .bind(6, static_cast<std::int64_t>(v.controlled_drug))
        .bind(7, std::int64_t{v.invalid ? 1 : 0});
    if (auto r = run(*st); !r) return Unexpected(explain(std::move(r).error(), "VMP " + v.id));
    for (const char* sql : {"DELETE FROM vmp_ingredients WHERE vmp_id = ?1",
                            "DELETE FROM vmp_routes WHERE vmp_id = ?1"}) {
      auto del = db_.prepare(sql);
      if (!del) return Unexpected(std::move(del).error());
      del->bind(1, v.id);
      if (auto r = run(*del); !r) return r;
    }
    std::int64_t ordinal = 0;
    for (const auto& i : v.ingredients) {
      auto ins = db_.prepare(
          "INSERT INTO vmp_ingredients (vmp_id, ordinal, substance_id, name, strength,"
          " strength_unit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      if (!ins) return Unexpected(std::move(ins).error());
      ins->bind(1, v.id).bind(2, ordinal++).bind(3, i.substance_id).bind(4, i.name)
          .bind(5, codec::to_db(i.strength)).bind(6, i.strength_unit);
      if (auto r = run(*ins); !r) return r;
    }
    ordinal = 0;
    for (const auto& route : v.route_ids) {
      auto ins = db_.prepare("INSERT INTO vmp_routes (vmp_id, ordinal, route_id) VALUES (?1, ?2, ?3)");
      if (!ins) return Unexpected(std::move(ins).error());
      ins->bind(1, v.id).bind(2, ordinal++).bind(3, route);
      if (auto r = run(*ins); !r) return r;
    }
  }
  for (const auto& a : b.amps) {
    auto st = db_.prepare(
        "INSERT INTO amp (id, vmp_id, name, supplier) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (id) DO UPDATE SET vmp_id = excluded.vmp_id, name = excluded.name,"
        "  supplier = excluded.supplier");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, a.id).bind(2, a.vmp_id).bind(3, a.name).bind(4, a.supplier);
    if (auto r = run(*st); !r) return Unexpected(explain(std::move(r).error(), "AMP " + a.id));
  }
  for (const auto& p : b.ampps) {
    auto st = db_.prepare(
        "INSERT INTO ampp (id, amp_id, name, pack_size, price_pence) VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (id) DO UPDATE SET amp_id = excluded.amp_id, name = excluded.name,"
        "  pack_size = excluded.pack_size, price_pence = excluded.price_pence");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, p.id).bind(2, p.amp_id).bind(3, p.name).bind(4, codec::to_db(p.pack_size))
        .bind(5, p.price_pence);
    if (auto r = run(*st); !r) return Unexpected(explain(std::move(r).error(), "AMPP " + p.id));
  }
  for (std::size_t i = 0; i < b.gtins.size(); ++i) {
    const auto& g = b.gtins[i];
    auto st = db_.prepare(
        "INSERT INTO gtins (gtin, ampp_id, start_date, end_date) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (gtin, ampp_id, start_date) DO UPDATE SET end_date = excluded.end_date");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, gtins[i]).bind(2, g.ampp_id).bind(3, codec::date_text(g.start))
        .bind(4, g.end ? std::optional<std::string>(codec::date_text(*g.end)) : std::nullopt);
    if (auto r = run(*st); !r) return Unexpected(explain(std::move(r).error(), "GTIN " + gtins[i]));
  }
  Json j{{"vtms", b.vtms.size()},
         {"vmps", b.vmps.size()},
         {"amps", b.amps.size()},
         {"ampps", b.ampps.size()},
         {"gtins", b.gtins.size()}};
  if (auto r = audit(AuditKind::kConfig, actor, "products", dump(j)); !r) return r;
  return tx->commit();
}

Result<domain::ProductMatch> Store::product_by_ampp(const domain::SnomedId& ampp_id) {
  auto st = db_.prepare(
      "SELECT p.id, p.amp_id, p.name, p.pack_size, p.price_pence,"
      "       a.vmp_id, a.name, a.supplier,"
      "       v.name, v.vtm_id, v.unit_dose_unit, v.cd_code, v.cd_category, v.invalid,"
      "       t.id, t.name"
      " FROM ampp p JOIN amp a ON a.id = p.amp_id JOIN vmp v ON v.id = a.vmp_id"
      " LEFT JOIN vtm t ON t.id = v.vtm_id WHERE p.id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, ampp_id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownProduct, "no dm+d pack (AMPP) " + ampp_id);
  domain::ProductMatch m;
  m.ampp = domain::Ampp{st->text(0), st->text(1), st->text(2),
                        codec::decimal_from_db(st->int64(3)), st->optional_int64(4)};
  m.amp = domain::Amp{st->text(1), st->text(5), st->text(6), st->text(7)};
  m.vmp.id = st->text(5);
  m.vmp.name = st->text(8);
  m.vmp.vtm_id = st->optional_text(9);
  m.vmp.unit_dose_unit = st->text(10);
  m.vmp.controlled_drug_code = st->text(11);
  const auto cd = codec::cd_category_from_db(st->int64(12));
  if (!cd) return fail(errc::kCorruptData, "VMP " + m.vmp.id + " controlled drug category");
  m.vmp.controlled_drug = *cd;
  m.vmp.invalid = st->int64(13) != 0;
  if (!st->is_null(14)) m.vtm = domain::Vtm{st->text(14), st->text(15)};

  auto ingredients = queries::vmp_ingredients(db_, m.vmp.id);
  if (!ingredients) return Unexpected(std::move(ingredients).error());
  m.vmp.ingredients = std::move(*ingredients);
  auto routes = db_.prepare("SELECT route_id FROM vmp_routes WHERE vmp_id = ?1 ORDER BY ordinal");
  if (!routes) return Unexpected(std::move(routes).error());
  routes->bind(1, m.vmp.id);
  for (;;) {
    auto r = routes->step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) break;
    m.vmp.route_ids.push_back(routes->text(0));
  }
  return m;
}

Result<domain::ProductMatch> Store::product_by_gtin(std::string_view gtin, domain::Date date) {
  auto g = gtin14(gtin);
  if (!g) return Unexpected(std::move(g).error());
  const std::string day = codec::date_text(date);
  auto st = db_.prepare(
      "SELECT ampp_id FROM gtins WHERE gtin = ?1 AND start_date <= ?2"
      " AND (end_date IS NULL OR end_date >= ?2) ORDER BY start_date DESC, ampp_id LIMIT 1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, *g).bind(2, day);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) {
    auto any = db_.prepare("SELECT count(*) FROM gtins WHERE gtin = ?1");
    if (!any) return Unexpected(std::move(any).error());
    any->bind(1, *g);
    if (auto r = any->step(); !r) return Unexpected(std::move(r).error());
    const bool known = any->int64(0) > 0;
    return fail(errc::kUnknownProduct,
                known ? "GTIN " + *g + " is in dm+d but no pack carried it on " + day
                      : "GTIN " + *g + " is not in the dm+d data held by this home");
  }
  const std::string ampp_id = st->text(0);
  auto m = product_by_ampp(ampp_id);
  if (!m) return m;
  m->gtin = *g;
  return m;
}

Result<std::vector<GtinMapping>> Store::gtins_of(const domain::SnomedId& ampp_id) {
  auto st = db_.prepare(
      "SELECT gtin, start_date, end_date FROM gtins WHERE ampp_id = ?1 ORDER BY start_date, gtin");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, ampp_id);
  std::vector<GtinMapping> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const auto start = codec::parse_date_text(st->text(1));
    if (!start) return fail(errc::kCorruptData, "GTIN " + st->text(0) + " start date");
    GtinMapping m{st->text(0), ampp_id, *start, std::nullopt};
    if (!st->is_null(2)) {
      m.end = codec::parse_date_text(st->text(2));
      if (!m.end) return fail(errc::kCorruptData, "GTIN " + st->text(0) + " end date");
    }
    out.push_back(std::move(m));
  }
  return out;
}

// --- recalls ----------------------------------------------------------------------------------

Result<std::int64_t> Store::add_recall(const domain::Recall& recall, const Actor& actor) {
  std::string gtin;
  if (!recall.gtin.empty()) {
    auto g = gtin14(recall.gtin);
    if (!g) return Unexpected(std::move(g).error());
    gtin = std::move(*g);
  }
  if (gtin.empty() && recall.vmp_id.empty()) {
    return fail(errc::kInvalidArgument, "a recall names a GTIN or a VMP");
  }
  if (recall.reference.empty()) {
    return fail(errc::kInvalidArgument, "a recall needs its reference (e.g. the MHRA alert number)");
  }
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  auto st = db_.prepare(
      "INSERT INTO recalls (gtin, vmp_id, batch, reference, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, gtin).bind(2, recall.vmp_id).bind(3, recall.batch).bind(4, recall.reference)
      .bind(5, codec::to_db(clock_->now()));
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  const std::int64_t id = db_.last_insert_rowid();
  Json j{{"id", id}, {"gtin", gtin}, {"vmp_id", recall.vmp_id}, {"batch", recall.batch},
         {"reference", recall.reference}};
  if (auto r = audit(AuditKind::kConfig, actor, "recall:" + std::to_string(id), dump(j)); !r) {
    return Unexpected(std::move(r).error());
  }
  if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
  return id;
}

Result<std::vector<domain::Recall>> Store::recalls() {
  auto st = db_.prepare("SELECT gtin, vmp_id, batch, reference FROM recalls ORDER BY id");
  if (!st) return Unexpected(std::move(st).error());
  std::vector<domain::Recall> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    out.push_back({st->text(0), st->text(1), st->text(2), st->text(3)});
  }
  return out;
}

// --- dispensed items --------------------------------------------------------------------------

Result<void> Store::add_dispensed_item(const DispensedItem& item, const Actor& actor) {
  if (item.label_id.empty()) return fail(errc::kInvalidArgument, "a dispensed item needs its label id");
  if (item.quantity < domain::Decimal{}) {
    return fail(errc::kInvalidQuantity, "a dispensed quantity cannot be negative");
  }
  if (!item.dispensed_on.ok()) return fail(errc::kInvalidArgument, "the dispensing date is not a real date");
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  if (auto r = resident(item.resident_id); !r) return Unexpected(std::move(r).error());
  if (auto r = ensure_product(item.ampp_id, nullptr); !r) return r;
  if (item.prescription_id) {
    auto owner = db_.prepare("SELECT resident_id FROM prescriptions WHERE id = ?1");
    if (!owner) return Unexpected(std::move(owner).error());
    owner->bind(1, *item.prescription_id);
    auto row = owner->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) {
      return fail(errc::kUnknownPrescription,
                  "no prescription with id " + std::to_string(*item.prescription_id));
    }
    if (owner->int64(0) != item.resident_id) {
      return fail(errc::kPrescriptionNotForResident,
                  "prescription " + std::to_string(*item.prescription_id) +
                      " belongs to another resident than label " + item.label_id);
    }
  }
  auto st = db_.prepare(
      "INSERT INTO dispensed_items (label_id, resident_id, ampp_id, prescription_id, quantity,"
      " dispensed_on, pharmacy, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, item.label_id).bind(2, item.resident_id).bind(3, item.ampp_id)
      .bind(4, item.prescription_id).bind(5, codec::to_db(item.quantity))
      .bind(6, codec::date_text(item.dispensed_on)).bind(7, item.pharmacy)
      .bind(8, codec::to_db(clock_->now()));
  if (auto r = st->run(); !r) {
    if (r.error().code == errc::kDuplicate) {
      return fail(errc::kDuplicate, "label " + item.label_id + " is already recorded");
    }
    return r;
  }
  Json j{{"label_id", item.label_id},
         {"resident_id", item.resident_id},
         {"ampp_id", item.ampp_id},
         {"prescription_id", item.prescription_id ? Json(*item.prescription_id) : Json()},
         {"quantity", codec::decimal_text(item.quantity)},
         {"dispensed_on", codec::date_text(item.dispensed_on)},
         {"pharmacy", item.pharmacy}};
  if (auto r = audit(AuditKind::kConfig, actor, "dispensed_item:" + item.label_id, dump(j)); !r) {
    return r;
  }
  return tx->commit();
}

Result<DispensedItem> Store::dispensed_item(std::string_view label_id) {
  auto st = db_.prepare(
      "SELECT label_id, resident_id, ampp_id, prescription_id, quantity, dispensed_on, pharmacy"
      " FROM dispensed_items WHERE label_id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, label_id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownLabel, "no dispensed item has label " + std::string(label_id));
  const auto on = codec::parse_date_text(st->text(5));
  if (!on) return fail(errc::kCorruptData, "label " + std::string(label_id) + " dispensing date");
  return DispensedItem{st->text(0), st->int64(1), st->text(2), st->optional_int64(3),
                       codec::decimal_from_db(st->int64(4)), *on, st->text(6)};
}

Result<void> Store::ensure_product(const domain::SnomedId& ampp_id, domain::SnomedId* amp_id) {
  auto st = db_.prepare("SELECT amp_id FROM ampp WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, ampp_id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownProduct, "no dm+d pack (AMPP) '" + ampp_id + "'");
  if (amp_id != nullptr) *amp_id = st->text(0);
  return {};
}

Result<void> Store::ensure_staff(domain::StaffId id, std::string_view what) {
  auto st = db_.prepare("SELECT 1 FROM staff WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) {
    return fail(errc::kUnknownStaff,
                std::string(what) + ": no member of staff with id " + std::to_string(id));
  }
  return {};
}

}  // namespace bcma::station::store
