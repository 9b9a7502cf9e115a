// Stock reports: on hand and run-out, discrepancies, the controlled drugs register, reorder.
#include <algorithm>
#include <map>

#include "bcma/rules/engine.hpp"
#include "bcma/station/stock/cd_register.hpp"
#include "bcma/station/stock/reorder.hpp"
#include "report_internal.hpp"

namespace bcma::station::reports::detail {

namespace {

using domain::Decimal;
using std::chrono::days;
using std::chrono::sys_days;

Cell opt_text(const std::string& s) { return s.empty() ? Cell{} : Cell{s}; }

}  // namespace

Result<Report> stock_on_hand(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "stock_on_hand", from, to,
      "What each resident holds of each medicine at the end of the range (the ledger: booked in, "
      "less doses given, waste and returns, with count corrections), how much a day the current "
      "prescriptions use (regular doses from the schedule over the next 28 days, PRN at the rate "
      "used in the range), and the day it runs out at that rate.",
      {{"resident", "Resident", ColumnType::kText},
       {"medicine", "Medicine", ColumnType::kText},
       {"on_hand", "On hand", ColumnType::kDecimal},
       {"daily_use", "Use per day", ColumnType::kDecimal},
       {"days_left", "Days left", ColumnType::kInteger},
       {"runs_out", "Runs out", ColumnType::kDate},
       {"note", "Note", ColumnType::kText}});
  auto policy = policy_or_defaults(store);
  if (!policy) return Unexpected(std::move(policy).error());
  auto& db = store.database();
  struct Line {
    std::optional<domain::ResidentId> resident;
    std::string resident_name;
    domain::SnomedId vmp_id;
    std::string medicine;
    Decimal on_hand;
  };
  std::vector<Line> lines;
  auto q = each_row(
      db,
      "SELECT l.resident_id, coalesce(r.given_name || ' ' || r.family_name, ''), a.vmp_id, v.name,"
      "       sum(l.quantity)"
      " FROM stock_ledger l JOIN amp a ON a.id = l.amp_id JOIN vmp v ON v.id = a.vmp_id"
      " LEFT JOIN residents r ON r.id = l.resident_id"
      " WHERE l.event_time < ?1 GROUP BY l.resident_id, a.vmp_id"
      " ORDER BY l.resident_id IS NULL, r.family_name, r.given_name, l.resident_id, v.name",
      [&](store::Statement& st) { st.bind(1, to_db(to)); },
      [&](store::Statement& st) {
        lines.push_back({st.optional_int64(0), st.text(1), st.text(2), st.text(3), dec(st.int64(4))});
      });
  if (!q) return Unexpected(std::move(q).error());

  const domain::Instant at = to - std::chrono::seconds{1};
  const domain::Date today = domain::London::local_date(at);
  const auto range_days = std::max<std::int64_t>(
      1, (sys_days{domain::London::local_date(at)} - sys_days{domain::London::local_date(from)}).count() + 1);
  std::map<domain::ResidentId, std::vector<domain::Prescription>> cache;
  for (const auto& line : lines) {
    if (!line.resident) {
      r.rows.push_back({std::string("home stock"), line.medicine, line.on_hand, {}, {}, {}, std::string()});
      continue;
    }
    auto it = cache.find(*line.resident);
    if (it == cache.end()) {
      auto all = store.current_prescriptions(*line.resident, at);
      if (!all) return Unexpected(std::move(all).error());
      std::vector<domain::Prescription> active;
      for (auto& p : *all) {
        if (p.in_force_at(at)) active.push_back(std::move(p));
      }
      it = cache.emplace(*line.resident, std::move(active)).first;
    }
    std::vector<domain::Prescription> mine;
    for (const auto& p : it->second) {
      if (p.vmp_id == line.vmp_id) mine.push_back(p);
    }
    // thousandths of a dose unit over 28 days, then per day
    std::int64_t regular_28 = 0;
    for (int d = 1; d <= stock::kCycleDays; ++d) {
      for (const auto& dose : rules::due_doses(mine, domain::Date{sys_days{today} + days{d}}, *policy)) {
        regular_28 += dose.dose.max.thousandths();
      }
    }
    std::int64_t prn_used = 0;
    for (const auto& p : mine) {
      if (!p.as_needed) continue;
      auto s = each_row(
          db,
          "SELECT coalesce(sum(a.quantity), 0) FROM administrations a WHERE a.prescription_id = ?1"
          " AND a.event_time >= ?2 AND a.event_time < ?3 AND a.outcome IN ('given', 'self_administered')"
          " AND NOT EXISTS (SELECT 1 FROM administrations c WHERE c.corrects_id = a.id)",
          [&](store::Statement& st) { st.bind(1, p.id).bind(2, to_db(from)).bind(3, to_db(to)); },
          [&](store::Statement& st) { prn_used += st.int64(0); });
      if (!s) return Unexpected(std::move(s).error());
    }
    const std::int64_t daily = (regular_28 + stock::kCycleDays / 2) / stock::kCycleDays +
                               (prn_used + range_days / 2) / range_days;
    Row row{line.resident_name, line.medicine, line.on_hand};
    if (mine.empty()) {
      row.insert(row.end(), {Cell{}, Cell{}, Cell{}, std::string("no active prescription")});
    } else if (daily == 0) {
      row.insert(row.end(), {Decimal{}, Cell{}, Cell{}, std::string("no use expected")});
    } else {
      const std::int64_t left = std::max<std::int64_t>(0, line.on_hand.thousandths() / daily);
      row.insert(row.end(), {dec(daily), left, domain::Date{sys_days{today} + days{left}},
                             std::string(left < 7 ? "runs out within a week" : "")});
    }
    r.rows.push_back(std::move(row));
  }
  return r;
}

