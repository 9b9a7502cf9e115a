// Applying a MedicationRequest: which station prescription it is, whether it is newer than what
// is held, and the new version. docs/emar-feed.md "Versions" explains every branch.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "bcma/rules/engine.hpp"
#include "bcma/station/emar/errors.hpp"
#include "bcma/station/store/transaction.hpp"
#include "importer.hpp"

namespace bcma::station::emar::detail {

namespace {

using OJson = nlohmann::ordered_json;

bool same_times(const std::vector<domain::DoseTime>& a, const std::vector<domain::DoseTime>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].round != b[i].round) return false;
    if (a[i].round.empty() && a[i].time != b[i].time) return false;
  }
  return true;
}

bool same_days(const domain::DayPattern& a, const domain::DayPattern& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case domain::DayPattern::Kind::kEveryDay:
      return true;
    case domain::DayPattern::Kind::kDaysOfWeek:
      return a.weekdays == b.weekdays;
    case domain::DayPattern::Kind::kEveryNDays:
      return a.every_n_days == b.every_n_days && a.anchor == b.anchor;
  }
  return false;
}

bool same_prn(const std::optional<domain::PrnRule>& a, const std::optional<domain::PrnRule>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return a->min_interval == b->min_interval && a->max_per_24h == b->max_per_24h &&
         a->indication == b->indication;
}

std::string status_text(const domain::Prescription& p) { return std::string(domain::to_string(p.status)); }

}  // namespace

bool same_prescribing(const domain::Prescription& a, const domain::Prescription& b) {
  return a.resident_id == b.resident_id && a.level == b.level && a.medication_id == b.medication_id &&
         a.medication_name == b.medication_name && a.route_id == b.route_id &&
         a.route_name == b.route_name && a.dose.min == b.dose.min && a.dose.max == b.dose.max &&
         a.dose.unit == b.dose.unit && a.as_needed == b.as_needed && same_prn(a.prn, b.prn) &&
         same_times(a.times, b.times) && (a.as_needed || same_days(a.days, b.days)) &&
         a.starts == b.starts && a.ends == b.ends && a.status == b.status &&
         a.time_critical == b.time_critical && a.window == b.window && a.instructions == b.instructions;
}

Result<Importer::Match> Importer::match(const RequestCandidate& c) {
  Match m;
  auto& db = store_->database();
  auto by_keys = requests_by_keys(db, c.identity.keys);
  if (!by_keys) return Unexpected(std::move(by_keys).error());
  std::vector<std::int64_t> by_id;
  if (!c.identity.resource_id.empty()) {
    auto found = requests_by_resource_id(db, c.identity.resource_id);
    if (!found) return Unexpected(std::move(found).error());
    by_id = std::move(*found);
  }
  if (by_keys->size() > 1) {
    m.conflict = ReviewReason{reason::kAmbiguousData,
                              "the request's identifiers belong to " + std::to_string(by_keys->size()) +
                                  " different prescriptions held by the station",
                              "/identifier"};
    return m;
  }
  std::optional<std::int64_t> id;
  if (by_keys->size() == 1) {
    id = by_keys->front();
    if (!by_id.empty() && (by_id.size() > 1 || by_id.front() != *id)) {
      m.conflict = ReviewReason{reason::kAmbiguousData,
                                "id \"" + c.identity.resource_id +
                                    "\" belonged to another request than its identifiers do",
                                "/id"};
      return m;
    }
  } else if (by_id.size() == 1) {
    // Matched by FHIR id only: the same request if it was not identified otherwise before.
    auto row = load_request(db, by_id.front());
    if (!row) return Unexpected(std::move(row).error());
    const bool had_identifiers = *row && std::any_of((*row)->keys.begin(), (*row)->keys.end(), [](const std::string& k) {
                                   return k.find('|') != std::string::npos;
                                 });
    const bool has_identifiers = std::any_of(c.identity.keys.begin(), c.identity.keys.end(),
                                             [](const std::string& k) { return k.find('|') != std::string::npos; });
    if (had_identifiers && has_identifiers) {
      m.conflict = ReviewReason{reason::kAmbiguousData,
                                "id \"" + c.identity.resource_id +
                                    "\" belongs to a request held with other identifiers",
                                "/identifier"};
      return m;
    }
    id = by_id.front();
  } else if (by_id.size() > 1) {
    m.conflict = ReviewReason{reason::kAmbiguousData,
                              "id \"" + c.identity.resource_id + "\" belongs to several requests held",
                              "/id"};
    return m;
  }
  if (id) {
    auto row = load_request(db, *id);
    if (!row) return Unexpected(std::move(row).error());
    m.row = std::move(*row);
  }
  return m;
}

