// The import driver: file order, dispatch of records to their handlers, progress, and what
// happens once every file is in (withdrawn products, code history).
#include "importer.hpp"

#include "bcma/station/dmd/errors.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/transaction.hpp"
#include "values.hpp"

namespace bcma::station::dmd::detail {

namespace {

constexpr std::uint64_t kReportEvery = 20000;

bool is_foreign_key_failure(const Error& e) { return e.message.find("FOREIGN KEY") != std::string::npos; }

}  // namespace

std::string Importer::file_name(FileKind kind) const {
  const auto& f = files_.file(kind);
  return f ? f->name : "f_" + std::string(stem(kind));
}

void Importer::report(bool file_done) {
  if (progress_ == nullptr) return;
  progress_state_.file_done = file_done;
  progress_->on_progress(progress_state_);
}

Result<std::string> Importer::lookup(std::string_view section, std::string_view code, std::string_view what) {
  const auto s = lookups_.find(std::string(section));
  if (s != lookups_.end()) {
    const auto c = s->second.find(std::string(code));
    if (c != s->second.end()) return c->second;
  }
  return fail(errc::kBrokenReference, std::string(what) + " '" + std::string(code) + "' is not in the " +
                                          std::string(section) + " section of " + file_name(FileKind::kLookup));
}

Result<void> Importer::check_lookup(std::string_view section, const Record& r, int field, std::string_view what) {
  if (!r.has(field)) return {};
  auto found = lookup(section, r.get(field), what);
  if (!found) return Unexpected(std::move(found).error());
  return {};
}

Result<IndexEntry*> Importer::require(IdIndex& index, std::string_view kind_name, std::string_view text,
                                      std::string_view what) {
  auto id = parse_id(text, what);
  if (!id) return Unexpected(std::move(id).error());
  IndexEntry* e = index.sealed() ? index.find(*id) : nullptr;
  if (e == nullptr) {
    return fail(errc::kBrokenReference, std::string(what) + " " + std::string(text) + " names a " +
                                            std::string(kind_name) + " that is not in this release");
  }
  return e;
}

Result<void> Importer::exec(std::string_view sql, const std::function<void(store::Statement&)>& bind,
                            std::string_view what) {
  auto st = db_.prepare(sql);
  if (!st) return Unexpected(std::move(st).error());
  bind(*st);
  auto r = st->run();
  if (!r) {
    if (r.error().code == store::errc::kDuplicate && !what.empty()) {
      return fail(errc::kDuplicate, std::string(what) + " appears twice");
    }
    if (is_foreign_key_failure(r.error())) {
      return fail(errc::kBrokenReference, std::string(what) + ": " + r.error().message);
    }
    return r;
  }
  return {};
}

Result<void> Importer::prepare() {
  // No other table refers to these: they are replaced whole by each release.
  return db_.exec_script(
      "DELETE FROM dmd_lookups; DELETE FROM dmd_ingredients; DELETE FROM gtins;"
      " DELETE FROM dmd_pack_contents; DELETE FROM dmd_vmp_ingredients;");
}

Result<void> Importer::on_record(FileKind kind, const Record& r) {
  const FileSpec& spec = file_spec(kind);
  const auto section = static_cast<std::size_t>(r.spec - spec.records.data());
  static const std::array<std::vector<Handler>, kFileKindCount> kHandlers{{
      {},  // lookup: every section goes to lookup_info
      {&Importer::ingredient},
      {&Importer::vtm},
      {&Importer::vmp, &Importer::vmp_ingredient, &Importer::vmp_ont_form, &Importer::vmp_form,
       &Importer::vmp_route, &Importer::vmp_control},
      {&Importer::amp, &Importer::amp_ingredient, &Importer::amp_route, &Importer::amp_info},
      {&Importer::vmpp, &Importer::vmpp_tariff, &Importer::vmpp_content},
      {&Importer::ampp, &Importer::ampp_detail, &Importer::ampp_detail, &Importer::ampp_price,
       &Importer::ampp_detail, &Importer::ampp_content},
      {&Importer::gtin},
      {&Importer::bnf_vmp, &Importer::bnf_amp},
  }};
  const auto& handlers = kHandlers[static_cast<std::size_t>(kind)];
  Handler h = kind == FileKind::kLookup ? &Importer::lookup_info : handlers.at(section);
  if (auto res = (this->*h)(r); !res) return res;
  ++progress_state_.file_records;
  ++progress_state_.total_records;
  if (progress_state_.total_records >= next_report_) {
    next_report_ = progress_state_.total_records + kReportEvery;
    report(false);
  }
  return {};
}

Result<void> Importer::on_section_end(FileKind kind, std::string_view section) {
  switch (kind) {
    case FileKind::kIngredient: return ingredients_.seal("ingredient");
    case FileKind::kVtm: return vtms_.seal("VTM");
    case FileKind::kVmp: return section == "VMPS" ? vmps_.seal("VMP") : Result<void>{};
    case FileKind::kAmp: return section == "AMPS" ? amps_.seal("AMP") : Result<void>{};
    case FileKind::kVmpp: return section == "VMPPS" ? vmpps_.seal("VMPP") : Result<void>{};
    case FileKind::kAmpp: return section == "AMPPS" ? ampps_.seal("AMPP") : Result<void>{};
    default: return {};
  }
}

Result<void> Importer::import_file(FileKind kind) {
  const auto& f = files_.file(kind);
  if (!f) return {};
  current_ = kind;
  progress_state_.file = f->name;
  progress_state_.file_records = 0;
  ++progress_state_.file_index;
  progress_state_.file_count = 0;
  for (const auto& any : files_.files) progress_state_.file_count += any ? 1 : 0;
  report(false);

  RecordParser parser(
      file_spec(kind), f->name, [this, kind](const Record& r) { return on_record(kind, r); },
      [this, kind](std::string_view section) { return on_section_end(kind, section); });
  if (auto r = f->read([&parser](std::string_view chunk) { return parser.feed(chunk); }); !r) return r;
  if (auto r = parser.finish(); !r) return r;

  // A file whose entity section was absent defines nothing; later files then fail on the
  // references they make.
  for (IdIndex* idx : {&ingredients_, &vtms_, &vmps_, &amps_, &vmpps_, &ampps_}) {
    if (!idx->sealed() && idx->size() == 0) {
      if (auto r = idx->seal(""); !r) return r;
    }
  }
  if (kind == FileKind::kVmp) {
    // Every VMP must say whether it is a controlled drug: a missing entry is not "none".
    for (const auto& e : vmps_.entries()) {
      if ((e.marks & 1) == 0) {
        return fail(errc::kBrokenReference, f->name + ":" + std::to_string(e.line) + ": VMP " +
                                                std::to_string(e.id) +
                                                " has no CONTROL_INFO (controlled drug category)");
      }
    }
  }
  counts_["records"] += static_cast<std::int64_t>(parser.records());
  report(true);
  return {};
}

Result<void> Importer::finish() {
  // Code history: each previous code points at the code now in force, chains collapsed.
  struct HistoryTable {
    std::vector<CodeChange>* changes;
    std::string_view upsert;
    std::string_view repoint;
    std::string_view collapse;
    std::string_view drop_current;
  };
  const HistoryTable tables[] = {
      {&vmp_changes_,
       "INSERT INTO dmd_vmp_history (old_id, vmp_id, changed_on, release_id) VALUES (?1, ?2, ?3, ?4)"
       " ON CONFLICT (old_id) DO UPDATE SET vmp_id = excluded.vmp_id, changed_on = excluded.changed_on,"
       " release_id = excluded.release_id",
       "UPDATE dmd_vmp_history SET vmp_id = ?2 WHERE vmp_id = ?1",
       "UPDATE dmd_vmp_history SET vmp_id = (SELECT n.vmp_id FROM dmd_vmp_history n"
       " WHERE n.old_id = dmd_vmp_history.vmp_id)"
       " WHERE vmp_id IN (SELECT old_id FROM dmd_vmp_history) AND vmp_id <> old_id",
       "DELETE FROM dmd_vmp_history WHERE old_id IN (SELECT id FROM dmd_vmps WHERE release_id = ?1)"
       " OR old_id = vmp_id"},
      {&vtm_changes_,
       "INSERT INTO dmd_vtm_history (old_id, vtm_id, changed_on, release_id) VALUES (?1, ?2, ?3, ?4)"
       " ON CONFLICT (old_id) DO UPDATE SET vtm_id = excluded.vtm_id, changed_on = excluded.changed_on,"
       " release_id = excluded.release_id",
       "UPDATE dmd_vtm_history SET vtm_id = ?2 WHERE vtm_id = ?1",
       "UPDATE dmd_vtm_history SET vtm_id = (SELECT n.vtm_id FROM dmd_vtm_history n"
       " WHERE n.old_id = dmd_vtm_history.vtm_id)"
       " WHERE vtm_id IN (SELECT old_id FROM dmd_vtm_history) AND vtm_id <> old_id",
       "DELETE FROM dmd_vtm_history WHERE old_id IN (SELECT id FROM dmd_vtms WHERE release_id = ?1)"
       " OR old_id = vtm_id"},
  };
  for (const auto& t : tables) {
    for (const auto& c : *t.changes) {
      const std::string old_id = std::to_string(c.old_id);
      const std::string new_id = std::to_string(c.new_id);
      if (auto r = exec(t.repoint, [&](store::Statement& st) { st.bind(1, old_id).bind(2, new_id); }); !r) return r;
      if (auto r = exec(t.upsert, [&](store::Statement& st) {
            st.bind(1, old_id).bind(2, new_id).bind(3, c.changed_on.empty() ? std::optional<std::string>()
                                                                             : std::optional<std::string>(c.changed_on));
            st.bind(4, release_id_);
          });
          !r) {
        return r;
      }
    }
    // Changes met in another order than they happened: follow them to the end (bounded, so
    // that a cycle in bad data cannot loop).
    for (int i = 0; i < 16; ++i) {
      if (auto r = exec(t.collapse, [](store::Statement&) {}); !r) return r;
    }
    if (auto r = exec(t.drop_current, [&](store::Statement& st) { st.bind(1, release_id_); }); !r) return r;
  }
  counts_["code_changes"] = static_cast<std::int64_t>(vmp_changes_.size() + vtm_changes_.size());

  // Products no longer in the release: deleted, unless an administration, a stock movement,
  // a dispensed label or a kept child still names them (then kept, marked withdrawn).
  struct Withdrawal {
    std::string_view candidates;
    std::vector<std::string_view> deletes;  ///< in order, the store's row last
    std::string_view mark;
    /// Text references without a foreign key that keep a product too.
    std::vector<std::string_view> named_by;
  };
  const Withdrawal kinds[] = {
      {"SELECT p.id FROM ampp p LEFT JOIN dmd_ampps d ON d.id = p.id"
       " WHERE d.id IS NULL OR d.release_id <> ?1",
       {"DELETE FROM dmd_ampps WHERE id = ?1", "DELETE FROM ampp WHERE id = ?1"},
       "UPDATE dmd_ampps SET withdrawn = 1 WHERE id = ?1",
       {}},
      {"SELECT a.id FROM amp a LEFT JOIN dmd_amps d ON d.id = a.id WHERE d.id IS NULL OR d.release_id <> ?1",
       {"DELETE FROM dmd_amps WHERE id = ?1", "DELETE FROM amp WHERE id = ?1"},
       "UPDATE dmd_amps SET withdrawn = 1 WHERE id = ?1",
       {"SELECT 1 FROM prescription_versions WHERE medication_id = ?1 AND level = 'amp' LIMIT 1",
        "SELECT 1 FROM resident_allergies WHERE code = ?1 AND level = 'amp' LIMIT 1"}},
      {"SELECT v.id FROM vmp v LEFT JOIN dmd_vmps d ON d.id = v.id WHERE d.id IS NULL OR d.release_id <> ?1",
       {"DELETE FROM vmp_ingredients WHERE vmp_id = ?1", "DELETE FROM vmp_routes WHERE vmp_id = ?1",
        "DELETE FROM dmd_vmps WHERE id = ?1", "DELETE FROM vmp WHERE id = ?1"},
       "UPDATE dmd_vmps SET withdrawn = 1 WHERE id = ?1",
       {"SELECT 1 FROM prescription_versions WHERE medication_id = ?1 AND level = 'vmp' LIMIT 1",
        "SELECT 1 FROM resident_allergies WHERE code = ?1 AND level = 'vmp' LIMIT 1"}},
      {"SELECT t.id FROM vtm t LEFT JOIN dmd_vtms d ON d.id = t.id WHERE d.id IS NULL OR d.release_id <> ?1",
       {"DELETE FROM dmd_vtms WHERE id = ?1", "DELETE FROM vtm WHERE id = ?1"},
       "UPDATE dmd_vtms SET withdrawn = 1 WHERE id = ?1",
       {"SELECT 1 FROM resident_allergies WHERE code = ?1 AND level = 'vtm' LIMIT 1"}},
  };
  std::int64_t deleted = 0;
  std::int64_t kept = 0;
  for (const auto& k : kinds) {
    std::vector<std::string> ids;
    {
      auto st = db_.prepare(k.candidates);
      if (!st) return Unexpected(std::move(st).error());
      st->bind(1, release_id_);
      for (;;) {
        auto row = st->step();
        if (!row) return Unexpected(std::move(row).error());
        if (!*row) break;
        ids.push_back(st->text(0));
      }
    }
    for (const auto& id : ids) {
      bool referenced = false;
      for (auto sql : k.named_by) {
        auto st = db_.prepare(sql);
        if (!st) return Unexpected(std::move(st).error());
        st->bind(1, id);
        auto row = st->step();
        if (!row) return Unexpected(std::move(row).error());
        referenced = referenced || *row;
      }
      if (!referenced) {
        auto sp = store::Savepoint::begin(db_);
        if (!sp) return Unexpected(std::move(sp).error());
        for (auto sql : k.deletes) {
          auto st = db_.prepare(sql);
          if (!st) return Unexpected(std::move(st).error());
          st->bind(1, id);
          if (auto r = st->run(); !r) {
            if (!is_foreign_key_failure(r.error())) return r;
            referenced = true;
            break;
          }
        }
        // Released, the deletes stand; otherwise the savepoint's destructor rolls them back.
        if (!referenced) {
          if (auto r = sp->release(); !r) return r;
        }
      }
      if (!referenced) {
        ++deleted;
        continue;
      }
      if (auto r = exec(k.mark, [&](store::Statement& st) { st.bind(1, id); }); !r) return r;
      ++kept;
    }
  }
  if (auto r = exec("DELETE FROM dmd_vmpps WHERE release_id <> ?1",
                    [&](store::Statement& st) { st.bind(1, release_id_); });
      !r) {
    return r;
  }
  counts_["withdrawn_deleted"] = deleted;
  counts_["withdrawn_kept"] = kept;
  return {};
}

}  // namespace bcma::station::dmd::detail
