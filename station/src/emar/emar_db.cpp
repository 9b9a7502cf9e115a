#include "emar_db.hpp"

#include <algorithm>

#include "bcma/station/store/audit_log.hpp"

namespace bcma::station::emar::detail {

namespace {

using store::Database;
using store::Statement;

std::int64_t secs(domain::Instant t) { return t.time_since_epoch().count(); }
domain::Instant instant(std::int64_t s) { return domain::Instant{std::chrono::seconds{s}}; }

std::optional<VersionKey> version_at(const Statement& st, int authored, int updated, int version_id) {
  if (st.is_null(authored)) return std::nullopt;
  VersionKey v;
  v.authored_on = instant(st.int64(authored));
  if (!st.is_null(updated)) v.last_updated = instant(st.int64(updated));
  v.version_id = st.optional_text(version_id).value_or("");
  return v;
}

void bind_version(Statement& st, int first, const std::optional<VersionKey>& v) {
  if (!v) {
    st.bind_null(first).bind_null(first + 1).bind_null(first + 2);
    return;
  }
  st.bind(first, secs(v->authored_on));
  if (v->last_updated) {
    st.bind(first + 1, secs(*v->last_updated));
  } else {
    st.bind_null(first + 1);
  }
  st.bind(first + 2, v->version_id);
}

Result<std::vector<std::int64_t>> ids(Statement& st) {
  std::vector<std::int64_t> out;
  for (;;) {
    auto row = st.step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const std::int64_t id = st.int64(0);
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

std::optional<ReviewStatus> status_from(std::string_view s) {
  if (s == "open") return ReviewStatus::kOpen;
  if (s == "resolved") return ReviewStatus::kResolved;
  if (s == "superseded") return ReviewStatus::kSuperseded;
  return std::nullopt;
}

}  // namespace

std::string reasons_json(const std::vector<ReviewReason>& reasons) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : reasons) {
    list.push_back({{"code", r.code}, {"message", r.message}, {"location", r.location}});
  }
  return list.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<std::optional<RequestRow>> load_request(Database& db, std::int64_t id) {
  auto st = db.prepare(
      "SELECT prescription_id, resource_id, authored_on, last_updated, version_id, content_sha256,"
      " replaced_by FROM emar_requests WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<RequestRow>{};
  RequestRow r;
  r.id = id;
  r.prescription_id = st->int64(0);
  r.resource_id = st->text(1);
  r.content_sha256 = st->optional_text(5).value_or("");
  if (!r.content_sha256.empty()) r.applied = version_at(*st, 2, 3, 4);
  r.replaced_by = st->optional_int64(6);
  auto keys = db.prepare("SELECT key FROM emar_request_keys WHERE request_id = ?1 ORDER BY key");
  if (!keys) return Unexpected(std::move(keys).error());
  keys->bind(1, id);
  for (;;) {
    auto k = keys->step();
    if (!k) return Unexpected(std::move(k).error());
    if (!*k) break;
    r.keys.push_back(keys->text(0));
  }
  return std::optional<RequestRow>(std::move(r));
}

Result<std::vector<std::int64_t>> requests_by_keys(Database& db, const std::vector<std::string>& keys) {
  std::vector<std::int64_t> out;
  for (const auto& key : keys) {
    auto st = db.prepare("SELECT request_id FROM emar_request_keys WHERE key = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, key);
    auto found = ids(*st);
    if (!found) return found;
    for (auto id : *found) {
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  }
  return out;
}

Result<std::vector<std::int64_t>> requests_by_resource_id(Database& db, const std::string& resource_id) {
  auto st = db.prepare(
      "SELECT id FROM emar_requests WHERE resource_id = ?1"
      " UNION SELECT request_id FROM emar_request_keys WHERE key = 'MedicationRequest/' || ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, resource_id);
  return ids(*st);
}

Result<std::optional<VersionSource>> version_source(Database& db, domain::PrescriptionId id, int version) {
  auto st = db.prepare(
      "SELECT resource_id, version_id FROM emar_prescription_versions"
      " WHERE prescription_id = ?1 AND version = ?2");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id).bind(2, std::int64_t{version});
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<VersionSource>{};
  return std::optional<VersionSource>(VersionSource{st->text(0), st->text(1)});
}

Result<std::optional<VersionSource>> latest_source(Database& db, domain::PrescriptionId id) {
  auto st = db.prepare(
      "SELECT resource_id, coalesce(version_id, '') FROM emar_requests WHERE prescription_id = ?1"
      " AND content_sha256 IS NOT NULL ORDER BY id DESC LIMIT 1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<VersionSource>{};
  return std::optional<VersionSource>(VersionSource{st->text(0), st->text(1)});
}

Result<domain::PrescriptionId> reserve_prescription(Database& db, domain::ResidentId resident) {
  auto st = db.prepare("INSERT INTO prescriptions (resident_id) VALUES (?1)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, resident);
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  return db.last_insert_rowid();
}

Result<std::int64_t> insert_request(Database& db, domain::PrescriptionId prescription,
                                    const std::string& resource_id, domain::Instant now) {
  auto st = db.prepare(
      "INSERT INTO emar_requests (prescription_id, resource_id, supply, linked_at)"
      " VALUES (?1, ?2, '{}', ?3)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, prescription).bind(2, resource_id).bind(3, secs(now));
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  return db.last_insert_rowid();
}

Result<void> add_keys(Database& db, std::int64_t request, const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    auto st = db.prepare("INSERT OR IGNORE INTO emar_request_keys (key, request_id) VALUES (?1, ?2)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, key).bind(2, request);
    if (auto r = st->run(); !r) return r;
  }
  return {};
}

Result<void> mark_applied(Database& db, std::int64_t request, const std::string& resource_id,
                          const VersionKey& version, const std::string& sha, const std::string& supply) {
  auto st = db.prepare(
      "UPDATE emar_requests SET resource_id = ?2, authored_on = ?3, last_updated = ?4,"
      " version_id = ?5, content_sha256 = ?6, supply = ?7 WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, request).bind(2, resource_id);
  bind_version(*st, 3, version);
  st->bind(6, sha).bind(7, supply);
  return st->run();
}

Result<void> mark_replaced(Database& db, std::int64_t request, std::int64_t by) {
  auto st = db.prepare("UPDATE emar_requests SET replaced_by = ?2 WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, request).bind(2, by);
  return st->run();
}

Result<void> link_version(Database& db, domain::PrescriptionId id, int version, std::int64_t request,
                          const std::string& resource_id, const std::string& version_id) {
  auto st = db.prepare(
      "INSERT OR REPLACE INTO emar_prescription_versions"
      " (prescription_id, version, request_id, resource_id, version_id) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id).bind(2, std::int64_t{version}).bind(3, request).bind(4, resource_id).bind(5, version_id);
  return st->run();
}

Result<std::vector<StoredReview>> load_reviews(Database& db, bool include_closed) {
  auto st = db.prepare(
      "SELECT id, status, resource_type, resource_id, keys, authored_on, last_updated, version_id,"
      " content_sha256, nhs_number, medication, reasons, resource, first_seen, resolved_at, resolution"
      " FROM emar_review_queue WHERE ?1 OR status = 'open' ORDER BY id");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, std::int64_t{include_closed ? 1 : 0});
  std::vector<StoredReview> out;
  for (;;) {
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    StoredReview s;
    ReviewEntry& e = s.entry;
    e.id = st->int64(0);
    const auto status = status_from(st->text(1));
    if (!status) return fail("corrupt_data", "review entry " + std::to_string(e.id) + " status");
    e.status = *status;
    e.resource_type = st->text(2);
    e.resource_id = st->text(3);
    s.version = version_at(*st, 5, 6, 7);
    s.content_sha256 = st->text(8);
    e.nhs_number = st->text(9);
    e.medication = st->text(10);
    e.resource_json = st->text(12);
    e.first_seen = instant(st->int64(13));
    if (!st->is_null(14)) e.resolved_at = instant(st->int64(14));
    e.resolution = st->text(15);
    try {
      for (const auto& k : Json::parse(st->text(4))) s.keys.push_back(k.get<std::string>());
      for (const auto& r : Json::parse(st->text(11))) {
        e.reasons.push_back({r.at("code").get<std::string>(), r.at("message").get<std::string>(),
                             r.at("location").get<std::string>()});
      }
    } catch (const Json::exception& ex) {
      return fail("corrupt_data", "review entry " + std::to_string(e.id) + ": " + ex.what());
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::int64_t> insert_review(Database& db, const Identity& identity,
                                   const std::vector<ReviewReason>& reasons, domain::Instant now) {
  auto st = db.prepare(
      "INSERT INTO emar_review_queue (status, resource_type, resource_id, keys, authored_on,"
      " last_updated, version_id, content_sha256, nhs_number, medication, reasons, resource,"
      " first_seen, resolution) VALUES ('open', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, '')");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, identity.resource_type).bind(2, identity.resource_id)
      .bind(3, Json(identity.keys).dump());
  bind_version(*st, 4, identity.version);
  st->bind(7, identity.content_sha256).bind(8, identity.nhs_number).bind(9, identity.medication)
      .bind(10, reasons_json(reasons)).bind(11, identity.resource_json).bind(12, secs(now));
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  return db.last_insert_rowid();
}

Result<void> close_review(Database& db, std::int64_t id, ReviewStatus status, domain::Instant now,
                          const std::string& why) {
  auto st = db.prepare(
      "UPDATE emar_review_queue SET status = ?2, resolved_at = ?3, resolution = ?4 WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id).bind(2, std::string(to_string(status))).bind(3, secs(now)).bind(4, why);
  return st->run();
}

Result<void> audit(Database& db, const store::Actor& actor, std::string subject, std::string payload,
                   domain::Instant now) {
  store::AuditEvent e{store::AuditKind::kConfig, actor, std::move(subject), std::move(payload)};
  auto r = store::append_audit(db, e, now);
  if (!r) return Unexpected(std::move(r).error());
  return {};
}

}  // namespace bcma::station::emar::detail
