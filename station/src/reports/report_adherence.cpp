// What happened to doses: refusals and omissions, PRN use, and timing against the schedule.
// Records a later record corrects are left out: the correction is what happened.
#include <algorithm>
#include <map>
#include <set>

#include "report_internal.hpp"

namespace bcma::station::reports::detail {

namespace {

using domain::Decimal;
using std::chrono::days;
using std::chrono::sys_days;

constexpr std::string_view kNotCorrected =
    " AND NOT EXISTS (SELECT 1 FROM administrations c WHERE c.corrects_id = a.id)";

// The medicine's name as prescribed (the latest version of the prescription).
constexpr std::string_view kMedicineName =
    "(SELECT v.medication_name FROM prescription_versions v WHERE v.prescription_id = a.prescription_id"
    " ORDER BY v.version DESC LIMIT 1)";

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

}  // namespace

Result<Report> refusals_omissions(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "refusals_omissions", from, to,
      "Regular doses that were not given, per resident and medicine: refused (including refused "
      "and destroyed) and omitted with their most common reason. A medicine refused on most "
      "of the last 14 days of the range (8 days or more) is flagged for review with the "
      "prescriber; so is one not given at a quarter or more of its doses.",
      {{"resident", "Resident", ColumnType::kText},
       {"medicine", "Medicine", ColumnType::kText},
       {"doses", "Doses recorded", ColumnType::kInteger},
       {"given", "Given", ColumnType::kInteger},
       {"refused", "Refused", ColumnType::kInteger},
       {"omitted", "Omitted", ColumnType::kInteger},
       {"top_reason", "Most common reason", ColumnType::kText},
       {"not_given_pct", "Not given %", ColumnType::kPercent},
       {"refused_days_14", "Days refused (last 14)", ColumnType::kInteger},
       {"flag", "Flag", ColumnType::kText}});
  struct Line {
    std::string resident;
    std::string medicine;
    std::int64_t doses = 0, given = 0, refused = 0, omitted = 0;
    std::map<std::string, std::int64_t> codes;
    std::set<sys_days> refused_days;
  };
  const sys_days last_day{domain::London::local_date(to - std::chrono::seconds{1})};
  const sys_days window_start = last_day - days{13};
  std::map<std::pair<std::string, std::int64_t>, Line> lines;  // (resident sort key, prescription)
  auto q = each_row(
      store.database(),
      sql({"SELECT r.family_name || ', ' || r.given_name, r.given_name || ' ' || r.family_name,"
           " a.prescription_id, ",
           kMedicineName,
           ", a.outcome, coalesce(a.code, ''), a.event_time"
           " FROM administrations a JOIN residents r ON r.id = a.resident_id"
           " WHERE a.slot IS NOT NULL AND a.event_time >= ?1 AND a.event_time < ?2",
           kNotCorrected}),
      [&](store::Statement& st) { st.bind(1, to_db(from)).bind(2, to_db(to)); },
      [&](store::Statement& st) {
        Line& l = lines[{st.text(0), st.int64(2)}];
        l.resident = st.text(1);
        l.medicine = st.text(3);
        ++l.doses;
        const std::string outcome = st.text(4);
        if (outcome == "given" || outcome == "self_administered") {
          ++l.given;
        } else if (outcome == "refused" || outcome == "refused_destroyed") {
          ++l.refused;
          const sys_days day{domain::London::local_date(instant(st.int64(6)))};
          if (day >= window_start) l.refused_days.insert(day);
        } else {
          ++l.omitted;
          ++l.codes[st.text(5)];
        }
      });
  if (!q) return Unexpected(std::move(q).error());
  for (const auto& [key, l] : lines) {
    if (l.refused + l.omitted == 0) continue;
    std::string top;
    std::int64_t top_n = 0;
    for (const auto& [code, n] : l.codes) {
      if (n > top_n) top = code, top_n = n;
    }
    std::string flag;
    const auto days14 = static_cast<std::int64_t>(l.refused_days.size());
    if (days14 >= 8) flag = "refused on " + std::to_string(days14) + " of the last 14 days: review";
    if ((l.refused + l.omitted) * 4 >= l.doses) {
      flag += std::string(flag.empty() ? "" : "; ") + "not given at a quarter or more of doses";
    }
    r.rows.push_back({l.resident, l.medicine, l.doses, l.given, l.refused, l.omitted,
                      top.empty() ? Cell{} : Cell{top}, percent(l.refused + l.omitted, l.doses), days14,
                      flag});
  }
  return r;
}