Result<Report> stock_discrepancies(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "stock_discrepancies", from, to,
      "Everything that did not add up: packs booked in that were over, short, the wrong item, "
      "for the wrong resident or not dispensed at all, and stock counts that differed from the "
      "ledger balance. A controlled drug count that differs is an incident.",
      {{"time", "Time", ColumnType::kTime},
       {"source", "Source", ColumnType::kText},
       {"status", "Status", ColumnType::kText},
       {"resident", "Resident", ColumnType::kText},
       {"product", "Product", ColumnType::kText},
       {"expected", "Expected", ColumnType::kDecimal},
       {"found", "Found", ColumnType::kDecimal},
       {"difference", "Difference", ColumnType::kDecimal},
       {"detail", "Detail", ColumnType::kText},
       {"staff", "Staff", ColumnType::kText},
       {"witness", "Witness", ColumnType::kText}});
  auto& db = store.database();
  auto categories = stock::detail::register_categories(store);
  if (!categories) return Unexpected(std::move(categories).error());
  std::vector<std::pair<domain::Instant, Row>> rows;
  auto b = each_row(
      db,
      "SELECT k.booked_at, l.status, coalesce(r.given_name || ' ' || r.family_name, ''),"
      "       coalesce(pr.name, pe.name, ''), l.expected_quantity, l.received_quantity, l.detail,"
      "       coalesce(s.name, ''), coalesce(w.name, ''), k.delivery_reference"
      " FROM stock_booking_lines l JOIN stock_bookings k ON k.id = l.booking_id"
      " LEFT JOIN residents r ON r.id = l.resident_id LEFT JOIN ampp pr ON pr.id = l.received_ampp_id"
      " LEFT JOIN ampp pe ON pe.id = l.expected_ampp_id LEFT JOIN staff s ON s.id = k.staff_id"
      " LEFT JOIN staff w ON w.id = k.witness_id"
      " WHERE l.status <> 'matched' AND k.booked_at >= ?1 AND k.booked_at < ?2"
      " ORDER BY k.booked_at, l.booking_id, l.ordinal",
      [&](store::Statement& st) { st.bind(1, to_db(from)).bind(2, to_db(to)); },
      [&](store::Statement& st) {
        const Decimal expected = dec(st.int64(4));
        const Decimal found = dec(st.int64(5));
        rows.push_back({instant(st.int64(0)),
                        Row{instant(st.int64(0)), std::string("booking ") + st.text(9), st.text(1),
                            opt_text(st.text(2)), opt_text(st.text(3)), expected, found, found - expected,
                            st.text(6), opt_text(st.text(7)), opt_text(st.text(8))}});
      });
  if (!b) return Unexpected(std::move(b).error());
  auto c = each_row(
      db,
      "SELECT c.counted_at, c.kind, coalesce(r.given_name || ' ' || r.family_name, 'home stock'),"
      "       a.name, c.balance, c.counted, c.note, coalesce(s.name, ''), coalesce(w.name, ''),"
      "       v.cd_category"
      " FROM stock_counts c JOIN amp a ON a.id = c.amp_id JOIN vmp v ON v.id = a.vmp_id"
      " LEFT JOIN residents r ON r.id = c.resident_id LEFT JOIN staff s ON s.id = c.staff_id"
      " LEFT JOIN staff w ON w.id = c.witness_id"
      " WHERE c.counted <> c.balance AND c.counted_at >= ?1 AND c.counted_at < ?2 ORDER BY c.counted_at, c.id",
      [&](store::Statement& st) { st.bind(1, to_db(from)).bind(2, to_db(to)); },
      [&](store::Statement& st) {
        const Decimal balance = dec(st.int64(4));
        const Decimal counted = dec(st.int64(5));
        const bool cd = stock::detail::in_categories(*categories, static_cast<int>(st.int64(9)));
        std::string detail = cd ? "controlled drug count differs: incident" : "count differs from the ledger";
        if (!st.text(6).empty()) detail += "; " + st.text(6);
        rows.push_back({instant(st.int64(0)),
                        Row{instant(st.int64(0)), st.text(1) + " count", std::string(cd ? "incident" : "discrepancy"),
                            st.text(2), st.text(3), balance, counted, counted - balance, detail,
                            opt_text(st.text(7)), opt_text(st.text(8))}});
      });
  if (!c) return Unexpected(std::move(c).error());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [t, row] : rows) r.rows.push_back(std::move(row));
  return r;
}

