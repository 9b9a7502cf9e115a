#pragma once
// Test fixtures for the rules engine: a small dm+d-like catalogue with realistic names and
// SNOMED-shaped ids, residents, prescription builders and a `World` that evaluates a scan.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/domain/administration.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/rules/engine.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/scan/scan.hpp"

namespace bcma::rules::testing {

using domain::Decimal;
using domain::Instant;
using domain::Minutes;

// SNOMED CT routes and substances used below.
inline constexpr std::string_view kOral = "26643006";
inline constexpr std::string_view kRectal = "37161004";
inline constexpr std::string_view kTransdermal = "45890007";
inline constexpr std::string_view kGastrostomy = "127490009";
inline constexpr std::string_view kParacetamol = "387517004";
inline constexpr std::string_view kCodeine = "261000";
inline constexpr std::string_view kAmoxicillin = "372687004";

Decimal dec(std::string_view text);
domain::Date date(int y, unsigned m, unsigned d);
/// The instant of a Europe/London wall-clock reading.
Instant local(int y, unsigned m, unsigned d, int hh, int mm);
Instant utc(std::string_view iso);

// --- the catalogue -------------------------------------------------------------------------
domain::ProductMatch paracetamol_500();    ///< generic AMP (Accord)
domain::ProductMatch panadol_500();        ///< a branded AMP of the same VMP
domain::ProductMatch co_codamol_30_500();  ///< codeine 30 mg + paracetamol 500 mg, CD Sch 5
domain::ProductMatch paracetamol_1g_suppository();
domain::ProductMatch amoxicillin_500();
domain::ProductMatch amlodipine_5();
domain::ProductMatch alendronic_acid_70();
domain::ProductMatch fentanyl_25_patch();    ///< Schedule 2, every 3 days
domain::ProductMatch oxycodone_5();          ///< Schedule 2
domain::ProductMatch co_careldopa_25_100();  ///< Parkinson's: time-critical
domain::ProductMatch tegretol_retard_200();  ///< brand of carbamazepine 200 mg m/r
domain::ProductMatch carbamazepine_200_mr_teva();

// --- residents -----------------------------------------------------------------------------
domain::Resident jane();  ///< Jane Smith, id 1, present
domain::Resident john();  ///< John Brown, id 2, present

// --- prescriptions -------------------------------------------------------------------------
domain::DoseRange fixed(std::string_view qty, std::string_view unit);
domain::DoseRange range(std::string_view min, std::string_view max, std::string_view unit);
domain::DoseTime at(int hh, int mm);
domain::DoseTime round(std::string_view name);

/// A generic (VMP), oral, active prescription for Jane from 2026-01-01, due at `times` daily.
domain::Prescription regular(domain::PrescriptionId id, const domain::ProductMatch& p,
                             std::vector<domain::DoseTime> times, domain::DoseRange dose);
/// A generic PRN prescription for Jane from 2026-01-01.
domain::Prescription prn(domain::PrescriptionId id, const domain::ProductMatch& p,
                         domain::DoseRange dose, Minutes min_interval,
                         std::optional<Decimal> max_per_24h);

/// A past dose of `id` (ingredients left for the engine to take from the prescription).
domain::PastDose given(domain::PrescriptionId id, Instant when, std::string_view qty,
                       std::optional<Instant> slot = std::nullopt,
                       domain::Outcome outcome = domain::Outcome::kGiven);

// --- scans ---------------------------------------------------------------------------------
scan::ExpiryDate expiry(int y, int m, int d);
scan::Scan pack_scan(const domain::ProductMatch& p, std::optional<scan::ExpiryDate> e,
                     std::optional<std::string> batch);
scan::Scan ean13_scan(const domain::ProductMatch& p);
scan::Scan label_scan(const domain::Resident& owner, const domain::ProductMatch& p);
scan::Scan wristband_scan(const domain::Resident& r);

/// One evaluation: a resident, their prescriptions and history, and the scanned item.
struct World {
  domain::Resident resident = jane();
  bool resident_identified = true;
  Policy policy = Policy::defaults();
  std::vector<domain::Prescription> prescriptions;
  std::vector<domain::PastDose> history;
  std::vector<domain::Recall> recalls;
  std::optional<domain::ProductMatch> product;
  scan::Scan item;
  std::optional<domain::Resident> label_owner;
  std::optional<Decimal> proposed;

  /// Scans a pack of `p` with a far expiry and batch "B12345".
  World& scanning(const domain::ProductMatch& p);
  World& with(domain::Prescription rx);

  Verdict evaluate(Instant now) const;
};

/// The first reason with `code`, or nullptr.
const Reason* find_reason(const Verdict& v, ReasonCode code);

/// The message of the first reason with `code`, or "(no <code> reason)" so that a failing
/// expectation reads well instead of dereferencing nothing.
std::string message_of(const Verdict& v, ReasonCode code);

/// "wrong_resident, allergy" - for failure messages.
std::string codes(const Verdict& v);

}  // namespace bcma::rules::testing
