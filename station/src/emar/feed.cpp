#include "feed.hpp"

#include <utility>

#include "bcma/station/emar/errors.hpp"

namespace bcma::station::emar::detail {

namespace {

// nlohmann's messages start with "[json.exception.parse_error.101] ": keep what follows.
std::string parse_message(const Json::exception& e) {
  std::string m = e.what();
  if (const auto close = m.find("] "); m.rfind("[json.exception", 0) == 0 && close != std::string::npos) {
    m.erase(0, close + 2);
  }
  return m;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string string_member(const Json& j, std::string_view key) {
  const Json* v = member(j, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

FeedEntry describe(const Json& resource, std::string where, std::size_t order) {
  FeedEntry e;
  e.resource = &resource;
  e.where = std::move(where);
  e.order = order;
  if (!resource.is_object()) {
    e.refused = ReviewReason{reason::kInvalidResource, "this is not a FHIR resource (not a JSON object)", ""};
    return e;
  }
  e.type = string_member(resource, "resourceType");
  e.id = string_member(resource, "id");
  if (e.type.empty()) {
    e.refused = ReviewReason{reason::kInvalidResource, "the resource has no resourceType", "/resourceType"};
  } else if (e.type == "Bundle") {
    e.refused = ReviewReason{reason::kUnsupportedResource,
                             "a Bundle inside the feed is not read: send its resources in the feed itself", ""};
  }
  return e;
}

}  // namespace

std::pair<std::string, std::string> type_and_id(std::string_view reference) {
  std::string_view r = reference;
  if (const auto h = r.find("/_history/"); h != std::string_view::npos) r = r.substr(0, h);
  const auto last = r.rfind('/');
  if (last == std::string_view::npos || last == 0 || last + 1 == r.size()) return {};
  const std::string_view id = r.substr(last + 1);
  const std::string_view head = r.substr(0, last);
  const auto prev = head.rfind('/');
  const std::string_view type = prev == std::string_view::npos ? head : head.substr(prev + 1);
  if (type.empty() || type.front() < 'A' || type.front() > 'Z') return {};
  return {std::string(type), std::string(id)};
}

Result<Feed> Feed::parse(std::string_view text) {
  Feed feed;
  const std::string_view body = trim(text);
  if (body.empty()) return fail(errc::kInvalidFeed, "the feed is empty");

  auto whole = std::make_unique<Json>();
  std::string whole_error;
  try {
    *whole = Json::parse(body);
  } catch (const Json::exception& e) {
    whole_error = parse_message(e);
  }

  if (whole_error.empty()) {
    const Json& root = *whole;
    if (!root.is_object()) {
      return fail(errc::kInvalidFeed, "the feed is JSON but not a FHIR resource or Bundle (it is " +
                                          std::string(root.type_name()) + ")");
    }
    const std::string type = string_member(root, "resourceType");
    if (type.empty()) {
      return fail(errc::kInvalidFeed, "the feed is a JSON object without a resourceType: not FHIR");
    }
    feed.documents_.push_back(std::move(whole));
    const Json& doc = *feed.documents_.back();
    if (type != "Bundle") {
      feed.entries_.push_back(describe(doc, "resource", 0));
      return feed;
    }
    const Json* entries = member(doc, "entry");
    if (entries == nullptr) return feed;
    if (!entries->is_array()) return fail(errc::kInvalidFeed, "/entry: a Bundle's entry must be an array");
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const Json& entry = (*entries)[i];
      const std::string where = "entry " + std::to_string(i);
      const Json* resource = member(entry, "resource");
      if (resource == nullptr) {
        FeedEntry e;
        e.resource = &entry;
        e.where = where;
        e.order = i;
        e.refused = ReviewReason{reason::kInvalidResource, "the Bundle entry has no resource",
                                 "/entry/" + std::to_string(i)};
        feed.entries_.push_back(std::move(e));
        continue;
      }
      FeedEntry e = describe(*resource, where, i);
      e.full_url = string_member(entry, "fullUrl");
      if (const Json* request = member(entry, "request"); request != nullptr && !e.refused) {
        const std::string method = string_member(*request, "method");
        if (!method.empty() && method != "POST" && method != "PUT") {
          e.refused = ReviewReason{reason::kUnsupportedResource,
                                   "a transaction entry with method " + method +
                                       " is not applied: send the resource's new state (e.g. status "
                                       "stopped) instead",
                                   "/entry/" + std::to_string(i) + "/request/method"};
        }
      }
      feed.entries_.push_back(std::move(e));
    }
    return feed;
  }

  // Not one JSON value: NDJSON (one resource per line) if the first line is a JSON object.
  std::size_t line_no = 0;
  std::size_t pos = 0;
  bool first = true;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    const std::string_view line =
        trim(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    ++line_no;
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    if (line.empty()) continue;
    auto doc = std::make_unique<Json>();
    try {
      *doc = Json::parse(line);
    } catch (const Json::exception& e) {
      if (first) return fail(errc::kInvalidJson, "the feed is not valid JSON: " + whole_error);
      return fail(errc::kInvalidJson,
                  "NDJSON line " + std::to_string(line_no) + " is not valid JSON: " + parse_message(e));
    }
    if (first && !doc->is_object()) {
      return fail(errc::kInvalidJson, "the feed is not valid JSON: " + whole_error);
    }
    first = false;
    feed.documents_.push_back(std::move(doc));
    feed.entries_.push_back(
        describe(*feed.documents_.back(), "line " + std::to_string(line_no), feed.entries_.size()));
  }
  return feed;
}

const Json* Feed::resolve(std::string_view reference, const FeedEntry& from) const {
  if (reference.empty()) return nullptr;
  if (reference.front() == '#') {
    const Json* contained = member(*from.resource, "contained");
    if (contained == nullptr || !contained->is_array()) return nullptr;
    const std::string_view id = reference.substr(1);
    for (const Json& c : *contained) {
      if (string_member(c, "id") == id) return &c;
    }
    return nullptr;
  }
  for (const auto& e : entries_) {
    if (!e.full_url.empty() && e.full_url == reference && !e.refused) return e.resource;
  }
  const bool absolute = reference.find("://") != std::string_view::npos ||
                        reference.rfind("urn:", 0) == 0;
  if (absolute) return nullptr;
  const auto [type, id] = type_and_id(reference);
  if (type.empty()) return nullptr;
  // Relative to the referring entry's base ("https://x/fhir/" + "Patient/1").
  if (const auto [from_type, from_id] = type_and_id(from.full_url); !from_type.empty()) {
    const std::string tail = from_type + "/" + from_id;
    if (from.full_url.size() > tail.size() &&
        from.full_url.compare(from.full_url.size() - tail.size(), tail.size(), tail) == 0) {
      const std::string candidate =
          from.full_url.substr(0, from.full_url.size() - tail.size()) + std::string(reference);
      for (const auto& e : entries_) {
        if (e.full_url == candidate && !e.refused) return e.resource;
      }
    }
  }
  for (const auto& e : entries_) {
    if (e.type == type && e.id == id && !e.refused) return e.resource;
  }
  return nullptr;
}

}  // namespace bcma::station::emar::detail
