#include "bcma/station/dmd/lookup.hpp"

#include "bcma/domain/decimal.hpp"
#include "bcma/gs1/gtin.hpp"
#include "bcma/station/dmd/errors.hpp"

namespace bcma::station::dmd {

namespace {

// Runs `sql` with `id` bound to ?1 and calls `row` for each result row.
template <class F>
Result<void> each_row(store::Database& db, std::string_view sql, std::string_view id, F row) {
  auto st = db.prepare(sql);
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id);
  for (;;) {
    auto r = st->step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) return {};
    row(*st);
  }
}

Result<std::string> lookup_text(store::Database& db, std::string_view section, const std::string& code) {
  if (code.empty()) return std::string();
  auto st = db.prepare("SELECT description FROM dmd_lookups WHERE section = ?1 AND code = ?2");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, section).bind(2, code);
  auto r = st->step();
  if (!r) return Unexpected(std::move(r).error());
  return *r ? st->text(0) : std::string();
}

Result<std::string> current_vmp_id(store::Database& db, std::string_view id) {
  auto st = db.prepare("SELECT coalesce((SELECT vmp_id FROM dmd_vmp_history WHERE old_id = ?1), ?1)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id);
  if (auto r = st->step(); !r) return Unexpected(std::move(r).error());
  return st->text(0);
}

}  // namespace

