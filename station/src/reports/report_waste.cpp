// Waste: what was destroyed, why, for whom, and what it cost at dm+d prices, per cycle.
#include <algorithm>
#include <map>
#include <tuple>

#include "bcma/station/stock/stock.hpp"
#include "report_internal.hpp"

namespace bcma::station::reports::detail {

namespace {

using domain::Decimal;

// Cost in pence of `quantity` dose units of a pack priced `price` for `pack_size` units,
// rounded to the nearest penny.
std::optional<std::int64_t> cost_pence(Decimal quantity, std::optional<std::int64_t> price,
                                       Decimal pack_size) {
  if (!price || pack_size <= Decimal{}) return std::nullopt;
  // thousandths x pence stays far inside int64 for any real pack (1e9 x 1e7)
  const std::int64_t num = quantity.thousandths() * *price;
  const std::int64_t den = pack_size.thousandths();
  return (num + den / 2) / den;
}

}  // namespace

Result<Report> waste(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "waste", from, to,
      "Medicines destroyed in the range, by product, reason and resident, with the cost at the "
      "dm+d price of the pack (price / pack size x quantity). Doses refused and destroyed are "
      "included. The chart shows the cost per 28-day cycle, to see whether waste is falling.",
      {{"product", "Product", ColumnType::kText},
       {"reason", "Reason", ColumnType::kText},
       {"resident", "Resident", ColumnType::kText},
       {"entries", "Entries", ColumnType::kInteger},
       {"quantity", "Quantity", ColumnType::kDecimal},
       {"cost", "Cost (£)", ColumnType::kPence},
       {"note", "Note", ColumnType::kText}});
  auto cal = calendar(store, from);
  if (!cal) return Unexpected(std::move(cal).error());
  const auto cycles = cal->overlapping(from, to);
  std::vector<std::int64_t> per_cycle(cycles.size(), 0);

  struct Group {
    std::int64_t entries = 0;
    Decimal quantity;
    std::int64_t cost = 0;
    bool unpriced = false;
  };
  // product, reason, resident name
  std::map<std::tuple<std::string, std::string, std::string>, Group> groups;
  // The entry's pack price; for an entry without a priced pack, the cheapest priced pack of
  // the same product.
  auto q = each_row(
      store.database(),
      "SELECT a.name, l.reason, coalesce(r.given_name || ' ' || r.family_name, 'home stock'),"
      "       -l.quantity, l.event_time,"
      "       coalesce(p.price_pence, (SELECT q.price_pence FROM ampp q WHERE q.amp_id = l.amp_id"
      "                AND q.price_pence IS NOT NULL AND q.pack_size > 0"
      "                ORDER BY q.price_pence * 1000 / q.pack_size LIMIT 1)),"
      "       CASE WHEN p.price_pence IS NOT NULL THEN p.pack_size ELSE"
      "            (SELECT q.pack_size FROM ampp q WHERE q.amp_id = l.amp_id"
      "             AND q.price_pence IS NOT NULL AND q.pack_size > 0"
      "             ORDER BY q.price_pence * 1000 / q.pack_size LIMIT 1) END"
      " FROM stock_ledger l JOIN amp a ON a.id = l.amp_id LEFT JOIN ampp p ON p.id = l.ampp_id"
      " LEFT JOIN residents r ON r.id = l.resident_id"
      " WHERE l.kind = 'waste' AND l.event_time >= ?1 AND l.event_time < ?2",
      [&](store::Statement& st) { st.bind(1, to_db(from)).bind(2, to_db(to)); },
      [&](store::Statement& st) {
        const auto reason = stock::waste_reason_from_string(st.text(1));
        const std::string reason_text = reason ? std::string(stock::to_string(*reason)) : st.text(1);
        Group& g = groups[{st.text(0), reason_text, st.text(2)}];
        const Decimal qty = dec(st.int64(3));
        ++g.entries;
        g.quantity += qty;
        const auto cost = cost_pence(qty, st.optional_int64(5), dec(st.optional_int64(6).value_or(0)));
        if (!cost) {
          g.unpriced = true;
          return;
        }
        g.cost += *cost;
        const domain::Instant t = instant(st.int64(4));
        for (std::size_t i = 0; i < cycles.size(); ++i) {
          if (t >= cycles[i].starts && t < cycles[i].ends) per_cycle[i] += *cost;
        }
      });
  if (!q) return Unexpected(std::move(q).error());
  std::vector<std::pair<std::tuple<std::string, std::string, std::string>, Group>> sorted(groups.begin(),
                                                                                          groups.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second.cost > b.second.cost; });
  std::int64_t total = 0;
  std::int64_t entries = 0;
  Decimal quantity;
  for (const auto& [key, g] : sorted) {
    const auto& [product, reason, resident] = key;
    r.rows.push_back({product, reason, resident, g.entries, g.quantity, g.cost,
                      std::string(g.unpriced ? "some entries have no dm+d price" : "")});
    total += g.cost;
    entries += g.entries;
    quantity += g.quantity;
  }
  r.rows.push_back({std::string("Total"), Cell{}, Cell{}, entries, quantity, total, std::string()});
  Chart chart;
  chart.kind = ChartKind::kLine;
  chart.title = "Waste cost per cycle";
  chart.y_label = "£";
  ChartSeries series{"cost (£)", {}};
  for (std::size_t i = 0; i < cycles.size(); ++i) {
    chart.categories.push_back(cycle_label(cycles[i]));
    series.values.push_back(static_cast<double>(per_cycle[i]) / 100.0);
  }
  chart.series.push_back(std::move(series));
  r.chart = std::move(chart);
  return r;
}

}  // namespace bcma::station::reports::detail
