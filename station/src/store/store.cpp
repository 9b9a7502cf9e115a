// Store: opening, the home, its policy, non-administration codes and the audit log.
#include "bcma/station/store/store.hpp"

#include <nlohmann/json.hpp>

#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/transaction.hpp"
#include "codec.hpp"
#include "json_text.hpp"
#include "schema.hpp"

namespace bcma::station::store {

namespace {

using Json = nlohmann::ordered_json;

using detail::dump;

bool is_snake_case(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() < 'a' || s.front() > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Json policy_json(const rules::Policy& p) {
  Json j;
  Json rounds = Json::object();
  for (const auto& [name, t] : p.rounds) rounds[name] = t.minutes;
  j["rounds_minutes"] = std::move(rounds);
  j["default_window_min"] = p.default_window.count();
  j["time_critical_window_min"] = p.time_critical_window.count();
  Json reasons = Json::object();
  for (int i = 0; i < rules::kReasonCodeCount; ++i) {
    const auto code = static_cast<rules::ReasonCode>(i);
    const auto& rp = p.for_reason(code);
    Json r;
    r["decision"] = codec::to_text(rp.decision);
    Json roles = Json::array();
    for (auto role : rp.override_roles) roles.push_back(codec::to_text(role));
    r["override_roles"] = std::move(roles);
    r["override_needs_witness"] = rp.override_needs_witness;
    reasons[std::string(rules::to_string(code))] = std::move(r);
  }
  j["reasons"] = std::move(reasons);
  Json limits = Json::array();
  for (const auto& l : p.ingredient_limits) {
    limits.push_back({{"substance_id", l.substance_id}, {"name", l.name},
                      {"max_per_24h", codec::decimal_text(l.max_per_24h)}, {"unit", l.unit}});
  }
  j["ingredient_limits"] = std::move(limits);
  Json cats = Json::array();
  for (auto c : p.witness_categories) cats.push_back(static_cast<int>(c));
  j["witness_categories"] = std::move(cats);
  return j;
}

}  // namespace

Result<Store> Store::open(const std::filesystem::path& file, const domain::Clock& clock,
                          const StoreOptions& options) {
  OpenOptions oo;
  oo.busy_timeout = options.busy_timeout;
  auto db = Database::open(file, oo);
  if (!db) return Unexpected(std::move(db).error());
  auto migrated = schema::migrate(*db, clock.now());
  if (!migrated) return Unexpected(std::move(migrated).error());
  return Store(std::move(*db), clock, options);
}

Result<int> Store::schema_version() { return schema::read_version(db_); }

Result<void> Store::audit(AuditKind kind, const Actor& actor, std::string subject,
                          std::string payload) {
  AuditEvent ev{kind, actor, std::move(subject), std::move(payload)};
  auto e = store::append_audit(db_, ev, clock_->now());
  if (!e) return Unexpected(std::move(e).error());
  return {};
}

// --- home -------------------------------------------------------------------------------------

Result<void> Store::set_home(const Home& home, const Actor& actor) {
  if (home.name.empty()) return fail(errc::kInvalidArgument, "the home needs a name");
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  auto st = db_.prepare(
      "INSERT INTO home (id, name, ods_code) VALUES (1, ?1, ?2)"
      " ON CONFLICT (id) DO UPDATE SET name = excluded.name, ods_code = excluded.ods_code");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, home.name).bind(2, home.ods_code);
  if (auto r = st->run(); !r) return r;
  if (auto r = audit(AuditKind::kConfig, actor, "home",
                     dump(Json{{"name", home.name}, {"ods_code", home.ods_code}}));
      !r) {
    return r;
  }
  return tx->commit();
}

Result<Home> Store::home() {
  auto st = db_.prepare("SELECT name, ods_code FROM home WHERE id = 1");
  if (!st) return Unexpected(std::move(st).error());
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kNoHome, "the home has not been set up (set_home)");
  return Home{st->text(0), st->text(1)};
}

// --- policy -----------------------------------------------------------------------------------

