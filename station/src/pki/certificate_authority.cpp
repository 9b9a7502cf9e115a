#include "bcma/station/pki/certificate_authority.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "atomic_file.hpp"
#include "x509_builder.hpp"

namespace bcma::station::pki {

namespace {

namespace ossl = transport::ossl;
using Clock = std::chrono::system_clock;

constexpr std::size_t kMaxOrganisation = 64;  // X.520 upper bound for O=

std::string errno_text() { return std::strerror(errno); }

PkiError from_transport(const transport::TransportError& e, Errc code) { return PkiError{code, e.message}; }

Result<void> check_private(const std::filesystem::path& path, mode_t allowed_mask) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(Errc::io, "cannot stat " + path.string() + ": " + errno_text());
  if ((st.st_mode & allowed_mask) != 0) {
    return fail(Errc::insecure_permissions,
                path.string() + " is accessible to other users; it must be readable by the station only");
  }
  return {};
}

Result<ossl::X509Ptr> read_certificate(const std::filesystem::path& file) {
  auto text = detail::read_file(file);
  if (!text) return Unexpected(std::move(text).error());
  auto cert = ossl::certificate_from_pem(*text);
  if (!cert) return fail(Errc::corrupt, file.string() + ": " + cert.error().message);
  return std::move(*cert);
}

Result<ossl::PkeyPtr> read_key(const std::filesystem::path& file) {
  if (auto r = check_private(file, S_IRWXG | S_IRWXO); !r) return Unexpected(std::move(r).error());
  auto text = detail::read_file(file);
  if (!text) return Unexpected(std::move(text).error());
  auto key = ossl::private_key_from_pem(*text);
  if (!key) return fail(Errc::corrupt, file.string() + ": " + key.error().message);
  return std::move(*key);
}

std::string organisation_of(const X509& cert) {
  const X509_NAME* name = X509_get_subject_name(&cert);
  const int i = X509_NAME_get_index_by_NID(name, NID_organizationName, -1);
  if (i < 0) return {};
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

Clock::time_point not_after_of(const X509& cert) {
  std::tm tm{};
  ASN1_TIME_to_tm(X509_get0_notAfter(&cert), &tm);
  return Clock::from_time_t(timegm(&tm));
}

/// The validity window of a certificate issued at `now`, never beyond the CA's own.
std::pair<Clock::time_point, Clock::time_point> validity(Clock::time_point now, Days days, const X509* ca) {
  auto end = now + std::chrono::duration_cast<Clock::duration>(days);
  if (ca != nullptr) end = std::min(end, not_after_of(*ca));
  return {now - kBackdate, end};
}

struct StationPair {
  std::string key_pem;
  std::string cert_pem;
};

Result<StationPair> make_station_pair(KeyAlgorithm algorithm, const std::string& station_name,
                                      const std::string& organisation, X509& ca, EVP_PKEY& ca_key,
                                      Clock::time_point now, Days days) {
  auto key = detail::generate_key(algorithm);
  if (!key) return Unexpected(std::move(key).error());
  const auto [from, to] = validity(now, days, &ca);
  detail::CertRequest request{detail::CertRole::station, station_name, organisation, station_name, {}, from, to};
  auto cert = detail::issue_certificate(request, **key, &ca, ca_key);
  if (!cert) return Unexpected(std::move(cert).error());
  auto key_pem = ossl::private_key_to_pem(**key);
  auto cert_pem = ossl::to_pem(**cert);
  if (!key_pem || !cert_pem) return fail(Errc::crypto, "cannot encode the station key or certificate");
  return StationPair{std::move(*key_pem), std::move(*cert_pem)};
}

}  // namespace

bool is_valid_station_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  char previous = '.';
  for (const char c : name) {
    if (c == '.') {
      if (label == 0 || previous == '-') return false;
      label = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
      if (c == '-' && label == 0) return false;
      if (++label > 63) return false;
    } else {
      return false;
    }
    previous = c;
  }
  return label > 0 && previous != '-';
}

