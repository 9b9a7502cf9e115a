// Records of the lookup, ingredient, VTM and VMP files.
#include <optional>

#include "bcma/domain/product.hpp"
#include "bcma/station/dmd/errors.hpp"
#include "importer.hpp"
#include "record_fields.hpp"
#include "values.hpp"

namespace bcma::station::dmd::detail {

namespace {

std::uint64_t code_number(std::string_view text) {
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || v > 100'000'000'000'000'000ULL) return 0;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

/// The store's controlled drug category for a dm+d CONTROL_DRUG_CATEGORY code; nullopt for a
/// code this bcma does not know (the import then stops: guessing would misfile a CD).
std::optional<domain::ControlledDrugCategory> cd_category(std::string_view code) {
  using C = domain::ControlledDrugCategory;
  if (code == "0000") return C::kNone;
  if (code == "0001") return C::kSchedule1;
  if (code == "0002") return C::kSchedule2;
  if (code == "0003") return C::kSchedule2Exempt;
  if (code == "0004" || code == "0005" || code == "0006" || code == "0007") return C::kSchedule3;
  if (code == "0008" || code == "0009") return C::kSchedule4;
  if (code == "0010") return C::kSchedule5;
  return std::nullopt;
}

Result<void> Importer::lookup_info(const Record& r) {
  static const Fields f(record_spec(FileKind::kLookup, 0));
  static const int cd = f("CD"), cddt = f("CDDT"), cdprev = f("CDPREV"), invalid = f("INVALID"), desc = f("DESC");
  const std::string section(r.spec->section);
  const std::string code(r.get(cd));
  if (code.empty()) return fail(errc::kInvalidValue, section + " entry without a code");
  auto inv = flag_or_false(r, invalid, "INVALID");
  if (!inv) return Unexpected(std::move(inv).error());
  auto from = opt_date(r, cddt, "CDDT");
  if (!from) return Unexpected(std::move(from).error());
  auto& map = lookups_[section];
  if (!map.emplace(code, std::string(r.get(desc))).second) {
    return fail(errc::kDuplicate, section + " code " + code + " appears twice");
  }
  ++counts_["lookups"];
  return exec(
      "INSERT INTO dmd_lookups (section, code, description, previous_code, valid_from, invalid)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      [&](store::Statement& st) {
        st.bind(1, section).bind(2, code).bind(3, r.get(desc)).bind(4, opt(r, cdprev)).bind(5, *from)
            .bind(6, std::int64_t{*inv ? 1 : 0});
      },
      section + " code " + code);
}

Result<void> Importer::ingredient(const Record& r) {
  static const Fields f(record_spec(FileKind::kIngredient, 0));
  static const int isid = f("ISID"), isiddt = f("ISIDDT"), isidprev = f("ISIDPREV"), invalid = f("INVALID"),
                   nm = f("NM");
  auto id = parse_id(r.get(isid), "ISID");
  if (!id) return Unexpected(std::move(id).error());
  if (r.get(nm).empty()) return fail(errc::kInvalidValue, "ingredient " + std::string(r.get(isid)) + " has no name");
  if (r.has(isidprev)) {
    if (auto p = parse_id(r.get(isidprev), "ISIDPREV"); !p) return Unexpected(std::move(p).error());
  }
  auto inv = flag_or_false(r, invalid, "INVALID");
  if (!inv) return Unexpected(std::move(inv).error());
  auto since = opt_date(r, isiddt, "ISIDDT");
  if (!since) return Unexpected(std::move(since).error());
  ingredients_.add({*id, 0, 0, 0, static_cast<std::uint32_t>(r.line), 0, 0, 0});
  ingredient_names_[*id] = std::string(r.get(nm));
  ++counts_["ingredients"];
  return exec(
      "INSERT INTO dmd_ingredients (id, name, invalid, previous_id, id_date) VALUES (?1, ?2, ?3, ?4, ?5)",
      [&](store::Statement& st) {
        st.bind(1, r.get(isid)).bind(2, r.get(nm)).bind(3, std::int64_t{*inv ? 1 : 0})
            .bind(4, opt(r, isidprev)).bind(5, *since);
      },
      "ingredient " + std::string(r.get(isid)));
}

Result<void> Importer::vtm(const Record& r) {
  static const Fields f(record_spec(FileKind::kVtm, 0));
  static const int vtmid = f("VTMID"), invalid = f("INVALID"), nm = f("NM"), abbrevnm = f("ABBREVNM"),
                   prev = f("VTMIDPREV"), iddt = f("VTMIDDT");
  auto id = parse_id(r.get(vtmid), "VTMID");
  if (!id) return Unexpected(std::move(id).error());
  const std::string id_text(r.get(vtmid));
  if (r.get(nm).empty()) return fail(errc::kInvalidValue, "VTM " + id_text + " has no name");
  auto inv = flag_or_false(r, invalid, "INVALID");
  if (!inv) return Unexpected(std::move(inv).error());
  auto since = opt_date(r, iddt, "VTMIDDT");
  if (!since) return Unexpected(std::move(since).error());
  if (r.has(prev)) {
    auto p = parse_id(r.get(prev), "VTMIDPREV");
    if (!p) return Unexpected(std::move(p).error());
    if (*p != *id) vtm_changes_.push_back({*p, *id, since->value_or("")});
  }
  vtms_.add({*id, 0, 0, 0, static_cast<std::uint32_t>(r.line), 0, 0, 0});
  ++counts_["vtms"];
  if (auto res = exec("INSERT INTO vtm (id, name) VALUES (?1, ?2)"
                      " ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                      [&](store::Statement& st) { st.bind(1, id_text).bind(2, r.get(nm)); });
      !res) {
    return res;
  }
  return exec(
      "INSERT INTO dmd_vtms (id, invalid, abbreviated_name, previous_id, id_date, release_id, withdrawn)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)"
      " ON CONFLICT (id) DO UPDATE SET invalid = excluded.invalid,"
      "  abbreviated_name = excluded.abbreviated_name, previous_id = excluded.previous_id,"
      "  id_date = excluded.id_date, release_id = excluded.release_id, withdrawn = 0",
      [&](store::Statement& st) {
        st.bind(1, id_text).bind(2, std::int64_t{*inv ? 1 : 0}).bind(3, opt(r, abbrevnm))
            .bind(4, opt(r, prev)).bind(5, *since).bind(6, release_id_);
      });
}

Result<void> Importer::vmp(const Record& r) {
  static const Fields f(record_spec(FileKind::kVmp, 0));
  static const int vpid = f("VPID"), vpiddt = f("VPIDDT"), vpidprev = f("VPIDPREV"), vtmid = f("VTMID"),
                   invalid = f("INVALID"), nm = f("NM"), abbrevnm = f("ABBREVNM"), basiscd = f("BASISCD"),
                   nmdt = f("NMDT"), combprodcd = f("COMBPRODCD"), pres_statcd = f("PRES_STATCD"),
                   non_availcd = f("NON_AVAILCD"), non_availdt = f("NON_AVAILDT"), df_indcd = f("DF_INDCD"),
                   udfs = f("UDFS"), udfs_uomcd = f("UDFS_UOMCD"), unit_dose_uomcd = f("UNIT_DOSE_UOMCD");
  auto id = parse_id(r.get(vpid), "VPID");
  if (!id) return Unexpected(std::move(id).error());
  const std::string id_text(r.get(vpid));
  if (r.get(nm).empty()) return fail(errc::kInvalidValue, "VMP " + id_text + " has no name");
  IndexEntry entry{*id, 0, 0, 0, static_cast<std::uint32_t>(r.line), 0, 0, 0};
  OptText vtm_id;
  if (r.has(vtmid)) {
    auto vtm = require(vtms_, "VTM", r.get(vtmid), "VMP " + id_text + ": VTMID");
    if (!vtm) return Unexpected(std::move(vtm).error());
    entry.parent = (*vtm)->id;
    vtm_id = std::string(r.get(vtmid));
  }
  auto inv = flag_or_false(r, invalid, "INVALID");
  if (!inv) return Unexpected(std::move(inv).error());
  auto since = opt_date(r, vpiddt, "VPIDDT");
  if (!since) return Unexpected(std::move(since).error());
  for (int d : {nmdt, non_availdt}) {
    if (auto x = opt_date(r, d, r.spec->fields[static_cast<std::size_t>(d)].name); !x) return Unexpected(x.error());
  }
  if (r.has(vpidprev)) {
    auto p = parse_id(r.get(vpidprev), "VPIDPREV");
    if (!p) return Unexpected(std::move(p).error());
    if (*p != *id) vmp_changes_.push_back({*p, *id, since->value_or("")});
  }
  for (auto [section, field, what] :
       {std::tuple{"BASIS_OF_NAME", basiscd, "BASISCD"}, std::tuple{"COMBINATION_PROD_IND", combprodcd, "COMBPRODCD"},
        std::tuple{"VIRTUAL_PRODUCT_PRES_STATUS", pres_statcd, "PRES_STATCD"},
        std::tuple{"VIRTUAL_PRODUCT_NON_AVAIL", non_availcd, "NON_AVAILCD"},
        std::tuple{"DF_INDICATOR", df_indcd, "DF_INDCD"}, std::tuple{"UNIT_OF_MEASURE", udfs_uomcd, "UDFS_UOMCD"}}) {
    if (auto c = check_lookup(section, r, field, what); !c) return c;
  }
  OptText udfs_text;
  if (r.has(udfs)) {
    auto n = parse_number(r.get(udfs), "UDFS");
    if (!n) return Unexpected(std::move(n).error());
    udfs_text = n->text;
  }
  std::string dose_unit;
  if (r.has(unit_dose_uomcd)) {
    auto name = lookup("UNIT_OF_MEASURE", r.get(unit_dose_uomcd), "UNIT_DOSE_UOMCD");
    if (!name) return Unexpected(std::move(name).error());
    dose_unit = std::move(*name);
    entry.code = code_number(r.get(unit_dose_uomcd));
  }
  vmps_.add(entry);
  ++counts_["vmps"];
  // The controlled drug category arrives later in the file (CONTROL_DRUG_INFO); every VMP must
  // have one by the end of the file, so this placeholder never survives an import.
  if (auto res = exec(
          "INSERT INTO vmp (id, name, vtm_id, unit_dose_unit, cd_code, cd_category, invalid)"
          " VALUES (?1, ?2, ?3, ?4, '0000', 0, ?5)"
          " ON CONFLICT (id) DO UPDATE SET name = excluded.name, vtm_id = excluded.vtm_id,"
          "  unit_dose_unit = excluded.unit_dose_unit, cd_code = excluded.cd_code,"
          "  cd_category = excluded.cd_category, invalid = excluded.invalid",
          [&](store::Statement& st) {
            st.bind(1, id_text).bind(2, r.get(nm)).bind(3, vtm_id).bind(4, dose_unit)
                .bind(5, std::int64_t{*inv ? 1 : 0});
          });
      !res) {
    return res;
  }
  for (const char* sql : {"DELETE FROM vmp_ingredients WHERE vmp_id = ?1", "DELETE FROM vmp_routes WHERE vmp_id = ?1"}) {
    if (auto res = exec(sql, [&](store::Statement& st) { st.bind(1, id_text); }); !res) return res;
  }
  return exec(
      "INSERT INTO dmd_vmps (id, previous_id, id_date, invalid, abbreviated_name, basis_code,"
      " prescribing_status, combination_code, non_availability_code, dose_form_indicator, udfs, udfs_uom,"
      " unit_dose_uom, form_code, bnf_code, atc_code, ddd, ddd_uom, release_id, withdrawn)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, NULL, NULL, NULL, NULL, NULL, ?14, 0)"
      " ON CONFLICT (id) DO UPDATE SET previous_id = excluded.previous_id, id_date = excluded.id_date,"
      "  invalid = excluded.invalid, abbreviated_name = excluded.abbreviated_name,"
      "  basis_code = excluded.basis_code, prescribing_status = excluded.prescribing_status,"
      "  combination_code = excluded.combination_code,"
      "  non_availability_code = excluded.non_availability_code,"
      "  dose_form_indicator = excluded.dose_form_indicator, udfs = excluded.udfs,"
      "  udfs_uom = excluded.udfs_uom, unit_dose_uom = excluded.unit_dose_uom, form_code = NULL,"
      "  bnf_code = NULL, atc_code = NULL, ddd = NULL, ddd_uom = NULL,"
      "  release_id = excluded.release_id, withdrawn = 0",
      [&](store::Statement& st) {
        st.bind(1, id_text).bind(2, opt(r, vpidprev)).bind(3, *since).bind(4, std::int64_t{*inv ? 1 : 0})
            .bind(5, opt(r, abbrevnm)).bind(6, opt(r, basiscd)).bind(7, opt(r, pres_statcd))
            .bind(8, opt(r, combprodcd)).bind(9, opt(r, non_availcd)).bind(10, opt(r, df_indcd))
            .bind(11, udfs_text).bind(12, opt(r, udfs_uomcd)).bind(13, opt(r, unit_dose_uomcd))
            .bind(14, release_id_);
      });
}

Result<void> Importer::vmp_ingredient(const Record& r) {
  static const Fields f(record_spec(FileKind::kVmp, 1));
  static const int vpid = f("VPID"), isid = f("ISID"), basis = f("BASIS_STRNTCD"), bs_subid = f("BS_SUBID"),
                   num = f("STRNT_NMRTR_VAL"), num_uom = f("STRNT_NMRTR_UOMCD"), den = f("STRNT_DNMTR_VAL"),
                   den_uom = f("STRNT_DNMTR_UOMCD");
  auto vmp = require(vmps_, "VMP", r.get(vpid), "VPI: VPID");
  if (!vmp) return Unexpected(std::move(vmp).error());
  auto ing = require(ingredients_, "ingredient", r.get(isid), "VPI: ISID");
  if (!ing) return Unexpected(std::move(ing).error());
  if (r.has(bs_subid)) {
    if (auto b = require(ingredients_, "ingredient", r.get(bs_subid), "VPI: BS_SUBID"); !b) return Unexpected(b.error());
  }
  if (auto c = check_lookup("BASIS_OF_STRNTH", r, basis, "BASIS_STRNTCD"); !c) return c;
  std::optional<Exact> numerator;
  std::optional<Exact> denominator;
  std::string numerator_unit;
  std::string denominator_unit;
  if (r.has(num)) {
    auto n = parse_number(r.get(num), "STRNT_NMRTR_VAL");
    if (!n) return Unexpected(std::move(n).error());
    if (!r.has(num_uom)) return fail(errc::kInvalidValue, "STRNT_NMRTR_VAL without STRNT_NMRTR_UOMCD");
    auto u = lookup("UNIT_OF_MEASURE", r.get(num_uom), "STRNT_NMRTR_UOMCD");
    if (!u) return Unexpected(std::move(u).error());
    numerator = std::move(*n);
    numerator_unit = std::move(*u);
  }
  if (r.has(den)) {
    auto d = parse_number(r.get(den), "STRNT_DNMTR_VAL");
    if (!d) return Unexpected(std::move(d).error());
    if (!r.has(den_uom)) return fail(errc::kInvalidValue, "STRNT_DNMTR_VAL without STRNT_DNMTR_UOMCD");
    auto u = lookup("UNIT_OF_MEASURE", r.get(den_uom), "STRNT_DNMTR_UOMCD");
    if (!u) return Unexpected(std::move(u).error());
    denominator = std::move(*d);
    denominator_unit = std::move(*u);
  }
  IndexEntry& v = **vmp;
  const std::string vmp_text(r.get(vpid));
  const std::uint64_t den_code = r.has(den_uom) ? code_number(r.get(den_uom)) : 0;
  if (v.code == 0 && den_code != 0 && numerator) {
    // A continuous form (a solution) has no unit dose unit of its own: its dose unit is what
    // the strength is per (250 mg in 5 ml: the ml).
    v.code = den_code;
    if (auto res = exec("UPDATE vmp SET unit_dose_unit = ?2 WHERE id = ?1 AND unit_dose_unit = ''",
                        [&](store::Statement& st) { st.bind(1, vmp_text).bind(2, denominator_unit); });
        !res) {
      return res;
    }
  }
  const StoreStrength s = store_strength(numerator, numerator_unit, denominator, denominator_unit,
                                         den_code != 0 && den_code == v.code);
  const std::string isid_text(r.get(isid));
  if (auto res = exec(
          "INSERT INTO dmd_vmp_ingredients (vmp_id, ingredient_id, basis_code, basis_substance_id, numerator,"
          " numerator_uom, denominator, denominator_uom) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
          [&](store::Statement& st) {
            st.bind(1, vmp_text).bind(2, isid_text).bind(3, opt(r, basis)).bind(4, opt(r, bs_subid))
                .bind(5, numerator ? OptText(numerator->text) : OptText())
                .bind(6, opt(r, num_uom)).bind(7, denominator ? OptText(denominator->text) : OptText())
                .bind(8, opt(r, den_uom));
          },
          "ingredient " + isid_text + " of VMP " + vmp_text);
      !res) {
    return res;
  }
  return exec(
      "INSERT INTO vmp_ingredients (vmp_id, ordinal, substance_id, name, strength, strength_unit)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      [&](store::Statement& st) {
        st.bind(1, vmp_text).bind(2, std::int64_t{v.ingredients++}).bind(3, isid_text)
            .bind(4, ingredient_names_[(*ing)->id]).bind(5, s.thousandths).bind(6, s.unit);
      });
}

Result<void> Importer::vmp_ont_form(const Record& r) {
  static const Fields f(record_spec(FileKind::kVmp, 2));
  static const int vpid = f("VPID"), formcd = f("FORMCD");
  if (auto v = require(vmps_, "VMP", r.get(vpid), "ONT: VPID"); !v) return Unexpected(v.error());
  return check_lookup("ONT_FORM_ROUTE", r, formcd, "ONT: FORMCD");
}

Result<void> Importer::vmp_form(const Record& r) {
  static const Fields f(record_spec(FileKind::kVmp, 3));
  static const int vpid = f("VPID"), formcd = f("FORMCD");
  auto v = require(vmps_, "VMP", r.get(vpid), "DFORM: VPID");
  if (!v) return Unexpected(std::move(v).error());
  if (((*v)->marks & 2) != 0) return fail(errc::kDuplicate, "a second DFORM for VMP " + std::string(r.get(vpid)));
  (*v)->marks |= 2;
  if (auto c = check_lookup("FORM", r, formcd, "DFORM: FORMCD"); !c) return c;
  return exec("UPDATE dmd_vmps SET form_code = ?2 WHERE id = ?1",
              [&](store::Statement& st) { st.bind(1, r.get(vpid)).bind(2, r.get(formcd)); });
}

Result<void> Importer::vmp_route(const Record& r) {
  static const Fields f(record_spec(FileKind::kVmp, 4));
  static const int vpid = f("VPID"), routecd = f("ROUTECD");
  auto v = require(vmps_, "VMP", r.get(vpid), "DROUTE: VPID");
  if (!v) return Unexpected(std::move(v).error());
  if (auto c = check_lookup("ROUTE", r, routecd, "DROUTE: ROUTECD"); !c) return c;
  if (auto id = parse_id(r.get(routecd), "ROUTECD"); !id) return Unexpected(id.error());
  return exec("INSERT INTO vmp_routes (vmp_id, ordinal, route_id) VALUES (?1, ?2, ?3)",
              [&](store::Statement& st) {
                st.bind(1, r.get(vpid)).bind(2, std::int64_t{(*v)->routes++}).bind(3, r.get(routecd));
              });
}

Result<void> Importer::vmp_control(const Record& r) {
  static const Fields f(record_spec(FileKind::kVmp, 5));
  static const int vpid = f("VPID"), catcd = f("CATCD"), catdt = f("CATDT"), cat_prevcd = f("CAT_PREVCD");
  auto v = require(vmps_, "VMP", r.get(vpid), "CONTROL_INFO: VPID");
  if (!v) return Unexpected(std::move(v).error());
  if (((*v)->marks & 1) != 0) {
    return fail(errc::kDuplicate, "a second CONTROL_INFO for VMP " + std::string(r.get(vpid)));
  }
  (*v)->marks |= 1;
  if (auto c = check_lookup("CONTROL_DRUG_CATEGORY", r, catcd, "CATCD"); !c) return c;
  if (auto c = check_lookup("CONTROL_DRUG_CATEGORY", r, cat_prevcd, "CAT_PREVCD"); !c) return c;
  if (auto d = opt_date(r, catdt, "CATDT"); !d) return Unexpected(d.error());
  const auto category = cd_category(r.get(catcd));
  if (!category) {
    return fail(errc::kUnknownSchema, "controlled drug category " + std::string(r.get(catcd)) +
                                          " is not one this bcma knows (0000-0010): refusing to guess");
  }
  return exec("UPDATE vmp SET cd_code = ?2, cd_category = ?3 WHERE id = ?1", [&](store::Statement& st) {
    st.bind(1, r.get(vpid)).bind(2, r.get(catcd)).bind(3, static_cast<std::int64_t>(*category));
  });
}

}  // namespace bcma::station::dmd::detail
