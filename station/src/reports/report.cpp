// Rendering a report as CSV (RFC 4180) and JSON. Pages render the same cells (cell_text).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "bcma/station/reports/report.hpp"

namespace bcma::station::reports {

namespace {

using Json = nlohmann::ordered_json;

std::string pence_text(std::int64_t pence) {
  const bool negative = pence < 0;
  const std::int64_t abs = negative ? -pence : pence;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", negative ? "-" : "", static_cast<long long>(abs / 100),
                static_cast<long long>(abs % 100));
  return buf;
}

std::string local_time_text(domain::Instant t) {
  const auto l = domain::London::to_local(t);
  return domain::to_string(l.date) + " " + l.time.to_string();
}

void csv_field(std::string& out, const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

Json cell_json(const Cell& cell, ColumnType type) {
  if (std::holds_alternative<std::monostate>(cell)) return nullptr;
  if (const auto* i = std::get_if<std::int64_t>(&cell); i && type == ColumnType::kInteger) return *i;
  return cell_text(cell, type);
}

}  // namespace

std::string_view to_string(ColumnType type) {
  switch (type) {
    case ColumnType::kText: return "text";
    case ColumnType::kInteger: return "integer";
    case ColumnType::kDecimal: return "decimal";
    case ColumnType::kPence: return "pence";
    case ColumnType::kDate: return "date";
    case ColumnType::kTime: return "time";
    case ColumnType::kPercent: return "percent";
  }
  return "text";
}

std::string cell_text(const Cell& cell, ColumnType type) {
  struct Visitor {
    ColumnType type;
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(std::int64_t i) const {
      return type == ColumnType::kPence ? pence_text(i) : std::to_string(i);
    }
    std::string operator()(domain::Decimal d) const { return d.to_string(); }
    std::string operator()(domain::Date d) const { return domain::to_string(d); }
    std::string operator()(domain::Instant t) const { return local_time_text(t); }
  };
  return std::visit(Visitor{type}, cell);
}

std::string to_csv(const Report& report) {
  std::string out;
  for (std::size_t i = 0; i < report.columns.size(); ++i) {
    if (i != 0) out += ',';
    csv_field(out, report.columns[i].heading);
  }
  out += "\r\n";
  for (const auto& row : report.rows) {
    for (std::size_t i = 0; i < report.columns.size(); ++i) {
      if (i != 0) out += ',';
      if (i < row.size()) csv_field(out, cell_text(row[i], report.columns[i].type));
    }
    out += "\r\n";
  }
  return out;
}

std::string to_json(const Report& report) {
  Json j;
  j["name"] = report.name;
  j["title"] = report.title;
  j["explanation"] = report.explanation;
  j["from"] = domain::to_string(report.from);
  j["to"] = domain::to_string(report.to);
  Json columns = Json::array();
  for (const auto& c : report.columns) {
    columns.push_back({{"key", c.key}, {"heading", c.heading}, {"type", to_string(c.type)}});
  }
  j["columns"] = std::move(columns);
  Json rows = Json::array();
  for (const auto& row : report.rows) {
    Json r = Json::object();
    for (std::size_t i = 0; i < report.columns.size() && i < row.size(); ++i) {
      r[report.columns[i].key] = cell_json(row[i], report.columns[i].type);
    }
    rows.push_back(std::move(r));
  }
  j["rows"] = std::move(rows);
  if (report.chart) {
    const Chart& c = *report.chart;
    Json series = Json::array();
    for (const auto& s : c.series) series.push_back({{"label", s.label}, {"values", s.values}});
    j["chart"] = {{"kind", c.kind == ChartKind::kBar ? "bar" : "line"},
                  {"title", c.title},
                  {"y_label", c.y_label},
                  {"categories", c.categories},
                  {"series", std::move(series)}};
  } else {
    j["chart"] = nullptr;
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace bcma::station::reports
