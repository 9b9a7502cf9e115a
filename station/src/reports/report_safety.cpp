// Safety: what the scanner stopped or questioned, who overrode it and why, and prescribing
// problems visible in the data.
#include <algorithm>
#include <map>
#include <set>

#include "report_internal.hpp"

namespace bcma::station::reports::detail {

namespace {

using domain::Decimal;

// An amount in thousandths of a microgram, so that mg, g and microgram compare; nullopt for a
// unit that is not a mass (ml, unit): those are compared only within the same unit.
std::optional<std::int64_t> micrograms(Decimal amount, std::string_view unit) {
  if (unit == "microgram" || unit == "mcg" || unit == "micrograms") return amount.thousandths();
  if (unit == "mg") return amount.thousandths() * 1000;
  if (unit == "g") return amount.thousandths() * 1000 * 1000;
  return std::nullopt;
}

// The most a prescription allows in 24 hours, in dose units (thousandths); nullopt when it
// sets no ceiling (a PRN without a maximum or interval).
std::optional<std::int64_t> max_units_per_day(const domain::Prescription& p) {
  if (!p.as_needed) return p.dose.max.thousandths() * static_cast<std::int64_t>(p.times.size());
  if (p.prn && p.prn->max_per_24h) return p.prn->max_per_24h->thousandths();
  if (p.prn && p.prn->min_interval.count() > 0) {
    return p.dose.max.thousandths() * (24 * 60 / p.prn->min_interval.count());
  }
  return std::nullopt;
}

}  // namespace

Result<Report> prevented_errors(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "prevented_errors", from, to,
      "Every scan the station blocked or warned about, by reason (a scan can have several "
      "reasons), and how many doses were then given after an override. A block that was not "
      "overridden is an error the scan stopped.",
      {{"reason", "Reason", ColumnType::kText},
       {"blocked", "Scans blocked", ColumnType::kInteger},
       {"warned", "Scans warned", ColumnType::kInteger},
       {"overridden", "Doses given after override", ColumnType::kInteger}});
  struct Counts {
    std::int64_t blocked = 0, warned = 0, overridden = 0;
  };
  std::map<std::string, Counts> by_reason;
  auto q = each_row(
      store.database(),
      "SELECT json_extract(l.payload, '$.decision'), json_extract(e.value, '$.code'), count(*)"
      " FROM audit_log l, json_each(l.payload, '$.reasons') e"
      " WHERE l.kind = 'verdict' AND l.at >= ?1 AND l.at < ?2 AND json_valid(l.payload)"
      "   AND json_extract(l.payload, '$.decision') IN ('block', 'warn')"
      " GROUP BY 1, 2",
      [&](store::Statement& st) { st.bind(1, to_db(from)).bind(2, to_db(to)); },
      [&](store::Statement& st) {
        Counts& c = by_reason[st.text(1)];
        (st.text(0) == "block" ? c.blocked : c.warned) += st.int64(2);
      });
  if (!q) return Unexpected(std::move(q).error());
  auto o = each_row(
      store.database(),
      "SELECT x.code, count(*) FROM administrations a JOIN administration_reasons x"
      " ON x.administration_id = a.id"
      " WHERE a.override_by IS NOT NULL AND a.event_time >= ?1 AND a.event_time < ?2 GROUP BY x.code",
      [&](store::Statement& st) { st.bind(1, to_db(from)).bind(2, to_db(to)); },
      [&](store::Statement& st) { by_reason[st.text(0)].overridden += st.int64(1); });
  if (!o) return Unexpected(std::move(o).error());
  std::vector<std::pair<std::string, Counts>> sorted(by_reason.begin(), by_reason.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.blocked + a.second.warned > b.second.blocked + b.second.warned;
  });
  Counts total;
  Chart chart;
  chart.kind = ChartKind::kBar;
  chart.title = "Blocked and warned scans by reason";
  chart.y_label = "scans";
  ChartSeries blocked{"blocked", {}}, warned{"warned", {}};
  for (const auto& [reason, c] : sorted) {
    r.rows.push_back({reason, c.blocked, c.warned, c.overridden});
    total.blocked += c.blocked;
    total.warned += c.warned;
    total.overridden += c.overridden;
    chart.categories.push_back(reason);
    blocked.values.push_back(static_cast<double>(c.blocked));
    warned.values.push_back(static_cast<double>(c.warned));
  }
  r.rows.push_back({std::string("Total (reasons)"), total.blocked, total.warned, total.overridden});
  chart.series = {std::move(blocked), std::move(warned)};
  r.chart = std::move(chart);
  return r;
}

