#include "bcma/station/export/summary.hpp"

#include <cmath>
#include <iomanip>
#include <set>
#include <sstream>

namespace bcma::station::exporting {

namespace {

using Json = nlohmann::ordered_json;
constexpr double kCycleDays = 28.0;

std::int64_t unix_seconds(domain::Instant t) { return t.time_since_epoch().count(); }

domain::Date week_of(std::int64_t unix) {
  const domain::Date local =
      domain::London::local_date(domain::Instant{std::chrono::seconds{unix}});
  const std::chrono::sys_days day{local};
  const auto since_monday = (std::chrono::weekday{day} - std::chrono::Monday).count();
  return domain::Date{day - std::chrono::days{since_monday}};
}

double ratio(std::int64_t a, std::int64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

double round4(double v) { return std::round(v * 10000.0) / 10000.0; }

struct Accumulator {
  SummaryCounts total;
  std::map<domain::Date, SummaryCounts> weeks;
  std::set<std::int64_t> residents;
  std::map<domain::Date, std::set<std::int64_t>> week_residents;

  template <class F>
  void add(std::int64_t at, F&& f) {
    f(total);
    f(weeks[week_of(at)]);
  }
};

Result<void> add_administrations(store::Database& db, std::int64_t from, std::int64_t to,
                                 Accumulator& acc) {
  std::int64_t def = 60;
  std::int64_t tc = 15;
  auto ps = db.prepare(
      "SELECT default_window_min, time_critical_window_min FROM policy_settings WHERE id = 1");
  if (!ps) return Unexpected(std::move(ps).error());
  auto prow = ps->step();
  if (!prow) return Unexpected(std::move(prow).error());
  if (*prow) {
    def = ps->int64(0);
    tc = ps->int64(1);
  }
  auto st = db.prepare(
      "SELECT a.event_time, a.outcome, a.slot,"
      " coalesce(pv.window_min, CASE WHEN pv.time_critical = 1 THEN ?4 ELSE ?3 END),"
      " (SELECT count(*) FROM administration_scans s WHERE s.administration_id = a.id"
      "   AND s.role = 'wristband' AND s.raw_text IS NOT NULL),"
      " (SELECT count(*) FROM administration_scans s WHERE s.administration_id = a.id"
      "   AND s.role = 'item'),"
      " (SELECT count(*) FROM administration_scans s WHERE s.administration_id = a.id"
      "   AND s.role = 'item' AND s.raw_text IS NOT NULL),"
      " a.resident_id"
      " FROM administrations a JOIN prescription_versions pv"
      "  ON pv.prescription_id = a.prescription_id AND pv.version = a.prescription_version"
      " WHERE a.event_time >= ?1 AND a.event_time < ?2"
      "  AND NOT EXISTS (SELECT 1 FROM administrations c WHERE c.corrects_id = a.id)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, from).bind(2, to).bind(3, def).bind(4, tc);
  while (true) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const std::int64_t at = st->int64(0);
    const std::int64_t resident = st->int64(7);
    acc.residents.insert(resident);
    acc.week_residents[week_of(at)].insert(resident);
    if (st->text(1) != "given") continue;
    const bool scanned = st->int64(4) > 0 && st->int64(5) > 0 && st->int64(5) == st->int64(6);
    const auto slot = st->optional_int64(2);
    const std::int64_t window = st->int64(3) * 60;
    acc.add(at, [&](SummaryCounts& c) {
      ++c.doses_given;
      ++(scanned ? c.given_scanned : c.given_manual);
      if (slot) {
        ++c.timed_doses;
        const std::int64_t diff = at - *slot;
        if ((diff < 0 ? -diff : diff) <= window) ++c.on_time;
      }
    });
  }
  return {};
}

Result<void> add_audit(store::Database& db, std::int64_t from, std::int64_t to, Accumulator& acc) {
  auto st = db.prepare(
      "SELECT at, kind, json_extract(payload, '$.decision'), payload FROM audit_log"
      " WHERE at >= ?1 AND at < ?2 AND kind IN ('verdict', 'override')");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, from).bind(2, to);
  while (true) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const std::int64_t at = st->int64(0);
    if (st->text(1) == "override") {
      acc.add(at, [](SummaryCounts& c) { ++c.overrides; });
      continue;
    }
    const std::string decision = st->optional_text(2).value_or("");
    std::vector<std::string> reasons;
    if (decision == "block" || decision == "warn") {
      const Json payload = Json::parse(st->text(3), nullptr, false);
      if (!payload.is_discarded() && payload.contains("reasons") && payload["reasons"].is_array()) {
        for (const auto& r : payload["reasons"]) {
          if (r.is_object() && r.contains("code") && r["code"].is_string()) {
            reasons.push_back(r["code"].get<std::string>());
          }
        }
      }
    }
    acc.add(at, [&](SummaryCounts& c) {
      ++c.verdicts;
      if (decision == "block") ++c.blocked;
      if (decision == "warn") ++c.warned;
      for (const auto& r : reasons) ++c.intercepted_by_reason[r];
    });
  }
  return {};
}

Result<void> add_waste(store::Database& db, std::int64_t from, std::int64_t to, Accumulator& acc) {
  auto st = db.prepare(
      "SELECT event_time, -quantity FROM stock_ledger"
      " WHERE kind = 'waste' AND event_time >= ?1 AND event_time < ?2");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, from).bind(2, to);
  while (true) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const std::int64_t q = st->int64(1);
    acc.add(st->int64(0), [&](SummaryCounts& c) { c.waste_thousandths += q; });
  }
  return {};
}

