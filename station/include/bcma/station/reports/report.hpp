#pragma once
/// \file
/// The pharmacist's and manager's reports as plain data: a table of typed cells, a short
/// explanation, and optionally one chart. Anything that shows a report (the command line, the
/// web pages, an export) renders this; nothing here knows about HTML or terminals.
///
/// Every figure is derived from recorded events in the store over a half-open range
/// [from, to). Which reports exist, who may read each, and how a report is run by name: see
/// `catalogue()` and `run_report()`. docs/reports.md describes each report and its figures.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/decimal.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"

namespace bcma::station::store {
class Store;
}

namespace bcma::station::reports {

/// How a column's cells are to be read and shown.
enum class ColumnType : std::uint8_t {
  kText,     ///< std::string
  kInteger,  ///< std::int64_t: counts
  kDecimal,  ///< domain::Decimal: quantities in dose units
  kPence,    ///< std::int64_t pence; shown as pounds ("12.34" in CSV, "£12.34" on a page)
  kDate,     ///< domain::Date (local date in Europe/London)
  kTime,     ///< domain::Instant; shown as Europe/London local time "2026-03-29 08:00"
  kPercent,  ///< domain::Decimal percent: 12.5 means 12.5 %
};
std::string_view to_string(ColumnType type);  ///< "text", "integer", "decimal", "pence", ...

struct Column {
  std::string key;      ///< stable snake_case key (JSON field, CSV-independent)
  std::string heading;  ///< shown to people: the CSV header row and the table header
  ColumnType type = ColumnType::kText;
  friend bool operator==(const Column&, const Column&) = default;
};

/// One value. `std::monostate` is an empty cell (not known / not applicable). The alternative
/// held matches the column type: text -> string; integer and pence -> int64; decimal and
/// percent -> Decimal; date -> Date; time -> Instant.
using Cell = std::variant<std::monostate, std::string, std::int64_t, domain::Decimal,
                          domain::Date, domain::Instant>;
using Row = std::vector<Cell>;

/// The cell as text, the way the CSV writer writes it (no currency sign, no thousands
/// separator): "", "abc", "42", "2.5", "12.34" (pence 1234), "2026-03-29",
/// "2026-03-29 08:00" (local time), "12.5" (percent).
std::string cell_text(const Cell& cell, ColumnType type);

enum class ChartKind : std::uint8_t { kBar, kLine };

/// One series of a chart: one value per category, in category order.
struct ChartSeries {
  std::string label;
  std::vector<double> values;
  friend bool operator==(const ChartSeries&, const ChartSeries&) = default;
};

/// A bar or line chart summarising the table (e.g. waste cost per cycle).
struct Chart {
  ChartKind kind = ChartKind::kBar;
  std::string title;
  std::string y_label;                  ///< e.g. "£", "doses"
  std::vector<std::string> categories;  ///< x axis labels, e.g. "cycle from 2026-01-05"
  std::vector<ChartSeries> series;
  friend bool operator==(const Chart&, const Chart&) = default;
};

struct Report {
  std::string name;         ///< registry name, e.g. "waste"
  std::string title;        ///< "Waste by product, reason and resident"
  std::string explanation;  ///< two or three plain-English sentences: what it shows, how to read it
  domain::Instant from{};   ///< the range covered, [from, to)
  domain::Instant to{};
  std::vector<Column> columns;
  std::vector<Row> rows;    ///< each row has exactly columns.size() cells
  std::optional<Chart> chart;
};

/// RFC 4180 CSV: a header row of column headings, then one line per row; every line ends with
/// CRLF; a field containing a comma, a double quote, CR or LF is quoted, with quotes doubled.
/// Cells are written with `cell_text`.
std::string to_csv(const Report& report);

/// The report as JSON (key order fixed): name, title, explanation, from, to, columns
/// [{key, heading, type}], rows [{key: value}] with numbers as JSON numbers except decimals,
/// percents and pence which are exact strings ("2.5", "12.34"), and chart (or null).
std::string to_json(const Report& report);

/// A report the station offers.
struct ReportInfo {
  std::string name;                 ///< "stock_on_hand", "waste", ...
  std::string title;
  std::vector<domain::Role> roles;  ///< who may read it
};

/// Every report, in the order a menu lists them.
const std::vector<ReportInfo>& catalogue();

/// The entry for `name`, or nullptr.
const ReportInfo* find_report(std::string_view name);

/// Whether `role` may read report `name` (false for an unknown name).
bool may_read(std::string_view name, domain::Role role);

/// Runs report `name` over the store for events in [from, to). Reading only: nothing is
/// written. Errors: `unknown_report`, `invalid_range` (from >= to), `sqlite_error`,
/// `corrupt_data`.
Result<Report> run_report(std::string_view name, store::Store& store, domain::Instant from,
                          domain::Instant to);

}  // namespace bcma::station::reports
