#pragma once
/// \file
/// The running station's view of the device index, as the TLS server's DeviceAuthorizer.
///
/// The index file is replaced atomically on every change (by this process or by `bcma station
/// pair` / `revoke` in another), so each handshake checks whether the file changed (a stat:
/// inode, size, mtime) and reloads it if so. Pairing and revocation therefore take effect for
/// the next handshake without restarting the station. An index that cannot be read refuses
/// every device (fails closed) until it can.

#include <filesystem>
#include <memory>
#include <mutex>
#include <string_view>

#include "bcma/station/pki/device_index.hpp"
#include "bcma/station/pki/error.hpp"
#include "bcma/transport/device_identity.hpp"

namespace bcma::station::pki {

class DeviceRegistry final : public transport::DeviceAuthorizer {
 public:
  /// Errors: not_initialised, io, corrupt.
  static Result<std::unique_ptr<DeviceRegistry>> open(const std::filesystem::path& station_dir);

  /// Thread-safe. Refusals: unknown_device (not in the index), revoked, malformed (no device
  /// identity, identity contradicts the index, or the index is unreadable).
  bcma::Result<transport::DeviceIdentity, transport::Refusal> authorize(
      std::string_view certificate_der) override;

 private:
  explicit DeviceRegistry(std::filesystem::path index_file) : index_file_(std::move(index_file)) {}
  struct FileStamp {
    unsigned long long device = 0, inode = 0, size = 0;
    long long mtime_ns = 0;
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
  };
  /// Reloads if the file changed. Caller holds mutex_.
  Result<void> refresh();

  std::filesystem::path index_file_;
  std::mutex mutex_;
  DeviceIndex index_;
  FileStamp stamp_;
  bool loaded_ = false;
};

}  // namespace bcma::station::pki