Result<Importer::Match> Importer::match_prior(const RequestCandidate& c) {
  Match m;
  auto& db = store_->database();
  std::vector<std::int64_t> ids;
  auto by_keys = requests_by_keys(db, c.prior_keys);
  if (!by_keys) return Unexpected(std::move(by_keys).error());
  ids = std::move(*by_keys);
  for (const auto& rid : c.prior_resource_ids) {
    auto found = requests_by_resource_id(db, rid);
    if (!found) return Unexpected(std::move(found).error());
    for (auto id : *found) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  }
  const std::string named = !c.prior_resource_ids.empty() ? "MedicationRequest/" + c.prior_resource_ids.front()
                                                          : (c.prior_keys.empty() ? "" : c.prior_keys.front());
  if (ids.empty()) {
    m.conflict = ReviewReason{reason::kUnknownPrescription,
                              "it replaces " + named +
                                  ", which the station does not hold (it may be in the review queue): "
                                  "import or fix that request first",
                              "/priorPrescription"};
    return m;
  }
  std::vector<RequestRow> rows;
  for (auto id : ids) {
    auto row = load_request(db, id);
    if (!row) return Unexpected(std::move(row).error());
    if (*row) rows.push_back(std::move(**row));
  }
  for (const auto& r : rows) {
    if (r.prescription_id != rows.front().prescription_id) {
      m.conflict = ReviewReason{reason::kAmbiguousData,
                                "priorPrescription " + named + " matches more than one station prescription",
                                "/priorPrescription"};
      return m;
    }
  }
  // The one not yet replaced is the current head of the chain.
  auto head = std::find_if(rows.begin(), rows.end(), [](const RequestRow& r) { return !r.replaced_by; });
  if (head == rows.end()) {
    m.conflict = ReviewReason{reason::kVersionConflict,
                              named + " was already replaced by another request: two changes to one "
                                      "prescription cannot both apply",
                              "/priorPrescription"};
    return m;
  }
  m.row = std::move(*head);
  return m;
}

Result<ResourceOutcome> Importer::apply_request(const RequestCandidate& c) {
  ResourceOutcome out;
  out.resource_type = c.identity.resource_type;
  out.resource_id = c.identity.resource_id;
  out.where = c.entry->where;

  auto m = match(c);
  if (!m) return Unexpected(std::move(m).error());
  if (m->conflict) {
    std::vector<ReviewReason> reasons = c.problems.list();
    reasons.insert(reasons.begin(), *m->conflict);
    return queue(c.identity, reasons, std::move(out));
  }
  bool converge = false;  // same version as held: make sure the store holds it (crash recovery)
  if (m->row) {
    const RequestRow& row = *m->row;
    out.prescription_id = row.prescription_id;
    if (row.replaced_by) {
      out.action = Action::kUnchanged;
      out.detail = "replaced by a later request (prescription " + std::to_string(row.prescription_id) +
                   " continues under it)";
      return out;
    }
    if (row.applied && c.identity.version) {
      const auto order = compare(*c.identity.version, *row.applied);
      if (!order) {
        std::vector<ReviewReason> reasons{ReviewReason{
            reason::kVersionConflict,
            "cannot tell whether this version (" + c.identity.version->text() + ") is newer than the one held (" +
                row.applied->text() + "): give meta.versionId as a number or meta.lastUpdated",
            "/meta"}};
        return queue(c.identity, reasons, std::move(out));
      }
      if (*order < 0) {
        out.action = Action::kUnchanged;
        out.detail = "older than the version held (" + row.applied->text() + ")";
        return out;
      }
      if (*order == 0) {
        if (c.identity.content_sha256 != row.content_sha256) {
          std::vector<ReviewReason> reasons{ReviewReason{
              reason::kVersionConflict,
              "the same version (" + c.identity.version->text() +
                  ") was imported before with different content: a change needs a new meta.versionId",
              "/meta"}};
          return queue(c.identity, reasons, std::move(out));
        }
        if (!c.problems.empty()) {
          out.action = Action::kUnchanged;
          out.detail = "already held as sent";
          return out;
        }
        converge = true;
      }
    }
  }
  if (!c.problems.empty()) return queue(c.identity, c.problems.list(), std::move(out));

  std::optional<RequestRow> prior;
  if (!m->row && (!c.prior_keys.empty() || !c.prior_resource_ids.empty())) {
    auto pm = match_prior(c);
    if (!pm) return Unexpected(std::move(pm).error());
    if (pm->conflict) return queue(c.identity, {*pm->conflict}, std::move(out));
    prior = std::move(pm->row);
  }
  auto written = write_version(c, std::move(m->row), prior, std::move(out));
  if (written && converge && written->action == Action::kUnchanged) written->detail = "already held as sent";
  return written;
}