Result<GtinLookup> lookup_gtin(store::Database& db, std::string_view gtin, domain::Date date) {
  auto normal = gs1::normalise_gtin(gtin);
  if (!normal) return fail(errc::kInvalidGtin, "'" + std::string(gtin) + "' is not a GTIN: " + normal.error().message);
  const std::string day = domain::to_string(date);
  std::string ampp_id;
  {
    auto st = db.prepare(
        "SELECT ampp_id FROM gtins WHERE gtin = ?1 AND start_date <= ?2"
        " AND (end_date IS NULL OR end_date >= ?2) ORDER BY start_date DESC, ampp_id LIMIT 1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, *normal).bind(2, day);
    auto r = st->step();
    if (!r) return Unexpected(std::move(r).error());
    if (*r) ampp_id = st->text(0);
  }
  if (ampp_id.empty()) {
    auto st = db.prepare("SELECT count(*) FROM gtins WHERE gtin = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, *normal);
    if (auto r = st->step(); !r) return Unexpected(std::move(r).error());
    if (st->int64(0) == 0) return fail(errc::kUnknownGtin, "GTIN " + *normal + " is not in the dm+d data held");
    return fail(errc::kGtinNotInForce, "GTIN " + *normal + " is in dm+d, but no pack carried it on " + day);
  }
  auto st = db.prepare(
      "SELECT p.id, p.name, a.id, a.name, v.id, v.name, t.id, t.name, v.cd_code, p.price_pence,"
      "       coalesce(d.legal_category, '')"
      " FROM ampp p JOIN amp a ON a.id = p.amp_id JOIN vmp v ON v.id = a.vmp_id"
      " LEFT JOIN vtm t ON t.id = v.vtm_id LEFT JOIN dmd_ampps d ON d.id = p.id WHERE p.id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, ampp_id);
  auto r = st->step();
  if (!r) return Unexpected(std::move(r).error());
  if (!*r) return fail(errc::kUnknownGtin, "GTIN " + *normal + " names pack " + ampp_id + ", which is not held");
  GtinLookup out;
  out.gtin = *normal;
  out.ampp = {st->text(0), st->text(1)};
  out.amp = {st->text(2), st->text(3)};
  out.vmp = {st->text(4), st->text(5)};
  if (!st->is_null(6)) out.vtm = Named{st->text(6), st->text(7)};
  out.controlled_drug_category = st->text(8);
  out.price_pence = st->optional_int64(9);
  out.legal_category = st->text(10);
  return out;
}

Result<VmpLookup> lookup_vmp(store::Database& db, std::string_view id) {
  auto current = current_vmp_id(db, id);
  if (!current) return Unexpected(std::move(current).error());
  VmpLookup out;
  std::string udfs_uom;
  std::string form_code;
  {
    auto st = db.prepare(
        "SELECT v.id, v.name, t.id, t.name, v.invalid, coalesce(d.withdrawn, 0), v.cd_code, v.unit_dose_unit,"
        "       coalesce(d.udfs, ''), coalesce(d.udfs_uom, ''), coalesce(d.form_code, ''),"
        "       coalesce(d.bnf_code, ''), coalesce(d.atc_code, ''),"
        "       (SELECT count(*) FROM amp a WHERE a.vmp_id = v.id)"
        " FROM vmp v LEFT JOIN vtm t ON t.id = v.vtm_id LEFT JOIN dmd_vmps d ON d.id = v.id WHERE v.id = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, *current);
    auto r = st->step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) return fail(errc::kUnknownProduct, "no VMP " + std::string(id) + " in the dm+d data held");
    out.vmp = {st->text(0), st->text(1)};
    if (!st->is_null(2)) out.vtm = Named{st->text(2), st->text(3)};
    out.invalid = st->int64(4) != 0;
    out.withdrawn = st->int64(5) != 0;
    out.controlled_drug_category = st->text(6);
    out.unit_dose_unit = st->text(7);
    out.unit_dose_form_size = st->text(8);
    udfs_uom = st->text(9);
    form_code = st->text(10);
    out.bnf_code = st->text(11);
    out.atc_code = st->text(12);
    out.amps = st->int64(13);
  }
  if (*current != id) out.requested_id = std::string(id);
  auto cd = lookup_text(db, "CONTROL_DRUG_CATEGORY", out.controlled_drug_category);
  auto uom = lookup_text(db, "UNIT_OF_MEASURE", udfs_uom);
  auto form = lookup_text(db, "FORM", form_code);
  if (!cd || !uom || !form) return Unexpected(!cd ? cd.error() : !uom ? uom.error() : form.error());
  out.controlled_drug_description = *cd;
  out.unit_dose_form_unit = *uom;
  out.form = *form;

  if (auto r = each_row(db,
                        "SELECT r.route_id, coalesce(l.description, '') FROM vmp_routes r"
                        " LEFT JOIN dmd_lookups l ON l.section = 'ROUTE' AND l.code = r.route_id"
                        " WHERE r.vmp_id = ?1 ORDER BY r.ordinal",
                        *current, [&](store::Statement& st) { out.routes.push_back({st.text(0), st.text(1)}); });
      !r) {
    return Unexpected(r.error());
  }
  if (auto r = each_row(
          db,
          "SELECT i.ingredient_id, coalesce(s.name, ''), coalesce(i.numerator, ''), coalesce(n.description, ''),"
          "       coalesce(i.denominator, ''), coalesce(d.description, '')"
          " FROM dmd_vmp_ingredients i LEFT JOIN dmd_ingredients s ON s.id = i.ingredient_id"
          " LEFT JOIN dmd_lookups n ON n.section = 'UNIT_OF_MEASURE' AND n.code = i.numerator_uom"
          " LEFT JOIN dmd_lookups d ON d.section = 'UNIT_OF_MEASURE' AND d.code = i.denominator_uom"
          " WHERE i.vmp_id = ?1 ORDER BY i.rowid",
          *current,
          [&](store::Statement& st) {
            out.ingredients.push_back(
                {{st.text(0), st.text(1)}, st.text(2), st.text(3), st.text(4), st.text(5)});
          });
      !r) {
    return Unexpected(r.error());
  }
  if (out.ingredients.empty()) {
    // Products stored without a release (Store::import_products) have only the store's view.
    if (auto r = each_row(db,
                          "SELECT substance_id, name, strength, strength_unit FROM vmp_ingredients"
                          " WHERE vmp_id = ?1 ORDER BY ordinal",
                          *current,
                          [&](store::Statement& st) {
                            out.ingredients.push_back({{st.text(0), st.text(1)},
                                                       domain::Decimal::from_thousandths(st.int64(2)).to_string(),
                                                       st.text(3),
                                                       "",
                                                       ""});
                          });
        !r) {
      return Unexpected(r.error());
    }
  }
  if (auto r = each_row(db, "SELECT old_id FROM dmd_vmp_history WHERE vmp_id = ?1 ORDER BY old_id", *current,
                        [&](store::Statement& st) { out.previous_ids.push_back(st.text(0)); });
      !r) {
    return Unexpected(r.error());
  }
  return out;
}

Result<AmpLookup> lookup_amp(store::Database& db, std::string_view id) {
  AmpLookup out;
  {
    auto st = db.prepare(
        "SELECT a.id, a.name, v.id, v.name, a.supplier, coalesce(d.invalid, 0), coalesce(d.withdrawn, 0)"
        " FROM amp a JOIN vmp v ON v.id = a.vmp_id LEFT JOIN dmd_amps d ON d.id = a.id WHERE a.id = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, id);
    auto r = st->step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) return fail(errc::kUnknownProduct, "no AMP " + std::string(id) + " in the dm+d data held");
    out.amp = {st->text(0), st->text(1)};
    out.vmp = {st->text(2), st->text(3)};
    out.supplier = st->text(4);
    out.invalid = st->int64(5) != 0;
    out.withdrawn = st->int64(6) != 0;
  }
  if (auto r = each_row(db,
                        "SELECT p.id, p.name, coalesce(d.legal_category, ''), p.price_pence, coalesce(d.invalid, 0)"
                        " FROM ampp p LEFT JOIN dmd_ampps d ON d.id = p.id WHERE p.amp_id = ?1"
                        " ORDER BY p.name, p.id",
                        id,
                        [&](store::Statement& st) {
                          PackLookup p;
                          p.ampp = {st.text(0), st.text(1)};
                          p.legal_category = st.text(2);
                          p.price_pence = st.optional_int64(3);
                          p.invalid = st.int64(4) != 0;
                          out.packs.push_back(std::move(p));
                        });
      !r) {
    return Unexpected(r.error());
  }
  for (auto& p : out.packs) {
    if (auto r = each_row(db,
                          "SELECT gtin, start_date, coalesce(end_date, '') FROM gtins WHERE ampp_id = ?1"
                          " ORDER BY start_date, gtin",
                          p.ampp.id,
                          [&](store::Statement& st) { p.gtins.push_back({st.text(0), st.text(1), st.text(2)}); });
        !r) {
      return Unexpected(r.error());
    }
    if (auto r = each_row(db,
                          "SELECT component_id FROM dmd_pack_contents WHERE level = 'ampp' AND pack_id = ?1"
                          " ORDER BY component_id",
                          p.ampp.id, [&](store::Statement& st) { p.components.push_back(st.text(0)); });
        !r) {
      return Unexpected(r.error());
    }
  }
  return out;
}

Result<std::vector<NameMatch>> search_name(store::Database& db, std::string_view fragment, int limit) {
  if (fragment.empty()) return fail("invalid_argument", "give part of a name to search for");
  std::string pattern = "%";
  for (char c : fragment) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  auto st = db.prepare(
      "SELECT level, id, name FROM ("
      " SELECT 0 AS k, 'vtm' AS level, id, name FROM vtm WHERE name LIKE ?1 ESCAPE '\\'"
      " UNION ALL SELECT 1, 'vmp', id, name FROM vmp WHERE name LIKE ?1 ESCAPE '\\'"
      " UNION ALL SELECT 2, 'amp', id, name FROM amp WHERE name LIKE ?1 ESCAPE '\\'"
      " UNION ALL SELECT 3, 'ampp', id, name FROM ampp WHERE name LIKE ?1 ESCAPE '\\')"
      " ORDER BY k, name, id LIMIT ?2");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, pattern).bind(2, std::int64_t{limit});
  std::vector<NameMatch> out;
  for (;;) {
    auto r = st->step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) break;
    out.push_back({st->text(0), st->text(1), st->text(2)});
  }
  return out;
}

Result<std::optional<ReleaseRecord>> current_release(store::Database& db) {
  auto st = db.prepare(
      "SELECT id, release_date, version, source, counts, forced, imported_at FROM dmd_releases"
      " ORDER BY id DESC LIMIT 1");
  if (!st) return Unexpected(std::move(st).error());
  auto r = st->step();
  if (!r) return Unexpected(std::move(r).error());
  if (!*r) return std::optional<ReleaseRecord>{};
  return std::optional<ReleaseRecord>(ReleaseRecord{st->int64(0), st->text(1), st->text(2), st->text(3),
                                                    st->text(4), st->int64(5) != 0, st->int64(6)});
}

}  // namespace bcma::station::dmd
