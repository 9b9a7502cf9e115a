// 28-day cycles from an anchor day: the arithmetic, and the anchor kept in the store.
#include "bcma/station/stock/cycle.hpp"

#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "stock_internal.hpp"

namespace bcma::station::stock {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

Cycle make_cycle(domain::Date first) {
  Cycle c;
  c.first_day = first;
  c.last_day = domain::Date{sys_days{first} + days{kCycleDays - 1}};
  c.starts = domain::London::start_of_day(first);
  c.ends = domain::London::start_of_day(domain::Date{sys_days{first} + days{kCycleDays}});
  return c;
}

}  // namespace

Cycle CycleCalendar::containing(domain::Date day) const {
  const auto offset = (sys_days{day} - sys_days{anchor_}).count();
  // Floor division, so that days before the anchor fall into earlier cycles.
  auto k = offset / kCycleDays;
  if (offset % kCycleDays != 0 && offset < 0) --k;
  return make_cycle(domain::Date{sys_days{anchor_} + days{k * kCycleDays}});
}

Cycle CycleCalendar::containing(domain::Instant t) const {
  return containing(domain::London::local_date(t));
}

std::vector<Cycle> CycleCalendar::overlapping(domain::Instant from, domain::Instant to) const {
  std::vector<Cycle> out;
  if (from >= to) return out;
  for (Cycle c = containing(from); c.starts < to; c = containing(domain::Date{sys_days{c.last_day} + days{1}})) {
    out.push_back(c);
  }
  return out;
}

Result<void> set_cycle_anchor(store::Store& store, domain::Date first_day, const store::Actor& actor) {
  auto& db = store.database();
  auto tx = store::Transaction::begin(db);
  if (!tx) return Unexpected(std::move(tx).error());
  if (actor.staff_id) {
    if (auto r = detail::staff_name(db, *actor.staff_id); !r) return Unexpected(std::move(r).error());
  }
  const domain::Instant now = store.now();
  auto st = db.prepare("INSERT INTO stock_cycle_anchors (first_day, set_at, staff_id) VALUES (?1, ?2, ?3)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, domain::to_string(first_day)).bind(2, detail::to_db(now)).bind(3, actor.staff_id);
  if (auto r = st->run(); !r) return r;
  auto a = store::append_audit(
      db,
      store::AuditEvent{store::AuditKind::kConfig, actor, "stock_cycle",
                        "{\"first_day\":\"" + domain::to_string(first_day) + "\"}"},
      now);
  if (!a) return Unexpected(std::move(a).error());
  return tx->commit();
}

Result<std::optional<CycleCalendar>> cycle_calendar(store::Store& store) {
  auto st = store.database().prepare("SELECT first_day FROM stock_cycle_anchors ORDER BY id DESC LIMIT 1");
  if (!st) return Unexpected(std::move(st).error());
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<CycleCalendar>{};
  const std::string text = st->text(0);
  const auto day = domain::parse_date(text);
  if (!day) return fail(store::errc::kCorruptData, "stock cycle anchor '" + text + "' is not a date");
  return std::optional<CycleCalendar>{CycleCalendar{*day}};
}

}  // namespace bcma::station::stock
