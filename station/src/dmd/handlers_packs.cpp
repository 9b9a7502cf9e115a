// Records of the AMP, VMPP, AMPP, GTIN and BNF files.
#include <optional>

#include "bcma/gs1/gtin.hpp"
#include "bcma/station/dmd/errors.hpp"
#include "importer.hpp"
#include "record_fields.hpp"
#include "values.hpp"

namespace bcma::station::dmd::detail {

Result<void> Importer::amp(const Record& r) {
  static const Fields f(record_spec(FileKind::kAmp, 0));
  static const int apid = f("APID"), invalid = f("INVALID"), vpid = f("VPID"), nm = f("NM"),
                   abbrevnm = f("ABBREVNM"), desc = f("DESC"), nmdt = f("NMDT"), suppcd = f("SUPPCD"),
                   lic_authcd = f("LIC_AUTHCD"), combprodcd = f("COMBPRODCD"), flavourcd = f("FLAVOURCD"),
                   avail = f("AVAIL_RESTRICTCD"), lic_prev = f("LIC_AUTH_PREVCD"),
                   lic_change = f("LIC_AUTHCHANGECD"), lic_changedt = f("LIC_AUTHCHANGEDT"), ema = f("EMA"),
                   parallel = f("PARALLEL_IMPORT");
  auto id = parse_id(r.get(apid), "APID");
  if (!id) return Unexpected(std::move(id).error());
  const std::string id_text(r.get(apid));
  if (r.get(nm).empty()) return fail(errc::kInvalidValue, "AMP " + id_text + " has no name");
  auto vmp = require(vmps_, "VMP", r.get(vpid), "AMP " + id_text + ": VPID");
  if (!vmp) return Unexpected(std::move(vmp).error());
  auto supplier = lookup("SUPPLIER", r.get(suppcd), "SUPPCD");
  if (!supplier) return Unexpected(std::move(supplier).error());
  for (auto [section, field, what] :
       {std::tuple{"LICENSING_AUTHORITY", lic_authcd, "LIC_AUTHCD"},
        std::tuple{"LICENSING_AUTHORITY", lic_prev, "LIC_AUTH_PREVCD"},
        std::tuple{"LICENSING_AUTHORITY_CHANGE_REASON", lic_change, "LIC_AUTHCHANGECD"},
        std::tuple{"COMBINATION_PROD_IND", combprodcd, "COMBPRODCD"}, std::tuple{"FLAVOUR", flavourcd, "FLAVOURCD"},
        std::tuple{"AVAILABILITY_RESTRICTION", avail, "AVAIL_RESTRICTCD"}}) {
    if (auto c = check_lookup(section, r, field, what); !c) return c;
  }
  for (auto [field, what] : {std::pair{nmdt, "NMDT"}, std::pair{lic_changedt, "LIC_AUTHCHANGEDT"}}) {
    if (auto d = opt_date(r, field, what); !d) return Unexpected(d.error());
  }
  for (auto [field, what] : {std::pair{ema, "EMA"}, std::pair{parallel, "PARALLEL_IMPORT"}}) {
    if (auto b = flag_or_false(r, field, what); !b) return Unexpected(b.error());
  }
  auto inv = flag_or_false(r, invalid, "INVALID");
  if (!inv) return Unexpected(std::move(inv).error());
  amps_.add({*id, (*vmp)->id, 0, 0, static_cast<std::uint32_t>(r.line), 0, 0, 0});
  ++counts_["amps"];
  if (auto res = exec("INSERT INTO amp (id, vmp_id, name, supplier) VALUES (?1, ?2, ?3, ?4)"
                      " ON CONFLICT (id) DO UPDATE SET vmp_id = excluded.vmp_id, name = excluded.name,"
                      "  supplier = excluded.supplier",
                      [&](store::Statement& st) {
                        st.bind(1, id_text).bind(2, r.get(vpid)).bind(3, r.get(nm)).bind(4, *supplier);
                      });
      !res) {
    return res;
  }
  return exec(
      "INSERT INTO dmd_amps (id, invalid, description, abbreviated_name, supplier_code, licensing_code,"
      " combination_code, availability_code, bnf_code, release_id, withdrawn)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9, 0)"
      " ON CONFLICT (id) DO UPDATE SET invalid = excluded.invalid, description = excluded.description,"
      "  abbreviated_name = excluded.abbreviated_name, supplier_code = excluded.supplier_code,"
      "  licensing_code = excluded.licensing_code, combination_code = excluded.combination_code,"
      "  availability_code = excluded.availability_code, bnf_code = NULL,"
      "  release_id = excluded.release_id, withdrawn = 0",
      [&](store::Statement& st) {
        st.bind(1, id_text).bind(2, std::int64_t{*inv ? 1 : 0}).bind(3, opt(r, desc)).bind(4, opt(r, abbrevnm))
            .bind(5, r.get(suppcd)).bind(6, opt(r, lic_authcd)).bind(7, opt(r, combprodcd)).bind(8, opt(r, avail))
            .bind(9, release_id_);
      });
}

Result<void> Importer::amp_ingredient(const Record& r) {
  static const Fields f(record_spec(FileKind::kAmp, 1));
  static const int apid = f("APID"), isid = f("ISID"), strnth = f("STRNTH"), uomcd = f("UOMCD");
  if (auto a = require(amps_, "AMP", r.get(apid), "AP_ING: APID"); !a) return Unexpected(a.error());
  if (auto i = require(ingredients_, "ingredient", r.get(isid), "AP_ING: ISID"); !i) return Unexpected(i.error());
  if (r.has(strnth)) {
    if (auto n = parse_number(r.get(strnth), "STRNTH"); !n) return Unexpected(n.error());
  }
  return check_lookup("UNIT_OF_MEASURE", r, uomcd, "AP_ING: UOMCD");
}

Result<void> Importer::amp_route(const Record& r) {
  static const Fields f(record_spec(FileKind::kAmp, 2));
  static const int apid = f("APID"), routecd = f("ROUTECD");
  if (auto a = require(amps_, "AMP", r.get(apid), "LIC_ROUTE: APID"); !a) return Unexpected(a.error());
  return check_lookup("ROUTE", r, routecd, "LIC_ROUTE: ROUTECD");
}

Result<void> Importer::amp_info(const Record& r) {
  static const Fields f(record_spec(FileKind::kAmp, 3));
  static const int apid = f("APID"), colourcd = f("COLOURCD");
  if (auto a = require(amps_, "AMP", r.get(apid), "AP_INFO: APID"); !a) return Unexpected(a.error());
  return check_lookup("COLOUR", r, colourcd, "AP_INFO: COLOURCD");
}

Result<void> Importer::vmpp(const Record& r) {
  static const Fields f(record_spec(FileKind::kVmpp, 0));
  static const int vppid = f("VPPID"), invalid = f("INVALID"), nm = f("NM"), vpid = f("VPID"),
                   qtyval = f("QTYVAL"), qty_uomcd = f("QTY_UOMCD"), combpackcd = f("COMBPACKCD");
  auto id = parse_id(r.get(vppid), "VPPID");
  if (!id) return Unexpected(std::move(id).error());
  const std::string id_text(r.get(vppid));
  if (r.get(nm).empty()) return fail(errc::kInvalidValue, "VMPP " + id_text + " has no name");
  auto vmp = require(vmps_, "VMP", r.get(vpid), "VMPP " + id_text + ": VPID");
  if (!vmp) return Unexpected(std::move(vmp).error());
  auto qty = parse_number(r.get(qtyval), "QTYVAL");
  if (!qty) return Unexpected(std::move(qty).error());
  if (auto u = lookup("UNIT_OF_MEASURE", r.get(qty_uomcd), "QTY_UOMCD"); !u) return Unexpected(u.error());
  if (auto c = check_lookup("COMBINATION_PACK_IND", r, combpackcd, "COMBPACKCD"); !c) return c;
  auto inv = flag_or_false(r, invalid, "INVALID");
  if (!inv) return Unexpected(std::move(inv).error());
  const auto t = thousandths(*qty);
  if (!t) return fail(errc::kInvalidValue, "QTYVAL '" + qty->text + "' has more than three decimal places");
  vmpps_.add({*id, (*vmp)->id, 0, *t, static_cast<std::uint32_t>(r.line), 0, 0, 0});
  ++counts_["vmpps"];
  return exec(
      "INSERT INTO dmd_vmpps (id, vmp_id, name, invalid, quantity, quantity_uom, combination_code,"
      " tariff_category, tariff_price_pence, tariff_date, release_id)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, NULL, NULL, ?8)"
      " ON CONFLICT (id) DO UPDATE SET vmp_id = excluded.vmp_id, name = excluded.name,"
      "  invalid = excluded.invalid, quantity = excluded.quantity, quantity_uom = excluded.quantity_uom,"
      "  combination_code = excluded.combination_code, tariff_category = NULL,"
      "  tariff_price_pence = NULL, tariff_date = NULL, release_id = excluded.release_id",
      [&](store::Statement& st) {
        st.bind(1, id_text).bind(2, r.get(vpid)).bind(3, r.get(nm)).bind(4, std::int64_t{*inv ? 1 : 0})
            .bind(5, qty->text).bind(6, r.get(qty_uomcd)).bind(7, opt(r, combpackcd)).bind(8, release_id_);
      });
}

Result<void> Importer::vmpp_tariff(const Record& r) {
  static const Fields f(record_spec(FileKind::kVmpp, 1));
  static const int vppid = f("VPPID"), pay_catcd = f("PAY_CATCD"), price = f("PRICE"), dt = f("DT"),
                   prevprice = f("PREVPRICE");
  auto v = require(vmpps_, "VMPP", r.get(vppid), "DTINFO: VPPID");
  if (!v) return Unexpected(std::move(v).error());
  if (((*v)->marks & 1) != 0) return fail(errc::kDuplicate, "a second DTINFO for VMPP " + std::string(r.get(vppid)));
  (*v)->marks |= 1;
  if (auto c = check_lookup("DT_PAYMENT_CATEGORY", r, pay_catcd, "PAY_CATCD"); !c) return c;
  std::optional<std::int64_t> pence;
  if (r.has(price)) {
    auto p = parse_pence(r.get(price), "PRICE");
    if (!p) return Unexpected(std::move(p).error());
    pence = *p;
  }
  if (r.has(prevprice)) {
    if (auto p = parse_pence(r.get(prevprice), "PREVPRICE"); !p) return Unexpected(p.error());
  }
  auto date = opt_date(r, dt, "DT");
  if (!date) return Unexpected(std::move(date).error());
  return exec(
      "UPDATE dmd_vmpps SET tariff_category = ?2, tariff_price_pence = ?3, tariff_date = ?4 WHERE id = ?1",
      [&](store::Statement& st) { st.bind(1, r.get(vppid)).bind(2, r.get(pay_catcd)).bind(3, pence).bind(4, *date); });
}

Result<void> Importer::vmpp_content(const Record& r) {
  static const Fields f(record_spec(FileKind::kVmpp, 2));
  static const int parent = f("PRNTVPPID"), child = f("CHLDVPPID");
  if (auto p = require(vmpps_, "VMPP", r.get(parent), "CCONTENT: PRNTVPPID"); !p) return Unexpected(p.error());
  if (auto c = require(vmpps_, "VMPP", r.get(child), "CCONTENT: CHLDVPPID"); !c) return Unexpected(c.error());
  return exec("INSERT INTO dmd_pack_contents (level, pack_id, component_id) VALUES ('vmpp', ?1, ?2)",
              [&](store::Statement& st) { st.bind(1, r.get(parent)).bind(2, r.get(child)); },
              "VMPP component " + std::string(r.get(child)) + " of " + std::string(r.get(parent)));
}

Result<void> Importer::ampp(const Record& r) {
  static const Fields f(record_spec(FileKind::kAmpp, 0));
  static const int appid = f("APPID"), invalid = f("INVALID"), nm = f("NM"), abbrevnm = f("ABBREVNM"),
                   vppid = f("VPPID"), apid = f("APID"), combpackcd = f("COMBPACKCD"),
                   legal_catcd = f("LEGAL_CATCD"), subp = f("SUBP"), disccd = f("DISCCD"), discdt = f("DISCDT");
  auto id = parse_id(r.get(appid), "APPID");
  if (!id) return Unexpected(std::move(id).error());
  const std::string id_text(r.get(appid));
  if (r.get(nm).empty()) return fail(errc::kInvalidValue, "AMPP " + id_text + " has no name");
  auto vmpp = require(vmpps_, "VMPP", r.get(vppid), "AMPP " + id_text + ": VPPID");
  if (!vmpp) return Unexpected(std::move(vmpp).error());
  auto amp = require(amps_, "AMP", r.get(apid), "AMPP " + id_text + ": APID");
  if (!amp) return Unexpected(std::move(amp).error());
  if ((*vmpp)->parent != (*amp)->parent) {
    return fail(errc::kBrokenReference, "AMPP " + id_text + " is a pack of VMPP " + std::string(r.get(vppid)) +
                                            " (VMP " + std::to_string((*vmpp)->parent) + ") but of AMP " +
                                            std::string(r.get(apid)) + " (VMP " +
                                            std::to_string((*amp)->parent) + ")");
  }
  if (auto c = check_lookup("LEGAL_CATEGORY", r, legal_catcd, "LEGAL_CATCD"); !c) return c;
  if (auto c = check_lookup("COMBINATION_PACK_IND", r, combpackcd, "COMBPACKCD"); !c) return c;
  if (auto c = check_lookup("DISCONTINUED_IND", r, disccd, "DISCCD"); !c) return c;
  auto disc_on = opt_date(r, discdt, "DISCDT");
  if (!disc_on) return Unexpected(std::move(disc_on).error());
  auto inv = flag_or_false(r, invalid, "INVALID");
  if (!inv) return Unexpected(std::move(inv).error());
  ampps_.add({*id, (*amp)->id, 0, 0, static_cast<std::uint32_t>(r.line), 0, 0, 0});
  ++counts_["ampps"];
  // The price arrives later in the file (MEDICINAL_PRODUCT_PRICE); until then it is unknown.
  if (auto res = exec("INSERT INTO ampp (id, amp_id, name, pack_size, price_pence) VALUES (?1, ?2, ?3, ?4, NULL)"
                      " ON CONFLICT (id) DO UPDATE SET amp_id = excluded.amp_id, name = excluded.name,"
                      "  pack_size = excluded.pack_size, price_pence = NULL",
                      [&](store::Statement& st) {
                        st.bind(1, id_text).bind(2, r.get(apid)).bind(3, r.get(nm)).bind(4, (*vmpp)->value);
                      });
      !res) {
    return res;
  }
  return exec(
      "INSERT INTO dmd_ampps (id, vmpp_id, invalid, abbreviated_name, legal_category, combination_code,"
      " subpack, discontinued_code, discontinued_on, price_basis, price_date, release_id, withdrawn)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, NULL, ?10, 0)"
      " ON CONFLICT (id) DO UPDATE SET vmpp_id = excluded.vmpp_id, invalid = excluded.invalid,"
      "  abbreviated_name = excluded.abbreviated_name, legal_category = excluded.legal_category,"
      "  combination_code = excluded.combination_code, subpack = excluded.subpack,"
      "  discontinued_code = excluded.discontinued_code, discontinued_on = excluded.discontinued_on,"
      "  price_basis = NULL, price_date = NULL, release_id = excluded.release_id, withdrawn = 0",
      [&](store::Statement& st) {
        st.bind(1, id_text).bind(2, r.get(vppid)).bind(3, std::int64_t{*inv ? 1 : 0}).bind(4, opt(r, abbrevnm))
            .bind(5, r.get(legal_catcd)).bind(6, opt(r, combpackcd)).bind(7, opt(r, subp)).bind(8, opt(r, disccd))
            .bind(9, *disc_on).bind(10, release_id_);
      });
}

Result<void> Importer::ampp_detail(const Record& r) {
  // APPLIANCE_PACK_INFO, DRUG_PRODUCT_PRESCRIB_INFO, REIMBURSEMENT_INFO: checked, not kept.
  const int appid = r.spec->field("APPID");
  if (auto a = require(ampps_, "AMPP", r.get(appid), std::string(r.spec->element) + ": APPID"); !a) {
    return Unexpected(a.error());
  }
  for (std::size_t i = 0; i < r.spec->fields.size(); ++i) {
    const std::string_view name = r.spec->fields[i].name;
    const int field = static_cast<int>(i);
    if (!r.has(field)) continue;
    if (name.ends_with("DT")) {
      if (auto d = parse_dmd_date(r.get(field), name); !d) return Unexpected(d.error());
    }
  }
  if (r.spec->section == "REIMBURSEMENT_INFO") return check_lookup("SPEC_CONT", r, r.spec->field("SPEC_CONTCD"), "SPEC_CONTCD");
  if (r.spec->section == "APPLIANCE_PACK_INFO") {
    return check_lookup("REIMBURSEMENT_STATUS", r, r.spec->field("REIMB_STATCD"), "REIMB_STATCD");
  }
  return {};
}

Result<void> Importer::ampp_price(const Record& r) {
  static const Fields f(record_spec(FileKind::kAmpp, 3));
  static const int appid = f("APPID"), price = f("PRICE"), pricedt = f("PRICEDT"), price_prev = f("PRICE_PREV"),
                   basis = f("PRICE_BASISCD");
  auto a = require(ampps_, "AMPP", r.get(appid), "PRICE_INFO: APPID");
  if (!a) return Unexpected(std::move(a).error());
  if (((*a)->marks & 1) != 0) return fail(errc::kDuplicate, "a second PRICE_INFO for AMPP " + std::string(r.get(appid)));
  (*a)->marks |= 1;
  if (auto c = check_lookup("PRICE_BASIS", r, basis, "PRICE_BASISCD"); !c) return c;
  std::optional<std::int64_t> pence;
  if (r.has(price)) {
    auto p = parse_pence(r.get(price), "PRICE");
    if (!p) return Unexpected(std::move(p).error());
    pence = *p;
  }
  if (r.has(price_prev)) {
    if (auto p = parse_pence(r.get(price_prev), "PRICE_PREV"); !p) return Unexpected(p.error());
  }
  auto date = opt_date(r, pricedt, "PRICEDT");
  if (!date) return Unexpected(std::move(date).error());
  if (auto res = exec("UPDATE ampp SET price_pence = ?2 WHERE id = ?1",
                      [&](store::Statement& st) { st.bind(1, r.get(appid)).bind(2, pence); });
      !res) {
    return res;
  }
  return exec("UPDATE dmd_ampps SET price_basis = ?2, price_date = ?3 WHERE id = ?1",
              [&](store::Statement& st) { st.bind(1, r.get(appid)).bind(2, opt(r, basis)).bind(3, *date); });
}

Result<void> Importer::ampp_content(const Record& r) {
  static const Fields f(record_spec(FileKind::kAmpp, 5));
  static const int parent = f("PRNTAPPID"), child = f("CHLDAPPID");
  if (auto p = require(ampps_, "AMPP", r.get(parent), "CCONTENT: PRNTAPPID"); !p) return Unexpected(p.error());
  if (auto c = require(ampps_, "AMPP", r.get(child), "CCONTENT: CHLDAPPID"); !c) return Unexpected(c.error());
  return exec("INSERT INTO dmd_pack_contents (level, pack_id, component_id) VALUES ('ampp', ?1, ?2)",
              [&](store::Statement& st) { st.bind(1, r.get(parent)).bind(2, r.get(child)); },
              "AMPP component " + std::string(r.get(child)) + " of " + std::string(r.get(parent)));
}

Result<void> Importer::gtin(const Record& r) {
  static const RecordSpec& spec = record_spec(FileKind::kGtin, 0);
  static const int amppid = spec.field("AMPPID"), gtin_f = spec.group_field("GTIN"),
                   start_f = spec.group_field("STARTDT"), end_f = spec.group_field("ENDDT");
  auto pack = require(ampps_, "AMPP", r.get(amppid), "AMPPID");
  if (!pack) return Unexpected(std::move(pack).error());
  const std::string ampp_id(r.get(amppid));
  for (std::size_t i = 0; i < r.group_count; ++i) {
    const auto& g = r.groups[i];
    const std::string where = " (GTINDATA at line " + std::to_string(g.line) + ")";
    const std::string& raw = g.values[static_cast<std::size_t>(gtin_f)];
    if (raw.size() != 13 && raw.size() != 14) {
      return fail(errc::kInvalidValue, "GTIN '" + raw + "' is not 13 or 14 digits" + where);
    }
    auto normal = gs1::normalise_gtin(raw);
    if (!normal) return fail(errc::kInvalidValue, "GTIN '" + raw + "': " + normal.error().message + where);
    auto start = parse_dmd_date(g.values[static_cast<std::size_t>(start_f)], "STARTDT");
    if (!start) return Unexpected(Error{start.error().code, start.error().message + where});
    std::optional<std::string> end;
    if (g.present[static_cast<std::size_t>(end_f)]) {
      auto e = parse_dmd_date(g.values[static_cast<std::size_t>(end_f)], "ENDDT");
      if (!e) return Unexpected(Error{e.error().code, e.error().message + where});
      if (*e < *start) {
        return fail(errc::kInvalidValue, "GTIN " + raw + " ends (" + domain::to_string(*e) + ") before it starts (" +
                                             domain::to_string(*start) + ")" + where);
      }
      end = domain::to_string(*e);
    }
    ++counts_["gtins"];
    if (auto res = exec("INSERT INTO gtins (gtin, ampp_id, start_date, end_date) VALUES (?1, ?2, ?3, ?4)",
                        [&](store::Statement& st) {
                          st.bind(1, *normal).bind(2, ampp_id).bind(3, domain::to_string(*start)).bind(4, end);
                        },
                        "GTIN " + *normal + " of AMPP " + ampp_id + " from " + domain::to_string(*start) + where);
        !res) {
      return res;
    }
  }
  return {};
}

Result<void> Importer::bnf_vmp(const Record& r) {
  static const Fields f(record_spec(FileKind::kBnf, 0));
  static const int vpid = f("VPID"), bnf = f("BNF"), atc = f("ATC"), ddd = f("DDD"), ddd_uom = f("DDD_UOMCD");
  if (auto v = require(vmps_, "VMP", r.get(vpid), "BNF VMP: VPID"); !v) return Unexpected(v.error());
  if (auto c = check_lookup("UNIT_OF_MEASURE", r, ddd_uom, "DDD_UOMCD"); !c) return c;
  OptText ddd_text;
  if (r.has(ddd)) {
    auto n = parse_number(r.get(ddd), "DDD");
    if (!n) return Unexpected(std::move(n).error());
    ddd_text = n->text;
  }
  ++counts_["bnf"];
  return exec("UPDATE dmd_vmps SET bnf_code = ?2, atc_code = ?3, ddd = ?4, ddd_uom = ?5 WHERE id = ?1",
              [&](store::Statement& st) {
                st.bind(1, r.get(vpid)).bind(2, opt(r, bnf)).bind(3, opt(r, atc)).bind(4, ddd_text)
                    .bind(5, opt(r, ddd_uom));
              });
}

Result<void> Importer::bnf_amp(const Record& r) {
  static const Fields f(record_spec(FileKind::kBnf, 1));
  static const int apid = f("APID"), bnf = f("BNF");
  if (auto a = require(amps_, "AMP", r.get(apid), "BNF AMP: APID"); !a) return Unexpected(a.error());
  ++counts_["bnf"];
  return exec("UPDATE dmd_amps SET bnf_code = ?2 WHERE id = ?1",
              [&](store::Statement& st) { st.bind(1, r.get(apid)).bind(2, opt(r, bnf)); });
}

}  // namespace bcma::station::dmd::detail