Result<void> Store::set_policy(const rules::Policy& p, const Actor& actor) {
  for (const auto& [name, t] : p.rounds) {
    if (name.empty() || t.minutes < 0 || t.minutes > 1439) {
      return fail(errc::kInvalidArgument, "round '" + name + "' needs a name and a time of day");
    }
  }
  if (p.default_window.count() < 0 || p.time_critical_window.count() < 0) {
    return fail(errc::kInvalidArgument, "dose windows cannot be negative");
  }
  for (const auto& l : p.ingredient_limits) {
    if (l.substance_id.empty() || l.max_per_24h <= domain::Decimal{}) {
      return fail(errc::kInvalidArgument,
                  "ingredient limit '" + l.name + "' needs a substance and a positive maximum");
    }
  }
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  if (auto r = db_.exec_script(
          "DELETE FROM policy_override_roles; DELETE FROM policy_reasons;"
          " DELETE FROM policy_rounds; DELETE FROM policy_ingredient_limits;"
          " DELETE FROM policy_witness_categories; DELETE FROM policy_settings;");
      !r) {
    return r;
  }
  {
    auto st = db_.prepare(
        "INSERT INTO policy_settings (id, default_window_min, time_critical_window_min)"
        " VALUES (1, ?1, ?2)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, std::int64_t{p.default_window.count()})
        .bind(2, std::int64_t{p.time_critical_window.count()});
    if (auto r = st->run(); !r) return r;
  }
  for (const auto& [name, t] : p.rounds) {
    auto st = db_.prepare("INSERT INTO policy_rounds (name, minutes) VALUES (?1, ?2)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, name).bind(2, std::int64_t{t.minutes});
    if (auto r = st->run(); !r) return r;
  }
  for (int i = 0; i < rules::kReasonCodeCount; ++i) {
    const auto code = static_cast<rules::ReasonCode>(i);
    const std::string code_text(rules::to_string(code));
    const auto& rp = p.for_reason(code);
    auto st = db_.prepare(
        "INSERT INTO policy_reasons (code, decision, override_needs_witness) VALUES (?1, ?2, ?3)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, code_text).bind(2, codec::to_text(rp.decision))
        .bind(3, std::int64_t{rp.override_needs_witness ? 1 : 0});
    if (auto r = st->run(); !r) return r;
    std::int64_t ordinal = 0;
    for (auto role : rp.override_roles) {
      auto rs = db_.prepare(
          "INSERT INTO policy_override_roles (code, ordinal, role) VALUES (?1, ?2, ?3)");
      if (!rs) return Unexpected(std::move(rs).error());
      rs->bind(1, code_text).bind(2, ordinal++).bind(3, codec::to_text(role));
      if (auto r = rs->run(); !r) return r;
    }
  }
  std::int64_t ordinal = 0;
  for (const auto& l : p.ingredient_limits) {
    auto st = db_.prepare(
        "INSERT INTO policy_ingredient_limits (ordinal, substance_id, name, max_per_24h, unit)"
        " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, ordinal++).bind(2, l.substance_id).bind(3, l.name)
        .bind(4, codec::to_db(l.max_per_24h)).bind(5, l.unit);
    if (auto r = st->run(); !r) return r;
  }
  ordinal = 0;
  for (auto c : p.witness_categories) {
    auto st = db_.prepare(
        "INSERT INTO policy_witness_categories (ordinal, category) VALUES (?1, ?2)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, ordinal++).bind(2, static_cast<std::int64_t>(c));
    if (auto r = st->run(); !r) return r;
  }
  if (auto r = audit(AuditKind::kConfig, actor, "policy", dump(policy_json(p))); !r) return r;
  return tx->commit();
}

Result<rules::Policy> Store::policy() {
  // One snapshot, so that a policy being replaced is never read half old, half new.
  std::optional<Transaction> tx;
  if (!db_.in_transaction()) {
    auto t = Transaction::begin(db_, Transaction::Kind::kDeferred);
    if (!t) return Unexpected(std::move(t).error());
    tx.emplace(std::move(*t));
  }
  rules::Policy p;
  {
    auto st = db_.prepare(
        "SELECT default_window_min, time_critical_window_min FROM policy_settings WHERE id = 1");
    if (!st) return Unexpected(std::move(st).error());
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) return fail(errc::kNoHome, "no policy has been set for this home (set_policy)");
    p.default_window = domain::Minutes{st->int64(0)};
    p.time_critical_window = domain::Minutes{st->int64(1)};
  }
  {
    auto st = db_.prepare("SELECT name, minutes FROM policy_rounds ORDER BY name");
    if (!st) return Unexpected(std::move(st).error());
    for (;;) {
      auto row = st->step();
      if (!row) return Unexpected(std::move(row).error());
      if (!*row) break;
      p.rounds[st->text(0)] = domain::TimeOfDay{static_cast<int>(st->int64(1))};
    }
  }
  {
    auto st = db_.prepare("SELECT code, decision, override_needs_witness FROM policy_reasons");
    if (!st) return Unexpected(std::move(st).error());
    for (;;) {
      auto row = st->step();
      if (!row) return Unexpected(std::move(row).error());
      if (!*row) break;
      const auto code = rules::reason_from_string(st->text(0));
      if (!code) continue;  // a code this build does not know: it cannot be raised either
      const auto decision = codec::decision_from_text(st->text(1));
      if (!decision) return fail(errc::kCorruptData, "policy decision '" + st->text(1) + "'");
      auto& rp = p.for_reason(*code);
      rp.decision = *decision;
      rp.override_needs_witness = st->int64(2) != 0;
    }
  }
  {
    auto st = db_.prepare("SELECT code, role FROM policy_override_roles ORDER BY code, ordinal");
    if (!st) return Unexpected(std::move(st).error());
    for (;;) {
      auto row = st->step();
      if (!row) return Unexpected(std::move(row).error());
      if (!*row) break;
      const auto code = rules::reason_from_string(st->text(0));
      if (!code) continue;
      const auto role = codec::role_from_text(st->text(1));
      if (!role) return fail(errc::kCorruptData, "policy override role '" + st->text(1) + "'");
      p.for_reason(*code).override_roles.push_back(*role);
    }
  }
  {
    auto st = db_.prepare(
        "SELECT substance_id, name, max_per_24h, unit FROM policy_ingredient_limits"
        " ORDER BY ordinal");
    if (!st) return Unexpected(std::move(st).error());
    for (;;) {
      auto row = st->step();
      if (!row) return Unexpected(std::move(row).error());
      if (!*row) break;
      p.ingredient_limits.push_back(rules::IngredientLimit{
          st->text(0), st->text(1), codec::decimal_from_db(st->int64(2)), st->text(3)});
    }
  }
  {
    auto st = db_.prepare("SELECT category FROM policy_witness_categories ORDER BY ordinal");
    if (!st) return Unexpected(std::move(st).error());
    for (;;) {
      auto row = st->step();
      if (!row) return Unexpected(std::move(row).error());
      if (!*row) break;
      const auto c = codec::cd_category_from_db(st->int64(0));
      if (!c) return fail(errc::kCorruptData, "witness category " + st->text(0));
      p.witness_categories.push_back(*c);
    }
  }
  return p;
}

// --- non-administration codes -----------------------------------------------------------------

Result<std::vector<NonAdministrationCode>> Store::load_codes(bool include_inactive) {
  auto st = db_.prepare(
      "SELECT code, description, outcome, requires_text, active FROM non_administration_codes"
      " WHERE active = 1 OR ?1 = 1 ORDER BY ordinal, code");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, std::int64_t{include_inactive ? 1 : 0});
  std::vector<NonAdministrationCode> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const auto outcome = codec::outcome_from_text(st->text(2));
    if (!outcome) return fail(errc::kCorruptData, "code outcome '" + st->text(2) + "'");
    out.push_back({st->text(0), st->text(1), *outcome, st->int64(3) != 0, st->int64(4) != 0});
  }
  return out;
}

Result<std::vector<NonAdministrationCode>> Store::non_administration_codes(bool include_inactive) {
  return load_codes(include_inactive);
}

Result<void> Store::put_non_administration_code(const NonAdministrationCode& c,
                                                const Actor& actor) {
  if (!is_snake_case(c.code)) {
    return fail(errc::kInvalidArgument,
                "a code is lower-case snake_case (letters, digits, '_'), e.g. 'nausea_vomiting'");
  }
  if (c.description.empty()) return fail(errc::kInvalidArgument, "code '" + c.code + "' needs a description");
  if (c.outcome == domain::Outcome::kGiven) {
    return fail(errc::kInvalidArgument, "a non-administration code cannot mean 'given'");
  }
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  auto st = db_.prepare(
      "INSERT INTO non_administration_codes"
      " (code, description, outcome, requires_text, active, ordinal)"
      " VALUES (?1, ?2, ?3, ?4, ?5,"
      "         (SELECT coalesce(max(ordinal), 0) + 1 FROM non_administration_codes))"
      " ON CONFLICT (code) DO UPDATE SET description = excluded.description,"
      "   outcome = excluded.outcome, requires_text = excluded.requires_text,"
      "   active = excluded.active");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, c.code).bind(2, c.description).bind(3, codec::to_text(c.outcome))
      .bind(4, std::int64_t{c.requires_text ? 1 : 0}).bind(5, std::int64_t{c.active ? 1 : 0});
  if (auto r = st->run(); !r) return r;
  Json j{{"code", c.code},
         {"description", c.description},
         {"outcome", codec::to_text(c.outcome)},
         {"requires_text", c.requires_text},
         {"active", c.active}};
  if (auto r = audit(AuditKind::kConfig, actor, "non_administration_code:" + c.code, dump(j)); !r) {
    return r;
  }
  return tx->commit();
}

// --- audit ------------------------------------------------------------------------------------

Result<AuditEntry> Store::append_audit(const AuditEvent& event) {
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  auto e = store::append_audit(db_, event, clock_->now());
  if (!e) return e;
  if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
  return e;
}

Result<std::vector<AuditEntry>> Store::audit_entries(std::int64_t from_seq, std::int64_t limit) {
  return read_audit(db_, from_seq, limit);
}

Result<AuditVerification> Store::verify_audit() { return verify_audit_chain(db_); }

}  // namespace bcma::station::store