Json counts_json(const SummaryCounts& c, double days) {
  Json j;
  j["doses_given"] = c.doses_given;
  j["given_scanned"] = c.given_scanned;
  j["given_manual"] = c.given_manual;
  j["scan_compliance"] = round4(scan_compliance(c));
  j["verdicts"] = c.verdicts;
  j["blocked"] = c.blocked;
  j["warned"] = c.warned;
  Json reasons = Json::object();
  for (const auto& [code, n] : c.intercepted_by_reason) reasons[code] = n;
  j["intercepted_by_reason"] = std::move(reasons);
  j["overrides"] = c.overrides;
  j["override_rate"] = round4(override_rate(c));
  j["timed_doses"] = c.timed_doses;
  j["on_time"] = c.on_time;
  j["on_time_rate"] = round4(on_time_rate(c));
  j["waste_units"] = round4(static_cast<double>(c.waste_thousandths) / 1000.0);
  j["residents"] = c.residents;
  j["waste_per_resident_per_cycle"] = round4(waste_per_resident_per_cycle(c, days));
  return j;
}

std::string percent(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << v * 100.0 << "%";
  return s.str();
}

}  // namespace

double scan_compliance(const SummaryCounts& c) { return ratio(c.given_scanned, c.doses_given); }
double override_rate(const SummaryCounts& c) { return ratio(c.overrides, c.blocked + c.warned); }
double on_time_rate(const SummaryCounts& c) { return ratio(c.on_time, c.timed_doses); }
double waste_per_resident_per_cycle(const SummaryCounts& c, double days) {
  if (c.residents == 0 || days <= 0) return 0.0;
  return static_cast<double>(c.waste_thousandths) / 1000.0 / static_cast<double>(c.residents) /
         (days / kCycleDays);
}

Result<EvaluationSummary> evaluation_summary(store::Database& db, domain::Instant from,
                                             domain::Instant to) {
  if (to <= from) return fail("invalid_argument", "the period must end after it starts");
  Accumulator acc;
  const std::int64_t f = unix_seconds(from);
  const std::int64_t t = unix_seconds(to);
  if (auto r = add_administrations(db, f, t, acc); !r) return Unexpected(std::move(r).error());
  if (auto r = add_audit(db, f, t, acc); !r) return Unexpected(std::move(r).error());
  if (auto r = add_waste(db, f, t, acc); !r) return Unexpected(std::move(r).error());
  EvaluationSummary s;
  s.from = from;
  s.to = to;
  s.total = acc.total;
  s.total.residents = static_cast<std::int64_t>(acc.residents.size());
  for (auto& [week, counts] : acc.weeks) {
    WeekSummary w{week, counts};
    w.counts.residents = static_cast<std::int64_t>(acc.week_residents[week].size());
    s.weeks.push_back(std::move(w));
  }
  return s;
}

Json to_json(const EvaluationSummary& s) {
  const double days = static_cast<double>((s.to - s.from).count()) / 86400.0;
  Json j;
  j["from"] = domain::to_string(s.from);
  j["to"] = domain::to_string(s.to);
  j["days"] = round4(days);
  j["total"] = counts_json(s.total, days);
  Json weeks = Json::array();
  for (const auto& w : s.weeks) {
    Json wj;
    wj["week_start"] = domain::to_string(w.week_start);
    const Json counts = counts_json(w.counts, 7.0);  // named: items() does not extend a temporary
    for (const auto& [k, v] : counts.items()) wj[k] = v;
    weeks.push_back(std::move(wj));
  }
  j["weeks"] = std::move(weeks);
  return j;
}

std::string to_text(const EvaluationSummary& s) {
  const double days = static_cast<double>((s.to - s.from).count()) / 86400.0;
  const SummaryCounts& c = s.total;
  std::ostringstream o;
  o << "Evaluation summary " << domain::to_string(s.from) << " to " << domain::to_string(s.to)
    << "\n";
  o << "  doses given            " << c.doses_given << "\n";
  o << "  scan compliance        " << percent(scan_compliance(c)) << " (" << c.given_scanned
    << " scanned, " << c.given_manual << " manual entry)\n";
  o << "  item checks            " << c.verdicts << " (" << c.blocked << " blocked, " << c.warned
    << " warned)\n";
  o << "  errors intercepted by reason\n";
  if (c.intercepted_by_reason.empty()) o << "    (none)\n";
  for (const auto& [code, n] : c.intercepted_by_reason) {
    o << "    " << std::left << std::setw(28) << code << n << "\n";
  }
  o << "  override rate          " << percent(override_rate(c)) << " (" << c.overrides
    << " overrides)\n";
  o << "  on-time rate           " << percent(on_time_rate(c)) << " (" << c.on_time << " of "
    << c.timed_doses << " scheduled doses)\n";
  o << "  waste per resident per 28-day cycle  " << std::fixed << std::setprecision(2)
    << waste_per_resident_per_cycle(c, days) << " dose units (" << c.residents << " residents)\n";
  o << "\n  week starting  given  scanned  manual  blocked  warned  overrides  on-time  waste\n";
  for (const auto& w : s.weeks) {
    const SummaryCounts& k = w.counts;
    o << "  " << domain::to_string(w.week_start) << "     " << std::setw(5) << k.doses_given
      << "  " << std::setw(7) << k.given_scanned << "  " << std::setw(6) << k.given_manual
      << "  " << std::setw(7) << k.blocked << "  " << std::setw(6) << k.warned << "  "
      << std::setw(9) << k.overrides << "  " << std::setw(7) << percent(on_time_rate(k)) << "  "
      << std::setprecision(2) << static_cast<double>(k.waste_thousandths) / 1000.0 << "\n";
  }
  return o.str();
}

}  // namespace bcma::station::exporting