Result<Report> overrides(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "overrides", from, to,
      "Every dose recorded after a block or warning was overridden: what the station said, the "
      "reason given, who overrode it and who witnessed it.",
      {{"time", "Time", ColumnType::kTime},
       {"resident", "Resident", ColumnType::kText},
       {"medicine", "Medicine", ColumnType::kText},
       {"decision", "Station said", ColumnType::kText},
       {"reasons", "Reasons", ColumnType::kText},
       {"override_reason", "Override reason", ColumnType::kText},
       {"by", "Overridden by", ColumnType::kText},
       {"witness", "Witness", ColumnType::kText},
       {"outcome", "Outcome", ColumnType::kText}});
  auto q = each_row(
      store.database(),
      "SELECT a.event_time, r.given_name || ' ' || r.family_name,"
      "       (SELECT v.medication_name FROM prescription_versions v"
      "        WHERE v.prescription_id = a.prescription_id ORDER BY v.version DESC LIMIT 1),"
      "       coalesce(a.decision, ''),"
      "       coalesce((SELECT group_concat(x.code, ', ') FROM (SELECT code FROM administration_reasons"
      "                 WHERE administration_id = a.id ORDER BY ordinal) x), ''),"
      "       coalesce(a.override_reason, ''), coalesce(s.name, ''), coalesce(w.name, ''), a.outcome"
      " FROM administrations a JOIN residents r ON r.id = a.resident_id"
      " LEFT JOIN staff s ON s.id = a.override_by LEFT JOIN staff w ON w.id = a.override_witness"
      " WHERE a.override_by IS NOT NULL AND a.event_time >= ?1 AND a.event_time < ?2"
      " ORDER BY a.event_time, a.id",
      [&](store::Statement& st) { st.bind(1, to_db(from)).bind(2, to_db(to)); },
      [&](store::Statement& st) {
        Row row{instant(st.int64(0))};
        for (int i = 1; i <= 8; ++i) {
          const std::string t = st.text(i);
          row.push_back(t.empty() ? Cell{} : Cell{t});
        }
        r.rows.push_back(std::move(row));
      });
  if (!q) return Unexpected(std::move(q).error());
  return r;
}

