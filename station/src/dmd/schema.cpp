#include "schema.hpp"

#include <array>

namespace bcma::station::dmd::detail {

namespace {

using F = FieldSpec;
constexpr bool kReq = true;

std::vector<RecordSpec> lookup_records() {
  // Every lookup section of lookup_v2_3.xsd. INFO carries CD and DESC; the history sections
  // (UNIT_OF_MEASURE, FORM, ROUTE, SUPPLIER) also CDDT and CDPREV, SUPPLIER also INVALID.
  static constexpr std::array<std::string_view, 26> kSections{
      "COMBINATION_PACK_IND", "COMBINATION_PROD_IND", "BASIS_OF_NAME", "NAMECHANGE_REASON",
      "VIRTUAL_PRODUCT_PRES_STATUS", "CONTROL_DRUG_CATEGORY", "LICENSING_AUTHORITY",
      "UNIT_OF_MEASURE", "FORM", "ONT_FORM_ROUTE", "ROUTE", "DT_PAYMENT_CATEGORY", "SUPPLIER",
      "FLAVOUR", "COLOUR", "BASIS_OF_STRNTH", "REIMBURSEMENT_STATUS", "SPEC_CONT", "DND",
      "VIRTUAL_PRODUCT_NON_AVAIL", "DISCONTINUED_IND", "DF_INDICATOR", "PRICE_BASIS",
      "LEGAL_CATEGORY", "AVAILABILITY_RESTRICTION", "LICENSING_AUTHORITY_CHANGE_REASON"};
  std::vector<RecordSpec> out;
  for (auto s : kSections) {
    out.push_back({s, "INFO", {F{"CD", kReq}, F{"CDDT"}, F{"CDPREV"}, F{"INVALID"}, F{"DESC", kReq}}, {}, {}});
  }
  return out;
}

std::vector<FileSpec> make_specs() {
  std::vector<FileSpec> s;
  s.push_back({FileKind::kLookup, "lookup", 2, 3, "LOOKUP", false, true, lookup_records()});
  s.push_back({FileKind::kIngredient, "ingredient", 2, 3, "INGREDIENT_SUBSTANCES", true, true,
               {{"", "ING",
                 {F{"ISID", kReq}, F{"ISIDDT"}, F{"ISIDPREV"}, F{"INVALID"}, F{"NM", kReq}}, {}, {}}}});
  s.push_back({FileKind::kVtm, "vtm", 2, 3, "VIRTUAL_THERAPEUTIC_MOIETIES", true, true,
               {{"", "VTM",
                 {F{"VTMID", kReq}, F{"INVALID"}, F{"NM", kReq}, F{"ABBREVNM"}, F{"VTMIDPREV"},
                  F{"VTMIDDT"}},
                 {}, {}}}});
  s.push_back({FileKind::kVmp, "vmp", 2, 3, "VIRTUAL_MED_PRODUCTS", true, true,
               {{"VMPS", "VMP",
                 {F{"VPID", kReq}, F{"VPIDDT"}, F{"VPIDPREV"}, F{"VTMID"}, F{"INVALID"}, F{"NM", kReq},
                  F{"ABBREVNM"}, F{"BASISCD"}, F{"NMDT"}, F{"NMPREV"}, F{"BASIS_PREVCD"},
                  F{"NMCHANGECD"}, F{"COMBPRODCD"}, F{"PRES_STATCD"}, F{"SUG_F"}, F{"GLU_F"},
                  F{"PRES_F"}, F{"CFC_F"}, F{"NON_AVAILCD"}, F{"NON_AVAILDT"}, F{"DF_INDCD"},
                  F{"UDFS"}, F{"UDFS_UOMCD"}, F{"UNIT_DOSE_UOMCD"}},
                 {}, {}},
                {"VIRTUAL_PRODUCT_INGREDIENT", "VPI",
                 {F{"VPID", kReq}, F{"ISID", kReq}, F{"BASIS_STRNTCD"}, F{"BS_SUBID"},
                  F{"STRNT_NMRTR_VAL"}, F{"STRNT_NMRTR_UOMCD"}, F{"STRNT_DNMTR_VAL"},
                  F{"STRNT_DNMTR_UOMCD"}},
                 {}, {}},
                {"ONT_DRUG_FORM", "ONT", {F{"VPID", kReq}, F{"FORMCD", kReq}}, {}, {}},
                {"DRUG_FORM", "DFORM", {F{"VPID", kReq}, F{"FORMCD", kReq}}, {}, {}},
                {"DRUG_ROUTE", "DROUTE", {F{"VPID", kReq}, F{"ROUTECD", kReq}}, {}, {}},
                {"CONTROL_DRUG_INFO", "CONTROL_INFO",
                 {F{"VPID", kReq}, F{"CATCD", kReq}, F{"CATDT"}, F{"CAT_PREVCD"}}, {}, {}}}});
  s.push_back({FileKind::kAmp, "amp", 2, 3, "ACTUAL_MEDICINAL_PRODUCTS", true, true,
               {{"AMPS", "AMP",
                 {F{"APID", kReq}, F{"INVALID"}, F{"VPID", kReq}, F{"NM", kReq}, F{"ABBREVNM"},
                  F{"DESC"}, F{"NMDT"}, F{"NM_PREV"}, F{"SUPPCD", kReq}, F{"LIC_AUTHCD"},
                  F{"LIC_AUTH_PREVCD"}, F{"LIC_AUTHCHANGECD"}, F{"LIC_AUTHCHANGEDT"},
                  F{"COMBPRODCD"}, F{"FLAVOURCD"}, F{"EMA"}, F{"PARALLEL_IMPORT"},
                  F{"AVAIL_RESTRICTCD"}},
                 {}, {}},
                {"AP_INGREDIENT", "AP_ING",
                 {F{"APID", kReq}, F{"ISID", kReq}, F{"STRNTH"}, F{"UOMCD"}}, {}, {}},
                {"LICENSED_ROUTE", "LIC_ROUTE", {F{"APID", kReq}, F{"ROUTECD", kReq}}, {}, {}},
                {"AP_INFORMATION", "AP_INFO",
                 {F{"APID", kReq}, F{"SZ_WEIGHT"}, F{"COLOURCD"}, F{"PROD_ORDER_NO"}}, {}, {}}}});
  s.push_back({FileKind::kVmpp, "vmpp", 2, 3, "VIRTUAL_MED_PRODUCT_PACK", true, true,
               {{"VMPPS", "VMPP",
                 {F{"VPPID", kReq}, F{"INVALID"}, F{"NM", kReq}, F{"ABBREVNM"}, F{"VPID", kReq},
                  F{"QTYVAL", kReq}, F{"QTY_UOMCD", kReq}, F{"COMBPACKCD"}},
                 {}, {}},
                {"DRUG_TARIFF_INFO", "DTINFO",
                 {F{"VPPID", kReq}, F{"PAY_CATCD", kReq}, F{"PRICE"}, F{"DT"}, F{"PREVPRICE"}}, {}, {}},
                {"COMB_CONTENT", "CCONTENT", {F{"PRNTVPPID", kReq}, F{"CHLDVPPID", kReq}}, {}, {}}}});
  s.push_back({FileKind::kAmpp, "ampp", 2, 3, "ACTUAL_MEDICINAL_PROD_PACKS", true, true,
               {{"AMPPS", "AMPP",
                 {F{"APPID", kReq}, F{"INVALID"}, F{"NM", kReq}, F{"ABBREVNM"}, F{"VPPID", kReq},
                  F{"APID", kReq}, F{"COMBPACKCD"}, F{"LEGAL_CATCD", kReq}, F{"SUBP"}, F{"DISCCD"},
                  F{"DISCDT"}},
                 {}, {}},
                {"APPLIANCE_PACK_INFO", "PACK_INFO",
                 {F{"APPID", kReq}, F{"REIMB_STATCD"}, F{"REIMB_STATDT"}, F{"REIMB_STATPREVCD"},
                  F{"PACK_ORDER_NO"}},
                 {}, {}},
                {"DRUG_PRODUCT_PRESCRIB_INFO", "PRESCRIB_INFO",
                 {F{"APPID", kReq}, F{"SCHED_2"}, F{"ACBS"}, F{"PADM"}, F{"FP10_MDA"}, F{"SCHED_1"},
                  F{"HOSP"}, F{"NURSE_F"}, F{"ENURSE_F"}, F{"DENT_F"}},
                 {}, {}},
                {"MEDICINAL_PRODUCT_PRICE", "PRICE_INFO",
                 {F{"APPID", kReq}, F{"PRICE"}, F{"PRICEDT"}, F{"PRICE_PREV"}, F{"PRICE_BASISCD"}}, {}, {}},
                {"REIMBURSEMENT_INFO", "REIMB_INFO",
                 {F{"APPID", kReq}, F{"PX_CHRGS"}, F{"DISP_FEES"}, F{"BB"}, F{"LTD_STAB"},
                  F{"CAL_PACK"}, F{"SPEC_CONTCD"}, F{"DND"}, F{"FP34D"}},
                 {}, {}},
                {"COMB_CONTENT", "CCONTENT", {F{"PRNTAPPID", kReq}, F{"CHLDAPPID", kReq}}, {}, {}}}});
  // Unlike the other AMPP files, the GTIN file names the pack AMPPID (not APPID).
  s.push_back({FileKind::kGtin, "gtin", 2, 0, "GTIN_DETAILS", true, true,
               {{"AMPPS", "AMPP", {F{"AMPPID", kReq}}, "GTINDATA",
                 {F{"GTIN", kReq}, F{"STARTDT", kReq}, F{"ENDDT"}}}}});
  s.push_back({FileKind::kBnf, "bnf", 1, 0, "BNF_DETAILS", true, false,
               {{"VMPS", "VMP", {F{"VPID", kReq}, F{"BNF"}, F{"ATC"}, F{"DDD"}, F{"DDD_UOMCD"}}, {}, {}},
                {"AMPS", "AMP", {F{"APID", kReq}, F{"BNF"}}, {}, {}}}});
  return s;
}

int index_of(const std::vector<FieldSpec>& fields, std::string_view name) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

int RecordSpec::field(std::string_view name) const { return index_of(fields, name); }
int RecordSpec::group_field(std::string_view name) const { return index_of(group_fields, name); }

std::string FileSpec::xsd_name() const {
  return std::string(stem) + "_v" + std::to_string(major) + "_" + std::to_string(minor) + ".xsd";
}

const FileSpec& file_spec(FileKind kind) {
  static const std::vector<FileSpec> specs = make_specs();
  return specs[static_cast<std::size_t>(kind)];
}

std::string_view stem(FileKind kind) { return file_spec(kind).stem; }

}  // namespace bcma::station::dmd::detail
