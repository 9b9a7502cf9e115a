#include "bcma/transport/credentials.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bcma/transport/device_identity.hpp"
#include "bcma/transport/openssl_util.hpp"

namespace bcma::transport {

namespace {

constexpr std::string_view kBundleFormat = "bcma-device-bundle";
constexpr int kBundleVersion = 1;

Result<std::string> string_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return fail(Errc::bad_bundle, std::string("device bundle has no '") + key + "'");
  }
  return it->get<std::string>();
}

}  // namespace

std::string serialize_bundle(const DeviceBundle& bundle) {
  nlohmann::ordered_json j;
  j["format"] = kBundleFormat;
  j["version"] = kBundleVersion;
  j["device_id"] = bundle.device_id;
  j["station_name"] = bundle.station_name;
  j["ca_cert_pem"] = bundle.ca_cert_pem;
  j["device_cert_pem"] = bundle.device_cert_pem;
  j["device_key_pem"] = bundle.device_key_pem;
  return j.dump(2) + "\n";
}

Result<DeviceBundle> parse_bundle(std::string_view text) {
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return fail(Errc::bad_bundle, "device bundle is not a JSON object");
  }
  auto format = string_field(j, "format");
  if (!format || *format != kBundleFormat) {
    return fail(Errc::bad_bundle, "not a bcma device bundle (format field)");
  }
  const auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer() || version->get<int>() != kBundleVersion) {
    return fail(Errc::bad_bundle, "unsupported device bundle version (this build reads version " +
                                      std::to_string(kBundleVersion) + ")");
  }
  DeviceBundle b;
  for (auto [field, key] : {std::pair{&b.device_id, "device_id"}, {&b.station_name, "station_name"},
                            {&b.ca_cert_pem, "ca_cert_pem"}, {&b.device_cert_pem, "device_cert_pem"},
                            {&b.device_key_pem, "device_key_pem"}}) {
    auto value = string_field(j, key);
    if (!value) return Unexpected(std::move(value).error());
    *field = std::move(*value);
  }
  if (!is_valid_device_id(b.device_id)) {
    return fail(Errc::bad_device_id, "device bundle names an invalid device id '" + b.device_id + "'");
  }

  auto ca = ossl::certificate_from_pem(b.ca_cert_pem);
  if (!ca) return fail(Errc::bad_bundle, "device bundle CA certificate: " + ca.error().message);
  auto cert = ossl::certificate_from_pem(b.device_cert_pem);
  if (!cert) return fail(Errc::bad_bundle, "device bundle certificate: " + cert.error().message);
  auto key = ossl::private_key_from_pem(b.device_key_pem);
  if (!key) return fail(Errc::bad_bundle, "device bundle key: " + key.error().message);
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    ossl::take_errors();
    return fail(Errc::bad_bundle, "device bundle key does not match its certificate");
  }
  auto info = inspect_certificate_pem(b.device_cert_pem);
  if (!info) return fail(Errc::bad_bundle, "device bundle certificate: " + info.error().message);
  if (info->device_id != b.device_id) {
    return fail(Errc::bad_bundle, "device bundle is for '" + b.device_id +
                                      "' but its certificate names '" + info->device_id + "'");
  }
  return b;
}

Result<DeviceBundle> load_device_bundle(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return fail(Errc::io, "cannot read device bundle " + path.string() + ": " + std::strerror(errno));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return fail(Errc::bad_bundle, "device bundle " + path.string() +
                                      " holds a private key but is accessible to other users "
                                      "(chmod 600 it)");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return fail(Errc::io, "cannot read device bundle " + path.string());
  auto bundle = parse_bundle(text.str());
  if (!bundle) {
    auto error = std::move(bundle).error();
    error.message = path.string() + ": " + error.message;
    return Unexpected(std::move(error));
  }
  return bundle;
}

}  // namespace bcma::transport