Result<Report> prn_use(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "prn_use", from, to,
      "Each when-required (PRN) medicine per 28-day cycle: doses given, dose units and on how "
      "many days. Never used in a whole cycle: consider stopping it. Used every day of a "
      "cycle: consider a regular dose instead.",
      {{"resident", "Resident", ColumnType::kText},
       {"medicine", "Medicine", ColumnType::kText},
       {"cycle", "Cycle", ColumnType::kText},
       {"days", "Days in range", ColumnType::kInteger},
       {"doses", "Doses given", ColumnType::kInteger},
       {"quantity", "Quantity", ColumnType::kDecimal},
       {"days_used", "Days used", ColumnType::kInteger},
       {"suggestion", "Suggestion", ColumnType::kText}});
  auto cal = calendar(store, from);
  if (!cal) return Unexpected(std::move(cal).error());
  const auto cycles = cal->overlapping(from, to);
  struct Prn {
    std::int64_t id = 0;
    std::string resident_key, resident, medicine;
    domain::Instant starts{};
    std::optional<domain::Instant> ends;
  };
  std::vector<Prn> prns;
  // The version in force at the end of the range (or the last one before it), PRN and active.
  auto p = each_row(
      store.database(),
      "SELECT v.prescription_id, r.family_name || ', ' || r.given_name, r.given_name || ' ' || r.family_name,"
      "       v.medication_name, v.starts, v.ends, v.status"
      " FROM prescription_versions v JOIN residents r ON r.id = v.resident_id"
      " WHERE v.version = (SELECT max(w.version) FROM prescription_versions w"
      "                    WHERE w.prescription_id = v.prescription_id AND w.effective_from < ?1)"
      "   AND v.as_needed = 1 ORDER BY 2, v.medication_name, v.prescription_id",
      [&](store::Statement& st) { st.bind(1, to_db(to)); },
      [&](store::Statement& st) {
        if (st.text(6) != "active") return;
        const auto ends = st.optional_int64(5);
        prns.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), instant(st.int64(4)),
                        ends ? std::optional<domain::Instant>(instant(*ends)) : std::nullopt});
      });
  if (!p) return Unexpected(std::move(p).error());
  struct Use {
    std::int64_t doses = 0;
    Decimal quantity;
    std::set<sys_days> days;
  };
  std::map<std::pair<std::int64_t, std::size_t>, Use> use;  // prescription, cycle index
  auto a = each_row(
      store.database(),
      sql({"SELECT a.prescription_id, a.quantity, a.event_time FROM administrations a"
           " JOIN prescription_versions v ON v.prescription_id = a.prescription_id"
           "  AND v.version = a.prescription_version"
           " WHERE v.as_needed = 1 AND a.outcome IN ('given', 'self_administered')"
           " AND a.event_time >= ?1 AND a.event_time < ?2",
           kNotCorrected}),
      [&](store::Statement& st) { st.bind(1, to_db(from)).bind(2, to_db(to)); },
      [&](store::Statement& st) {
        const domain::Instant t = instant(st.int64(2));
        for (std::size_t i = 0; i < cycles.size(); ++i) {
          if (t < cycles[i].starts || t >= cycles[i].ends) continue;
          Use& u = use[{st.int64(0), i}];
          ++u.doses;
          u.quantity += dec(st.int64(1));
          u.days.insert(sys_days{domain::London::local_date(t)});
        }
      });
  if (!a) return Unexpected(std::move(a).error());
  for (const auto& prn : prns) {
    for (std::size_t i = 0; i < cycles.size(); ++i) {
      // The part of the cycle inside the range and inside the prescription's life.
      const domain::Instant lo = std::max({cycles[i].starts, from, prn.starts});
      const domain::Instant hi = std::min({cycles[i].ends, to, prn.ends.value_or(cycles[i].ends)});
      if (lo >= hi) continue;
      const auto d = (sys_days{domain::London::local_date(hi - std::chrono::seconds{1})} -
                      sys_days{domain::London::local_date(lo)}).count() + 1;
      const Use u = use.contains({prn.id, i}) ? use.at({prn.id, i}) : Use{};
      const auto used = static_cast<std::int64_t>(u.days.size());
      std::string suggestion;
      if (u.doses == 0 && d >= stock::kCycleDays) suggestion = "never used in the cycle: consider stopping";
      if (used >= d && d >= 7) suggestion = "used every day: consider a regular dose";
      r.rows.push_back({prn.resident, prn.medicine, cycle_label(cycles[i]), std::int64_t{d}, u.doses, u.quantity,
                        used, suggestion});
    }
  }
  return r;
}

