#pragma once
/// \file
/// The station's own certificate authority: it creates the station's TLS identity, issues one
/// certificate per paired scanner, revokes them, and answers "which device is this?".
///
/// Pairing (what `bcma station pair <device-id>` does): issue_device() generates the scanner's
/// key and certificate and records it in the index; write_device_bundle() stores the returned
/// bundle (scanner key, scanner certificate, CA certificate, station name) for the scanner,
/// which loads it with transport::load_device_bundle(). The key never stays on the station.
///
/// Every function takes the current time from its caller: nothing here reads the clock.

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/station/pki/device_index.hpp"
#include "bcma/station/pki/error.hpp"
#include "bcma/station/pki/layout.hpp"
#include "bcma/transport/credentials.hpp"

namespace bcma::station::pki {

enum class KeyAlgorithm {
  ec_p256,  ///< ECDSA P-256 with SHA-256: what every TLS 1.3 stack supports
  ed25519,
};

using Days = std::chrono::duration<std::int64_t, std::ratio<86400>>;

/// Long: when the CA expires every scanner must be paired again.
inline constexpr Days kDefaultCaValidity{3650};
/// Renewable at any time with renew_station_certificate(); scanners pin the CA, not this.
inline constexpr Days kDefaultStationValidity{825};
/// A scanner's certificate; re-pairing renews it.
inline constexpr Days kDefaultDeviceValidity{825};
/// notBefore is backdated by this much so that a scanner whose clock runs a little behind
/// the station's still accepts a certificate issued a moment ago.
inline constexpr std::chrono::hours kBackdate{1};

struct InitOptions {
  /// The DNS name scanners expect in the station certificate, e.g. "station.oakhouse.bcma".
  /// Lowercase letters, digits, '-' and '.'; it need not resolve: scanners dial an address
  /// and check this name.
  std::string station_name;
  /// The care home, for certificate subjects (O=). May be empty.
  std::string organisation;
  KeyAlgorithm algorithm = KeyAlgorithm::ec_p256;
  Days ca_validity = kDefaultCaValidity;
  Days station_validity = kDefaultStationValidity;
};

/// True for a lowercase DNS name: labels of 1-63 of [a-z0-9-], not starting or ending with
/// '-', joined by '.', at most 253 characters.
bool is_valid_station_name(std::string_view name);

class CertificateAuthority {
 public:
  /// Creates <station_dir>/pki with a new CA, the station's server key and certificate and an
  /// empty device index. Everything is written to a temporary directory first and renamed
  /// into place, so a crash leaves either no pki/ or a complete one.
  /// Errors: already_initialised, bad_station_name, bad_organisation, io, crypto.
  static Result<CertificateAuthority> initialise(const std::filesystem::path& station_dir,
                                                 const InitOptions& options,
                                                 std::chrono::system_clock::time_point now);

  /// Opens an initialised station directory (reads certificates; keys are read when needed).
  /// Errors: not_initialised, io, corrupt (a file does not parse, or the CA key does not match
  /// the CA certificate), insecure_permissions (pki/ or a key file open to group or others).
  static Result<CertificateAuthority> open(const std::filesystem::path& station_dir);

  /// Pairs a device: new key pair (same algorithm as the CA), certificate with CN = device id
  /// and SAN URI urn:bcma:device:<id>, EKU clientAuth, recorded in the index as paired.
  /// Errors: bad_device_id, device_already_paired, io, corrupt (index), crypto.
  Result<transport::DeviceBundle> issue_device(std::string_view device_id,
                                               std::chrono::system_clock::time_point now,
                                               Days validity = kDefaultDeviceValidity);

  /// Marks the device's paired certificate revoked. Takes effect for new handshakes at once,
  /// also in a running station (the registry notices the index change); close existing
  /// connections with transport::Server::disconnect_device.
  /// Errors: unknown_device, already_revoked, io, corrupt.
  Result<DeviceRecord> revoke_device(std::string_view device_id,
                                     std::chrono::system_clock::time_point now,
                                     std::string_view reason);

  /// The index record of a certificate (paired or revoked) after checking that this CA signed
  /// it. Errors: bad_certificate (does not parse, not signed by this CA, contradicts its
  /// record), unknown_device, io, corrupt.
  Result<DeviceRecord> lookup_by_certificate_pem(std::string_view pem) const;
  Result<DeviceRecord> lookup_by_certificate_der(std::string_view der) const;

  /// Every record in the index, in issue order. Errors: io, corrupt.
  Result<std::vector<DeviceRecord>> devices() const;

  /// What transport::Server::create needs. Errors: io, corrupt (including a station key that
  /// does not match its certificate: an interrupted renewal; renew again), insecure_permissions.
  Result<transport::ServerCredentials> server_credentials() const;

  /// Issues a new station key and certificate (same name), replacing the old pair atomically.
  /// Scanners keep working: they pin the CA. Errors: io, corrupt, crypto.
  Result<void> renew_station_certificate(std::chrono::system_clock::time_point now,
                                         Days validity = kDefaultStationValidity);

  const std::string& station_name() const { return station_name_; }
  const std::string& ca_certificate_pem() const { return ca_cert_pem_; }
  KeyAlgorithm algorithm() const { return algorithm_; }
  const PkiPaths& paths() const { return paths_; }

 private:
  CertificateAuthority() = default;

  PkiPaths paths_;
  std::string ca_cert_pem_;
  std::string station_name_;
  std::string organisation_;
  KeyAlgorithm algorithm_ = KeyAlgorithm::ec_p256;
};

/// Writes a pairing bundle for a scanner (mode 0600, atomically).
/// Errors: io.
Result<void> write_device_bundle(const std::filesystem::path& file,
                                 const transport::DeviceBundle& bundle);

}  // namespace bcma::station::pki
