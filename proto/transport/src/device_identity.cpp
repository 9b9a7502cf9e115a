#include "bcma/transport/device_identity.hpp"

#include <openssl/asn1.h>

#include "bcma/transport/openssl_util.hpp"

namespace bcma::transport {

namespace {

bool is_id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

std::string asn1_string(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  const unsigned char* data = ASN1_STRING_get0_data(s);
  const int size = ASN1_STRING_length(s);
  if (data == nullptr || size <= 0) return {};
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

Result<std::chrono::system_clock::time_point> to_time_point(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return fail(Errc::bad_certificate, "certificate has an unreadable validity date");
  }
  const time_t secs = timegm(&tm);
  return std::chrono::system_clock::from_time_t(secs);
}

std::string device_id_from_san(X509& cert) {
  ossl::GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(&cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return {};
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_URI) continue;
    const std::string uri = asn1_string(name->d.uniformResourceIdentifier);
    if (uri.starts_with(kDeviceUriPrefix)) return uri.substr(kDeviceUriPrefix.size());
  }
  return {};
}

Result<CertificateInfo> inspect(X509& cert) {
  CertificateInfo info;
  info.device_id = device_id_from_san(cert);

  const X509_NAME* subject = X509_get_subject_name(&cert);
  const int cn_index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (cn_index >= 0) {
    info.common_name = asn1_string(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, cn_index)));
  }

  ossl::BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(&cert), nullptr));
  if (!serial) return fail(Errc::bad_certificate, "unreadable serial number: " + ossl::take_errors());
  std::vector<unsigned char> serial_bytes(static_cast<std::size_t>(BN_num_bytes(serial.get())));
  BN_bn2bin(serial.get(), serial_bytes.data());
  info.serial_hex = ossl::to_hex(serial_bytes.data(), serial_bytes.size());
  while (info.serial_hex.size() > 1 && info.serial_hex.front() == '0') info.serial_hex.erase(0, 1);
  if (info.serial_hex.empty()) info.serial_hex = "0";

  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_size = 0;
  if (X509_digest(&cert, EVP_sha256(), md, &md_size) != 1) {
    return fail(Errc::bad_certificate, "could not fingerprint certificate: " + ossl::take_errors());
  }
  info.fingerprint_sha256 = ossl::to_hex(md, md_size);

  auto not_before = to_time_point(X509_get0_notBefore(&cert));
  if (!not_before) return Unexpected(std::move(not_before).error());
  auto not_after = to_time_point(X509_get0_notAfter(&cert));
  if (!not_after) return Unexpected(std::move(not_after).error());
  info.not_before = *not_before;
  info.not_after = *not_after;
  return info;
}

}  // namespace

bool is_valid_device_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxDeviceIdLength) return false;
  const char first = id.front();
  if (first == '.' || first == '_' || first == '-') return false;
  for (const char c : id) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

std::string_view to_string(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::unknown_device: return "unknown_device";
    case RefusalKind::revoked: return "revoked";
    case RefusalKind::malformed: return "malformed";
  }
  return "unknown";
}

Result<CertificateInfo> inspect_certificate_der(std::string_view der) {
  auto cert = ossl::certificate_from_der(der);
  if (!cert) return Unexpected(std::move(cert).error());
  return inspect(**cert);
}

Result<CertificateInfo> inspect_certificate_pem(std::string_view pem) {
  auto cert = ossl::certificate_from_pem(pem);
  if (!cert) return Unexpected(std::move(cert).error());
  return inspect(**cert);
}

}  // namespace bcma::transport