Result<Report> timing(store::Store& store, domain::Instant from, domain::Instant to) {
  Report r = begin(
      "timing", from, to,
      "Regular doses given, per resident and medicine, against their scheduled time: on time "
      "inside the window (the medicine's own, else the home's; tighter for time-critical "
      "medicines such as Parkinson's), early or late outside it. Time-critical medicines given "
      "outside their window come first. The chart counts doses per round.",
      {{"resident", "Resident", ColumnType::kText},
       {"medicine", "Medicine", ColumnType::kText},
       {"time_critical", "Time critical", ColumnType::kText},
       {"window_min", "Window (min)", ColumnType::kInteger},
       {"doses", "Doses given", ColumnType::kInteger},
       {"on_time", "On time", ColumnType::kInteger},
       {"early", "Early", ColumnType::kInteger},
       {"late", "Late", ColumnType::kInteger},
       {"on_time_pct", "On time %", ColumnType::kPercent},
       {"worst_late_min", "Latest (min)", ColumnType::kInteger}});
  auto policy = policy_or_defaults(store);
  if (!policy) return Unexpected(std::move(policy).error());
  const std::int64_t default_window = policy->default_window.count();
  const std::int64_t critical_window = policy->time_critical_window.count();
  struct Line {
    std::string resident, medicine;
    bool critical = false;
    std::int64_t window = 0, doses = 0, on_time = 0, early = 0, late = 0, worst = 0;
  };
  std::map<std::pair<std::string, std::int64_t>, Line> lines;
  std::map<std::string, std::array<std::int64_t, 3>> by_round;  // local slot time: on time, early, late
  auto q = each_row(
      store.database(),
      sql({"SELECT r.family_name || ', ' || r.given_name, r.given_name || ' ' || r.family_name,"
           " a.prescription_id, v.medication_name, v.time_critical, v.window_min, a.slot, a.event_time"
           " FROM administrations a JOIN residents r ON r.id = a.resident_id"
           " JOIN prescription_versions v ON v.prescription_id = a.prescription_id"
           "  AND v.version = a.prescription_version"
           " WHERE a.slot IS NOT NULL AND a.outcome IN ('given', 'self_administered')"
           " AND a.event_time >= ?1 AND a.event_time < ?2",
           kNotCorrected}),
      [&](store::Statement& st) { st.bind(1, to_db(from)).bind(2, to_db(to)); },
      [&](store::Statement& st) {
        Line& l = lines[{st.text(0), st.int64(2)}];
        l.resident = st.text(1);
        l.medicine = st.text(3);
        l.critical = st.int64(4) != 0;
        const std::int64_t window =
            st.optional_int64(5).value_or(l.critical ? critical_window : default_window);
        l.window = window;
        const std::int64_t slot = st.int64(6);
        const std::int64_t diff = st.int64(7) - slot;  // seconds; + late
        ++l.doses;
        auto& round = by_round[domain::London::to_local(instant(slot)).time.to_string()];
        if (diff < -window * 60) {
          ++l.early;
          ++round[1];
        } else if (diff > window * 60) {
          ++l.late;
          ++round[2];
        } else {
          ++l.on_time;
          ++round[0];
        }
        l.worst = std::max(l.worst, diff / 60);
      });
  if (!q) return Unexpected(std::move(q).error());
  std::vector<const Line*> sorted;
  for (const auto& [k, l] : lines) sorted.push_back(&l);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Line* a, const Line* b) {
    const bool a_first = a->critical && a->on_time < a->doses;
    const bool b_first = b->critical && b->on_time < b->doses;
    return a_first && !b_first;
  });
  for (const Line* l : sorted) {
    r.rows.push_back({l->resident, l->medicine, std::string(l->critical ? "yes" : "no"), l->window, l->doses,
                      l->on_time, l->early, l->late, percent(l->on_time, l->doses), l->worst});
  }
  Chart chart;
  chart.kind = ChartKind::kBar;
  chart.title = "Doses per round";
  chart.y_label = "doses";
  ChartSeries on{"on time", {}}, early{"early", {}}, late{"late", {}};
  for (const auto& [round, n] : by_round) {
    chart.categories.push_back(round);
    on.values.push_back(static_cast<double>(n[0]));
    early.values.push_back(static_cast<double>(n[1]));
    late.values.push_back(static_cast<double>(n[2]));
  }
  chart.series = {std::move(on), std::move(early), std::move(late)};
  r.chart = std::move(chart);
  return r;
}

}  // namespace bcma::station::reports::detail
