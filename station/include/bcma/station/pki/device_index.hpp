#pragma once
/// \file
/// The device index: every certificate the station CA has issued to a scanner, and whether it
/// is still trusted. Stored as pki/devices.json (format "bcma-device-index", version 1):
///
///     {"format": "bcma-device-index", "version": 1, "devices": [
///       {"device_id": "ward-a-01", "serial": "5f0c...", "fingerprint_sha256": "9a1b...",
///        "status": "paired", "issued_at": "2025-03-01T09:00:00Z",
///        "expires_at": "2027-06-04T09:00:00Z", "revoked_at": null, "revocation_reason": ""}]}
///
/// A device id may appear more than once (re-paired after a revocation); at most one of its
/// records is "paired". Certificates are identified by SHA-256 fingerprint, so a certificate
/// the index does not list is unknown even if the CA key signed it.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/station/pki/error.hpp"
#include "bcma/transport/device_identity.hpp"

namespace bcma::station::pki {

enum class DeviceStatus { paired, revoked };

std::string_view to_string(DeviceStatus status);

struct DeviceRecord {
  std::string device_id;
  std::string serial_hex;
  std::string fingerprint_sha256;
  DeviceStatus status = DeviceStatus::paired;
  std::chrono::system_clock::time_point issued_at;
  std::chrono::system_clock::time_point expires_at;
  std::optional<std::chrono::system_clock::time_point> revoked_at;
  std::string revocation_reason;

  friend bool operator==(const DeviceRecord&, const DeviceRecord&) = default;
};

struct DeviceIndex {
  std::vector<DeviceRecord> records;

  /// The paired record of `device_id`, if any.
  const DeviceRecord* find_paired(std::string_view device_id) const;
  DeviceRecord* find_paired(std::string_view device_id);
  const DeviceRecord* find_by_fingerprint(std::string_view fingerprint_sha256) const;
  bool contains(std::string_view device_id) const;
};

/// The record for a certificate, whatever its status.
/// Errors: unknown_device (fingerprint not listed), bad_certificate (the certificate has no
/// device identity, or names a different device than its record).
Result<DeviceRecord> find_device_for_certificate(const DeviceIndex& index,
                                                 const transport::CertificateInfo& certificate);

/// Errors: none (always succeeds); timestamps are written as UTC "YYYY-MM-DDThh:mm:ssZ".
std::string serialize_index(const DeviceIndex& index);
/// Errors: corrupt (not JSON, wrong format/version, a record with missing or invalid fields,
/// a device id with two paired records, a fingerprint listed twice).
Result<DeviceIndex> parse_index(std::string_view text);

/// Errors: io, corrupt.
Result<DeviceIndex> load_index(const std::filesystem::path& file);
/// Atomic replacement: temp file, fsync, rename, fsync of the directory. Errors: io.
Result<void> save_index(const std::filesystem::path& file, const DeviceIndex& index);

}  // namespace bcma::station::pki
