// Which reports exist, who may read them, and running one by name.
#include <algorithm>
#include <array>

#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/transaction.hpp"
#include "report_internal.hpp"

namespace bcma::station::reports {

namespace {

using domain::Role;

struct Entry {
  ReportInfo info;
  detail::Builder build;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> all{
      {{"stock_on_hand", "Stock on hand and projected run-out", {Role::kPharmacist, Role::kManager, Role::kNurse}},
       detail::stock_on_hand},
      {{"reorder", "Reorder proposal for the next cycle", {Role::kPharmacist, Role::kManager}}, detail::reorder},
      {{"stock_discrepancies", "Booking-in and stock count discrepancies", {Role::kPharmacist, Role::kManager}},
       detail::stock_discrepancies},
      {{"cd_register", "Controlled drugs register", {Role::kPharmacist, Role::kManager, Role::kNurse}},
       detail::cd_register},
      {{"waste", "Waste by product, reason and resident", {Role::kPharmacist, Role::kManager}}, detail::waste},
      {{"refusals_omissions", "Refusals and omissions", {Role::kPharmacist, Role::kManager, Role::kNurse}},
       detail::refusals_omissions},
      {{"prn_use", "PRN (when required) use", {Role::kPharmacist, Role::kManager, Role::kNurse}}, detail::prn_use},
      {{"timing", "Dose timing: late, early and time-critical", {Role::kPharmacist, Role::kManager}}, detail::timing},
      {{"prevented_errors", "Errors prevented: blocked and warned scans", {Role::kPharmacist, Role::kManager}},
       detail::prevented_errors},
      {{"overrides", "Overrides, with reasons and who", {Role::kPharmacist, Role::kManager}}, detail::overrides},
      {{"prescribing_alerts", "Prescribing alerts", {Role::kPharmacist}}, detail::prescribing_alerts},
  };
  return all;
}

}  // namespace

const std::vector<ReportInfo>& catalogue() {
  static const std::vector<ReportInfo> infos = [] {
    std::vector<ReportInfo> out;
    for (const auto& e : entries()) out.push_back(e.info);
    return out;
  }();
  return infos;
}

const ReportInfo* find_report(std::string_view name) {
  const auto& all = catalogue();
  const auto it = std::find_if(all.begin(), all.end(), [&](const ReportInfo& i) { return i.name == name; });
  return it == all.end() ? nullptr : &*it;
}

bool may_read(std::string_view name, domain::Role role) {
  const ReportInfo* info = find_report(name);
  return info && std::find(info->roles.begin(), info->roles.end(), role) != info->roles.end();
}

Result<Report> run_report(std::string_view name, store::Store& store, domain::Instant from,
                          domain::Instant to) {
  const auto& all = entries();
  const auto it = std::find_if(all.begin(), all.end(), [&](const Entry& e) { return e.info.name == name; });
  if (it == all.end()) {
    std::string names;
    for (const auto& e : all) names += (names.empty() ? "" : ", ") + e.info.name;
    return fail("unknown_report", "no report called '" + std::string(name) + "'; the reports are: " + names);
  }
  if (from >= to) {
    return fail("invalid_range", "the report range must end after it starts (from " +
                                     domain::to_string(from) + ", to " + domain::to_string(to) + ")");
  }
  // One read snapshot: every figure in a report comes from the same state of the file.
  auto tx = store::Transaction::begin(store.database(), store::Transaction::Kind::kDeferred);
  if (!tx) return Unexpected(std::move(tx).error());
  return it->build(store, from, to);
}

namespace detail {

Report begin(std::string_view name, domain::Instant from, domain::Instant to, std::string explanation,
             std::vector<Column> columns) {
  Report r;
  r.name = std::string(name);
  if (const ReportInfo* info = find_report(name)) r.title = info->title;
  r.explanation = std::move(explanation);
  r.from = from;
  r.to = to;
  r.columns = std::move(columns);
  return r;
}

Result<stock::CycleCalendar> calendar(store::Store& store, domain::Instant from) {
  auto c = stock::cycle_calendar(store);
  if (!c) return Unexpected(std::move(c).error());
  if (*c) return **c;
  return stock::CycleCalendar{domain::London::local_date(from)};
}

std::string cycle_label(const stock::Cycle& c) {
  return domain::to_string(c.first_day) + " to " + domain::to_string(c.last_day);
}

Result<rules::Policy> policy_or_defaults(store::Store& store) {
  auto p = store.policy();
  if (!p && p.error().code == store::errc::kNoHome) return rules::Policy::defaults();
  return p;
}

domain::Decimal percent(std::int64_t part, std::int64_t of) {
  if (of == 0) return domain::Decimal{};
  // thousandths of a percent, rounded to one decimal place (half up)
  const std::int64_t tenths = (part * 1000 + of / 2) / of;
  return domain::Decimal::from_thousandths(tenths * 100);
}

}  // namespace detail

}  // namespace bcma::station::reports