Result<ResourceOutcome> Importer::write_version(const RequestCandidate& c, std::optional<RequestRow> row,
                                                const std::optional<RequestRow>& prior, ResourceOutcome out) {
  auto& db = store_->database();
  const domain::PrescriptionId existing = row ? row->prescription_id : prior ? prior->prescription_id : 0;
  std::optional<store::PrescriptionVersion> latest;
  if (existing != 0) {
    auto history = store_->prescription_history(existing);
    if (!history && history.error().code != "unknown_prescription") return Unexpected(std::move(history).error());
    if (history && !history->empty()) latest = history->back();
  }
  domain::Prescription p = c.prescription;
  domain::Instant effective = std::min(now_, p.starts);
  if (latest) {
    const domain::Prescription& held = latest->prescription;
    if (held.resident_id != p.resident_id) {
      return queue(c.identity,
                   {ReviewReason{reason::kAmbiguousData,
                                 "this version is for another resident than the prescription it changes "
                                 "(station prescription " + std::to_string(existing) + ")",
                                 "/subject"}},
                   std::move(out));
    }
    // Set at the home, not in the feed: a new version keeps them.
    p.time_critical = held.time_critical;
    p.window = held.window;
    if (auto ok = rules::check_prescription(p, *policy_); !ok) {
      return queue(c.identity,
                   {ReviewReason{reason::kRejectedByRules,
                                 "with the home's settings for this medicine the rules engine cannot follow it (" +
                                     ok.error().code + "): " + ok.error().message,
                                 "/dosageInstruction/0"}},
                   std::move(out));
    }
    effective = std::max(now_, p.starts);
    if (!same_prescribing(p, held) && effective < latest->effective_from) {
      return queue(c.identity,
                   {ReviewReason{reason::kVersionConflict,
                                 "version " + std::to_string(held.version) + " of station prescription " +
                                     std::to_string(existing) + " takes effect later (" +
                                     domain::to_string(latest->effective_from) +
                                     "): a change effective earlier cannot be put before it",
                                 "/authoredOn"}},
                   std::move(out));
    }
  }

  // 1. Link the request (and reserve the prescription) before the version exists.
  if (!row) {
    auto tx = store::Transaction::begin(db);
    if (!tx) return Unexpected(std::move(tx).error());
    domain::PrescriptionId pid = existing;
    if (pid == 0) {
      auto reserved = reserve_prescription(db, p.resident_id);
      if (!reserved) return Unexpected(std::move(reserved).error());
      pid = *reserved;
    }
    auto req = insert_request(db, pid, c.identity.resource_id, now_);
    if (!req) return Unexpected(std::move(req).error());
    if (auto r = add_keys(db, *req, c.identity.keys); !r) return Unexpected(std::move(r).error());
    OJson j{{"request", *req}, {"prescription_id", pid}, {"keys", c.identity.keys},
            {"resource", "MedicationRequest/" + c.identity.resource_id}};
    if (prior) {
      if (auto r = mark_replaced(db, prior->id, *req); !r) return Unexpected(std::move(r).error());
      j["replaces_request"] = prior->id;
    }
    if (auto r = audit(db, options_->actor, "emar_request:" + std::to_string(*req), j.dump(), now_); !r) {
      return Unexpected(std::move(r).error());
    }
    if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
    auto loaded = load_request(db, *req);
    if (!loaded) return Unexpected(std::move(loaded).error());
    row = std::move(*loaded);
  }
  p.id = row->prescription_id;
  out.prescription_id = p.id;

  // 2. The version, through the store (its own transaction, audited there).
  int version = latest ? latest->prescription.version : 0;
  bool changed = false;
  if (!latest || !same_prescribing(p, latest->prescription)) {
    auto stored = store_->put_prescription(p, effective, options_->actor);
    if (!stored) {
      const std::string& code = stored.error().code;
      if (code == "sqlite_error" || code == "database_busy" || code == "crypto_failure") {
        return Unexpected(std::move(stored).error());
      }
      return queue(c.identity,
                   {ReviewReason{reason::kRejectedByRules, "the store refused it (" + code + "): " + stored.error().message, ""}},
                   std::move(out));
    }
    version = stored->version;
    changed = true;
  }

  // 3. Record that this FHIR version is applied, and close what it answers. Nothing is written
  // when all of it is already so: importing the same feed twice changes nothing.
  {
    auto tx = store::Transaction::begin(db);
    if (!tx) return Unexpected(std::move(tx).error());
    const VersionKey v = c.identity.version.value_or(VersionKey{});
    const std::string applied = "MedicationRequest/" + c.identity.resource_id + " (" + v.text() +
                                ") was imported as version " + std::to_string(version) +
                                " of station prescription " + std::to_string(p.id);
    auto closed = resolve_reviews(c.identity.keys, c.identity.version, applied);
    if (!closed) return Unexpected(std::move(closed).error());
    if (prior) {
      auto more = resolve_reviews(prior->keys, std::nullopt, "replaced: " + applied);
      if (!more) return Unexpected(std::move(more).error());
      *closed += *more;
    }
    auto source = version_source(db, p.id, version);
    if (!source) return Unexpected(std::move(source).error());
    const bool new_keys = std::any_of(c.identity.keys.begin(), c.identity.keys.end(), [&](const std::string& k) {
      return std::find(row->keys.begin(), row->keys.end(), k) == row->keys.end();
    });
    const bool cursor_current = row->applied && row->content_sha256 == c.identity.content_sha256 &&
                                row->resource_id == c.identity.resource_id && !new_keys && *source &&
                                (*source)->resource_id == c.identity.resource_id &&
                                (*source)->version_id == v.version_id;
    if (!changed && cursor_current && *closed == 0) {
      if (auto r = tx->rollback(); !r) return Unexpected(std::move(r).error());
    } else {
      if (auto r = mark_applied(db, row->id, c.identity.resource_id, v, c.identity.content_sha256, c.supply_json);
          !r) {
        return Unexpected(std::move(r).error());
      }
      if (auto r = add_keys(db, row->id, c.identity.keys); !r) return Unexpected(std::move(r).error());
      if (auto r = link_version(db, p.id, version, row->id, c.identity.resource_id, v.version_id); !r) {
        return Unexpected(std::move(r).error());
      }
      OJson j{{"request", row->id},
              {"resource", "MedicationRequest/" + c.identity.resource_id},
              {"authored_on", domain::to_string(v.authored_on)},
              {"last_updated", v.last_updated ? OJson(domain::to_string(*v.last_updated)) : OJson()},
              {"version_id", v.version_id},
              {"fhir_status", c.fhir_status},
              {"content_sha256", c.identity.content_sha256},
              {"prescription_id", p.id},
              {"version", version},
              {"new_version", changed},
              {"effective_from", changed ? OJson(domain::to_string(effective)) : OJson()},
              {"supply", OJson::parse(c.supply_json, nullptr, false)}};
      if (auto r = audit(db, options_->actor, "emar_request:" + std::to_string(row->id), j.dump(), now_); !r) {
        return Unexpected(std::move(r).error());
      }
      if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
    }
  }

  out.prescription_version = version;
  const std::string what = p.medication_name + ", " + status_text(p) +
                           (c.fhir_status == "entered-in-error" ? " (entered in error)" : "");
  if (!changed) {
    out.action = Action::kUnchanged;
    out.detail = "prescription " + std::to_string(p.id) + " version " + std::to_string(version) +
                 " already holds this (" + what + ")";
  } else if (version == 1) {
    out.action = Action::kImported;
    out.detail = "prescription " + std::to_string(p.id) + ": " + what;
  } else {
    out.action = Action::kUpdated;
    out.detail = "prescription " + std::to_string(p.id) + " version " + std::to_string(version) + " from " +
                 domain::to_string(effective) + ": " + what;
  }
  return out;
}

}  // namespace bcma::station::emar::detail
