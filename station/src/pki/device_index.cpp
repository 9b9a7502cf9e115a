#include "bcma/station/pki/device_index.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "atomic_file.hpp"
#include "time_text.hpp"

namespace bcma::station::pki {

namespace {

constexpr std::string_view kIndexFormat = "bcma-device-index";
constexpr int kIndexVersion = 1;

bool is_lower_hex(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<DeviceRecord> parse_record(const nlohmann::json& j, std::size_t position) {
  const std::string where = "device index entry " + std::to_string(position + 1);
  if (!j.is_object()) return fail(Errc::corrupt, where + " is not an object");
  auto text = [&](const char* key) -> Result<std::string> {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return fail(Errc::corrupt, where + " has no '" + key + "'");
    return it->get<std::string>();
  };
  auto time = [&](const char* key) -> Result<std::chrono::system_clock::time_point> {
    auto t = text(key);
    if (!t) return Unexpected(std::move(t).error());
    auto parsed = detail::parse_utc(*t);
    if (!parsed) return fail(Errc::corrupt, where + " has an invalid '" + key + "': " + *t);
    return *parsed;
  };

  DeviceRecord r;
  auto id = text("device_id");
  auto serial = text("serial");
  auto fingerprint = text("fingerprint_sha256");
  auto status = text("status");
  auto issued = time("issued_at");
  auto expires = time("expires_at");
  auto reason = text("revocation_reason");
  for (const auto* e : {&id, &serial, &fingerprint, &status, &reason}) {
    if (!*e) return Unexpected(e->error());
  }
  if (!issued) return Unexpected(std::move(issued).error());
  if (!expires) return Unexpected(std::move(expires).error());
  if (!transport::is_valid_device_id(*id)) return fail(Errc::corrupt, where + " has an invalid device id");
  if (!is_lower_hex(*serial)) return fail(Errc::corrupt, where + " has an invalid serial");
  if (fingerprint->size() != 64 || !is_lower_hex(*fingerprint)) {
    return fail(Errc::corrupt, where + " has an invalid fingerprint");
  }
  r.device_id = std::move(*id);
  r.serial_hex = std::move(*serial);
  r.fingerprint_sha256 = std::move(*fingerprint);
  r.issued_at = *issued;
  r.expires_at = *expires;
  r.revocation_reason = std::move(*reason);
  if (*status == "paired") {
    r.status = DeviceStatus::paired;
  } else if (*status == "revoked") {
    r.status = DeviceStatus::revoked;
  } else {
    return fail(Errc::corrupt, where + " has an unknown status '" + *status + "'");
  }

  const auto revoked = j.find("revoked_at");
  if (revoked == j.end()) return fail(Errc::corrupt, where + " has no 'revoked_at'");
  if (!revoked->is_null()) {
    auto t = time("revoked_at");
    if (!t) return Unexpected(std::move(t).error());
    r.revoked_at = *t;
  }
  if ((r.status == DeviceStatus::revoked) != r.revoked_at.has_value()) {
    return fail(Errc::corrupt, where + ": status and revoked_at disagree");
  }
  return r;
}

}  // namespace

std::string_view to_string(DeviceStatus status) {
  return status == DeviceStatus::paired ? "paired" : "revoked";
}

const DeviceRecord* DeviceIndex::find_paired(std::string_view device_id) const {
  for (const auto& r : records) {
    if (r.device_id == device_id && r.status == DeviceStatus::paired) return &r;
  }
  return nullptr;
}

DeviceRecord* DeviceIndex::find_paired(std::string_view device_id) {
  for (auto& r : records) {
    if (r.device_id == device_id && r.status == DeviceStatus::paired) return &r;
  }
  return nullptr;
}

const DeviceRecord* DeviceIndex::find_by_fingerprint(std::string_view fingerprint_sha256) const {
  for (const auto& r : records) {
    if (r.fingerprint_sha256 == fingerprint_sha256) return &r;
  }
  return nullptr;
}

bool DeviceIndex::contains(std::string_view device_id) const {
  for (const auto& r : records) {
    if (r.device_id == device_id) return true;
  }
  return false;
}

Result<DeviceRecord> find_device_for_certificate(const DeviceIndex& index,
                                                 const transport::CertificateInfo& certificate) {
  if (certificate.device_id.empty()) {
    return fail(Errc::bad_certificate, "certificate carries no bcma device identity");
  }
  const DeviceRecord* record = index.find_by_fingerprint(certificate.fingerprint_sha256);
  if (record == nullptr) {
    return fail(Errc::unknown_device, "certificate for '" + certificate.device_id +
                                          "' (fingerprint " + certificate.fingerprint_sha256 +
                                          ") was never issued by this station");
  }
  if (record->device_id != certificate.device_id || record->serial_hex != certificate.serial_hex) {
    return fail(Errc::bad_certificate, "certificate names '" + certificate.device_id +
                                           "' but the index lists its fingerprint for '" +
                                           record->device_id + "'");
  }
  return *record;
}

std::string serialize_index(const DeviceIndex& index) {
  nlohmann::ordered_json devices = nlohmann::ordered_json::array();
  for (const auto& r : index.records) {
    nlohmann::ordered_json j;
    j["device_id"] = r.device_id;
    j["serial"] = r.serial_hex;
    j["fingerprint_sha256"] = r.fingerprint_sha256;
    j["status"] = to_string(r.status);
    j["issued_at"] = detail::format_utc(r.issued_at);
    j["expires_at"] = detail::format_utc(r.expires_at);
    j["revoked_at"] = r.revoked_at ? nlohmann::ordered_json(detail::format_utc(*r.revoked_at)) : nullptr;
    j["revocation_reason"] = r.revocation_reason;
    devices.push_back(std::move(j));
  }
  nlohmann::ordered_json doc;
  doc["format"] = kIndexFormat;
  doc["version"] = kIndexVersion;
  doc["devices"] = std::move(devices);
  return doc.dump(2) + "\n";
}

Result<DeviceIndex> parse_index(std::string_view text) {
  const auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return fail(Errc::corrupt, "device index is not a JSON object");
  const auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() || format->get<std::string>() != kIndexFormat) {
    return fail(Errc::corrupt, "not a bcma device index (format field)");
  }
  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<int>() != kIndexVersion) {
    return fail(Errc::corrupt, "unsupported device index version");
  }
  const auto devices = doc.find("devices");
  if (devices == doc.end() || !devices->is_array()) return fail(Errc::corrupt, "device index has no device list");

