// The order for a cycle: need from schedules and PRN use, less usable stock. Stock is consumed
// first-expiry-first, so what is left of a batch is known, and a batch that expires before the
// cycle ends is not counted as usable.
#include "bcma/station/stock/reorder.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "bcma/rules/engine.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "stock_internal.hpp"

namespace bcma::station::stock {

namespace {

using domain::Decimal;

struct ResidentRow {
  domain::ResidentId id = 0;
  std::string name;
};

struct AmpStock {
  domain::SnomedId amp_id;
  domain::SnomedId vmp_id;
  std::string name;
  Decimal balance;
  Decimal expiring;
  std::optional<domain::Date> first_expiry;  // of the expiring part
};

Result<std::vector<ResidentRow>> residents_in_home(store::Database& db) {
  auto st = db.prepare(
      "SELECT id, given_name || ' ' || family_name FROM residents"
      " WHERE status NOT IN ('discharged', 'deceased') ORDER BY id");
  if (!st) return Unexpected(std::move(st).error());
  std::vector<ResidentRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    out.push_back({st->int64(0), st->text(1)});
  }
  return out;
}

// The resident's stock per AMP at `at`, with the part that expires before `usable_until`.
Result<std::vector<AmpStock>> resident_stock(store::Database& db, domain::ResidentId resident,
                                             domain::Instant at, domain::Date usable_until) {
  auto st = db.prepare(
      "SELECT l.amp_id, a.vmp_id, a.name, l.quantity, b.expiry"
      " FROM stock_ledger l JOIN amp a ON a.id = l.amp_id"
      " LEFT JOIN stock_booking_lines b ON b.stock_entry_id = l.id"
      " WHERE l.resident_id = ?1 AND l.event_time < ?2 ORDER BY l.amp_id, l.id");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, resident).bind(2, detail::to_db(at));
  struct Batch {
    Decimal quantity;
    std::optional<domain::Date> expiry;
  };
  std::map<std::string, std::pair<AmpStock, std::vector<Batch>>> by_amp;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    auto& [stock, batches] = by_amp[st->text(0)];
    stock.amp_id = st->text(0);
    stock.vmp_id = st->text(1);
    stock.name = st->text(2);
    const Decimal q = detail::dec(st->int64(3));
    stock.balance += q;
    if (q > Decimal{}) {
      std::optional<domain::Date> expiry;
      if (auto text = st->optional_text(4)) expiry = domain::parse_date(*text);
      batches.push_back({q, expiry});
    }
  }
  std::vector<AmpStock> out;
  for (auto& [amp, entry] : by_amp) {
    auto& [stock, batches] = entry;
    // What went out was taken from the earliest expiry first; unknown expiry last.
    std::stable_sort(batches.begin(), batches.end(), [](const Batch& a, const Batch& b) {
      if (a.expiry && b.expiry) return *a.expiry < *b.expiry;
      return a.expiry.has_value() && !b.expiry.has_value();
    });
    Decimal in;
    for (const auto& b : batches) in += b.quantity;
    Decimal taken = stock.balance > Decimal{} ? in - stock.balance : in;
    for (const auto& b : batches) {
      const Decimal used = std::min(taken, b.quantity);
      taken -= used;
      const Decimal left = b.quantity - used;
      if (left > Decimal{} && b.expiry && *b.expiry <= usable_until) {
        stock.expiring += left;
        if (!stock.first_expiry || *b.expiry < *stock.first_expiry) stock.first_expiry = b.expiry;
      }
    }
    out.push_back(std::move(stock));
  }
  return out;
}

bool matches(const domain::Prescription& p, const AmpStock& s) {
  return p.level == domain::MedicationLevel::kAmp ? s.amp_id == p.medication_id : s.vmp_id == p.vmp_id;
}

bool in_force(const domain::Prescription& p, const Cycle& c) {
  return p.status == domain::PrescriptionStatus::kActive && p.starts < c.ends &&
         (!p.ends || *p.ends > c.starts);
}