Result<Report> cd_register(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "cd_register", from, to,
      "The controlled drugs register, one page per product per resident: every receipt, dose, "
      "waste, return and correction with the running balance, who did it and who witnessed it. "
      "An entry without a second signature, or a count that disagrees with the balance, is shown "
      "under Problem.",
      {{"product", "Product", ColumnType::kText},
       {"resident", "Resident", ColumnType::kText},
       {"time", "Time", ColumnType::kTime},
       {"entry", "Entry", ColumnType::kText},
       {"quantity", "Quantity", ColumnType::kDecimal},
       {"balance", "Balance", ColumnType::kDecimal},
       {"counted", "Counted", ColumnType::kDecimal},
       {"staff", "Staff", ColumnType::kText},
       {"witness", "Witness", ColumnType::kText},
       {"reason", "Reason", ColumnType::kText},
       {"problem", "Problem", ColumnType::kText}});
  auto pages = stock::cd_register(store, from, to);
  if (!pages) return Unexpected(std::move(pages).error());
  for (const auto& page : *pages) {
    r.rows.push_back({page.product, page.resident, from, std::string("opening balance"), Cell{},
                      page.opening_balance, Cell{}, Cell{}, Cell{}, Cell{}, Cell{}});
    for (const auto& e : page.entries) {
      r.rows.push_back({page.product, page.resident, e.at, e.kind,
                        e.kind == "count" ? Cell{} : Cell{e.quantity}, e.balance,
                        e.counted ? Cell{*e.counted} : Cell{}, opt_text(e.staff), opt_text(e.witness),
                        opt_text(e.reason), opt_text(e.problem)});
    }
  }
  return r;
}

Result<Report> reorder(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "reorder", from, to,
      "What to order for the cycle that starts at the end of the range: regular doses due in "
      "its 28 days plus PRN at the amount used in the 28 days before it, less usable stock. "
      "Stock that expires before the cycle ends, and stock with no active prescription, is not "
      "usable: it is listed to return, not carried forward.",
      {{"resident", "Resident", ColumnType::kText},
       {"medicine", "Medicine", ColumnType::kText},
       {"prn", "PRN", ColumnType::kText},
       {"doses_due", "Doses due", ColumnType::kInteger},
       {"need", "Need", ColumnType::kDecimal},
       {"on_hand", "On hand", ColumnType::kDecimal},
       {"not_usable", "Not usable", ColumnType::kDecimal},
       {"usable", "Usable", ColumnType::kDecimal},
       {"order", "Order", ColumnType::kDecimal},
       {"packs", "Packs", ColumnType::kInteger},
       {"note", "Note", ColumnType::kText}});
  auto cal = calendar(store, to);
  if (!cal) return Unexpected(std::move(cal).error());
  stock::Cycle next = cal->containing(to);
  if (next.starts < to) next = cal->containing(domain::Date{sys_days{next.last_day} + days{1}});
  auto proposal = stock::reorder_proposal(store, next);
  if (!proposal) return Unexpected(std::move(proposal).error());
  for (const auto& l : proposal->lines) {
    r.rows.push_back({l.resident, l.medication, std::string(l.as_needed ? "yes" : "no"),
                      l.as_needed ? Cell{} : Cell{std::int64_t{l.scheduled_doses}}, l.need, l.on_hand,
                      l.expiring, l.usable, l.order, l.packs,
                      std::string("cycle " + cycle_label(next))});
  }
  for (const auto& u : proposal->unusable) {
    r.rows.push_back({u.resident, u.product, Cell{}, Cell{}, Cell{}, Cell{}, u.quantity, Cell{}, Cell{},
                      Cell{}, "not usable: " + u.why + "; return or destroy"});
  }
  return r;
}

}  // namespace bcma::station::reports::detail
