#pragma once
// Private to the web pages: HTML escaping, the page frame, sortable tables and inline SVG
// charts. Everything a page shows goes through escape(); nothing is fetched from elsewhere.

#include <string>
#include <string_view>
#include <vector>

#include "bcma/station/reports/report.hpp"

namespace bcma::station::web::html {

/// Text safe inside an element or a quoted attribute.
std::string escape(std::string_view text);

/// The small inline script that sorts tables by a click on a heading (the page's only script;
/// its SHA-256 goes into the Content-Security-Policy).
const std::string& sort_script();

struct Frame {
  std::string title;
  std::string user;  ///< "Carol Carer (care worker)"; empty on the sign-in page
  std::string body;  ///< already HTML
};
/// A whole page: head with inline style, a header with the user and a sign-out button, body.
std::string page(const Frame& frame);

/// A table whose headings sort it. `numeric[i]` sorts column i by number.
struct Table {
  std::string id;
  std::vector<std::string> headings;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> cells;       ///< shown text (escaped here)
  std::vector<std::vector<std::string>> sort_keys;   ///< optional; empty: sort by text
};
std::string table(const Table& t);

/// A bar or line chart as inline SVG, with a title, axis label, legend and a <title> per point
/// that a screen reader and a hovering mouse both get.
std::string chart(const reports::Chart& c);

/// The cells of a report as a sortable table (pence shown as pounds with a sign).
std::string report_table(const reports::Report& r);

}  // namespace bcma::station::web::html
