#pragma once
// Private to the web pages: the HTML of each page, from values the handler has already
// checked the user may see.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "bcma/domain/time.hpp"
#include "bcma/station/export/summary.hpp"
#include "bcma/station/reports/report.hpp"
#include "bcma/station/web/http.hpp"
#include "sessions.hpp"

namespace bcma::station::web {

using Query = std::map<std::string, std::string>;

namespace pages {

/// The period a page covers: `from` and `to` query dates (YYYY-MM-DD, local, both inclusive),
/// by default the 28 days up to and including today. nullopt when a date is unreadable or the
/// first is after the last.
struct Period {
  domain::Instant from{};
  domain::Instant to{};  ///< exclusive: the start of the day after the last
  std::string from_text;
  std::string to_text;   ///< the last day, inclusive, as typed
};
std::optional<Period> period(const Query& q, domain::Instant now);

std::string user_line(const detail::Session& s);  ///< "Carol Carer (care worker)"
Response error_page(int status, const std::string& title, const std::string& message,
                    const std::string& user);
std::string login_page(const std::string& error);
std::string home_page(const detail::Session& s, bool reports, bool evaluation, bool download);
std::string report_page(const detail::Session& s, const reports::Report& r, const Period& p);
/// The export downloads offered on the evaluation page. Both links carry `through` (the audit
/// log's last entry when the page was made), so the events file and its proof describe the
/// same rows however many scans happen between the two clicks.
struct ExportLinks {
  std::int64_t through = 0;  ///< 0: the log is empty; no `through` in the links
  bool proof = false;        ///< the station has the home's key: the proof is offered
};
std::string evaluation_page(const detail::Session& s, const exporting::EvaluationSummary& sum,
                            const Period& p, const std::optional<ExportLinks>& links);

}  // namespace pages
}  // namespace bcma::station::web
