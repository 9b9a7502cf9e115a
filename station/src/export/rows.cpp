#include "rows.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "bcma/station/export/audit_export.hpp"
#include "bcma/station/store/audit_log.hpp"
#include "people.hpp"

namespace bcma::station::exporting {

const std::vector<std::string>& export_columns() {
  static const std::vector<std::string> columns{
      "seq",       "time",        "kind",          "subject",        "device",
      "staff",     "role",        "resident",      "record",         "step",
      "entry",     "entry_reason", "scan_kind",    "result",         "decision",
      "reasons",   "prescription", "medication",   "slot",           "event_time",
      "minutes_from_slot", "on_time", "outcome",   "code",           "code_text",
      "quantity",  "wristband",   "items",         "override_by",    "override_role",
      "override_reason", "witness", "correction",  "stock_kind",     "stock_quantity",
      "stock_reason", "login",    "entry_hash"};
  return columns;
}

namespace detail {

namespace {

using Json = nlohmann::ordered_json;
constexpr std::int64_t kBatch = 2000;

struct Windows {
  std::int64_t default_min = 60;
  std::int64_t time_critical_min = 15;
};

struct Admin {
  std::int64_t id = 0;
  std::string record_id;
  std::int64_t resident = 0;
  std::int64_t prescription = 0;
  std::string medication;
  std::optional<std::int64_t> slot;
  std::int64_t event_time = 0;
  std::int64_t window_min = 0;
  std::string outcome;
  std::optional<std::string> code;
  std::string code_text;
  std::int64_t quantity_thousandths = 0;
  std::optional<std::string> decision;
  std::optional<std::int64_t> override_by;
  std::optional<std::string> override_reason;
  std::optional<std::int64_t> witness;
  bool correction = false;
  std::string wristband = "none";
  int items_scanned = 0;
  int items_unable = 0;
  std::string reasons;
};

Unexpected<Error> corrupt(std::int64_t seq, std::string_view what) {
  return fail("corrupt_data",
              "audit entry " + std::to_string(seq) + " cannot be exported: " + std::string(what));
}

std::string iso(std::int64_t unix_seconds) {
  return domain::to_string(domain::Instant{std::chrono::seconds{unix_seconds}});
}

std::string decimal_text(std::int64_t thousandths) {
  const bool negative = thousandths < 0;
  const std::int64_t m = negative ? -thousandths : thousandths;
  std::string out = (negative ? "-" : "") + std::to_string(m / 1000);
  std::int64_t frac = m % 1000;
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 3 - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

Result<Windows> load_windows(store::Database& db) {
  Windows w;
  auto st = db.prepare(
      "SELECT default_window_min, time_critical_window_min FROM policy_settings WHERE id = 1");
  if (!st) return Unexpected(std::move(st).error());
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (*row) {
    w.default_min = st->int64(0);
    w.time_critical_min = st->int64(1);
  }
  return w;
}

constexpr std::string_view kAdminColumns =
    "SELECT a.audit_seq, a.id, a.record_id, a.resident_id, a.prescription_id, pv.medication_name,"
    " a.slot, a.event_time, pv.time_critical, pv.window_min, a.outcome, a.code, a.code_text,"
    " a.quantity, a.decision, a.override_by, a.override_reason, a.witness_id,"
    " a.corrects_id IS NOT NULL"
    " FROM administrations a JOIN prescription_versions pv"
    "  ON pv.prescription_id = a.prescription_id AND pv.version = a.prescription_version";

Admin read_admin(const store::Statement& st, const Windows& w) {
  Admin a;
  a.id = st.int64(1);
  a.record_id = st.text(2);
  a.resident = st.int64(3);
  a.prescription = st.int64(4);
  a.medication = st.text(5);
  a.slot = st.optional_int64(6);
  a.event_time = st.int64(7);
  a.window_min = st.optional_int64(9).value_or(st.int64(8) != 0 ? w.time_critical_min
                                                                 : w.default_min);
  a.outcome = st.text(10);
  a.code = st.optional_text(11);
  a.code_text = st.text(12);
  a.quantity_thousandths = st.int64(13);
  a.decision = st.optional_text(14);
  a.override_by = st.optional_int64(15);
  a.override_reason = st.optional_text(16);
  a.witness = st.optional_int64(17);
  a.correction = st.int64(18) != 0;
  return a;
}

// Adds the scans and reason codes of the administrations with ids lo..hi in `admins`.
Result<void> add_evidence(store::Database& db, std::map<std::int64_t, Admin>& admins,
                          std::int64_t lo, std::int64_t hi) {
  std::map<std::int64_t, Admin*> by_id;
  for (auto& [seq, a] : admins) by_id[a.id] = &a;
  auto scans = db.prepare(
      "SELECT administration_id, role, raw_text IS NULL FROM administration_scans"
      " WHERE administration_id BETWEEN ?1 AND ?2 ORDER BY administration_id, ordinal");
  if (!scans) return Unexpected(std::move(scans).error());
  scans->bind(1, lo).bind(2, hi);
  while (true) {
    auto row = scans->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const auto it = by_id.find(scans->int64(0));
    if (it == by_id.end()) continue;
    Admin& a = *it->second;
    const bool unable = scans->int64(2) != 0;
    if (scans->text(1) == "wristband") {
      a.wristband = unable ? "unable_to_scan" : "scanned";
    } else {
      (unable ? a.items_unable : a.items_scanned) += 1;
    }
  }
  auto reasons = db.prepare(
      "SELECT administration_id, code FROM administration_reasons"
      " WHERE administration_id BETWEEN ?1 AND ?2 ORDER BY administration_id, ordinal");
  if (!reasons) return Unexpected(std::move(reasons).error());
  reasons->bind(1, lo).bind(2, hi);
  while (true) {
    auto row = reasons->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const auto it = by_id.find(reasons->int64(0));
    if (it == by_id.end()) continue;
    Admin& a = *it->second;
    if (!a.reasons.empty()) a.reasons += ";";
    a.reasons += reasons->text(1);
  }
  return {};
}

// An administration is inserted in the same transaction as its audit entry, so ids and
// audit_seq rise together and a batch's administrations are the ids after the previous
// batch's. Walking by id (the primary key) keeps an export of a year linear: there is no index
// on audit_seq. `next_id` is where this batch starts and is moved past it.
Result<std::map<std::int64_t, Admin>> load_admins(store::Database& db, const Windows& w,
                                                  std::int64_t first, std::int64_t last,
                                                  std::int64_t& next_id) {
  std::map<std::int64_t, Admin> out;
  auto st = db.prepare(std::string(kAdminColumns) + " WHERE a.id >= ?1 ORDER BY a.id LIMIT ?2");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, next_id).bind(2, last - first + 1);
  std::int64_t lo = next_id;
  std::int64_t hi = next_id - 1;
  while (true) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row || st->int64(0) > last) break;
    hi = st->int64(1);
    next_id = hi + 1;
    if (st->int64(0) >= first) out[st->int64(0)] = read_admin(*st, w);
  }
  if (hi >= lo) {
    if (auto r = add_evidence(db, out, lo, hi); !r) return Unexpected(std::move(r).error());
  }
  return out;
}

// The slow path for an entry the id walk did not meet (never expected; see load_admins).
Result<std::optional<Admin>> load_admin_by_seq(store::Database& db, const Windows& w,
                                               std::int64_t seq) {
  auto st = db.prepare(std::string(kAdminColumns) + " WHERE a.audit_seq = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, seq);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<Admin>();
  std::map<std::int64_t, Admin> one{{seq, read_admin(*st, w)}};
  const std::int64_t id = one[seq].id;
  if (auto r = add_evidence(db, one, id, id); !r) return Unexpected(std::move(r).error());
  return std::optional<Admin>(std::move(one[seq]));
}

std::string items_text(const Admin& a) {
  if (a.items_scanned == 0 && a.items_unable == 0) return "none";
  if (a.items_unable == 0) return "scanned";
  if (a.items_scanned == 0) return "unable_to_scan";
  return "mixed";
}

std::string reason_codes(const Json& reasons) {
  std::string out;
  if (!reasons.is_array()) return out;
  for (const auto& r : reasons) {
    const Json& code = r.is_object() ? r.value("code", Json()) : r;
    if (!code.is_string()) continue;
    if (!out.empty()) out += ";";
    out += code.get<std::string>();
  }
  return out;
}

std::optional<std::int64_t> int_field(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::optional<std::string> text_field(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

class RowBuilder {
 public:
  RowBuilder(store::Database& db, const Pseudonymiser& p, const People& people)
      : db_(db), p_(p), people_(people) {}

  Result<Json> build(const store::AuditEntry& e, const std::map<std::int64_t, Admin>& admins) {
    Json row;
    for (const auto& c : export_columns()) row[c] = nullptr;
    row["seq"] = e.seq;
    row["time"] = domain::to_string(e.at);
    row["kind"] = e.kind;
    row["subject"] = e.subject.substr(0, e.subject.find(':'));
    row["device"] = people_.scrub(e.device_id);
    if (e.staff_id) {
      row["staff"] = people_.staff(p_, *e.staff_id);
      row["role"] = json_opt(people_.staff_role(*e.staff_id));
    }
    row["entry_hash"] = e.hash;
    if (e.kind == "config") return row;  // what changed names people: only that it changed

    Json payload = Json::parse(e.payload, nullptr, false);
    if (payload.is_discarded() || !payload.is_object()) {
      return corrupt(e.seq, "its payload is not a JSON object");
    }
    if (auto r = int_field(payload, "resident_id")) row["resident"] = people_.resident(p_, *r);

    if (e.kind == "scan") {
      row["step"] = json_opt(text_field(payload, "step"));
      row["entry"] = json_opt(text_field(payload, "entry"));
      if (auto why = text_field(payload, "reason")) row["entry_reason"] = people_.scrub(*why);
      row["scan_kind"] = json_opt(text_field(payload, "kind"));
      row["result"] = json_opt(text_field(payload, "result"));
    } else if (e.kind == "verdict") {
      row["decision"] = json_opt(text_field(payload, "decision"));
      row["reasons"] = reason_codes(payload.value("reasons", Json()));
      if (auto rx = int_field(payload, "prescription_id")) {
        row["prescription"] = *rx;
        auto name = medication(*rx);
        if (!name) return Unexpected(std::move(name).error());
        row["medication"] = *name;
      }
      row["slot"] = json_opt(text_field(payload, "slot"));
    } else if (e.kind == "override") {
      row["record"] = json_opt(text_field(payload, "record_id"));
      row["decision"] = json_opt(text_field(payload, "overridden_decision"));
      row["reasons"] = reason_codes(payload.value("reasons", Json()));
      if (auto by = int_field(payload, "by")) {
        row["override_by"] = people_.staff(p_, *by);
        row["override_role"] = json_opt(people_.staff_role(*by));
      }
      if (auto why = text_field(payload, "reason")) row["override_reason"] = people_.scrub(*why);
      if (auto w = int_field(payload, "witness_id")) row["witness"] = people_.staff(p_, *w);
    } else if (e.kind == "administration") {
      const auto it = admins.find(e.seq);
      if (it == admins.end()) return corrupt(e.seq, "no administration row records it");
      fill_administration(row, it->second);
    } else if (e.kind == "stock") {
      row["stock_kind"] = json_opt(text_field(payload, "kind"));
      row["stock_quantity"] = json_opt(text_field(payload, "quantity"));
      if (auto why = text_field(payload, "reason")) row["stock_reason"] = people_.scrub(*why);
      if (auto w = int_field(payload, "witness_id")) row["witness"] = people_.staff(p_, *w);
      row["event_time"] = json_opt(text_field(payload, "event_time"));
    } else if (e.kind == "login" || e.kind == "login_failed") {
      row["login"] = payload.value("refused", Json("ok"));
      if (!e.staff_id) {
        // An unknown badge: still one pseudonym per badge, so that repeated tries show.
        if (auto badge = text_field(payload, "badge_gsrn")) {
          const auto known = people_.staff_by_badge(*badge);
          row["staff"] = known ? people_.staff(p_, *known) : p_.pseudonym(Subject::kStaff, *badge);
        }
      }
    }
    return row;
  }

 private:
  static Json json_opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }

  void fill_administration(Json& row, const Admin& a) {
    row["record"] = a.record_id;
    row["resident"] = people_.resident(p_, a.resident);
    row["prescription"] = a.prescription;
    row["medication"] = a.medication;
    row["event_time"] = iso(a.event_time);
    if (a.slot) {
      row["slot"] = iso(*a.slot);
      const std::int64_t diff = a.event_time - *a.slot;
      row["minutes_from_slot"] = diff / 60;
      row["on_time"] = (diff < 0 ? -diff : diff) <= a.window_min * 60;
    }
    row["outcome"] = a.outcome;
    row["code"] = json_opt(a.code);
    if (!a.code_text.empty()) row["code_text"] = people_.scrub(a.code_text);
    row["quantity"] = decimal_text(a.quantity_thousandths);
    row["decision"] = json_opt(a.decision);
    row["reasons"] = a.reasons;
    row["wristband"] = a.wristband;
    row["items"] = items_text(a);
    if (a.override_by) {
      row["override_by"] = people_.staff(p_, *a.override_by);
      row["override_role"] = json_opt(people_.staff_role(*a.override_by));
    }
    if (a.override_reason) row["override_reason"] = people_.scrub(*a.override_reason);
    if (a.witness) row["witness"] = people_.staff(p_, *a.witness);
    row["correction"] = a.correction;
  }

  Result<std::string> medication(std::int64_t prescription) {
    if (auto it = names_.find(prescription); it != names_.end()) return it->second;
    auto st = db_.prepare(
        "SELECT medication_name FROM prescription_versions WHERE prescription_id = ?1"
        " ORDER BY version DESC LIMIT 1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, prescription);
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    std::string name = *row ? st->text(0) : std::string();
    names_[prescription] = name;
    return name;
  }

  store::Database& db_;
  const Pseudonymiser& p_;
  const People& people_;
  std::map<std::int64_t, std::string> names_;
};

}  // namespace

Result<SeqRange> range_for(store::Database& db, domain::Instant from, domain::Instant to,
                           std::optional<std::int64_t> through) {
  auto st = db.prepare(
      "SELECT (SELECT min(seq) FROM audit_log WHERE at >= ?1),"
      " (SELECT max(seq) FROM audit_log WHERE at < ?2)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, std::int64_t{from.time_since_epoch().count()})
      .bind(2, std::int64_t{to.time_since_epoch().count()});
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  SeqRange r{st->optional_int64(0), st->optional_int64(1)};
  if (through && r.last && *r.last > *through) r.last = *through;
  if (!r.first || !r.last || *r.first > *r.last) return SeqRange{};
  return r;
}

Result<void> for_each_row(store::Database& db, const Pseudonymiser& pseudonyms, SeqRange range,
                          const std::function<Result<void>(const Json&)>& sink) {
  if (!range.first || !range.last) return {};
  auto people = People::load(db);
  if (!people) return Unexpected(std::move(people).error());
  auto windows = load_windows(db);
  if (!windows) return Unexpected(std::move(windows).error());
  RowBuilder builder(db, pseudonyms, *people);
  auto first_id = db.prepare("SELECT coalesce(min(id), 0) FROM administrations WHERE audit_seq >= ?1");
  if (!first_id) return Unexpected(std::move(first_id).error());
  first_id->bind(1, *range.first);
  if (auto r = first_id->step(); !r) return Unexpected(std::move(r).error());
  std::int64_t next_admin = first_id->int64(0);
  for (std::int64_t next = *range.first; next <= *range.last;) {
    const std::int64_t limit = std::min(kBatch, *range.last - next + 1);
    auto entries = store::read_audit(db, next, limit);
    if (!entries) return Unexpected(std::move(entries).error());
    if (entries->empty()) break;
    auto admins = load_admins(db, *windows, next, next + limit - 1, next_admin);
    if (!admins) return Unexpected(std::move(admins).error());
    for (const auto& e : *entries) {
      if (e.kind == "administration" && !admins->contains(e.seq)) {
        auto one = load_admin_by_seq(db, *windows, e.seq);
        if (!one) return Unexpected(std::move(one).error());
        if (*one) admins->emplace(e.seq, std::move(**one));
      }
      auto row = builder.build(e, *admins);
      if (!row) return Unexpected(std::move(row).error());
      if (auto r = sink(*row); !r) return r;
    }
    next = entries->back().seq + 1;
  }
  return {};
}

}  // namespace detail
}  // namespace bcma::station::exporting
