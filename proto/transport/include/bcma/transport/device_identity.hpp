#pragma once
/// \file
/// How a scanner's identity is carried in its certificate, and the interface through which the
/// server asks the station whether a certificate belongs to a device it still trusts.
///
/// A device certificate names the device twice: subject CN = device id, and a subjectAltName
/// URI `urn:bcma:device:<device id>`. The URI is authoritative (a CN is free text to many tools).

#include <chrono>
#include <string>
#include <string_view>

#include "bcma/transport/error.hpp"

namespace bcma::transport {

inline constexpr std::string_view kDeviceUriPrefix = "urn:bcma:device:";
inline constexpr std::size_t kMaxDeviceIdLength = 64;

/// 1 to 64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit: safe in file
/// names, log lines, certificate names and URIs without escaping.
bool is_valid_device_id(std::string_view id);

/// What the transport reads from a certificate.
struct CertificateInfo {
  std::string device_id;           ///< from the `urn:bcma:device:` URI; empty if there is none
  std::string common_name;         ///< subject CN (may be empty)
  std::string serial_hex;          ///< lowercase hex, no leading zeros
  std::string fingerprint_sha256;  ///< lowercase hex of SHA-256 over the DER encoding
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

/// Errors: bad_certificate (does not parse, or has no usable validity dates).
Result<CertificateInfo> inspect_certificate_der(std::string_view der);
/// Errors: bad_credentials (not PEM), bad_certificate (as above).
Result<CertificateInfo> inspect_certificate_pem(std::string_view pem);

/// The device a connection belongs to, as accepted by the station.
struct DeviceIdentity {
  std::string device_id;
  std::string serial_hex;
  std::string fingerprint_sha256;

  friend bool operator==(const DeviceIdentity&, const DeviceIdentity&) = default;
};

/// Why the station will not talk to a certificate's holder.
enum class RefusalKind {
  unknown_device,  ///< not in the device index (never paired here, or another station's)
  revoked,         ///< paired once, since revoked
  malformed,       ///< no device identity, or it contradicts the index entry
};

std::string_view to_string(RefusalKind kind);

struct Refusal {
  RefusalKind kind;
  std::string device_id;  ///< as claimed by the certificate; may be empty
  std::string reason;     ///< for the log
};

/// The station's device registry, seen from the server. Called once per handshake, after the
/// chain has verified against the station CA, from any server thread: implementations must be
/// thread-safe and quick (it runs inside the TLS handshake).
class DeviceAuthorizer {
 public:
  virtual ~DeviceAuthorizer() = default;
  DeviceAuthorizer() = default;
  DeviceAuthorizer(const DeviceAuthorizer&) = delete;
  DeviceAuthorizer& operator=(const DeviceAuthorizer&) = delete;

  /// `certificate_der` is the client's leaf certificate.
  virtual bcma::Result<DeviceIdentity, Refusal> authorize(std::string_view certificate_der) = 0;
};

}  // namespace bcma::transport
