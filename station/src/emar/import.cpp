// The import: read the whole feed, translate every resource (reads only), then apply them.
#include "bcma/station/emar/import.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "bcma/station/emar/errors.hpp"
#include "bcma/station/store/transaction.hpp"
#include "feed.hpp"
#include "importer.hpp"
#include "translate.hpp"

namespace bcma::station::emar {

namespace detail {

namespace {

using OJson = nlohmann::ordered_json;

bool overlaps(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& k) { return std::find(b.begin(), b.end(), k) != b.end(); });
}

std::string dump(const OJson& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

Result<int> Importer::resolve_reviews(const std::vector<std::string>& keys, const std::optional<VersionKey>& upto,
                                      const std::string& why) {
  auto& db = store_->database();
  auto open = load_reviews(db, false);
  if (!open) return Unexpected(std::move(open).error());
  int closed = 0;
  for (const auto& r : *open) {
    if (!overlaps(r.keys, keys)) continue;
    if (upto && r.version) {
      const auto order = compare(*r.version, *upto);
      if (!order || *order > 0) continue;  // a newer version still waits for review
    }
    if (auto w = close_review(db, r.entry.id, ReviewStatus::kResolved, now_, why); !w) return Unexpected(std::move(w).error());
    if (auto w = audit(db, options_->actor, "emar_review:" + std::to_string(r.entry.id),
                       dump(OJson{{"status", "resolved"}, {"resolution", why}}), now_);
        !w) {
      return Unexpected(std::move(w).error());
    }
    ++closed;
  }
  return closed;
}

Result<ResourceOutcome> Importer::queue(const Identity& identity, const std::vector<ReviewReason>& reasons,
                                        ResourceOutcome out) {
  auto& db = store_->database();
  out.action = Action::kQueued;
  out.reasons = reasons;
  auto all = load_reviews(db, true);
  if (!all) return Unexpected(std::move(all).error());
  for (const auto& r : *all) {
    if (r.entry.status != ReviewStatus::kResolved && r.content_sha256 == identity.content_sha256 &&
        r.entry.reasons == reasons) {
      out.review_id = r.entry.id;
      out.detail = "already in the review queue (entry " + std::to_string(r.entry.id) + ")";
      return out;
    }
  }
  auto tx = store::Transaction::begin(db);
  if (!tx) return Unexpected(std::move(tx).error());
  auto id = insert_review(db, identity, reasons, now_);
  if (!id) return Unexpected(std::move(id).error());
  for (const auto& r : *all) {
    if (r.entry.status != ReviewStatus::kOpen) continue;
    std::string why;
    if (r.content_sha256 == identity.content_sha256) {
      why = "the same resource came again with other reasons: see entry " + std::to_string(*id);
    } else if (!identity.keys.empty() && overlaps(r.keys, identity.keys) && r.version && identity.version) {
      const auto order = compare(*r.version, *identity.version);
      if (order && *order < 0) why = "a newer version of this resource is entry " + std::to_string(*id);
    }
    if (why.empty()) continue;
    if (auto w = close_review(db, r.entry.id, ReviewStatus::kSuperseded, now_, why); !w) {
      return Unexpected(std::move(w).error());
    }
  }
  OJson reasons_j = OJson::parse(reasons_json(reasons));
  OJson j{{"review", *id},
          {"resource", identity.resource_type + "/" + identity.resource_id},
          {"content_sha256", identity.content_sha256},
          {"nhs_number", identity.nhs_number},
          {"medication", identity.medication},
          {"reasons", reasons_j}};
  if (auto w = audit(db, options_->actor, "emar_review:" + std::to_string(*id), dump(j), now_); !w) {
    return Unexpected(std::move(w).error());
  }
  if (auto w = tx->commit(); !w) return Unexpected(std::move(w).error());
  out.review_id = *id;
  out.detail = "queued for review (entry " + std::to_string(*id) + ")";
  return out;
}

}  // namespace detail

std::string_view to_string(Action a) {
  switch (a) {
    case Action::kImported:
      return "imported";
    case Action::kUpdated:
      return "updated";
    case Action::kUnchanged:
      return "unchanged";
    case Action::kQueued:
      return "queued";
    case Action::kIgnored:
      return "ignored";
  }
  return "ignored";
}

int ImportSummary::count(Action a) const {
  return static_cast<int>(std::count_if(resources.begin(), resources.end(),
                                        [a](const ResourceOutcome& r) { return r.action == a; }));
}

Result<ImportSummary> import_feed(store::Store& store, std::string_view text, const ImportOptions& options) {
  using namespace detail;
  auto feed = Feed::parse(text);
  if (!feed) return Unexpected(std::move(feed).error());
  auto policy = store.policy();
  if (!policy) {
    if (policy.error().code == "no_home") {
      return fail(errc::kNoHome, "the station has no home and policy set up: the feed's times cannot be "
                                 "mapped to the home's rounds");
    }
    return Unexpected(std::move(policy).error());
  }

  // 1. Translate everything first (reads only): a store failure here changes nothing.
  struct Pending {
    std::size_t index = 0;
    Identity identity;
    std::vector<ReviewReason> reasons;
  };
  std::vector<Pending> refused;
  std::vector<RequestCandidate> requests;
  std::vector<DispenseCandidate> dispenses;
  ImportSummary summary;
  summary.resources.resize(feed->entries().size());
  for (std::size_t i = 0; i < feed->entries().size(); ++i) {
    const FeedEntry& e = feed->entries()[i];
    ResourceOutcome& out = summary.resources[i];
    out.resource_type = e.type;
    out.resource_id = e.id;
    out.where = e.where;
    if (e.refused) {
      auto ident = identify(e);
      if (!ident) return Unexpected(std::move(ident).error());
      refused.push_back(Pending{i, std::move(*ident), {*e.refused}});
    } else if (e.type == "MedicationRequest") {
      auto c = translate_request(e, *feed, store, *policy);
      if (!c) return Unexpected(std::move(c).error());
      requests.push_back(std::move(*c));
    } else if (e.type == "MedicationDispense") {
      auto c = translate_dispense(e, *feed, store);
      if (!c) return Unexpected(std::move(c).error());
      dispenses.push_back(std::move(*c));
    } else {
      out.action = Action::kIgnored;
      out.detail = e.type == "Patient"      ? "identifies a resident (residents are admitted at the home)"
                   : e.type == "Medication" ? "read through the requests that name it"
                                            : "not used by the station";
    }
  }

  // 2. Apply: versions of one request oldest first, then the dispenses that may name them.
  // A total order (compare() may not decide; those pairs are queued by apply_request anyway).
  auto order_key = [](const RequestCandidate& c) {
    const auto& v = c.identity.version;
    const std::int64_t vid = v && !v->version_id.empty() &&
                                     v->version_id.find_first_not_of("0123456789") == std::string::npos &&
                                     v->version_id.size() < 18
                                 ? std::stoll(v->version_id)
                                 : -1;
    return std::make_tuple(v.has_value(), v ? v->authored_on : domain::Instant{},
                           v && v->last_updated ? *v->last_updated : domain::Instant::min(), vid,
                           v ? v->version_id : std::string());
  };
  std::stable_sort(requests.begin(), requests.end(), [&](const RequestCandidate& a, const RequestCandidate& b) {
    return order_key(a) < order_key(b);
  });
  Importer importer(store, *policy, options);
  for (auto& p : refused) {
    ResourceOutcome base = summary.resources[p.index];
    auto r = importer.queue(p.identity, p.reasons, std::move(base));
    if (!r) return Unexpected(std::move(r).error());
    summary.resources[p.index] = std::move(*r);
  }
  for (const auto& c : requests) {
    auto r = importer.apply_request(c);
    if (!r) return Unexpected(std::move(r).error());
    summary.resources[c.entry->order] = std::move(*r);
  }
  for (const auto& c : dispenses) {
    auto r = importer.apply_dispense(c);
    if (!r) return Unexpected(std::move(r).error());
    summary.resources[c.entry->order] = std::move(*r);
  }
  return summary;
}

Result<ImportSummary> import_file(store::Store& store, const std::filesystem::path& file,
                                  const ImportOptions& options) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(errc::kCannotRead, "cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return fail(errc::kCannotRead, "error reading " + file.string());
  return import_feed(store, text.str(), options);
}

}  // namespace bcma::station::emar
