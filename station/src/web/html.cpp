#include "html.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace bcma::station::web::html {

namespace {

constexpr std::string_view kStyle = R"css(
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{display:flex;justify-content:space-between;align-items:center;background:#005eb8;color:#fff;padding:.6rem 1rem}
header a{color:#fff}
main{padding:1rem;max-width:72rem}
table{border-collapse:collapse;margin:1rem 0;background:#fff}
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
th{background:#eef;cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#b00020;font-weight:bold}
.note{color:#555}
form.inline{display:inline}
label{display:block;margin:.5rem 0}
input{font-size:1.1rem;padding:.3rem}
button{font-size:1rem;padding:.3rem .8rem}
svg{background:#fff;border:1px solid #ddd;margin:.5rem 0}
nav ul{list-style:none;padding:0}
nav li{margin:.4rem 0}
)css";

const std::vector<std::string>& palette() {
  static const std::vector<std::string> colours{"#005eb8", "#da291c", "#009639", "#ed8b00",
                                                "#7c2855", "#00a499"};
  return colours;
}

std::string num(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << v;
  return s.str();
}

std::string label_value(double v) {
  std::ostringstream s;
  if (std::fabs(v - std::round(v)) < 1e-9) {
    s << static_cast<long long>(std::llround(v));
  } else {
    // Three significant digits: axis steps of a small range (0.0075, 0.015) stay distinct.
    s << std::setprecision(3) << v;
  }
  return s.str();
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

const std::string& sort_script() {
  static const std::string script =
      "document.querySelectorAll('table.sortable').forEach(function(t){"
      "t.querySelectorAll('th').forEach(function(th,i){"
      "th.addEventListener('click',function(){"
      "var asc=th.getAttribute('aria-sort')!=='ascending';"
      "t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});"
      "th.setAttribute('aria-sort',asc?'ascending':'descending');"
      "var num=th.dataset.type==='n';var b=t.tBodies[0];"
      "var rows=Array.prototype.slice.call(b.rows);"
      "rows.sort(function(x,y){"
      "var a=x.cells[i].dataset.k!==undefined?x.cells[i].dataset.k:x.cells[i].textContent;"
      "var c=y.cells[i].dataset.k!==undefined?y.cells[i].dataset.k:y.cells[i].textContent;"
      "var r=num?((parseFloat(a)||0)-(parseFloat(c)||0)):a.localeCompare(c);"
      "return asc?r:-r;});"
      "rows.forEach(function(r){b.appendChild(r);});});});});";
  return script;
}

std::string page(const Frame& f) {
  std::string out =
      "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>" + escape(f.title) + " - bcma</title><style>" + std::string(kStyle) +
      "</style></head><body><header><strong><a href=\"/\">bcma station</a></strong>";
  if (!f.user.empty()) {
    out += "<span><span id=\"user\">" + escape(f.user) +
           "</span> <form class=\"inline\" method=\"post\" action=\"/logout\">"
           "<button type=\"submit\" id=\"logout\">Sign out</button></form></span>";
  }
  out += "</header><main><h1>" + escape(f.title) + "</h1>" + f.body + "</main><script>" +
         sort_script() + "</script></body></html>";
  return out;
}

std::string table(const Table& t) {
  std::string out = "<table class=\"sortable\" id=\"" + escape(t.id) + "\"><thead><tr>";
  for (std::size_t i = 0; i < t.headings.size(); ++i) {
    const bool n = i < t.numeric.size() && t.numeric[i];
    out += std::string("<th scope=\"col\"") + (n ? " data-type=\"n\"" : "") + ">" +
           escape(t.headings[i]) + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (std::size_t r = 0; r < t.cells.size(); ++r) {
    out += "<tr>";
    for (std::size_t i = 0; i < t.cells[r].size(); ++i) {
      const bool n = i < t.numeric.size() && t.numeric[i];
      out += n ? "<td class=\"n\"" : "<td";
      if (r < t.sort_keys.size() && i < t.sort_keys[r].size() && !t.sort_keys[r][i].empty()) {
        out += " data-k=\"" + escape(t.sort_keys[r][i]) + "\"";
      }
      out += ">" + escape(t.cells[r][i]) + "</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table>";
  return out;
}

std::string chart(const reports::Chart& c) {
  constexpr double kWidth = 720;
  constexpr double kHeight = 300;
  constexpr double kLeft = 60;
  constexpr double kRight = 20;
  constexpr double kTop = 40;
  constexpr double kBottom = 70;
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  double max_v = 0;
  for (const auto& s : c.series) {
    for (double v : s.values) max_v = std::max(max_v, v);
  }
  if (max_v <= 0) max_v = 1;
  const std::size_t n = std::max<std::size_t>(c.categories.size(), 1);
  const double band = plot_w / static_cast<double>(n);
  auto y_of = [&](double v) { return kTop + plot_h - (std::max(v, 0.0) / max_v) * plot_h; };

  std::string out = "<figure><svg class=\"chart\" role=\"img\" aria-label=\"" + escape(c.title) +
                    "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) + "\" width=\"" +
                    num(kWidth) + "\" height=\"" + num(kHeight) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\">";
  out += "<text x=\"" + num(kWidth / 2) + "\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">" +
         escape(c.title) + "</text>";
  out += "<text x=\"14\" y=\"" + num(kTop + plot_h / 2) + "\" transform=\"rotate(-90 14 " +
         num(kTop + plot_h / 2) + ")\" text-anchor=\"middle\" font-size=\"12\">" +
         escape(c.y_label) + "</text>";
  // Axes and four grid lines with their values.
  for (int g = 0; g <= 4; ++g) {
    const double v = max_v * g / 4.0;
    const double y = y_of(v);
    out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kLeft + plot_w) +
           "\" y2=\"" + num(y) + "\" stroke=\"#e0e0e0\"/>";
    out += "<text x=\"" + num(kLeft - 6) + "\" y=\"" + num(y + 4) +
           "\" text-anchor=\"end\" font-size=\"11\">" + label_value(v) + "</text>";
  }
  out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(kTop + plot_h) + "\" x2=\"" +
         num(kLeft + plot_w) + "\" y2=\"" + num(kTop + plot_h) + "\" stroke=\"#333\"/>";
  for (std::size_t i = 0; i < c.categories.size(); ++i) {
    const double x = kLeft + band * (static_cast<double>(i) + 0.5);
    out += "<text x=\"" + num(x) + "\" y=\"" + num(kTop + plot_h + 16) +
           "\" text-anchor=\"middle\" font-size=\"11\">" + escape(c.categories[i]) + "</text>";
  }
  const std::size_t series = std::max<std::size_t>(c.series.size(), 1);
  for (std::size_t s = 0; s < c.series.size(); ++s) {
    const std::string& colour = palette()[s % palette().size()];
    const auto& values = c.series[s].values;
    if (c.kind == reports::ChartKind::kBar) {
      const double bar_w = band * 0.8 / static_cast<double>(series);
      for (std::size_t i = 0; i < values.size() && i < n; ++i) {
        const double x = kLeft + band * static_cast<double>(i) + band * 0.1 + bar_w * static_cast<double>(s);
        const double y = y_of(values[i]);
        out += "<rect class=\"bar\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" +
               num(bar_w) + "\" height=\"" + num(kTop + plot_h - y) + "\" fill=\"" + colour +
               "\"><title>" + escape(c.series[s].label) + ", " +
               escape(i < c.categories.size() ? c.categories[i] : "") + ": " +
               label_value(values[i]) + "</title></rect>";
      }
    } else {
      std::string points;
      for (std::size_t i = 0; i < values.size() && i < n; ++i) {
        const double x = kLeft + band * (static_cast<double>(i) + 0.5);
        points += num(x) + "," + num(y_of(values[i])) + " ";
        out += "<circle class=\"point\" cx=\"" + num(x) + "\" cy=\"" + num(y_of(values[i])) +
               "\" r=\"3\" fill=\"" + colour + "\"><title>" + escape(c.series[s].label) + ", " +
               escape(i < c.categories.size() ? c.categories[i] : "") + ": " +
               label_value(values[i]) + "</title></circle>";
      }
      out += "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\" points=\"" +
             points + "\"/>";
    }
    const double lx = kLeft + 150.0 * static_cast<double>(s);
    out += "<rect x=\"" + num(lx) + "\" y=\"" + num(kHeight - 22) + "\" width=\"12\" height=\"12\" fill=\"" +
           colour + "\"/><text x=\"" + num(lx + 16) + "\" y=\"" + num(kHeight - 12) +
           "\" font-size=\"12\">" + escape(c.series[s].label) + "</text>";
  }
  out += "</svg></figure>";
  return out;
}

std::string report_table(const reports::Report& r) {
  Table t;
  t.id = "report-table";
  for (const auto& c : r.columns) {
    t.headings.push_back(c.heading);
    t.numeric.push_back(c.type == reports::ColumnType::kInteger ||
                        c.type == reports::ColumnType::kDecimal ||
                        c.type == reports::ColumnType::kPence ||
                        c.type == reports::ColumnType::kPercent);
  }
  for (const auto& row : r.rows) {
    std::vector<std::string> cells;
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < r.columns.size() && i < row.size(); ++i) {
      const auto type = r.columns[i].type;
      std::string text = reports::cell_text(row[i], type);
      keys.push_back(text);
      if (!text.empty() && type == reports::ColumnType::kPence) text = "\xC2\xA3" + text;
      if (!text.empty() && type == reports::ColumnType::kPercent) text += " %";
      cells.push_back(std::move(text));
    }
    t.cells.push_back(std::move(cells));
    t.sort_keys.push_back(std::move(keys));
  }
  return table(t);
}

}  // namespace bcma::station::web::html
