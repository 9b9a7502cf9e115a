#include "generator.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "bcma/gs1/gtin.hpp"
#include "bcma/station/dmd/zip.hpp"

namespace bcma::tools::dmdgen {

namespace {

namespace chr = std::chrono;

// splitmix64: the same numbers on every platform (std distributions are not).
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
std::uint64_t hash(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0) {
  return mix(mix(mix(seed ^ a) ^ b) ^ c);
}

// SNOMED CT identifiers: item, namespace 1000001, partition 10 (extension concept), Verhoeff.
char verhoeff(const std::string& digits) {
  static constexpr int d[10][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
                                    {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
                                    {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
                                    {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
                                    {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static constexpr int p[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
                                   {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
                                   {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                                   {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  static constexpr int inv[10] = {0, 4, 3, 2, 1, 5, 7, 6, 9, 8};
  int c = 0;
  std::size_t i = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++i) c = d[c][p[(i + 1) % 8][*it - '0']];
  return static_cast<char>('0' + inv[c]);
}

enum Space : std::uint64_t { kIng = 1, kVtm = 2, kVmp = 3, kAmp = 4, kVmpp = 5, kAmpp = 6, kSupplier = 7 };

std::string sctid(Space space, std::uint64_t index) {
  std::string s = std::to_string(static_cast<std::uint64_t>(space) * 10'000'000ULL + index) + "100000110";
  return s + verhoeff(s);
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string ddmmyy(chr::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u%02u%02d", static_cast<unsigned>(d.day()), static_cast<unsigned>(d.month()),
                static_cast<int>(d.year()) % 100);
  return buf;
}

std::string iso(chr::sys_days d) {
  const chr::year_month_day y{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(y.year()), static_cast<unsigned>(y.month()),
                static_cast<unsigned>(y.day()));
  return buf;
}

// An XML file written through a large buffer, one element per line as NHSBSA's files are.
class Xml {
 public:
  Result<void> open(const std::filesystem::path& p, std::string_view root, std::string_view xsd) {
    f_ = std::fopen(p.c_str(), "wb");
    if (f_ == nullptr) return fail("io_error", "cannot create " + p.string() + ": " + std::strerror(errno));
    path_ = p.string();
    buf_ += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<";
    buf_ += root;
    if (!xsd.empty()) {
      buf_ += " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"";
      buf_ += xsd;
      buf_ += "\"";
    }
    buf_ += ">\n  <!-- Synthetic dm+d release made by bcma-dmd-gen: not real products -->\n";
    root_ = root;
    return {};
  }
  void open_tag(int indent, std::string_view name) {
    buf_.append(static_cast<std::size_t>(indent) * 2, ' ');
    buf_ += '<';
    buf_ += name;
    buf_ += ">\n";
  }
  void close_tag(int indent, std::string_view name) {
    buf_.append(static_cast<std::size_t>(indent) * 2, ' ');
    buf_ += "</";
    buf_ += name;
    buf_ += ">\n";
    if (buf_.size() > (1u << 20)) flush();
  }
  void field(int indent, std::string_view name, std::string_view value) {
    buf_.append(static_cast<std::size_t>(indent) * 2, ' ');
    buf_ += '<';
    buf_ += name;
    buf_ += '>';
    buf_ += escape(value);
    buf_ += "</";
    buf_ += name;
    buf_ += ">\n";
  }
  Result<std::uint64_t> close() {
    buf_ += "</" + root_ + ">\n";
    flush();
    const bool bad = f_ == nullptr || std::ferror(f_) != 0;
    const int rc = f_ != nullptr ? std::fclose(f_) : 0;
    f_ = nullptr;
    if (bad || rc != 0) return fail("io_error", "writing " + path_ + " failed");
    return bytes_;
  }
  ~Xml() {
    if (f_ != nullptr) std::fclose(f_);
  }

 private:
  void flush() {
    if (f_ != nullptr) std::fwrite(buf_.data(), 1, buf_.size(), f_);
    bytes_ += buf_.size();
    buf_.clear();
  }
  std::FILE* f_ = nullptr;
  std::string path_;
  std::string root_;
  std::string buf_;
  std::uint64_t bytes_ = 0;
};

struct Unit {
  const char* code;
  const char* name;
};
constexpr Unit kTablet{"428673006", "tablet"};
constexpr Unit kCapsule{"428641000", "capsule"};
constexpr Unit kMl{"258773002", "ml"};
constexpr Unit kMg{"258684004", "mg"};
constexpr Unit kMicrogram{"258685003", "microgram"};
constexpr Unit kGram{"258682000", "gram"};
constexpr Unit kNanogram{"258686002", "nanogram"};
constexpr Unit kPatch{"419702001", "patch"};
constexpr Unit kHour{"258702006", "hour"};
constexpr Unit kDose{"3317411000001100", "dose"};
constexpr std::array kUnits{kTablet, kCapsule, kMl, kMg, kMicrogram, kGram, kNanogram, kPatch, kHour, kDose};

struct Form {
  const char* code;
  const char* name;
  const char* plural;  // in product names
};
constexpr std::array kForms{Form{"385055001", "Tablet", "tablets"}, Form{"385049006", "Capsule", "capsules"},
                            Form{"385023001", "Oral solution", "oral solution"},
                            Form{"385114002", "Transdermal patch", "patches"},
                            Form{"385219001", "Solution for injection", "solution for injection ampoules"}};
constexpr std::array kRoutes{Unit{"26643006", "Oral"}, Unit{"45890007", "Transdermal"},
                             Unit{"78421000", "Intramuscular"}, Unit{"47625008", "Intravenous"}};
constexpr std::array kStrengths{"1", "2.5", "5", "10", "12.5", "20", "25", "40", "50", "62.5", "100", "250", "500"};
constexpr std::array kSyllables{"ba", "cor", "da", "fen", "ga", "lin", "mi", "no", "pra", "qui",
                                "ra", "sol", "ta", "vo", "xa", "zi", "lo", "mep", "tor", "cal"};
constexpr std::array kSuffixes{"dol", "pril", "statin", "mab", "olol", "azole", "cillin", "ide", "one", "ine"};

std::string substance_name(std::uint64_t i) {
  std::string s = kSyllables[i % kSyllables.size()];
  s += kSyllables[(i / kSyllables.size()) % kSyllables.size()];
  s += kSyllables[(i / (kSyllables.size() * kSyllables.size())) % kSyllables.size()];
  s += kSuffixes[(i / 8000) % kSuffixes.size()];
  s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

struct Counts {
  std::uint64_t ing, vtm, vmp, amp, vmpp, ampp, supplier;
};

Counts counts_for(int scale) {
  const auto s = static_cast<std::uint64_t>(scale);
  Counts c{};
  c.vmp = std::max<std::uint64_t>(10, 25'000 / s);
  c.vtm = std::max<std::uint64_t>(4, 3'000 / s);
  c.ing = std::max<std::uint64_t>(c.vtm + 2, 3'500 / s);
  c.amp = std::max<std::uint64_t>(c.vmp, 150'000 / s);
  c.vmpp = std::max<std::uint64_t>(c.vmp, 37'500 / s);
  c.ampp = std::max<std::uint64_t>(c.vmpp, 180'000 / s);
  c.supplier = std::max<std::uint64_t>(3, 2'000 / s);
  return c;
}

// What one VMP is; everything follows from its index (and the release for its code).
struct Vmp {
  std::string id;
  std::string prev_id;
  std::optional<std::uint64_t> vtm;
  std::string name;
  int form = 0;  // index into kForms
  struct Ing {
    std::uint64_t ing;
    std::string num;
    Unit num_unit;
    std::string den;
    Unit den_unit{"", ""};
  };
  std::vector<Ing> ings;
  std::string cd = "0000";
  bool invalid = false;
  std::vector<int> routes;
};

class Generator {
 public:
  Generator(const Options& o) : o_(o), c_(counts_for(o.scale)) {
    date_ = chr::sys_days{chr::year{2026} / 1 / 1} + chr::days{7 * (o.release - 1)};
  }

  int generation(std::uint64_t k) const {
    int g = k % 200 == 7 ? 2 : (k % 50 == 3 ? 1 : 0);
    for (int r = 2; r <= o_.release; ++r) {
      if (hash(o_.seed, 11, k, static_cast<std::uint64_t>(r)) % 100 == 0) ++g;
    }
    return std::min(g, 7);
  }
  std::string vmp_id(std::uint64_t k) const { return sctid(kVmp, k * 8 + static_cast<std::uint64_t>(generation(k))); }

  Vmp vmp(std::uint64_t k) const {
    Vmp v;
    const int g = generation(k);
    v.id = sctid(kVmp, k * 8 + static_cast<std::uint64_t>(g));
    if (g > 0) v.prev_id = sctid(kVmp, k * 8 + static_cast<std::uint64_t>(g - 1));
    if (k % 33 != 7) v.vtm = k % c_.vtm;
    const std::uint64_t type = k % 10;
    v.form = type < 5 ? 0 : type < 7 ? 1 : type == 7 ? 2 : type == 8 ? 3 : 4;
    const std::uint64_t base_ing = v.vtm ? *v.vtm : c_.vtm + k % (c_.ing - c_.vtm);
    const std::string strength = kStrengths[hash(o_.seed, 3, k) % kStrengths.size()];
    switch (v.form) {
      case 0:
      case 1: v.ings.push_back({base_ing, strength, kMg, "", {"", ""}}); break;
      case 2: v.ings.push_back({base_ing, strength, kMg, "5", kMl}); break;
      case 3: v.ings.push_back({base_ing, strength, kMicrogram, "1", kHour}); break;
      default: v.ings.push_back({base_ing, strength, kMg, "1", kMl}); break;
    }
    if (k % 25 == 3 && v.form <= 1) v.ings.push_back({(base_ing + 1) % c_.ing, "8", kMg, "", {"", ""}});
    if (k % 97 == 5 && v.form == 0) v.ings[0] = {base_ing, "0.0125", kMg, "", {"", ""}};  // 12.5 micrograms
    const std::string substance = substance_name(base_ing);
    v.name = (v.ings.size() > 1 ? "Co-" + substance + " " + v.ings[0].num + "mg/" + v.ings[1].num + "mg"
                                : substance + " " + v.ings[0].num + v.ings[0].num_unit.name +
                                      (v.ings[0].den.empty() ? ""
                                                             : "/" + v.ings[0].den + v.ings[0].den_unit.name)) +
             " " + kForms[static_cast<std::size_t>(v.form)].plural;
    if (k % 29 == 0) {
      static constexpr std::array kCds{"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010"};
      v.cd = kCds[(k / 29) % kCds.size()];
    }
    v.invalid = k % 53 == 17;
    v.routes = v.form == 3 ? std::vector<int>{1} : v.form == 4 ? std::vector<int>{2, 3} : std::vector<int>{0};
    return v;
  }

  Unit dose_unit(const Vmp& v) const {
    switch (v.form) {
      case 0: return kTablet;
      case 1: return kCapsule;
      case 3: return kPatch;
      default: return kMl;
    }
  }

  std::uint64_t amps_of(std::uint64_t k) const { return (c_.amp - k + c_.vmp - 1) / c_.vmp; }
  std::string amp_name(std::uint64_t j) const {
    const std::uint64_t k = j % c_.vmp;
    const Vmp v = vmp(k);
    if (j < c_.vmp) return v.name;
    std::string brand = substance_name(hash(o_.seed, 5, j) % 100000 + 50000);
    return brand + " " + v.name.substr(v.name.find(' ') + 1);
  }
  std::string supplier_name(std::uint64_t s) const {
    if (s == 0) return "Smith & Nephew Healthcare Ltd";
    return substance_name(s + 7000) + " Pharma Ltd";
  }
  std::uint64_t supplier_of(std::uint64_t j) const { return hash(o_.seed, 6, j) % c_.supplier; }

  std::string qty(std::uint64_t m) const {
    const Vmp v = vmp(m % c_.vmp);
    static constexpr std::array kTabs{"28", "56", "30", "100"};
    static constexpr std::array kMls{"100", "200", "500", "150"};
    const std::size_t t = (m / c_.vmp) % 4;
    if (v.form == 2) return kMls[t];
    if (v.form == 4) return "10";
    if (v.form == 3) return "4";
    return kTabs[t];
  }
  std::string vmpp_name(std::uint64_t m) const {
    const Vmp v = vmp(m % c_.vmp);
    return v.name + " " + qty(m) + " " + dose_unit(v).name;
  }

  bool ampp_withdrawn(std::uint64_t n) const { return o_.release >= 2 && n % 997 == 996; }
  std::uint64_t ampp_vmpp(std::uint64_t n) const { return n % c_.vmpp; }
  std::uint64_t ampp_amp(std::uint64_t n) const {
    const std::uint64_t k = ampp_vmpp(n) % c_.vmp;
    return k + c_.vmp * ((n / c_.vmpp) % amps_of(k));
  }
  bool is_combination(std::uint64_t n) const {
    return n % 331 == 0 && n + 2 < c_.ampp && !ampp_withdrawn(n) && !ampp_withdrawn(n + 1) && !ampp_withdrawn(n + 2);
  }

  // GTIN of a pack: 30% as 13 digits (EAN-13, prefix 50), the rest 14 digits.
  std::string gtin_for(std::uint64_t number) const {
    char buf[32];
    if (number % 10 < 3) {
      std::snprintf(buf, sizeof buf, "50%010llu", static_cast<unsigned long long>(number));
    } else {
      std::snprintf(buf, sizeof buf, "15%011llu", static_cast<unsigned long long>(number));
    }
    const std::string body = buf;
    return body + *gs1::mod10_check_digit(body);
  }
  bool has_gtin(std::uint64_t n) const { return n % 6 != 5 && !ampp_withdrawn(n); }
  chr::sys_days gtin_start(std::uint64_t n) const {
    return chr::sys_days{chr::year{2010} / 1 / 1} + chr::days{static_cast<int>(n % 3000)};
  }

  Result<Summary> write(const std::filesystem::path& dir);

 private:
  Result<void> lookups(const std::filesystem::path& p);
  Result<void> ingredients(const std::filesystem::path& p);
  Result<void> vtms(const std::filesystem::path& p);
  Result<void> vmps(const std::filesystem::path& p);
  Result<void> amps(const std::filesystem::path& p);
  Result<void> vmpps(const std::filesystem::path& p);
  Result<void> ampps(const std::filesystem::path& p);
  Result<void> gtins(const std::filesystem::path& p);
  Result<void> bnf(const std::filesystem::path& p);
  Result<void> done(Xml& x) {
    auto n = x.close();
    if (!n) return Unexpected(n.error());
    summary_.bytes += *n;
    return {};
  }

  Options o_;
  Counts c_;
  chr::sys_days date_;
  Summary summary_;
};

Result<void> Generator::lookups(const std::filesystem::path& p) {
  Xml x;
  if (auto r = x.open(p, "LOOKUP", "lookup_v2_3.xsd"); !r) return r;
  auto section = [&](const char* name, const std::vector<std::pair<std::string, std::string>>& rows) {
    x.open_tag(1, name);
    for (const auto& [cd, desc] : rows) {
      x.open_tag(2, "INFO");
      x.field(3, "CD", cd);
      x.field(3, "DESC", desc);
      x.close_tag(2, "INFO");
    }
    x.close_tag(1, name);
  };
  section("COMBINATION_PACK_IND", {{"0001", "Combination pack"}, {"0002", "Combination pack content"}});
  section("COMBINATION_PROD_IND", {{"0001", "Combination product"}, {"0002", "Combination product content"}});
  section("BASIS_OF_NAME", {{"0001", "rINN - Recommended International Non-proprietary"}, {"0002", "BAN"}});
  section("NAMECHANGE_REASON", {{"0000", " "}, {"0001", "Basis of name changed"}});
  section("VIRTUAL_PRODUCT_PRES_STATUS", {{"0001", "Valid as a prescribable product"}});
  section("CONTROL_DRUG_CATEGORY",
          {{"0000", "No Controlled Drug Status"}, {"0001", "Schedule 1 (CD Lic)"}, {"0002", "Schedule 2 (CD)"},
           {"0003", "Schedule 2 (CD Exempt Safe Custody)"}, {"0004", "Schedule 3 (CD No Register)"},
           {"0005", "Schedule 3 (CD No Register Exempt Safe Custody)"},
           {"0006", "Schedule 3 (CD No Register Phenobarbital)"}, {"0007", "Schedule 3 (CD No Register Temazepam)"},
           {"0008", "Schedule 4 (CD Benz)"}, {"0009", "Schedule 4 (CD Anab)"}, {"0010", "Schedule 5 (CD Inv)"}});
  section("LICENSING_AUTHORITY", {{"0000", "None"}, {"0001", "Medicines - MHRA/EMA"}});
  std::vector<std::pair<std::string, std::string>> units;
  for (const auto& u : kUnits) units.emplace_back(u.code, u.name);
  section("UNIT_OF_MEASURE", units);
  std::vector<std::pair<std::string, std::string>> forms;
  for (const auto& f : kForms) forms.emplace_back(f.code, f.name);
  section("FORM", forms);
  section("ONT_FORM_ROUTE", {{"0001", "tablet.oral"}, {"0002", "capsule.oral"}});
  std::vector<std::pair<std::string, std::string>> routes;
  for (const auto& r : kRoutes) routes.emplace_back(r.code, r.name);
  section("ROUTE", routes);
  section("DT_PAYMENT_CATEGORY", {{"0001", "Part VIIIA Category A"}, {"0002", "Part VIIIA Category C"}});
  std::vector<std::pair<std::string, std::string>> suppliers;
  for (std::uint64_t s = 0; s < c_.supplier; ++s) suppliers.emplace_back(sctid(kSupplier, s), supplier_name(s));
  section("SUPPLIER", suppliers);
  section("FLAVOUR", {{"0001", "Almond"}});
  section("COLOUR", {{"0001", "Beige"}});
  section("BASIS_OF_STRNTH", {{"0001", "Based on Ingredient Substance"}, {"0002", "Based on Base Substance"}});
  section("REIMBURSEMENT_STATUS", {{"0000", "Not allowed (not in Drug Tariff)"}, {"0001", "Allowed"}});
  section("SPEC_CONT", {{"0001", "Special container"}});
  section("DND", {{"0001", "Discount not deducted - automatic"}});
  section("VIRTUAL_PRODUCT_NON_AVAIL", {{"0000", "Actual Products Available"}, {"0001", "Actual Products not Available"}});
  section("DISCONTINUED_IND", {{"0000", "Reinstated"}, {"0001", "Discontinued"}});
  section("DF_INDICATOR", {{"1", "Discrete"}, {"2", "Continuous"}});
  section("PRICE_BASIS", {{"0001", "NHS Indicative Price"}, {"0002", "Drug Tariff"}});
  section("LEGAL_CATEGORY", {{"0001", "GSL"}, {"0002", "P"}, {"0003", "POM"}});
  section("AVAILABILITY_RESTRICTION", {{"0001", "None"}, {"0003", "Special order"}});
  section("LICENSING_AUTHORITY_CHANGE_REASON", {{"0001", "Licence Granted"}});
  return done(x);
}

Result<void> Generator::ingredients(const std::filesystem::path& p) {
  Xml x;
  if (auto r = x.open(p, "INGREDIENT_SUBSTANCES", "ingredient_v2_3.xsd"); !r) return r;
  for (std::uint64_t i = 0; i < c_.ing; ++i) {
    x.open_tag(1, "ING");
    x.field(2, "ISID", sctid(kIng, i));
    if (i % 101 == 9) x.field(2, "INVALID", "1");
    x.field(2, "NM", substance_name(i));
    x.close_tag(1, "ING");
  }
  summary_.ingredients = static_cast<std::int64_t>(c_.ing);
  return done(x);
}

Result<void> Generator::vtms(const std::filesystem::path& p) {
  Xml x;
  if (auto r = x.open(p, "VIRTUAL_THERAPEUTIC_MOIETIES", "vtm_v2_3.xsd"); !r) return r;
  for (std::uint64_t i = 0; i < c_.vtm; ++i) {
    x.open_tag(1, "VTM");
    x.field(2, "VTMID", sctid(kVtm, i));
    x.field(2, "NM", substance_name(i));
    x.close_tag(1, "VTM");
  }
  summary_.vtms = static_cast<std::int64_t>(c_.vtm);
  return done(x);
}

Result<void> Generator::vmps(const std::filesystem::path& p) {
  Xml x;
  if (auto r = x.open(p, "VIRTUAL_MED_PRODUCTS", "vmp_v2_3.xsd"); !r) return r;
  x.open_tag(1, "VMPS");
  for (std::uint64_t k = 0; k < c_.vmp; ++k) {
    const Vmp v = vmp(k);
    x.open_tag(2, "VMP");
    x.field(3, "VPID", v.id);
    if (!v.prev_id.empty()) {
      x.field(3, "VPIDDT", "2025-06-01");
      x.field(3, "VPIDPREV", v.prev_id);
      ++summary_.code_changes;
    }
    if (v.vtm) x.field(3, "VTMID", sctid(kVtm, *v.vtm));
    if (v.invalid) x.field(3, "INVALID", "1");
    x.field(3, "NM", v.name);
    x.field(3, "BASISCD", "0001");
    x.field(3, "PRES_STATCD", "0001");
    const bool discrete = v.form != 2 && v.form != 4;
    x.field(3, "DF_INDCD", discrete ? "1" : "2");
    if (discrete) {
      x.field(3, "UDFS", "1");
      x.field(3, "UDFS_UOMCD", dose_unit(v).code);
      x.field(3, "UNIT_DOSE_UOMCD", dose_unit(v).code);
    }
    x.close_tag(2, "VMP");
  }
  x.close_tag(1, "VMPS");
  x.open_tag(1, "VIRTUAL_PRODUCT_INGREDIENT");
  for (std::uint64_t k = 0; k < c_.vmp; ++k) {
    const Vmp v = vmp(k);
    for (const auto& i : v.ings) {
      x.open_tag(2, "VPI");
      x.field(3, "VPID", v.id);
      x.field(3, "ISID", sctid(kIng, i.ing));
      x.field(3, "BASIS_STRNTCD", "0001");
      x.field(3, "STRNT_NMRTR_VAL", i.num);
      x.field(3, "STRNT_NMRTR_UOMCD", i.num_unit.code);
      if (!i.den.empty()) {
        x.field(3, "STRNT_DNMTR_VAL", i.den);
        x.field(3, "STRNT_DNMTR_UOMCD", i.den_unit.code);
      }
      x.close_tag(2, "VPI");
    }
  }
  x.close_tag(1, "VIRTUAL_PRODUCT_INGREDIENT");
  x.open_tag(1, "ONT_DRUG_FORM");
  for (std::uint64_t k = 0; k < c_.vmp; ++k) {
    const Vmp v = vmp(k);
    if (v.form > 1) continue;
    x.open_tag(2, "ONT");
    x.field(3, "VPID", v.id);
    x.field(3, "FORMCD", v.form == 0 ? "0001" : "0002");
    x.close_tag(2, "ONT");
  }
  x.close_tag(1, "ONT_DRUG_FORM");
  x.open_tag(1, "DRUG_FORM");
  for (std::uint64_t k = 0; k < c_.vmp; ++k) {
    const Vmp v = vmp(k);
    x.open_tag(2, "DFORM");
    x.field(3, "VPID", v.id);
    x.field(3, "FORMCD", kForms[static_cast<std::size_t>(v.form)].code);
    x.close_tag(2, "DFORM");
  }
  x.close_tag(1, "DRUG_FORM");
  x.open_tag(1, "DRUG_ROUTE");
  for (std::uint64_t k = 0; k < c_.vmp; ++k) {
    const Vmp v = vmp(k);
    for (int r : v.routes) {
      x.open_tag(2, "DROUTE");
      x.field(3, "VPID", v.id);
      x.field(3, "ROUTECD", kRoutes[static_cast<std::size_t>(r)].code);
      x.close_tag(2, "DROUTE");
    }
  }
  x.close_tag(1, "DRUG_ROUTE");
  x.open_tag(1, "CONTROL_DRUG_INFO");
  for (std::uint64_t k = 0; k < c_.vmp; ++k) {
    x.open_tag(2, "CONTROL_INFO");
    x.field(3, "VPID", vmp_id(k));
    x.field(3, "CATCD", vmp(k).cd);
    x.close_tag(2, "CONTROL_INFO");
  }
  x.close_tag(1, "CONTROL_DRUG_INFO");
  summary_.vmps = static_cast<std::int64_t>(c_.vmp);
  return done(x);
}

Result<void> Generator::amps(const std::filesystem::path& p) {
  Xml x;
  if (auto r = x.open(p, "ACTUAL_MEDICINAL_PRODUCTS", "amp_v2_3.xsd"); !r) return r;
  x.open_tag(1, "AMPS");
  for (std::uint64_t j = 0; j < c_.amp; ++j) {
    x.open_tag(2, "AMP");
    x.field(3, "APID", sctid(kAmp, j));
    if (j % 61 == 11) x.field(3, "INVALID", "1");
    x.field(3, "VPID", vmp_id(j % c_.vmp));
    const std::string name = amp_name(j);
    x.field(3, "NM", name);
    x.field(3, "DESC", name + " (" + supplier_name(supplier_of(j)) + ")");
    x.field(3, "SUPPCD", sctid(kSupplier, supplier_of(j)));
    x.field(3, "LIC_AUTHCD", "0001");
    x.field(3, "AVAIL_RESTRICTCD", "0001");
    x.close_tag(2, "AMP");
  }
  x.close_tag(1, "AMPS");
  x.open_tag(1, "AP_INGREDIENT");
  x.close_tag(1, "AP_INGREDIENT");
  x.open_tag(1, "LICENSED_ROUTE");
  for (std::uint64_t j = 0; j < c_.amp; j += 7) {
    x.open_tag(2, "LIC_ROUTE");
    x.field(3, "APID", sctid(kAmp, j));
    x.field(3, "ROUTECD", kRoutes[0].code);
    x.close_tag(2, "LIC_ROUTE");
  }
  x.close_tag(1, "LICENSED_ROUTE");
  x.open_tag(1, "AP_INFORMATION");
  x.close_tag(1, "AP_INFORMATION");
  summary_.amps = static_cast<std::int64_t>(c_.amp);
  return done(x);
}

Result<void> Generator::vmpps(const std::filesystem::path& p) {
  Xml x;
  if (auto r = x.open(p, "VIRTUAL_MED_PRODUCT_PACK", "vmpp_v2_3.xsd"); !r) return r;
  x.open_tag(1, "VMPPS");
  for (std::uint64_t m = 0; m < c_.vmpp; ++m) {
    const Vmp v = vmp(m % c_.vmp);
    x.open_tag(2, "VMPP");
    x.field(3, "VPPID", sctid(kVmpp, m));
    x.field(3, "NM", vmpp_name(m));
    x.field(3, "VPID", v.id);
    x.field(3, "QTYVAL", qty(m));
    x.field(3, "QTY_UOMCD", dose_unit(v).code);
    if (m % 401 == 0 && m + 2 < c_.vmpp) x.field(3, "COMBPACKCD", "0001");
    x.close_tag(2, "VMPP");
  }
  x.close_tag(1, "VMPPS");
  x.open_tag(1, "DRUG_TARIFF_INFO");
  for (std::uint64_t m = 0; m < c_.vmpp; ++m) {
    if (m % 5 == 0) continue;
    x.open_tag(2, "DTINFO");
    x.field(3, "VPPID", sctid(kVmpp, m));
    x.field(3, "PAY_CATCD", "0001");
    x.field(3, "PRICE", std::to_string(150 + (m * 53) % 4000));
    x.field(3, "DT", "2025-01-01");
    x.close_tag(2, "DTINFO");
  }
  x.close_tag(1, "DRUG_TARIFF_INFO");
  x.open_tag(1, "COMB_CONTENT");
  for (std::uint64_t m = 0; m + 2 < c_.vmpp; m += 401) {
    for (std::uint64_t child : {m + 1, m + 2}) {
      x.open_tag(2, "CCONTENT");
      x.field(3, "PRNTVPPID", sctid(kVmpp, m));
      x.field(3, "CHLDVPPID", sctid(kVmpp, child));
      x.close_tag(2, "CCONTENT");
    }
  }
  x.close_tag(1, "COMB_CONTENT");
  summary_.vmpps = static_cast<std::int64_t>(c_.vmpp);
  return done(x);
}

Result<void> Generator::ampps(const std::filesystem::path& p) {
  Xml x;
  if (auto r = x.open(p, "ACTUAL_MEDICINAL_PROD_PACKS", "ampp_v2_3.xsd"); !r) return r;
  x.open_tag(1, "AMPPS");
  for (std::uint64_t n = 0; n < c_.ampp; ++n) {
    if (ampp_withdrawn(n)) continue;
    const std::uint64_t m = ampp_vmpp(n);
    const std::uint64_t j = ampp_amp(n);
    const Vmp v = vmp(m % c_.vmp);
    x.open_tag(2, "AMPP");
    x.field(3, "APPID", sctid(kAmpp, n));
    if (n % 71 == 13) x.field(3, "INVALID", "1");
    x.field(3, "NM", amp_name(j) + " (" + supplier_name(supplier_of(j)) + ") " + qty(m) + " " + dose_unit(v).name);
    x.field(3, "VPPID", sctid(kVmpp, m));
    x.field(3, "APID", sctid(kAmp, j));
    if (is_combination(n)) x.field(3, "COMBPACKCD", "0001");
    const char* legal = v.cd != "0000" ? "0003" : (n % 3 == 0 ? "0001" : n % 3 == 1 ? "0002" : "0003");
    x.field(3, "LEGAL_CATCD", legal);
    x.close_tag(2, "AMPP");
    ++summary_.ampps;
  }
  x.close_tag(1, "AMPPS");
  x.open_tag(1, "APPLIANCE_PACK_INFO");
  x.close_tag(1, "APPLIANCE_PACK_INFO");
  x.open_tag(1, "DRUG_PRODUCT_PRESCRIB_INFO");
  x.close_tag(1, "DRUG_PRODUCT_PRESCRIB_INFO");
  x.open_tag(1, "MEDICINAL_PRODUCT_PRICE");
  for (std::uint64_t n = 0; n < c_.ampp; ++n) {
    if (ampp_withdrawn(n) || n % 20 == 0) continue;  // 5% with no price information at all
    x.open_tag(2, "PRICE_INFO");
    x.field(3, "APPID", sctid(kAmpp, n));
    if (n % 20 != 1) {  // another 5% with a price record but no price
      x.field(3, "PRICE", std::to_string(100 + (n * 37) % 5000 + static_cast<std::uint64_t>(o_.release) * (n % 3)));
      x.field(3, "PRICEDT", "2025-04-01");
    }
    x.field(3, "PRICE_BASISCD", "0001");
    x.close_tag(2, "PRICE_INFO");
  }
  x.close_tag(1, "MEDICINAL_PRODUCT_PRICE");
  x.open_tag(1, "REIMBURSEMENT_INFO");
  x.close_tag(1, "REIMBURSEMENT_INFO");
  x.open_tag(1, "COMB_CONTENT");
  for (std::uint64_t n = 0; n < c_.ampp; n += 331) {
    if (!is_combination(n)) continue;
    for (std::uint64_t child : {n + 1, n + 2}) {
      x.open_tag(2, "CCONTENT");
      x.field(3, "PRNTAPPID", sctid(kAmpp, n));
      x.field(3, "CHLDAPPID", sctid(kAmpp, child));
      x.close_tag(2, "CCONTENT");
    }
  }
  x.close_tag(1, "COMB_CONTENT");
  return done(x);
}

Result<void> Generator::gtins(const std::filesystem::path& p) {
  Xml x;
  if (auto r = x.open(p, "GTIN_DETAILS", "gtin_v2_0.xsd"); !r) return r;
  x.open_tag(1, "AMPPS");
  auto data = [&](const std::string& gtin, chr::sys_days start, std::optional<chr::sys_days> end) {
    x.open_tag(3, "GTINDATA");
    x.field(4, "GTIN", gtin);
    x.field(4, "STARTDT", iso(start));
    if (end) x.field(4, "ENDDT", iso(*end));
    x.close_tag(3, "GTINDATA");
    ++summary_.gtins;
  };
  for (std::uint64_t n = 0; n < c_.ampp; ++n) {
    if (!has_gtin(n)) continue;
    x.open_tag(2, "AMPP");
    x.field(3, "AMPPID", sctid(kAmpp, n));
    if (n % 20 == 1) {
      // An earlier barcode of the same pack, ended the day before the current one started.
      data(gtin_for(n + 5'000'000'000ULL), chr::sys_days{chr::year{2005} / 1 / 1}, gtin_start(n) - chr::days{1});
    }
    if (n % 499 == 2 && n >= 1 && has_gtin(n - 1)) {
      // A barcode that belonged to this pack before it moved to pack n-1.
      data(gtin_for(n - 1), chr::sys_days{chr::year{2004} / 1 / 1}, chr::sys_days{chr::year{2009} / 12 / 31});
    }
    data(gtin_for(n), gtin_start(n), std::nullopt);
    x.close_tag(2, "AMPP");
  }
  x.close_tag(1, "AMPPS");
  return done(x);
}

Result<void> Generator::bnf(const std::filesystem::path& p) {
  Xml x;
  if (auto r = x.open(p, "BNF_DETAILS", ""); !r) return r;
  x.open_tag(1, "VMPS");
  for (std::uint64_t k = 0; k < c_.vmp; ++k) {
    if (k % 3 == 0) continue;
    char code[32];
    std::snprintf(code, sizeof code, "%02llu%02llu%02llu%09llu", static_cast<unsigned long long>(k % 15 + 1),
                  static_cast<unsigned long long>(k % 9 + 1), static_cast<unsigned long long>(k % 7),
                  static_cast<unsigned long long>(k));
    x.open_tag(2, "VMP");
    x.field(3, "VPID", vmp_id(k));
    x.field(3, "BNF", code);
    x.field(3, "ATC", "N02BE" + std::to_string(10 + k % 90));
    x.close_tag(2, "VMP");
  }
  x.close_tag(1, "VMPS");
  x.open_tag(1, "AMPS");
  x.close_tag(1, "AMPS");
  return done(x);
}

Result<Summary> Generator::write(const std::filesystem::path& dir) {
  if (o_.scale < 1 || o_.release < 1 || o_.release > 200) return fail("invalid_argument", "scale >= 1, release 1..200");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail("io_error", "cannot create " + dir.string() + ": " + ec.message());
  const std::string d = ddmmyy(chr::year_month_day{date_});
  summary_.release_date = iso(date_);
  struct Step {
    const char* name;
    Result<void> (Generator::*fn)(const std::filesystem::path&);
  };
  const std::vector<Step> steps{{"f_lookup2_3", &Generator::lookups}, {"f_ingredient2_3", &Generator::ingredients},
                                {"f_vtm2_3", &Generator::vtms},       {"f_vmp2_3", &Generator::vmps},
                                {"f_amp2_3", &Generator::amps},       {"f_vmpp2_3", &Generator::vmpps},
                                {"f_ampp2_3", &Generator::ampps},     {"f_gtin2_0", &Generator::gtins}};
  for (const auto& s : steps) {
    if (auto r = (this->*s.fn)(dir / (std::string(s.name) + d + ".xml")); !r) return Unexpected(r.error());
  }
  if (o_.bnf) {
    if (auto r = bnf(dir / ("f_bnf1_0" + d + ".xml")); !r) return Unexpected(r.error());
  }
  return summary_;
}

}  // namespace

Result<Summary> write_release(const std::filesystem::path& dir, const Options& options) {
  Generator g(options);
  return g.write(dir);
}

std::string release_zip_name(const Options& options) {
  const auto date = chr::year_month_day{chr::sys_days{chr::year{2026} / 1 / 1} + chr::days{7 * (options.release - 1)}};
  char buf[96];
  std::snprintf(buf, sizeof buf, "nhsbsa_dmd_9.%d.0_%04d%02u%02u000001.zip", options.release,
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buf;
}

Result<void> zip_release(const std::filesystem::path& dir, const std::filesystem::path& zip) {
  std::vector<std::filesystem::path> core;
  std::vector<std::filesystem::path> nested;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("f_", 0) != 0 || it->path().extension() != ".xml") continue;
    (name.rfind("f_gtin", 0) == 0 || name.rfind("f_bnf", 0) == 0 ? nested : core).push_back(it->path());
  }
  if (ec) return fail("io_error", "cannot list " + dir.string() + ": " + ec.message());
  std::sort(core.begin(), core.end());
  std::sort(nested.begin(), nested.end());
  auto out = station::dmd::ZipWriter::create(zip);
  if (!out) return Unexpected(out.error());
  for (const auto& f : core) {
    if (auto r = out->add_file(f.filename().string(), f, true); !r) return r;
  }
  for (const auto& f : nested) {
    // The GTIN (and BNF) file ships as a zip of its own inside the release.
    const std::filesystem::path inner = zip.parent_path() / (f.stem().string() + ".zip.part");
    {
      auto z = station::dmd::ZipWriter::create(inner);
      if (!z) return Unexpected(z.error());
      if (auto r = z->add_file(f.filename().string(), f, true); !r) return r;
      if (auto r = z->finish(); !r) return r;
    }
    auto r = out->add_file(f.stem().string() + ".zip", inner, false);
    std::filesystem::remove(inner, ec);
    if (!r) return r;
  }
  return out->finish();
}

}  // namespace bcma::tools::dmdgen