Result<Report> prescribing_alerts(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "prescribing_alerts", from, to,
      "Problems visible in the prescriptions active at the end of the range: the same "
      "ingredient in more than one medicine, a possible daily total above the home's maximum "
      "for an ingredient (regular doses plus PRN maxima), ten or more regular medicines "
      "(review for polypharmacy), and medicines in stock with no active prescription.",
      {{"resident", "Resident", ColumnType::kText},
       {"alert", "Alert", ColumnType::kText},
       {"medicines", "Medicines", ColumnType::kText},
       {"detail", "Detail", ColumnType::kText}});
  auto policy = policy_or_defaults(store);
  if (!policy) return Unexpected(std::move(policy).error());
  auto& db = store.database();
  const domain::Instant at = to - std::chrono::seconds{1};
  struct ResidentRow {
    domain::ResidentId id;
    std::string name;
  };
  std::vector<ResidentRow> residents;
  auto q = each_row(
      db,
      "SELECT id, given_name || ' ' || family_name FROM residents"
      " WHERE status NOT IN ('discharged', 'deceased') ORDER BY family_name, given_name, id",
      [](store::Statement&) {},
      [&](store::Statement& st) { residents.push_back({st.int64(0), st.text(1)}); });
  if (!q) return Unexpected(std::move(q).error());
  for (const auto& res : residents) {
    auto all = store.current_prescriptions(res.id, at);
    if (!all) return Unexpected(std::move(all).error());
    std::vector<domain::Prescription> active;
    for (auto& p : *all) {
      if (p.in_force_at(at)) active.push_back(std::move(p));
    }
    // Duplicate ingredients.
    std::map<std::string, std::vector<const domain::Prescription*>> by_substance;
    std::map<std::string, std::string> substance_name;
    for (const auto& p : active) {
      std::set<std::string> seen;
      for (const auto& i : p.ingredients) {
        if (!seen.insert(i.substance_id).second) continue;
        by_substance[i.substance_id].push_back(&p);
        substance_name[i.substance_id] = i.name;
      }
    }
    for (const auto& [substance, list] : by_substance) {
      if (list.size() < 2) continue;
      std::string names;
      for (const auto* p : list) {
        names += (names.empty() ? "" : "; ") + p->medication_name + (p->as_needed ? " (PRN)" : "");
      }
      r.rows.push_back({res.name, std::string("duplicate ingredient"), names,
                        substance_name[substance] + " is in " + std::to_string(list.size()) + " active prescriptions"});
    }
    // Daily totals above the home's ingredient maximum.
    for (const auto& limit : policy->ingredient_limits) {
      const auto max_ug = micrograms(limit.max_per_24h, limit.unit);
      std::int64_t total = 0;  // thousandths of a microgram, or of the limit's unit
      std::string names;
      for (const auto& p : active) {
        const auto units = max_units_per_day(p);
        if (!units) continue;
        for (const auto& i : p.ingredients) {
          if (i.substance_id != limit.substance_id) continue;
          // units (thousandths) x strength (thousandths) / 1000 = thousandths of the strength unit
          const Decimal amount = Decimal::from_thousandths(*units * i.strength.thousandths() / 1000);
          const auto ug = micrograms(amount, i.strength_unit);
          if (max_ug && ug) {
            total += *ug;
          } else if (!max_ug && i.strength_unit == limit.unit) {
            total += amount.thousandths();
          } else {
            continue;
          }
          names += (names.empty() ? "" : "; ") + p.medication_name;
        }
      }
      const std::int64_t ceiling = max_ug ? *max_ug : limit.max_per_24h.thousandths();
      if (total > ceiling) {
        const Decimal shown = Decimal::from_thousandths(max_ug ? total / 1000 : total);
        const std::string unit = max_ug ? "mg" : limit.unit;
        const Decimal shown_max = max_ug ? Decimal::from_thousandths(*max_ug / 1000) : limit.max_per_24h;
        r.rows.push_back({res.name, std::string("daily total above maximum"), names,
                          "up to " + shown.to_string() + " " + unit + " of " + limit.name +
                              " a day possible; the maximum is " + shown_max.to_string() + " " + unit});
      }
    }
    // Polypharmacy.
    const auto regular = std::count_if(active.begin(), active.end(), [](const auto& p) { return !p.as_needed; });
    if (regular >= 10) {
      r.rows.push_back({res.name, std::string("10 or more regular medicines"), Cell{},
                        std::to_string(regular) + " regular medicines: review for polypharmacy"});
    }
    // Stock with no active prescription.
    auto s = each_row(
        db,
        "SELECT a.id, a.vmp_id, a.name, sum(l.quantity) FROM stock_ledger l JOIN amp a ON a.id = l.amp_id"
        " WHERE l.resident_id = ?1 AND l.event_time < ?2 GROUP BY a.id HAVING sum(l.quantity) > 0",
        [&](store::Statement& st) { st.bind(1, res.id).bind(2, to_db(to)); },
        [&](store::Statement& st) {
          const std::string amp = st.text(0);
          const std::string vmp = st.text(1);
          const bool prescribed = std::any_of(active.begin(), active.end(), [&](const auto& p) {
            return p.level == domain::MedicationLevel::kAmp ? p.medication_id == amp : p.vmp_id == vmp;
          });
          if (prescribed) return;
          r.rows.push_back({res.name, std::string("stock without active prescription"), st.text(2),
                            dec(st.int64(3)).to_string() + " in stock: return or ask the prescriber"});
        });
    if (!s) return Unexpected(std::move(s).error());
  }
  return r;
}

}  // namespace bcma::station::reports::detail
