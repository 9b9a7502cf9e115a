#include "codec.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <utility>

#include "bcma/station/store/errors.hpp"

namespace bcma::station::store::codec {

namespace {

template <class E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N>
std::string_view lookup(const Table<E, N>& table, E value) {
  for (const auto& [e, s] : table) {
    if (e == value) return s;
  }
  return "?";
}

template <class E, std::size_t N>
std::optional<E> reverse(const Table<E, N>& table, std::string_view text) {
  for (const auto& [e, s] : table) {
    if (s == text) return e;
  }
  return std::nullopt;
}

using domain::Outcome;
constexpr Table<Outcome, 6> kOutcomes{{
    {Outcome::kGiven, "given"},
    {Outcome::kRefused, "refused"},
    {Outcome::kRefusedAndDestroyed, "refused_destroyed"},
    {Outcome::kOmitted, "omitted"},
    {Outcome::kNotRequired, "not_required"},
    {Outcome::kSelfAdministered, "self_administered"},
}};

using rules::Decision;
constexpr Table<Decision, 3> kDecisions{{
    {Decision::kProceed, "proceed"}, {Decision::kWarn, "warn"}, {Decision::kBlock, "block"},
}};

using domain::Role;
constexpr Table<Role, 6> kRoles{{
    {Role::kCareWorker, "care_worker"}, {Role::kSenior, "senior"}, {Role::kNurse, "nurse"},
    {Role::kManager, "manager"}, {Role::kPharmacist, "pharmacist"}, {Role::kEvaluator, "evaluator"},
}};

using domain::ResidentStatus;
constexpr Table<ResidentStatus, 5> kResidentStatuses{{
    {ResidentStatus::kPresent, "present"},
    {ResidentStatus::kInHospital, "in_hospital"},
    {ResidentStatus::kOnLeave, "on_leave"},
    {ResidentStatus::kDischarged, "discharged"},
    {ResidentStatus::kDeceased, "deceased"},
}};

using AllergyLevel = domain::Allergy::Level;
constexpr Table<AllergyLevel, 4> kAllergyLevels{{
    {AllergyLevel::kSubstance, "substance"}, {AllergyLevel::kVtm, "vtm"},
    {AllergyLevel::kVmp, "vmp"}, {AllergyLevel::kAmp, "amp"},
}};

using domain::PrescriptionStatus;
constexpr Table<PrescriptionStatus, 5> kPrescriptionStatuses{{
    {PrescriptionStatus::kActive, "active"},
    {PrescriptionStatus::kOnHold, "on_hold"},
    {PrescriptionStatus::kStopped, "stopped"},
    {PrescriptionStatus::kCancelled, "cancelled"},
    {PrescriptionStatus::kCompleted, "completed"},
}};

using domain::MedicationLevel;
constexpr Table<MedicationLevel, 2> kMedicationLevels{{
    {MedicationLevel::kVmp, "vmp"}, {MedicationLevel::kAmp, "amp"},
}};

using DayKind = domain::DayPattern::Kind;
constexpr Table<DayKind, 3> kDayKinds{{
    {DayKind::kEveryDay, "every_day"},
    {DayKind::kDaysOfWeek, "days_of_week"},
    {DayKind::kEveryNDays, "every_n_days"},
}};

constexpr Table<StockKind, 5> kStockKinds{{
    {StockKind::kReceipt, "receipt"},
    {StockKind::kAdministration, "administration"},
    {StockKind::kWaste, "waste"},
    {StockKind::kReturn, "return"},
    {StockKind::kAdjustment, "adjustment"},
}};

int digit_value(char c) { return c - '0'; }

}  // namespace

std::string date_text(domain::Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<domain::Date> parse_date_text(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  }
  const int y = digit_value(t[0]) * 1000 + digit_value(t[1]) * 100 + digit_value(t[2]) * 10 +
                digit_value(t[3]);
  const unsigned m = static_cast<unsigned>(digit_value(t[5]) * 10 + digit_value(t[6]));
  const unsigned d = static_cast<unsigned>(digit_value(t[8]) * 10 + digit_value(t[9]));
  const domain::Date date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string instant_text(domain::Instant t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ",
                date_text(domain::Date{day}).c_str(), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string decimal_text(domain::Decimal d) {
  std::int64_t t = d.thousandths();
  std::string sign;
  // Negate as unsigned: INT64_MIN has no positive counterpart.
  std::uint64_t mag = static_cast<std::uint64_t>(t);
  if (t < 0) {
    sign = "-";
    mag = ~mag + 1;
  }
  std::string out = sign + std::to_string(mag / 1000);
  std::uint64_t frac = mag % 1000;
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 3 - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

void put_field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ',';
}

void put_field(std::string& out, std::int64_t value) { put_field(out, std::to_string(value)); }

Result<std::string> sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != 32) {
    return fail(errc::kCryptoFailure, "OpenSSL could not compute SHA-256");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 0x0f];
  }
  return hex;
}

std::optional<std::string> normalise_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
      continue;
    }
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view to_text(domain::Outcome o) { return lookup(kOutcomes, o); }
std::optional<domain::Outcome> outcome_from_text(std::string_view s) { return reverse(kOutcomes, s); }
std::string_view to_text(rules::Decision d) { return lookup(kDecisions, d); }
std::optional<rules::Decision> decision_from_text(std::string_view s) { return reverse(kDecisions, s); }
std::string_view to_text(domain::Role r) { return lookup(kRoles, r); }
std::optional<domain::Role> role_from_text(std::string_view s) { return reverse(kRoles, s); }
std::string_view to_text(domain::ResidentStatus s) { return lookup(kResidentStatuses, s); }
std::optional<domain::ResidentStatus> resident_status_from_text(std::string_view s) {
  return reverse(kResidentStatuses, s);
}
std::string_view to_text(domain::Allergy::Level l) { return lookup(kAllergyLevels, l); }
std::optional<domain::Allergy::Level> allergy_level_from_text(std::string_view s) {
  return reverse(kAllergyLevels, s);
}
std::string_view to_text(domain::PrescriptionStatus s) { return lookup(kPrescriptionStatuses, s); }
std::optional<domain::PrescriptionStatus> prescription_status_from_text(std::string_view s) {
  return reverse(kPrescriptionStatuses, s);
}
std::string_view to_text(domain::MedicationLevel l) { return lookup(kMedicationLevels, l); }
std::optional<domain::MedicationLevel> medication_level_from_text(std::string_view s) {
  return reverse(kMedicationLevels, s);
}
std::string_view to_text(domain::DayPattern::Kind k) { return lookup(kDayKinds, k); }
std::optional<domain::DayPattern::Kind> day_kind_from_text(std::string_view s) {
  return reverse(kDayKinds, s);
}
std::string_view to_text(StockKind k) { return lookup(kStockKinds, k); }
std::optional<StockKind> stock_kind_from_text(std::string_view s) { return reverse(kStockKinds, s); }

std::optional<domain::ControlledDrugCategory> cd_category_from_db(std::int64_t v) {
  using C = domain::ControlledDrugCategory;
  for (C c : {C::kNone, C::kSchedule1, C::kSchedule2, C::kSchedule2Exempt, C::kSchedule3,
              C::kSchedule4, C::kSchedule5}) {
    if (static_cast<std::int64_t>(c) == v) return c;
  }
  return std::nullopt;
}

}  // namespace bcma::station::store::codec
