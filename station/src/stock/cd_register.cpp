// The controlled drugs register, derived: the ledger and the counts, walked in time order per
// product per resident, with the running balance the paper register would carry.
#include "bcma/station/stock/cd_register.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "stock_internal.hpp"

namespace bcma::station::stock {

namespace {

struct Event {
  domain::Instant at{};
  int order = 0;  // counts (0) before movements (1) recorded for the same second
  std::int64_t id = 0;
  CdRegisterEntry entry;
  bool is_count = false;
};

using PageKey = std::tuple<std::string, std::int64_t>;  // amp, resident (0 = home)

}  // namespace

Result<std::vector<CdRegisterPage>> cd_register(store::Store& store, domain::Instant from,
                                                domain::Instant to) {
  auto categories = detail::register_categories(store);
  if (!categories) return Unexpected(std::move(categories).error());
  auto& db = store.database();
  // One snapshot for every query, unless the caller already holds one.
  std::optional<store::Transaction> tx;
  if (!db.in_transaction()) {
    auto t = store::Transaction::begin(db, store::Transaction::Kind::kDeferred);
    if (!t) return Unexpected(std::move(t).error());
    tx.emplace(std::move(*t));
  }

  std::map<PageKey, CdRegisterPage> pages;
  std::map<PageKey, std::vector<Event>> events;
  auto page_for = [&](const std::string& amp, std::optional<std::int64_t> resident,
                      const std::string& product, const std::string& resident_name) -> PageKey {
    PageKey key{amp, resident.value_or(0)};
    auto [it, added] = pages.try_emplace(key);
    if (added) {
      it->second.amp_id = amp;
      it->second.product = product;
      it->second.resident_id = resident;
      it->second.resident = resident ? resident_name : "home stock";
    }
    return key;
  };

  auto st = db.prepare(
      "SELECT l.id, l.kind, l.amp_id, a.name, l.resident_id,"
      "       coalesce(r.given_name || ' ' || r.family_name, ''), l.quantity, l.reason,"
      "       coalesce(s.name, ''), coalesce(w.name, ''), l.event_time, v.cd_category"
      " FROM stock_ledger l JOIN amp a ON a.id = l.amp_id JOIN vmp v ON v.id = a.vmp_id"
      " LEFT JOIN residents r ON r.id = l.resident_id LEFT JOIN staff s ON s.id = l.staff_id"
      " LEFT JOIN staff w ON w.id = l.witness_id"
      " WHERE v.cd_category <> 0 AND l.event_time < ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, detail::to_db(to));
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    if (!detail::in_categories(*categories, static_cast<int>(st->int64(11)))) continue;
    const PageKey key = page_for(st->text(2), st->optional_int64(4), st->text(3), st->text(5));
    Event e;
    e.at = detail::instant(st->int64(10));
    e.order = 1;
    e.id = st->int64(0);
    e.entry.at = e.at;
    e.entry.kind = st->text(1);
    e.entry.quantity = detail::dec(st->int64(6));
    e.entry.reason = st->text(7);
    e.entry.staff = st->text(8);
    e.entry.witness = st->text(9);
    events[key].push_back(std::move(e));
  }

  auto counts = db.prepare(
      "SELECT c.id, c.amp_id, a.name, c.resident_id,"
      "       coalesce(r.given_name || ' ' || r.family_name, ''), c.counted, c.balance,"
      "       coalesce(s.name, ''), coalesce(w.name, ''), c.counted_at, v.cd_category, c.kind, c.note"
      " FROM stock_counts c JOIN amp a ON a.id = c.amp_id JOIN vmp v ON v.id = a.vmp_id"
      " LEFT JOIN residents r ON r.id = c.resident_id LEFT JOIN staff s ON s.id = c.staff_id"
      " LEFT JOIN staff w ON w.id = c.witness_id"
      " WHERE v.cd_category <> 0 AND c.counted_at < ?1");
  if (!counts) return Unexpected(std::move(counts).error());
  counts->bind(1, detail::to_db(to));
  for (;;) {
    auto row = counts->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    if (!detail::in_categories(*categories, static_cast<int>(counts->int64(10)))) continue;
    const PageKey key =
        page_for(counts->text(1), counts->optional_int64(3), counts->text(2), counts->text(4));
    Event e;
    e.at = detail::instant(counts->int64(9));
    e.order = 0;
    e.id = counts->int64(0);
    e.is_count = true;
    e.entry.at = e.at;
    e.entry.kind = "count";
    e.entry.counted = detail::dec(counts->int64(5));
    e.entry.staff = counts->text(7);
    e.entry.witness = counts->text(8);
    e.entry.reason = counts->text(11) + (counts->text(12).empty() ? "" : ": " + counts->text(12));
    events[key].push_back(std::move(e));
  }

  std::vector<CdRegisterPage> out;
  for (auto& [key, page] : pages) {
    auto& list = events[key];
    std::sort(list.begin(), list.end(), [](const Event& a, const Event& b) {
      return std::tie(a.at, a.order, a.id) < std::tie(b.at, b.order, b.id);
    });
    domain::Decimal balance;
    for (auto& e : list) {
      if (!e.is_count) balance += e.entry.quantity;
      e.entry.balance = balance;
      if (e.at < from) {
        page.opening_balance = balance;
        continue;
      }
      if (e.entry.staff.empty() || e.entry.witness.empty()) {
        e.entry.problem = "no second signature";
        if (!e.is_count) ++page.unsigned_entries;
      }
      if (e.is_count) {
        // The balance the register showed when counting (the count's own correction follows).
        e.entry.balance = balance;
        if (*e.entry.counted != balance) {
          e.entry.problem = "count disagrees with balance (counted " + e.entry.counted->to_string() +
                            ", balance " + balance.to_string() + ")";
          ++page.incidents;
        }
      }
      page.entries.push_back(e.entry);
    }
    page.closing_balance = balance;
    if (page.entries.empty() && balance.is_zero()) continue;
    out.push_back(std::move(page));
  }
  return out;
}

}  // namespace bcma::station::stock
