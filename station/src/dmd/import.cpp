// import_release: finds the files, checks the release is not older than the one held, and
// runs the whole import in one IMMEDIATE transaction with its audit entry.
#include "bcma/station/dmd/import.hpp"

#include <nlohmann/json.hpp>

#include "bcma/station/dmd/errors.hpp"
#include "bcma/station/store/audit_log.hpp"
#include "bcma/station/store/transaction.hpp"
#include "importer.hpp"
#include "release_files.hpp"

namespace bcma::station::dmd {

namespace {

using Json = nlohmann::ordered_json;

std::string dump(const Json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// A large import touches most pages of the product tables: a bigger page cache for its
// duration keeps SQLite from spilling and re-reading them (the default is 2 MB).
class CacheSize {
 public:
  explicit CacheSize(store::Database& db) : db_(db) { (void)db_.exec_script("PRAGMA cache_size = -65536"); }
  ~CacheSize() { (void)db_.exec_script("PRAGMA cache_size = -2000"); }
  CacheSize(const CacheSize&) = delete;
  CacheSize& operator=(const CacheSize&) = delete;

 private:
  store::Database& db_;
};

}  // namespace

Result<ImportReport> import_release(store::Store& store, const std::filesystem::path& path,
                                    const store::Actor& actor, const ImportOptions& options) {
  auto files = detail::find_release_files(path);
  if (!files) return Unexpected(std::move(files).error());
  store::Database& db = store.database();
  const std::string date = domain::to_string(files->date);

  CacheSize cache(db);
  auto tx = store::Transaction::begin(db);
  if (!tx) return Unexpected(std::move(tx).error());

  // Inside the write lock: nobody can import a newer release between this check and commit.
  {
    auto st = db.prepare("SELECT release_date FROM dmd_releases ORDER BY release_date DESC, id DESC LIMIT 1");
    if (!st) return Unexpected(std::move(st).error());
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (*row && st->text(0) > date && !options.force) {
      return fail(errc::kOlderRelease, "this database holds the dm+d release of " + st->text(0) + "; " +
                                           files->source + " is of " + date +
                                           ", older: not imported (force it to go back)");
    }
  }
  std::int64_t release_id = 0;
  {
    auto st = db.prepare(
        "INSERT INTO dmd_releases (release_date, version, source, counts, forced, imported_at)"
        " VALUES (?1, ?2, ?3, '{}', ?4, ?5)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, date).bind(2, files->version).bind(3, files->source).bind(4, std::int64_t{options.force ? 1 : 0})
        .bind(5, static_cast<std::int64_t>(store.now().time_since_epoch().count()));
    if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
    release_id = db.last_insert_rowid();
  }

  detail::Importer importer(db, *files, release_id, options.progress);
  if (auto r = importer.prepare(); !r) return Unexpected(r.error());
  for (auto kind : detail::kImportOrder) {
    if (auto r = importer.import_file(kind); !r) return Unexpected(r.error());
  }
  if (auto r = importer.finish(); !r) return Unexpected(r.error());

  ImportReport report;
  report.release_id = release_id;
  report.release_date = files->date;
  report.version = files->version;
  report.source = files->source;
  report.counts = importer.counts();
  Json counts = Json::object();
  for (const auto& [k, v] : report.counts) counts[k] = v;
  Json files_json = Json::object();
  for (const auto& f : files->files) {
    if (f) files_json[std::string(detail::stem(f->kind))] = f->name;
  }
  {
    auto st = db.prepare("UPDATE dmd_releases SET counts = ?2 WHERE id = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, release_id).bind(2, dump(counts));
    if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  }
  Json payload{{"release_date", date},  {"version", files->version}, {"source", files->source},
               {"forced", options.force}, {"files", files_json},     {"counts", counts}};
  auto audited = store::append_audit(
      db, store::AuditEvent{store::AuditKind::kConfig, actor, "dmd_release:" + std::to_string(release_id), dump(payload)},
      store.now());
  if (!audited) return Unexpected(std::move(audited).error());
  if (auto r = tx->commit(); !r) return Unexpected(r.error());
  return report;
}

}  // namespace bcma::station::dmd
