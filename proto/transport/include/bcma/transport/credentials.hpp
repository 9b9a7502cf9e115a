#pragma once
/// \file
/// The key material each end of a connection needs, as PEM text.
///
/// A scanner's credentials come from pairing as one "device bundle" file: its private key, its
/// certificate, the station CA certificate it pins, and the station's name it expects in the
/// station certificate. The file holds a private key, so load_device_bundle refuses a file that
/// other users can read (as ssh does with private keys).

#include <filesystem>
#include <string>
#include <string_view>

#include "bcma/transport/error.hpp"

namespace bcma::transport {

/// What the station's server presents and trusts.
struct ServerCredentials {
  std::string ca_cert_pem;    ///< the only CA client certificates may chain to
  std::string cert_pem;       ///< the station's server certificate
  std::string key_pem;        ///< its private key
};

/// What a scanner keeps after pairing.
struct DeviceBundle {
  std::string device_id;
  std::string station_name;     ///< DNS name the station certificate must carry
  std::string ca_cert_pem;      ///< the pinned station CA
  std::string device_cert_pem;
  std::string device_key_pem;

  friend bool operator==(const DeviceBundle&, const DeviceBundle&) = default;
};

/// The bundle file format: a JSON object {format, version, device_id, station_name,
/// ca_cert_pem, device_cert_pem, device_key_pem}, keys in that order.
std::string serialize_bundle(const DeviceBundle& bundle);

/// Parses and checks a bundle: every field present, the device id valid, each PEM parseable,
/// the key matching the certificate, and the certificate naming the bundle's device id.
/// Errors: bad_bundle (format, version, missing field, key/certificate mismatch, id mismatch),
/// bad_device_id.
Result<DeviceBundle> parse_bundle(std::string_view text);

/// Reads and parses a bundle file.
/// Errors: io (unreadable), bad_bundle (as parse_bundle, or the file is readable by group or
/// others), bad_device_id.
Result<DeviceBundle> load_device_bundle(const std::filesystem::path& path);

}  // namespace bcma::transport
