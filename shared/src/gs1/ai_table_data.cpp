// The GS1 Application Identifier table, transcribed as facts from the GS1 Barcode Syntax
// Dictionary (gs1/gs1-syntax-dictionary, the release that added AIs 03, 7041, 716, 7250-7259
// and 8014), plus AI 717 (NHRN SRN, Costa Rica) from the later GS1 General Specifications.
// One row per dictionary line; flags: P = predefined length (no FNC1 after it), A = permitted
// as a Digital Link query attribute, K = Digital Link primary key. See docs/gs1.md.
//
// Row: first AI, last AI, flags, components, requires, excludes, DL key qualifiers, title.
// Requires: space-separated clauses that must all hold; within a clause, comma-separated
// alternatives of which one must be present; '+' joins AIs that must all be present.

#include "ai_table_data.hpp"

namespace bcma::gs1::detail {
namespace {

using enum Linter;

template <class... Ls>
constexpr LinterSet L(Ls... linters) {
  return (LinterSet{0} | ... | linter_bit(linters));
}

constexpr Component make(Charset charset, int min, int max, LinterSet linters) {
  return Component{charset, static_cast<std::uint8_t>(min), static_cast<std::uint8_t>(max), false,
                   linters};
}
// N6 (fixed) and N..8 (variable, 1..8); likewise X (CSET 82), Y (CSET 39), Z (CSET 64).
constexpr Component N(int length, LinterSet linters = 0) {
  return make(Charset::kNumeric, length, length, linters);
}
constexpr Component Nv(int max, LinterSet linters = 0) {
  return make(Charset::kNumeric, 1, max, linters);
}
constexpr Component X(int length, LinterSet linters = 0) {
  return make(Charset::kCset82, length, length, linters);
}
constexpr Component Xv(int max, LinterSet linters = 0) {
  return make(Charset::kCset82, 1, max, linters);
}
constexpr Component Yv(int max, LinterSet linters = 0) {
  return make(Charset::kCset39, 1, max, linters);
}
constexpr Component Zv(int max, LinterSet linters = 0) {
  return make(Charset::kCset64, 1, max, linters);
}
constexpr Component opt(Component component) {
  component.optional = true;
  return component;
}

template <class... Cs>
constexpr Spec spec(Cs... components) {
  Spec result;
  ((result.components[result.count++] = components), ...);
  return result;
}

constexpr std::uint8_t k_ = 0;
constexpr std::uint8_t kP = kPredefined;
constexpr std::uint8_t kA = kDlAttribute;
constexpr std::uint8_t kPA = kPredefined | kDlAttribute;
constexpr std::uint8_t kAK = kDlAttribute | kDlPrimaryKey;
constexpr std::uint8_t kPAK = kPredefined | kDlAttribute | kDlPrimaryKey;

constexpr LinterSet kGtin = L(kCsum, kKeyOff1);
constexpr LinterSet kGln = L(kCsum, kKey);
constexpr Component kCountry = N(3, L(kIso3166));

// clang-format off
constexpr AiRow kRows[] = {
    {"00", "00", kPAK, spec(N(18, kGtin)), "", "", "", "SSCC"},
    {"01", "01", kPAK, spec(N(14, kGtin)), "", "255,37", "22,10,21|235", "GTIN"},
    {"02", "02", kPA, spec(N(14, kGtin)), "37", "01,03", "", "CONTENT"},
    {"03", "03", kP, spec(N(14, kGtin)), "", "01,02,37", "", "MTO GTIN"},
    {"10", "10", kA, spec(Xv(20)), "01,02,03,8006,8026", "", "", "BATCH/LOT"},
    {"11", "11", kPA, spec(N(6, L(kYymmd0))), "01,02,03,8006,8026", "", "", "PROD DATE"},
    {"12", "12", kPA, spec(N(6, L(kYymmd0))), "8020", "", "", "DUE DATE"},
    {"13", "13", kPA, spec(N(6, L(kYymmd0))), "01,02,03,8006,8026", "", "", "PACK DATE"},
    {"15", "15", kPA, spec(N(6, L(kYymmd0))), "01,02,03,8006,8026", "", "", "BEST BEFORE or BEST BY"},
    {"16", "16", kPA, spec(N(6, L(kYymmd0))), "01,02,03,8006,8026", "", "", "SELL BY"},
    {"17", "17", kPA, spec(N(6, L(kYymmd0))), "01,02,03,255,8006,8026", "", "", "USE BY or EXPIRY"},
    {"20", "20", kPA, spec(N(2)), "01,02,8006,8026", "", "", "VARIANT"},
    {"21", "21", k_, spec(Xv(20)), "01,03,8006", "235", "", "SERIAL"},
    {"22", "22", k_, spec(Xv(20)), "01", "", "", "CPV"},
    {"235", "235", k_, spec(Xv(28)), "01", "", "", "TPX"},
    {"240", "240", kA, spec(Xv(30)), "01,02,8006,8026", "", "", "ADDITIONAL ID"},
    {"241", "241", kA, spec(Xv(30)), "01,02,8006,8026", "", "", "CUST. PART No."},
    {"242", "242", kA, spec(Nv(6)), "01,02,8006,8026", "", "", "MTO VARIANT"},
    {"243", "243", kA, spec(Xv(20)), "01", "", "", "PCN"},
    {"250", "250", kA, spec(Xv(30)), "01,8006 21", "", "", "SECONDARY SERIAL"},
    {"251", "251", kA, spec(Xv(30)), "01,8006", "", "", "REF. TO SOURCE"},
    {"253", "253", kAK, spec(N(13, kGln), opt(Xv(17))), "", "", "", "GDTI"},
    {"254", "254", k_, spec(Xv(20)), "414", "", "", "GLN EXTENSION COMPONENT"},
    {"255", "255", kAK, spec(N(13, kGln), opt(Nv(12))), "", "01,02,415,8006,8020,8026", "", "GCN"},
    {"30", "30", kA, spec(Nv(8)), "01,02", "", "", "VAR. COUNT"},
    {"3100", "3105", kPA, spec(N(6)), "01,02", "310n", "", "NET WEIGHT (kg)"},
    {"3110", "3115", kPA, spec(N(6)), "01,02", "311n", "", "LENGTH (m)"},
    {"3120", "3125", kPA, spec(N(6)), "01,02", "312n", "", "WIDTH (m)"},
    {"3130", "3135", kPA, spec(N(6)), "01,02", "313n", "", "HEIGHT (m)"},
    {"3140", "3145", kPA, spec(N(6)), "01,02", "314n", "", "AREA (m²)"},
    {"3150", "3155", kPA, spec(N(6)), "01,02", "315n", "", "NET VOLUME (l)"},
    {"3160", "3165", kPA, spec(N(6)), "01,02", "316n", "", "NET VOLUME (m³)"},
    {"3200", "3205", kPA, spec(N(6)), "01,02", "320n", "", "NET WEIGHT (lb)"},
    {"3210", "3215", kPA, spec(N(6)), "01,02", "321n", "", "LENGTH (in)"},
    {"3220", "3225", kPA, spec(N(6)), "01,02", "322n", "", "LENGTH (ft)"},
    {"3230", "3235", kPA, spec(N(6)), "01,02", "323n", "", "LENGTH (yd)"},
    {"3240", "3245", kPA, spec(N(6)), "01,02", "324n", "", "WIDTH (in)"},
    {"3250", "3255", kPA, spec(N(6)), "01,02", "325n", "", "WIDTH (ft)"},
    {"3260", "3265", kPA, spec(N(6)), "01,02", "326n", "", "WIDTH (yd)"},
    {"3270", "3275", kPA, spec(N(6)), "01,02", "327n", "", "HEIGHT (in)"},
    {"3280", "3285", kPA, spec(N(6)), "01,02", "328n", "", "HEIGHT (ft)"},
    {"3290", "3295", kPA, spec(N(6)), "01,02", "329n", "", "HEIGHT (yd)"},
    {"3300", "3305", kPA, spec(N(6)), "00,01", "330n", "", "GROSS WEIGHT (kg)"},
    {"3310", "3315", kPA, spec(N(6)), "00,01", "331n", "", "LENGTH (m), log"},
    {"3320", "3325", kPA, spec(N(6)), "00,01", "332n", "", "WIDTH (m), log"},
    {"3330", "3335", kPA, spec(N(6)), "00,01", "333n", "", "HEIGHT (m), log"},
    {"3340", "3345", kPA, spec(N(6)), "00,01", "334n", "", "AREA (m²), log"},
    {"3350", "3355", kPA, spec(N(6)), "00,01", "335n", "", "VOLUME (l), log"},
    {"3360", "3365", kPA, spec(N(6)), "00,01", "336n", "", "VOLUME (m³), log"},
    {"3370", "3375", kPA, spec(N(6)), "01", "337n", "", "KG PER m²"},
    {"3400", "3405", kPA, spec(N(6)), "00,01", "340n", "", "GROSS WEIGHT (lb)"},
    {"3410", "3415", kPA, spec(N(6)), "00,01", "341n", "", "LENGTH (in), log"},
    {"3420", "3425", kPA, spec(N(6)), "00,01", "342n", "", "LENGTH (ft), log"},
    {"3430", "3435", kPA, spec(N(6)), "00,01", "343n", "", "LENGTH (yd), log"},
    {"3440", "3445", kPA, spec(N(6)), "00,01", "344n", "", "WIDTH (in), log"},
    {"3450", "3455", kPA, spec(N(6)), "00,01", "345n", "", "WIDTH (ft), log"},
    {"3460", "3465", kPA, spec(N(6)), "00,01", "346n", "", "WIDTH (yd), log"},
    {"3470", "3475", kPA, spec(N(6)), "00,01", "347n", "", "HEIGHT (in), log"},
    {"3480", "3485", kPA, spec(N(6)), "00,01", "348n", "", "HEIGHT (ft), log"},
    {"3490", "3495", kPA, spec(N(6)), "00,01", "349n", "", "HEIGHT (yd), log"},
    {"3500", "3505", kPA, spec(N(6)), "01,02", "350n", "", "AREA (in²)"},
    {"3510", "3515", kPA, spec(N(6)), "01,02", "351n", "", "AREA (ft²)"},
    {"3520", "3525", kPA, spec(N(6)), "01,02", "352n", "", "AREA (yd²)"},
    {"3530", "3535", kPA, spec(N(6)), "00,01", "353n", "", "AREA (in²), log"},
    {"3540", "3545", kPA, spec(N(6)), "00,01", "354n", "", "AREA (ft²), log"},
    {"3550", "3555", kPA, spec(N(6)), "00,01", "355n", "", "AREA (yd²), log"},
    {"3560", "3565", kPA, spec(N(6)), "01,02", "356n", "", "NET WEIGHT (t oz)"},
    {"3570", "3575", kPA, spec(N(6)), "01,02", "357n", "", "NET VOLUME (oz)"},
    {"3600", "3605", kPA, spec(N(6)), "01,02", "360n", "", "NET VOLUME (qt)"},
    {"3610", "3615", kPA, spec(N(6)), "01,02", "361n", "", "NET VOLUME (gal.)"},
    {"3620", "3625", kPA, spec(N(6)), "00,01", "362n", "", "VOLUME (qt), log"},
    {"3630", "3635", kPA, spec(N(6)), "00,01", "363n", "", "VOLUME (gal.), log"},
    {"3640", "3645", kPA, spec(N(6)), "01,02", "364n", "", "VOLUME (in³)"},
    {"3650", "3655", kPA, spec(N(6)), "01,02", "365n", "", "VOLUME (ft³)"},
    {"3660", "3665", kPA, spec(N(6)), "01,02", "366n", "", "VOLUME (yd³)"},
    {"3670", "3675", kPA, spec(N(6)), "00,01", "367n", "", "VOLUME (in³), log"},
    {"3680", "3685", kPA, spec(N(6)), "00,01", "368n", "", "VOLUME (ft³), log"},
    {"3690", "3695", kPA, spec(N(6)), "00,01", "369n", "", "VOLUME (yd³), log"},
    {"37", "37", kA, spec(Nv(8)), "00 02,8026", "", "", "COUNT"},
    {"3900", "3909", kA, spec(Nv(15)), "255,8020", "390n,391n,394n,8111", "", "AMOUNT"},
    {"3910", "3919", kA, spec(N(3, L(kIso4217)), Nv(15)), "8020", "391n", "", "AMOUNT"},
    {"3920", "3929", kA, spec(Nv(15)), "01 30,31nn,32nn,35nn,36nn", "392n,393n", "", "PRICE"},
    {"3930", "3939", kA, spec(N(3, L(kIso4217)), Nv(15)), "30,31nn,32nn,35nn,36nn", "393n", "", "PRICE"},
    {"3940", "3943", kA, spec(N(4)), "255", "394n,8111", "", "PRCNT OFF"},
    {"3950", "3955", kA, spec(N(6)), "30,31nn,32nn,35nn,36nn", "392n,393n,395n,8005", "", "PRICE/UoM"},
    {"400", "400", kA, spec(Xv(30)), "", "", "", "ORDER NUMBER"},
    {"401", "401", kAK, spec(Xv(30, L(kKey))), "", "", "", "GINC"},
    {"402", "402", kAK, spec(N(17, kGln)), "", "", "", "GSIN"},
    {"403", "403", kA, spec(Xv(30)), "00", "", "", "ROUTE"},
    {"410", "410", kPA, spec(N(13, kGln)), "", "", "", "SHIP TO LOC"},
    {"411", "411", kPA, spec(N(13, kGln)), "", "", "", "BILL TO"},
    {"412", "412", kPA, spec(N(13, kGln)), "", "", "", "PURCHASE FROM"},
    {"413", "413", kPA, spec(N(13, kGln)), "", "", "", "SHIP FOR LOC"},
    {"414", "414", kPAK, spec(N(13, kGln)), "", "", "254|7040", "LOC No."},
    {"415", "415", kPAK, spec(N(13, kGln)), "8020", "", "8020", "PAY TO"},
    {"416", "416", kPA, spec(N(13, kGln)), "", "", "", "PROD/SERV LOC"},
    {"417", "417", kPAK, spec(N(13, kGln)), "", "", "7040", "PARTY"},
    {"420", "420", kA, spec(Xv(20)), "", "421", "", "SHIP TO POST"},
    {"421", "421", kA, spec(kCountry, Xv(9)), "", "4307", "", "SHIP TO POST"},
    {"422", "422", kA, spec(kCountry), "01,02,8006,8026", "426", "", "ORIGIN"},
    {"423", "423", kA, spec(kCountry, opt(kCountry), opt(kCountry), opt(kCountry), opt(kCountry)), "01,02", "426", "", "COUNTRY - INITIAL PROCESS"},
    {"424", "424", kA, spec(kCountry), "01,02", "426", "", "COUNTRY - PROCESS"},
    {"425", "425", kA, spec(kCountry, opt(kCountry), opt(kCountry), opt(kCountry), opt(kCountry)), "01,02", "426", "", "COUNTRY - DISASSEMBLY"},
    {"426", "426", kA, spec(kCountry), "01,02", "", "", "COUNTRY - FULL PROCESS"},
    {"427", "427", kA, spec(Xv(3)), "01,02 422", "", "", "ORIGIN SUBDIVISION"},
    {"4300", "4300", kA, spec(Xv(35, L(kPcenc))), "00", "", "", "SHIP TO COMP"},
    {"4301", "4301", kA, spec(Xv(35, L(kPcenc))), "00", "", "", "SHIP TO NAME"},
    {"4302", "4302", kA, spec(Xv(70, L(kPcenc))), "00", "", "", "SHIP TO ADD1"},
    {"4303", "4303", kA, spec(Xv(70, L(kPcenc))), "4302", "", "", "SHIP TO ADD2"},
    {"4304", "4304", kA, spec(Xv(70, L(kPcenc))), "00", "", "", "SHIP TO SUB"},
    {"4305", "4305", kA, spec(Xv(70, L(kPcenc))), "00", "", "", "SHIP TO LOC"},
    {"4306", "4306", kA, spec(Xv(70, L(kPcenc))), "00", "", "", "SHIP TO REG"},
    {"4307", "4307", kA, spec(X(2, L(kIso3166Alpha2))), "00", "", "", "SHIP TO COUNTRY"},
    {"4308", "4308", kA, spec(Xv(30)), "00", "", "", "SHIP TO PHONE"},
    {"4309", "4309", kA, spec(N(10, L(kLatitude)), N(10, L(kLongitude))), "00", "", "", "SHIP TO GEO"},
    {"4310", "4310", kA, spec(Xv(35, L(kPcenc))), "00", "", "", "RTN TO COMP"},
    {"4311", "4311", kA, spec(Xv(35, L(kPcenc))), "00", "", "", "RTN TO NAME"},
    {"4312", "4312", kA, spec(Xv(70, L(kPcenc))), "00", "", "", "RTN TO ADD1"},
    {"4313", "4313", kA, spec(Xv(70, L(kPcenc))), "4312", "", "", "RTN TO ADD2"},
    {"4314", "4314", kA, spec(Xv(70, L(kPcenc))), "00", "", "", "RTN TO SUB"},
    {"4315", "4315", kA, spec(Xv(70, L(kPcenc))), "00", "", "", "RTN TO LOC"},
    {"4316", "4316", kA, spec(Xv(70, L(kPcenc))), "00", "", "", "RTN TO REG"},
    {"4317", "4317", kA, spec(X(2, L(kIso3166Alpha2))), "00", "", "", "RTN TO COUNTRY"},
    {"4318", "4318", kA, spec(Xv(20)), "00", "", "", "RTN TO POST"},
    {"4319", "4319", kA, spec(Xv(30)), "00", "", "", "RTN TO PHONE"},
    {"4320", "4320", kA, spec(Xv(35, L(kPcenc))), "00", "", "", "SRV DESCRIPTION"},
    {"4321", "4321", kA, spec(N(1, L(kYesNo))), "00", "", "", "DANGEROUS GOODS"},
    {"4322", "4322", kA, spec(N(1, L(kYesNo))), "00", "", "", "AUTH TO LEAVE"},
    {"4323", "4323", kA, spec(N(1, L(kYesNo))), "00", "", "", "SIG REQUIRED"},
    {"4324", "4324", kA, spec(N(6, L(kYymmd0)), N(4, L(kHhmi))), "00", "", "", "NOT BEF DEL DT"},
    {"4325", "4325", kA, spec(N(6, L(kYymmd0)), N(4, L(kHhmi))), "00", "", "", "NOT AFT DEL DT"},
    {"4326", "4326", kA, spec(N(6, L(kYymmdd))), "00", "", "", "REL DATE"},
    {"4330", "4330", kA, spec(N(6), opt(X(1, L(kHyphen)))), "00", "4331", "", "MAX TEMP F."},
    {"4331", "4331", kA, spec(N(6), opt(X(1, L(kHyphen)))), "00", "4330", "", "MAX TEMP C."},
    {"4332", "4332", kA, spec(N(6), opt(X(1, L(kHyphen)))), "00", "4333", "", "MIN TEMP F."},
    {"4333", "4333", kA, spec(N(6), opt(X(1, L(kHyphen)))), "00", "4332", "", "MIN TEMP C."},
    {"7001", "7001", kA, spec(N(13)), "01,02,8006,8026", "", "", "NSN"},
    {"7002", "7002", kA, spec(Xv(30)), "01,02", "", "", "MEAT CUT"},
    {"7003", "7003", kA, spec(N(6, L(kYymmdd)), N(4, L(kHhmi))), "01,02", "", "", "EXPIRY TIME"},
    {"7004", "7004", kA, spec(Nv(4)), "01 10", "", "", "ACTIVE POTENCY"},
    {"7005", "7005", kA, spec(Xv(12)), "01,02", "", "", "CATCH AREA"},
    {"7006", "7006", kA, spec(N(6, L(kYymmdd))), "01,02", "", "", "FIRST FREEZE DATE"},
    {"7007", "7007", kA, spec(N(6, L(kYymmdd)), opt(N(6, L(kYymmdd)))), "01,02", "", "", "HARVEST DATE"},
    {"7008", "7008", kA, spec(Xv(3)), "01,02", "", "", "AQUATIC SPECIES"},
    {"7009", "7009", kA, spec(Xv(10)), "01,02", "", "", "FISHING GEAR TYPE"},
    {"7010", "7010", kA, spec(Xv(2)), "01,02", "", "", "PROD METHOD"},
    {"7011", "7011", kA, spec(N(6, L(kYymmdd)), opt(N(4, L(kHhmi)))), "01,02", "", "", "TEST BY DATE"},
    {"7020", "7020", kA, spec(Xv(20)), "01,8006 416", "", "", "REFURB LOT"},
    {"7021", "7021", kA, spec(Xv(20)), "01,8006", "", "", "FUNC STAT"},
    {"7022", "7022", kA, spec(Xv(20)), "7021", "", "", "REV STAT"},
    {"7023", "7023", kA, spec(Xv(30, L(kKey))), "", "", "", "GIAI - ASSEMBLY"},
    {"7030", "7030", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 0"},
    {"7031", "7031", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 1"},
    {"7032", "7032", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 2"},
    {"7033", "7033", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 3"},
    {"7034", "7034", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 4"},
    {"7035", "7035", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 5"},
    {"7036", "7036", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 6"},
    {"7037", "7037", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 7"},
    {"7038", "7038", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 8"},
    {"7039", "7039", kA, spec(N(3, L(kIso3166Or999)), Xv(27)), "01,02", "", "", "PROCESSOR # 9"},
    {"7040", "7040", k_, spec(N(1), X(1), X(1), X(1, L(kImporterIdx))), "", "", "", "UIC+EXT"},
    {"7041", "7041", k_, spec(Xv(4, L(kPackageType))), "00", "", "", "UFRGT UNIT TYPE"},
    {"710", "710", kA, spec(Xv(20)), "01", "", "", "NHRN PZN"},
    {"711", "711", kA, spec(Xv(20)), "01", "", "", "NHRN CIP"},
    {"712", "712", kA, spec(Xv(20)), "01", "", "", "NHRN CN"},
    {"713", "713", kA, spec(Xv(20)), "01", "", "", "NHRN DRN"},
    {"714", "714", kA, spec(Xv(20)), "01", "", "", "NHRN AIM"},
    {"715", "715", kA, spec(Xv(20)), "01", "", "", "NHRN NDC"},
    {"716", "716", kA, spec(Xv(20)), "01", "", "", "NHRN AIC"},
    {"717", "717", kA, spec(Xv(20)), "01", "", "", "NHRN SRN"},
    {"7230", "7230", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 1"},
    {"7231", "7231", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 2"},
    {"7232", "7232", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 3"},
    {"7233", "7233", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 4"},
    {"7234", "7234", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 5"},
    {"7235", "7235", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 6"},
    {"7236", "7236", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 7"},
    {"7237", "7237", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 8"},
    {"7238", "7238", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 9"},
    {"7239", "7239", kA, spec(X(2), Xv(28)), "01,8004", "", "", "CERT # 10"},
    {"7240", "7240", kA, spec(Xv(20)), "01,8006", "", "", "PROTOCOL"},
    {"7241", "7241", kA, spec(N(2, L(kMediaType))), "8017,8018", "", "", "AIDC MEDIA TYPE"},
    {"7242", "7242", kA, spec(Xv(25)), "8017,8018", "", "", "VCN"},
    {"7250", "7250", kA, spec(N(8, L(kYyyymmdd))), "8018", "7251", "", "DOB"},
    {"7251", "7251", kA, spec(N(8, L(kYyyymmdd)), N(4, L(kHhmi))), "8018", "7250", "", "DOB TIME"},
    {"7252", "7252", kA, spec(N(1, L(kIso5218))), "8018", "", "", "BIO SEX"},
    {"7253", "7253", kA, spec(Xv(40, L(kPcenc))), "8017,8018", "7256,7259", "", "FAMILY NAME"},
    {"7254", "7254", kA, spec(Xv(40, L(kPcenc))), "8017,8018", "7256,7259", "", "GIVEN NAME"},
    {"7255", "7255", kA, spec(Xv(10)), "8017,8018", "7256,7259", "", "SUFFIX"},
    {"7256", "7256", kA, spec(Xv(90, L(kPcenc))), "8017,8018", "", "", "FULL NAME"},
    {"7257", "7257", kA, spec(Xv(70, L(kPcenc))), "8018", "", "", "PERSON ADDR"},
    {"7258", "7258", kA, spec(X(3, L(kPosInSeqSlash))), "8018+7259", "", "", "BIRTH SEQUENCE"},
    {"7259", "7259", kA, spec(Xv(40, L(kPcenc))), "8018", "7256", "", "BABY"},
    {"8001", "8001", kA, spec(N(4, L(kNonZero)), N(5, L(kNonZero)), N(3, L(kNonZero)), N(1, L(kWinding)), N(1)), "01", "", "", "DIMENSIONS"},
    {"8002", "8002", kA, spec(Xv(20)), "", "", "", "CMT No."},
    {"8003", "8003", kAK, spec(N(1, L(kZero)), N(13, kGln), opt(Xv(16))), "", "", "", "GRAI"},
    {"8004", "8004", kAK, spec(Xv(30, L(kKey))), "", "", "7040", "GIAI"},
    {"8005", "8005", kA, spec(N(6)), "01,02", "", "", "PRICE PER UNIT"},
    {"8006", "8006", kAK, spec(N(14, kGtin), N(4, L(kPieceOfTotal))), "", "01,37", "22,10,21", "ITIP"},
    {"8007", "8007", kA, spec(Xv(34, L(kIban))), "415", "", "", "IBAN"},
    {"8008", "8008", kA, spec(N(6, L(kYymmdd)), N(2, L(kHh)), opt(N(2, L(kMi))), opt(N(2, L(kSs)))), "01,02", "", "", "PROD TIME"},
    {"8009", "8009", kA, spec(Xv(50)), "00,01", "", "", "OPTSEN"},
    {"8010", "8010", kAK, spec(Yv(30, L(kKey))), "", "", "8011", "CPID"},
    {"8011", "8011", k_, spec(Nv(12, L(kNoZeroPrefix))), "8010", "", "", "CPID SERIAL"},
    {"8012", "8012", kA, spec(Xv(20)), "01,8006", "", "", "VERSION"},
    {"8013", "8013", kAK, spec(Xv(25, L(kCsumAlpha, kKey))), "", "", "", "GMN"},
    {"8014", "8014", k_, spec(Xv(25, L(kCsumAlpha, kKey, kHasNonDigit))), "01", "", "", "MUDI"},
    {"8017", "8017", kAK, spec(N(18, kGln)), "", "8018", "8019", "GSRN - PROVIDER"},
    {"8018", "8018", kAK, spec(N(18, kGln)), "", "8017", "8019", "GSRN - RECIPIENT"},
    {"8019", "8019", k_, spec(Nv(10)), "8017,8018", "", "", "SRIN"},
    {"8020", "8020", k_, spec(Xv(25)), "415", "", "", "REF No."},
    {"8026", "8026", kA, spec(N(14, kGtin), N(4, L(kPieceOfTotal))), "37", "02,8006", "", "ITIP CONTENT"},
    {"8030", "8030", kA, spec(Zv(90)), "00,01+21,253,255,8003,8004,8006+21,8010+8011,8017,8018", "", "", "DIGSIG"},
    {"8110", "8110", kA, spec(Xv(70, L(kCouponCode))), "", "", "", ""},
    {"8111", "8111", kA, spec(N(4)), "255", "", "", "POINTS"},
    {"8112", "8112", kA, spec(Xv(70, L(kCouponPosOffer))), "", "", "", ""},
    {"8200", "8200", k_, spec(Xv(70)), "01", "", "", "PRODUCT URL"},
    {"90", "90", kA, spec(Xv(30)), "", "", "", "INTERNAL"},
    {"91", "99", kA, spec(Xv(90)), "", "", "", "INTERNAL"},
};
// clang-format on

}  // namespace

std::span<const AiRow> ai_rows() { return kRows; }

}  // namespace bcma::gs1::detail
