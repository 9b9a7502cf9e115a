#pragma once
// Durable file replacement and an inter-process lock for pki/. Private to bcma_station_pki.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "bcma/station/pki/error.hpp"

namespace bcma::station::pki::detail {

/// Replaces `file` with `content`: a temporary file in the same directory (created with
/// `mode` from the start, so a key is never briefly world-readable), fsync, rename over
/// `file`, fsync of the directory. Readers see the old or the new file, never a mix.
/// Errors: io.
Result<void> write_file_atomic(const std::filesystem::path& file, std::string_view content, mode_t mode);

/// Errors: io.
Result<std::string> read_file(const std::filesystem::path& file);

/// Errors: io.
Result<void> fsync_directory(const std::filesystem::path& dir);

/// An exclusive flock() on a lock file, held for the object's lifetime: serialises
/// read-modify-write of the index between the station and `bcma station` commands.
class FileLock {
 public:
  /// Blocks until the lock is held. Errors: io.
  static Result<FileLock> acquire(const std::filesystem::path& lock_file);
  FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace bcma::station::pki::detail
