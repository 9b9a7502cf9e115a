// Service: the round snapshot a scanner keeps for offline checks (protocol 1.1). Everything
// comes from the same store reads the station's own verdicts use (prescriptions in force,
// products by GTIN on today's date, history, recalls, policy), so that a scanner checking
// offline sees what the station would have seen when the snapshot was taken.
#include <algorithm>
#include <set>

#include "bcma/station/service/service.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/transaction.hpp"
#include "evaluation.hpp"

namespace bcma::station::service {
namespace {

// The store answers one resident or one GTIN at a time; these two read only the keys to ask
// about, and every row is then read through the store's own decoding.
Result<std::vector<domain::ResidentId>> residents_in_care(store::Database& db) {
  auto st = db.prepare(
      "SELECT id FROM residents WHERE status NOT IN ('discharged', 'deceased') ORDER BY id");
  if (!st) return Unexpected(std::move(st).error());
  std::vector<domain::ResidentId> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) return out;
    out.push_back(st->int64(0));
  }
}

/// GTINs of every pack of the VMP (a generic prescription) or of the AMP (a brand).
Result<std::vector<std::string>> gtins_for(store::Database& db, const domain::Prescription& rx) {
  auto st = db.prepare(
      "SELECT DISTINCT g.gtin FROM gtins g JOIN ampp p ON p.id = g.ampp_id"
      " JOIN amp a ON a.id = p.amp_id WHERE a.vmp_id = ?1 OR a.id = ?2 ORDER BY g.gtin");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, rx.vmp_id.empty() ? rx.medication_id : rx.vmp_id).bind(2, rx.medication_id);
  std::vector<std::string> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) return out;
    out.push_back(st->text(0));
  }
}

}  // namespace

Result<RoundSnapshotData> Service::round_snapshot(std::string_view session_id) {
  auto live = live_session(session_id);
  if (!live) return Unexpected(std::move(live).error());
  const Session& session = **live;
  const domain::Instant now = clock_->now();
  const domain::Date today = domain::London::local_date(now);

  RoundSnapshotData out;
  out.generated_at = now;
  out.valid_until = std::min(now + kSnapshotValidity, session.expires_at);
  out.staff_role = session.staff.role;
  out.nhs_gsrn_prefixes = options_.nhs_gsrn_prefixes;

  // One read transaction: the lists agree with each other (no dose half-recorded between them).
  auto tx = store::Transaction::begin(store_->database(), store::Transaction::Kind::kDeferred);
  if (!tx) return Unexpected(std::move(tx).error());
  auto policy = detail::load_policy(*store_);
  if (!policy) return Unexpected(std::move(policy).error());
  out.policy = std::move(*policy);
  auto codes = store_->non_administration_codes(/*include_inactive=*/false);
  if (!codes) return Unexpected(std::move(codes).error());
  out.codes = std::move(*codes);
  auto recalls = store_->recalls();
  if (!recalls) return Unexpected(std::move(recalls).error());
  out.recalls = std::move(*recalls);

  auto ids = residents_in_care(store_->database());
  if (!ids) return Unexpected(std::move(ids).error());
  std::set<std::string> gtins;
  for (const domain::ResidentId id : *ids) {
    auto resident = store_->resident(id);
    if (!resident) return Unexpected(std::move(resident).error());
    out.residents.push_back(std::move(*resident));
    auto rx = store_->current_prescriptions(id, now);
    if (!rx) return Unexpected(std::move(rx).error());
    for (auto& p : *rx) {
      auto packs = gtins_for(store_->database(), p);
      if (!packs) return Unexpected(std::move(packs).error());
      gtins.insert(packs->begin(), packs->end());
      out.prescriptions.push_back(std::move(p));
    }
    auto history = store_->history(id, now - detail::kHistorySpan);
    if (!history) return Unexpected(std::move(history).error());
    for (auto& d : *history) out.history.push_back(SnapshotDose{id, std::move(d)});
  }
  for (const std::string& gtin : gtins) {
    // A pack whose GTIN is not valid today is left out: offline it is then an unknown product
    // (a block), exactly as the station would answer.
    auto match = store_->product_by_gtin(gtin, today);
    if (match) {
      out.products.push_back(std::move(*match));
    } else if (match.error().code != store::errc::kUnknownProduct) {
      return Unexpected(std::move(match).error());
    }
  }
  if (auto c = tx->commit(); !c) return Unexpected(std::move(c).error());
  return out;
}

}  // namespace bcma::station::service