  DeviceIndex index;
  std::set<std::string> paired_ids;
  std::set<std::string> fingerprints;
  for (std::size_t i = 0; i < devices->size(); ++i) {
    auto r = parse_record((*devices)[i], i);
    if (!r) return Unexpected(std::move(r).error());
    if (!fingerprints.insert(r->fingerprint_sha256).second) {
      return fail(Errc::corrupt, "device index lists fingerprint " + r->fingerprint_sha256 + " twice");
    }
    if (r->status == DeviceStatus::paired && !paired_ids.insert(r->device_id).second) {
      return fail(Errc::corrupt, "device index has two paired certificates for '" + r->device_id + "'");
    }
    index.records.push_back(std::move(*r));
  }
  return index;
}

Result<DeviceIndex> load_index(const std::filesystem::path& file) {
  auto text = detail::read_file(file);
  if (!text) return Unexpected(std::move(text).error());
  auto index = parse_index(*text);
  if (!index) {
    auto e = std::move(index).error();
    e.message = file.string() + ": " + e.message;
    return Unexpected(std::move(e));
  }
  return index;
}

Result<void> save_index(const std::filesystem::path& file, const DeviceIndex& index) {
  return detail::write_file_atomic(file, serialize_index(index), 0644);
}

}  // namespace bcma::station::pki