Result<CertificateAuthority> CertificateAuthority::initialise(const std::filesystem::path& station_dir,
                                                              const InitOptions& options,
                                                              Clock::time_point now) {
  if (!is_valid_station_name(options.station_name)) {
    return fail(Errc::bad_station_name, "station name '" + options.station_name +
                                            "' is not a lowercase DNS name (e.g. station.oakhouse.bcma)");
  }
  if (options.organisation.size() > kMaxOrganisation ||
      std::any_of(options.organisation.begin(), options.organisation.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
    return fail(Errc::bad_organisation, "organisation must be at most 64 characters without control characters");
  }
  const PkiPaths paths = pki_paths(station_dir);
  std::error_code ec;
  if (std::filesystem::exists(paths.dir, ec)) {
    return fail(Errc::already_initialised, paths.dir.string() + " already exists; a CA is never overwritten");
  }
  std::filesystem::create_directories(station_dir, ec);
  if (ec) return fail(Errc::io, "cannot create " + station_dir.string() + ": " + ec.message());

  auto ca_key = detail::generate_key(options.algorithm);
  if (!ca_key) return Unexpected(std::move(ca_key).error());
  const auto [ca_from, ca_to] = validity(now, options.ca_validity, nullptr);
  detail::CertRequest ca_request{detail::CertRole::ca, "bcma station CA " + options.station_name,
                                 options.organisation, {}, {}, ca_from, ca_to};
  auto ca_cert = detail::issue_certificate(ca_request, **ca_key, nullptr, **ca_key);
  if (!ca_cert) return Unexpected(std::move(ca_cert).error());
  auto station = make_station_pair(options.algorithm, options.station_name, options.organisation, **ca_cert,
                                   **ca_key, now, options.station_validity);
  if (!station) return Unexpected(std::move(station).error());
  auto ca_key_pem = ossl::private_key_to_pem(**ca_key);
  auto ca_cert_pem = ossl::to_pem(**ca_cert);
  if (!ca_key_pem || !ca_cert_pem) return fail(Errc::crypto, "cannot encode the CA key or certificate");

  // Build the whole directory beside its final place, then rename it in: a crash leaves no
  // half-made pki/ that would block a retry or, worse, be used.
  std::string temp_name = (station_dir / ".pki.tmp-XXXXXX").string();
  std::vector<char> templ(temp_name.begin(), temp_name.end());
  templ.push_back('\0');
  if (::mkdtemp(templ.data()) == nullptr) {
    return fail(Errc::io, "cannot create a directory in " + station_dir.string() + ": " + errno_text());
  }
  const std::filesystem::path temp_dir(templ.data());
  const PkiPaths temp = pki_files_in(temp_dir);
  auto cleanup = [&] { std::filesystem::remove_all(temp_dir, ec); };
  for (const auto& [file, content, mode] :
       {std::tuple{temp.ca_key, *ca_key_pem, mode_t{0600}}, std::tuple{temp.ca_cert, *ca_cert_pem, mode_t{0644}},
        std::tuple{temp.station_key, station->key_pem, mode_t{0600}},
        std::tuple{temp.station_cert, station->cert_pem, mode_t{0644}},
        std::tuple{temp.device_index, serialize_index(DeviceIndex{}), mode_t{0644}}}) {
    if (auto r = detail::write_file_atomic(file, content, mode); !r) {
      cleanup();
      return Unexpected(std::move(r).error());
    }
  }
  if (::renameat2(AT_FDCWD, temp_dir.c_str(), AT_FDCWD, paths.dir.c_str(), RENAME_NOREPLACE) != 0) {
    const int err = errno;
    cleanup();
    if (err == EEXIST || err == ENOTEMPTY) {
      return fail(Errc::already_initialised, paths.dir.string() + " appeared while initialising");
    }
    return fail(Errc::io, "cannot create " + paths.dir.string() + ": " + std::strerror(err));
  }
  if (auto r = detail::fsync_directory(station_dir); !r) return Unexpected(std::move(r).error());
  return open(station_dir);
}

Result<CertificateAuthority> CertificateAuthority::open(const std::filesystem::path& station_dir) {
  CertificateAuthority ca;
  ca.paths_ = pki_paths(station_dir);
  std::error_code ec;
  if (!std::filesystem::is_directory(ca.paths_.dir, ec)) {
    return fail(Errc::not_initialised, station_dir.string() + " has no pki/ directory: initialise the station first");
  }
  if (auto r = check_private(ca.paths_.dir, S_IRWXG | S_IRWXO); !r) return Unexpected(std::move(r).error());
  auto ca_cert = read_certificate(ca.paths_.ca_cert);
  if (!ca_cert) return Unexpected(std::move(ca_cert).error());
  auto ca_key = read_key(ca.paths_.ca_key);
  if (!ca_key) return Unexpected(std::move(ca_key).error());
  if (X509_check_private_key(ca_cert->get(), ca_key->get()) != 1) {
    ossl::take_errors();
    return fail(Errc::corrupt, ca.paths_.ca_key.string() + " does not belong to " + ca.paths_.ca_cert.string());
  }
  auto algorithm = detail::algorithm_of(**ca_key);
  if (!algorithm) return Unexpected(std::move(algorithm).error());
  auto station_cert = read_certificate(ca.paths_.station_cert);
  if (!station_cert) return Unexpected(std::move(station_cert).error());
  ca.station_name_ = detail::station_name_of(**station_cert);
  if (!is_valid_station_name(ca.station_name_)) {
    return fail(Errc::corrupt, ca.paths_.station_cert.string() + " carries no valid station name");
  }
  auto pem = ossl::to_pem(**ca_cert);
  if (!pem) return fail(Errc::corrupt, pem.error().message);
  ca.ca_cert_pem_ = std::move(*pem);
  ca.organisation_ = organisation_of(**ca_cert);
  ca.algorithm_ = *algorithm;
  return ca;
}

Result<transport::DeviceBundle> CertificateAuthority::issue_device(std::string_view device_id,
                                                                   Clock::time_point now, Days days) {
  if (!transport::is_valid_device_id(device_id)) {
    return fail(Errc::bad_device_id, "device id '" + std::string(device_id) +
                                         "' must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit");
  }
  auto lock = detail::FileLock::acquire(paths_.lock);
  if (!lock) return Unexpected(std::move(lock).error());
  auto index = load_index(paths_.device_index);
  if (!index) return Unexpected(std::move(index).error());
  if (index->find_paired(device_id) != nullptr) {
    return fail(Errc::device_already_paired,
                "device '" + std::string(device_id) + "' is already paired; revoke it before pairing it again");
  }
  auto ca_cert = read_certificate(paths_.ca_cert);
  if (!ca_cert) return Unexpected(std::move(ca_cert).error());
  auto ca_key = read_key(paths_.ca_key);
  if (!ca_key) return Unexpected(std::move(ca_key).error());

  auto key = detail::generate_key(algorithm_);
  if (!key) return Unexpected(std::move(key).error());
  const auto [from, to] = validity(now, days, ca_cert->get());
  const std::string id(device_id);
  detail::CertRequest request{detail::CertRole::device, id, organisation_, {}, id, from, to};
  auto cert = detail::issue_certificate(request, **key, ca_cert->get(), **ca_key);
  if (!cert) return Unexpected(std::move(cert).error());
  auto cert_pem = ossl::to_pem(**cert);
  auto key_pem = ossl::private_key_to_pem(**key);
  if (!cert_pem || !key_pem) return fail(Errc::crypto, "cannot encode the device key or certificate");
  auto info = transport::inspect_certificate_pem(*cert_pem);
  if (!info) return Unexpected(from_transport(info.error(), Errc::crypto));

  DeviceRecord record;
  record.device_id = id;
  record.serial_hex = info->serial_hex;
  record.fingerprint_sha256 = info->fingerprint_sha256;
  record.status = DeviceStatus::paired;
  record.issued_at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  record.expires_at = info->not_after;
  index->records.push_back(record);
  if (auto saved = save_index(paths_.device_index, *index); !saved) return Unexpected(std::move(saved).error());

  return transport::DeviceBundle{id, station_name_, ca_cert_pem_, std::move(*cert_pem), std::move(*key_pem)};
}

Result<DeviceRecord> CertificateAuthority::revoke_device(std::string_view device_id, Clock::time_point now,
                                                         std::string_view reason) {
  auto lock = detail::FileLock::acquire(paths_.lock);
  if (!lock) return Unexpected(std::move(lock).error());
  auto index = load_index(paths_.device_index);
  if (!index) return Unexpected(std::move(index).error());
  DeviceRecord* record = index->find_paired(device_id);
  if (record == nullptr) {
    if (index->contains(device_id)) {
      return fail(Errc::already_revoked, "device '" + std::string(device_id) + "' is already revoked");
    }
    return fail(Errc::unknown_device, "no device '" + std::string(device_id) + "' has been paired with this station");
  }
  record->status = DeviceStatus::revoked;
  record->revoked_at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  record->revocation_reason = std::string(reason);
  const DeviceRecord result = *record;
  if (auto saved = save_index(paths_.device_index, *index); !saved) return Unexpected(std::move(saved).error());
  return result;
}

Result<DeviceRecord> CertificateAuthority::lookup_by_certificate_der(std::string_view der) const {
  auto cert = ossl::certificate_from_der(der);
  if (!cert) return fail(Errc::bad_certificate, cert.error().message);
  auto ca_cert = ossl::certificate_from_pem(ca_cert_pem_);
  if (!ca_cert) return fail(Errc::corrupt, ca_cert.error().message);
  if (X509_verify(cert->get(), X509_get0_pubkey(ca_cert->get())) != 1) {
    ossl::take_errors();
    return fail(Errc::bad_certificate, "certificate was not signed by this station's CA");
  }
  auto info = transport::inspect_certificate_der(der);
  if (!info) return fail(Errc::bad_certificate, info.error().message);
  auto index = load_index(paths_.device_index);
  if (!index) return Unexpected(std::move(index).error());
  return find_device_for_certificate(*index, *info);
}

Result<DeviceRecord> CertificateAuthority::lookup_by_certificate_pem(std::string_view pem) const {
  auto cert = ossl::certificate_from_pem(pem);
  if (!cert) return fail(Errc::bad_certificate, cert.error().message);
  auto der = ossl::to_der(**cert);
  if (!der) return fail(Errc::bad_certificate, der.error().message);
  return lookup_by_certificate_der(*der);
}

Result<std::vector<DeviceRecord>> CertificateAuthority::devices() const {
  auto index = load_index(paths_.device_index);
  if (!index) return Unexpected(std::move(index).error());
  return std::move(index->records);
}

Result<transport::ServerCredentials> CertificateAuthority::server_credentials() const {
  auto key = read_key(paths_.station_key);
  if (!key) return Unexpected(std::move(key).error());
  auto cert = read_certificate(paths_.station_cert);
  if (!cert) return Unexpected(std::move(cert).error());
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    ossl::take_errors();
    return fail(Errc::corrupt, paths_.station_key.string() + " does not match " + paths_.station_cert.string() +
                                   " (an interrupted renewal?): renew the station certificate");
  }
  auto key_pem = detail::read_file(paths_.station_key);
  if (!key_pem) return Unexpected(std::move(key_pem).error());
  auto cert_pem = detail::read_file(paths_.station_cert);
  if (!cert_pem) return Unexpected(std::move(cert_pem).error());
  return transport::ServerCredentials{ca_cert_pem_, std::move(*cert_pem), std::move(*key_pem)};
}

Result<void> CertificateAuthority::renew_station_certificate(Clock::time_point now, Days days) {
  auto lock = detail::FileLock::acquire(paths_.lock);
  if (!lock) return Unexpected(std::move(lock).error());
  auto ca_cert = read_certificate(paths_.ca_cert);
  if (!ca_cert) return Unexpected(std::move(ca_cert).error());
  auto ca_key = read_key(paths_.ca_key);
  if (!ca_key) return Unexpected(std::move(ca_key).error());
  auto station = make_station_pair(algorithm_, station_name_, organisation_, **ca_cert, **ca_key, now, days);
  if (!station) return Unexpected(std::move(station).error());
  // Key first: a crash between the two renames leaves a mismatch that server_credentials()
  // reports, never an old key with a new certificate silently in use.
  if (auto r = detail::write_file_atomic(paths_.station_key, station->key_pem, 0600); !r) return r;
  return detail::write_file_atomic(paths_.station_cert, station->cert_pem, 0644);
}

Result<void> write_device_bundle(const std::filesystem::path& file, const transport::DeviceBundle& bundle) {
  return detail::write_file_atomic(file, transport::serialize_bundle(bundle), 0600);
}

}  // namespace bcma::station::pki
