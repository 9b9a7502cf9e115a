#pragma once
// A home for the stock and report tests, built through the store API on a real SQLite file:
// priced dm+d-shaped products (one a Schedule 2 controlled drug, one time-critical), three
// residents, three staff, and helpers that record doses and stock the way the station does.

#include <optional>
#include <string>

#include "bcma/domain/time.hpp"
#include "bcma/station/store/store.hpp"
#include "store_test_support.hpp"

namespace bcma::station::stock::testing {

using domain::Decimal;

// Products: id of VMP, AMP and AMPP; prices are per pack in pence.
inline constexpr const char* kParaVmp = "42109611000001109";   // Paracetamol 500mg tablets
inline constexpr const char* kParaAmp = "4161211000001102";
inline constexpr const char* kParaAmpp = "1006311000001105";    // 32 tablets, 320p (10p each)
inline constexpr const char* kCocoVmp = "42108011000001103";   // Co-codamol 30mg/500mg tablets
inline constexpr const char* kCocoAmp = "3935511000001106";
inline constexpr const char* kCocoAmpp = "1054211000001102";    // 30 tablets, 450p (15p each)
inline constexpr const char* kOxyVmp = "36128611000001105";    // Oxycodone 5mg capsules, CD2
inline constexpr const char* kOxyAmp = "4309411000001104";
inline constexpr const char* kOxyAmpp = "1091711000001106";     // 56 capsules, 1120p (20p each)
inline constexpr const char* kSinemetVmp = "41901011000001107";  // Co-careldopa, time critical
inline constexpr const char* kSinemetAmp = "3913211000001103";
inline constexpr const char* kSinemetAmpp = "1001711000001103";  // 100 tablets, 1000p
inline constexpr const char* kAmloVmp = "319283006";           // Amlodipine 5mg tablets
inline constexpr const char* kAmloAmp = "4149711000001103";
inline constexpr const char* kAmloAmpp = "1037711000001105";    // 28 tablets, no price
inline constexpr const char* kOral = "26643006";

/// 2026-03-02 (a Monday, GMT) 00:00 UTC: the first day of the test home's cycle.
domain::Instant cycle_start();
/// A local time on day `day` (0 = cycle_start's date) at hh:mm, Europe/London.
domain::Instant at(int day, int hh, int mm = 0);

struct Home {
  store::testing::TempDir dir;
  domain::FixedClock clock{cycle_start()};
  std::optional<store::Store> store;
  domain::ResidentId alice = 0, bob = 0, carol = 0;
  domain::StaffId carer = 0, nurse = 0, manager = 0;
  std::uint64_t next_record = 1;

  store::Store& s() { return *store; }
  store::Actor as(domain::StaffId id) const { return store::Actor{id, "station"}; }

  /// A regular prescription given at `rounds` ("MORN,NIGHT"...); returns its id.
  domain::PrescriptionId regular(domain::ResidentId r, const char* vmp, Decimal dose,
                                 std::vector<std::string> rounds, bool time_critical = false);
  /// A PRN prescription; returns its id.
  domain::PrescriptionId prn(domain::ResidentId r, const char* vmp, Decimal dose, Decimal max_per_24h,
                             int min_interval_minutes = 240);
  /// A label dispensed for `r`.
  void label(const std::string& label_id, domain::ResidentId r, const char* ampp, Decimal quantity,
             std::optional<domain::PrescriptionId> rx = std::nullopt);
  /// Records an outcome through Store::record_administration (moves the clock to `when` first
  /// if it is later). `code` for non-given outcomes. Returns the record id.
  std::string record(domain::ResidentId r, domain::PrescriptionId rx, domain::Outcome outcome,
                     Decimal quantity, domain::Instant when, std::optional<domain::Instant> slot,
                     std::optional<std::string> label = std::nullopt, std::string code = {},
                     std::optional<domain::StaffId> witness = std::nullopt);
  /// Moves the clock forward to `t` (never back).
  void advance_to(domain::Instant t);
};

/// A fresh home in a temporary directory (gtest assertions fail the test on a setup error).
void build_home(Home& home);

}  // namespace bcma::station::stock::testing
