#include "candidate.hpp"

#include <algorithm>
#include <charconv>

#include "bcma/station/emar/errors.hpp"
#include "translate.hpp"

namespace bcma::station::emar::detail {

namespace {

std::optional<std::uint64_t> number(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string VersionKey::text() const {
  std::string out = "authoredOn " + domain::to_string(authored_on);
  if (last_updated) out += ", lastUpdated " + domain::to_string(*last_updated);
  if (!version_id.empty()) out += ", versionId " + version_id;
  return out;
}

std::optional<std::strong_ordering> compare(const VersionKey& a, const VersionKey& b) {
  if (a.authored_on != b.authored_on) return a.authored_on <=> b.authored_on;
  if (a.last_updated && b.last_updated && *a.last_updated != *b.last_updated) {
    return *a.last_updated <=> *b.last_updated;
  }
  if (a.version_id == b.version_id) return std::strong_ordering::equal;
  const auto na = number(a.version_id);
  const auto nb = number(b.version_id);
  if (na && nb) return *na <=> *nb;
  return std::nullopt;
}

void refuse_modifier_extensions(const Json& resource, const std::string& pointer, Problems& problems) {
  if (resource.is_object()) {
    for (auto it = resource.begin(); it != resource.end(); ++it) {
      const std::string p = child(pointer, it.key());
      if (it.key() == "modifierExtension") {
        problems.add(reason::kUnsupportedResource, p,
                     "a modifierExtension changes what the resource means in a way the station "
                     "does not know: it cannot be imported safely");
        continue;
      }
      refuse_modifier_extensions(it.value(), p, problems);
    }
  } else if (resource.is_array()) {
    for (std::size_t i = 0; i < resource.size(); ++i) {
      refuse_modifier_extensions(resource[i], child(pointer, i), problems);
    }
  }
}

Result<Identity> identify(const FeedEntry& entry) {
  Identity id;
  id.resource_type = entry.type;
  id.resource_id = entry.id;
  const Json& r = *entry.resource;
  if (const Json* ids = member(r, "identifier"); ids != nullptr && ids->is_array()) {
    for (const Json& i : *ids) {
      const std::string system = string_of(i, "system");
      const std::string value = string_of(i, "value");
      if (system.empty() || value.empty()) continue;
      std::string key = system + "|" + value;
      if (std::find(id.keys.begin(), id.keys.end(), key) == id.keys.end()) id.keys.push_back(std::move(key));
    }
  }
  if (id.keys.empty() && !entry.id.empty() && !entry.type.empty()) {
    id.keys.push_back(entry.type + "/" + entry.id);
  }
  if (const Json* authored = member(r, "authoredOn"); authored != nullptr && authored->is_string()) {
    if (auto dt = parse_datetime(authored->get<std::string>(), nullptr)) {
      VersionKey v;
      v.authored_on = dt->instant;
      if (const Json* meta = member(r, "meta")) {
        if (auto lu = parse_datetime(string_of(*meta, "lastUpdated"), nullptr)) v.last_updated = lu->instant;
        v.version_id = string_of(*meta, "versionId");
      }
      id.version = v;
    }
  }
  id.resource_json = canonical(r);
  auto sha = sha256_hex(id.resource_json);
  if (!sha) return Unexpected(std::move(sha).error());
  id.content_sha256 = std::move(*sha);
  return id;
}

}  // namespace bcma::station::emar::detail