// The pack to order: the one last dispensed for this resident and medicine, else any.
Result<std::pair<std::optional<domain::SnomedId>, Decimal>> order_pack(store::Database& db,
                                                                      domain::ResidentId resident,
                                                                      const domain::Prescription& p) {
  auto st = db.prepare(
      "SELECT p.id, p.pack_size FROM ampp p JOIN amp a ON a.id = p.amp_id"
      " LEFT JOIN dispensed_items d ON d.ampp_id = p.id AND d.resident_id = ?1"
      " WHERE (?2 = 'amp' AND a.id = ?3) OR (?2 = 'vmp' AND a.vmp_id = ?4)"
      " ORDER BY d.dispensed_on IS NULL, d.dispensed_on DESC, p.id LIMIT 1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, resident)
      .bind(2, p.level == domain::MedicationLevel::kAmp ? "amp" : "vmp")
      .bind(3, p.medication_id)
      .bind(4, p.vmp_id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::pair<std::optional<domain::SnomedId>, Decimal>{};
  return std::pair<std::optional<domain::SnomedId>, Decimal>{st->text(0), detail::dec(st->int64(1))};
}

Result<Decimal> prn_use(store::Database& db, domain::PrescriptionId id, domain::Instant from,
                        domain::Instant to) {
  auto st = db.prepare(
      "SELECT coalesce(sum(a.quantity), 0) FROM administrations a"
      " WHERE a.prescription_id = ?1 AND a.event_time >= ?2 AND a.event_time < ?3"
      "   AND a.outcome IN ('given', 'self_administered')"
      "   AND NOT EXISTS (SELECT 1 FROM administrations c WHERE c.corrects_id = a.id)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id).bind(2, detail::to_db(from)).bind(3, detail::to_db(to));
  if (auto r = st->step(); !r) return Unexpected(std::move(r).error());
  return detail::dec(st->int64(0));
}

}  // namespace

Result<ReorderProposal> reorder_proposal(store::Store& store, const Cycle& cycle) {
  auto policy = store.policy();
  if (!policy) {
    if (policy.error().code != store::errc::kNoHome) return Unexpected(std::move(policy).error());
    policy = rules::Policy::defaults();
  }
  auto& db = store.database();
  // One snapshot for every query, unless the caller already holds one.
  std::optional<store::Transaction> tx;
  if (!db.in_transaction()) {
    auto t = store::Transaction::begin(db, store::Transaction::Kind::kDeferred);
    if (!t) return Unexpected(std::move(t).error());
    tx.emplace(std::move(*t));
  }
  auto residents = residents_in_home(db);
  if (!residents) return Unexpected(std::move(residents).error());

  ReorderProposal out;
  out.cycle = cycle;
  for (const auto& resident : *residents) {
    auto all = store.current_prescriptions(resident.id, cycle.starts);
    if (!all) return Unexpected(std::move(all).error());
    std::vector<domain::Prescription> active;
    for (auto& p : *all) {
      if (in_force(p, cycle)) active.push_back(std::move(p));
    }
    std::map<domain::PrescriptionId, std::pair<int, Decimal>> due;  // doses, units
    for (domain::Date d = cycle.first_day; d <= cycle.last_day;
         d = domain::Date{std::chrono::sys_days{d} + std::chrono::days{1}}) {
      for (const auto& dose : rules::due_doses(active, d, *policy)) {
        auto& [n, units] = due[dose.prescription_id];
        ++n;
        units += dose.dose.max;
      }
    }
    auto stock = resident_stock(db, resident.id, cycle.starts, cycle.last_day);
    if (!stock) return Unexpected(std::move(stock).error());
    // Usable stock per AMP, shared out to the prescriptions that may use it, regular first.
    std::map<domain::SnomedId, Decimal> usable_left;
    for (const auto& s : *stock) {
      const Decimal usable = s.balance - s.expiring;
      usable_left[s.amp_id] = usable > Decimal{} ? usable : Decimal{};
    }
    std::stable_sort(active.begin(), active.end(), [](const auto& a, const auto& b) {
      return !a.as_needed && b.as_needed;
    });
    std::set<domain::SnomedId> used_amps;
    for (const auto& p : active) {
      ReorderLine line;
      line.resident_id = resident.id;
      line.resident = resident.name;
      line.prescription_id = p.id;
      line.vmp_id = p.vmp_id;
      line.medication = p.medication_name;
      line.as_needed = p.as_needed;
      if (p.as_needed) {
        auto used = prn_use(db, p.id, cycle.starts - std::chrono::days{kCycleDays}, cycle.starts);
        if (!used) return Unexpected(std::move(used).error());
        line.need = *used;
      } else {
        line.scheduled_doses = due[p.id].first;
        line.need = due[p.id].second;
      }
      Decimal wanted = line.need;
      for (const auto& s : *stock) {
        if (!matches(p, s)) continue;
        if (!used_amps.contains(s.amp_id)) {
          line.on_hand += s.balance;
          line.expiring += s.expiring;
        }
        used_amps.insert(s.amp_id);
        auto& left = usable_left[s.amp_id];
        const Decimal take = std::min(left, wanted);
        left -= take;
        wanted -= take;
        line.usable += take;
      }
      line.order = wanted;
      auto pack = order_pack(db, resident.id, p);
      if (!pack) return Unexpected(std::move(pack).error());
      line.pack_ampp_id = pack->first;
      line.pack_size = pack->second;
      if (line.pack_size > Decimal{} && line.order > Decimal{}) {
        const auto n = line.order.thousandths();
        const auto size = line.pack_size.thousandths();
        line.packs = (n + size - 1) / size;
      }
      out.lines.push_back(std::move(line));
    }
    for (const auto& s : *stock) {
      if (s.balance <= Decimal{}) continue;
      const bool prescribed = std::any_of(active.begin(), active.end(),
                                          [&](const auto& p) { return matches(p, s); });
      if (!prescribed) {
        out.unusable.push_back({resident.id, resident.name, s.amp_id, s.name, s.balance,
                                "no active prescription"});
      } else if (s.expiring > Decimal{}) {
        out.unusable.push_back({resident.id, resident.name, s.amp_id, s.name, s.expiring,
                                "expires " + domain::to_string(*s.first_expiry)});
      }
    }
  }
  return out;
}

}  // namespace bcma::station::stock
