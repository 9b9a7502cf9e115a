#pragma once
/// \file
/// How a running station learns that a device was revoked by `bcma station revoke` (another
/// process): the registry refuses the next handshake at once, but a connection that is already
/// open never handshakes again. The watch re-reads the device index when the file changes
/// (it is replaced atomically on every change) and, on every sweep, names the open connections
/// whose certificate is no longer paired, so that the station can cut them.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/station/server/protocol_handler.hpp"

namespace bcma::station::server {

class RevocationWatch {
 public:
  explicit RevocationWatch(std::filesystem::path device_index) : file_(std::move(device_index)) {}

  /// Reloads the index if it changed. Errors: `device_index_unreadable` (the last good index
  /// stays in force for open connections; new handshakes fail closed in the registry).
  Result<void> refresh();

  /// The connections whose certificate fingerprint is not paired in the index (revoked,
  /// re-paired with a new certificate, or removed). Empty before the first successful refresh.
  std::vector<ProtocolHandler::Connection> untrusted(
      const std::vector<ProtocolHandler::Connection>& open) const;

 private:
  struct Stamp {
    unsigned long long device = 0, inode = 0, size = 0;
    long long mtime_ns = 0;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };
  std::filesystem::path file_;
  Stamp stamp_;
  bool loaded_ = false;
  std::set<std::string, std::less<>> paired_fingerprints_;
};

}  // namespace bcma::station::server
