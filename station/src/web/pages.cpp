#include "pages.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "html.hpp"

namespace bcma::station::web::pages {

namespace {

std::string role_words(domain::Role r) {
  std::string s(domain::to_string(r));
  for (char& c : s) {
    if (c == '_') c = ' ';
  }
  return s;
}

std::string percent(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << v * 100.0 << " %";
  return s.str();
}

std::string fixed2(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << v;
  return s.str();
}

std::string period_form(const std::string& action, const Period& p) {
  return "<form method=\"get\" action=\"" + html::escape(action) +
         "\" id=\"period\"><label>From <input type=\"date\" name=\"from\" value=\"" +
         html::escape(p.from_text) + "\"></label><label>To (inclusive) <input type=\"date\" "
         "name=\"to\" value=\"" + html::escape(p.to_text) +
         "\"></label><button type=\"submit\">Show</button></form>";
}

std::string query(const Period& p) { return "?from=" + p.from_text + "&amp;to=" + p.to_text; }

}  // namespace

std::optional<Period> period(const Query& q, domain::Instant now) {
  const domain::Date today = domain::London::local_date(now);
  const auto from_it = q.find("from");
  const auto to_it = q.find("to");
  std::optional<domain::Date> last = today;
  if (to_it != q.end() && !to_it->second.empty()) last = domain::parse_date(to_it->second);
  if (!last) return std::nullopt;
  std::optional<domain::Date> first =
      domain::Date{std::chrono::sys_days{*last} - std::chrono::days{27}};
  if (from_it != q.end() && !from_it->second.empty()) first = domain::parse_date(from_it->second);
  if (!first || std::chrono::sys_days{*first} > std::chrono::sys_days{*last}) return std::nullopt;
  Period p;
  p.from = domain::London::start_of_day(*first);
  p.to = domain::London::start_of_day(domain::Date{std::chrono::sys_days{*last} + std::chrono::days{1}});
  p.from_text = domain::to_string(*first);
  p.to_text = domain::to_string(*last);
  return p;
}

std::string user_line(const detail::Session& s) {
  return s.name + " (" + role_words(s.role) + ")";
}

Response error_page(int status, const std::string& title, const std::string& message,
                    const std::string& user) {
  Response r;
  r.status = status;
  r.body = html::page({title, user,
                       "<p class=\"error\" id=\"error\">" + html::escape(message) +
                           "</p><p><a href=\"/\">Back to the start page</a></p>"});
  return r;
}

std::string login_page(const std::string& error) {
  std::string body;
  if (!error.empty()) body += "<p class=\"error\" id=\"error\">" + html::escape(error) + "</p>";
  body +=
      "<form method=\"post\" action=\"/login\" id=\"login\">"
      "<label>Badge number <input name=\"badge\" id=\"badge\" inputmode=\"numeric\" "
      "autocomplete=\"username\" required autofocus></label>"
      "<label>PIN <input name=\"pin\" id=\"pin\" type=\"password\" inputmode=\"numeric\" "
      "autocomplete=\"current-password\" required></label>"
      "<button type=\"submit\" id=\"sign-in\">Sign in</button></form>"
      "<p class=\"note\">Scan your badge into the first box, or type the 18-digit number "
      "printed under its barcode.</p>";
  return html::page({"Sign in", "", body});
}

std::string home_page(const detail::Session& s, bool reports, bool evaluation, bool download) {
  std::string body = "<nav aria-label=\"pages\">";
  bool any = false;
  if (reports) {
    std::string items;
    for (const auto& info : reports::catalogue()) {
      if (!reports::may_read(info.name, s.role)) continue;
      items += "<li><a class=\"report-link\" href=\"/reports/" + html::escape(info.name) + "\">" +
               html::escape(info.title) + "</a></li>";
    }
    if (!items.empty()) {
      body += "<h2>Reports</h2><ul id=\"reports\">" + items + "</ul>";
      any = true;
    }
  }
  if (evaluation) {
    body += "<h2>Pilot evaluation</h2><ul id=\"evaluation\"><li><a href=\"/evaluation\" "
            "id=\"evaluation-link\">Evaluation summary (no names)</a></li>";
    if (download) {
      body += "<li><a href=\"/evaluation/events.csv\" id=\"export-link\">Pseudonymised audit "
              "events, last 28 days (CSV)</a></li>";
    }
    body += "</ul>";
    any = true;
  }
  if (!any) {
    body += "<p id=\"nothing\">There are no reports for your role. Rounds are recorded on "
            "the handheld scanner.</p>";
  }
  body += "</nav>";
  return html::page({"Start", user_line(s), body});
}

std::string report_page(const detail::Session& s, const reports::Report& r, const Period& p) {
  std::string body = "<p id=\"explanation\">" + html::escape(r.explanation) + "</p>";
  body += period_form("/reports/" + r.name, p);
  body += "<p><a id=\"csv-download\" href=\"/reports/" + html::escape(r.name) + ".csv" +
          query(p) + "\" download>Download as CSV</a></p>";
  if (r.chart) body += html::chart(*r.chart);
  if (r.rows.empty()) {
    body += "<p id=\"empty\">Nothing to show for these dates.</p>";
  }
  body += html::report_table(r);
  return html::page({r.title, user_line(s), body});
}

std::string evaluation_page(const detail::Session& s, const exporting::EvaluationSummary& sum,
                            const Period& p, const std::optional<ExportLinks>& links) {
  using exporting::SummaryCounts;
  const SummaryCounts& c = sum.total;
  const double days = static_cast<double>((sum.to - sum.from).count()) / 86400.0;
  std::string body =
      "<p id=\"explanation\">Figures for the pilot evaluation, from the recorded events only. "
      "Scan compliance counts doses given with the wristband and every pack scanned; errors "
      "intercepted are item checks the station blocked or warned about; the on-time rate counts "
      "scheduled doses given within their medicine's window. Nobody is named here.</p>";
  body += period_form("/evaluation", p);
  if (links) {
    const std::string q =
        query(p) + (links->through > 0 ? "&amp;through=" + std::to_string(links->through) : "");
    body += "<p><a id=\"csv-download\" href=\"/evaluation/events.csv" + q +
            "\" download>Download the pseudonymised audit events (CSV)</a>";
    if (links->proof) {
      body += " and <a id=\"proof-download\" href=\"/evaluation/proof.json" + q +
              "\" download>its integrity proof</a>. Save both in one folder and check them "
              "with <code>bcma audit verify-export PROOF_FILE</code>";
    }
    body += "</p>";
  }
  html::Table headline;
  headline.id = "headline";
  headline.headings = {"Measure", "Value", "Counts"};
  headline.numeric = {false, true, false};
  headline.cells = {
      {"Scan compliance", percent(exporting::scan_compliance(c)),
       std::to_string(c.given_scanned) + " scanned, " + std::to_string(c.given_manual) +
           " manual entry of " + std::to_string(c.doses_given) + " given"},
      {"Override rate", percent(exporting::override_rate(c)),
       std::to_string(c.overrides) + " overrides of " + std::to_string(c.blocked + c.warned) +
           " blocks and warnings"},
      {"On-time rate", percent(exporting::on_time_rate(c)),
       std::to_string(c.on_time) + " of " + std::to_string(c.timed_doses) + " scheduled doses"},
      {"Waste per resident per 28-day cycle", fixed2(exporting::waste_per_resident_per_cycle(c, days)),
       std::to_string(c.residents) + " residents"},
  };
  body += html::table(headline);

  reports::Chart reasons;
  reasons.kind = reports::ChartKind::kBar;
  reasons.title = "Errors intercepted by reason";
  reasons.y_label = "item checks";
  reports::ChartSeries count{"blocked or warned", {}};
  for (const auto& [code, n] : c.intercepted_by_reason) {
    reasons.categories.push_back(code);
    count.values.push_back(static_cast<double>(n));
  }
  reasons.series.push_back(std::move(count));
  body += html::chart(reasons);

  reports::Chart weekly;
  weekly.kind = reports::ChartKind::kLine;
  weekly.title = "Per week";
  weekly.y_label = "%";
  reports::ChartSeries scan{"scan compliance", {}};
  reports::ChartSeries on_time{"on time", {}};
  reports::ChartSeries overrides{"override rate", {}};
  html::Table weeks;
  weeks.id = "weeks";
  weeks.headings = {"Week from", "Given", "Scanned", "Manual", "Blocked", "Warned", "Overrides",
                    "On time", "Waste (units)"};
  weeks.numeric = {false, true, true, true, true, true, true, true, true};
  for (const auto& w : sum.weeks) {
    const std::string label = domain::to_string(w.week_start);
    weekly.categories.push_back(label);
    scan.values.push_back(exporting::scan_compliance(w.counts) * 100.0);
    on_time.values.push_back(exporting::on_time_rate(w.counts) * 100.0);
    overrides.values.push_back(exporting::override_rate(w.counts) * 100.0);
    const auto& k = w.counts;
    weeks.cells.push_back({label, std::to_string(k.doses_given), std::to_string(k.given_scanned),
                           std::to_string(k.given_manual), std::to_string(k.blocked),
                           std::to_string(k.warned), std::to_string(k.overrides),
                           percent(exporting::on_time_rate(k)),
                           fixed2(static_cast<double>(k.waste_thousandths) / 1000.0)});
    weeks.sort_keys.push_back({label, "", "", "", "", "", "",
                               std::to_string(exporting::on_time_rate(k)), ""});
  }
  weekly.series = {std::move(scan), std::move(on_time), std::move(overrides)};
  body += html::chart(weekly);
  body += html::table(weeks);
  return html::page({"Evaluation summary", user_line(s), body});
}

}  // namespace bcma::station::web::pages
