#pragma once
/// \file
/// The outbox's view of persistent storage: a flat directory of named files with the few
/// operations a crash-safe log needs. The POSIX implementation is `PosixStorage`; the embedded
/// HAL or a simulator can provide their own. Every operation that changes a file is durable
/// when it returns successfully: that promise is what the outbox's guarantees rest on.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/fw/outbox/error.hpp"

namespace bcma::fw::outbox {

using Bytes = std::vector<std::uint8_t>;

/// File names are plain names: non-empty, no '/', no NUL, not "." or "..". The public methods
/// check that and forward to the private `do_*` methods an implementation overrides.
class Storage {
 public:
  virtual ~Storage() = default;

  /// The whole content of `name`, or nullopt if there is no such file.
  /// Errors: `invalid_argument`, `io`.
  Result<std::optional<Bytes>> read(std::string_view name);

  /// Appends `data` to `name` (created if absent) and makes it durable (fdatasync, and the
  /// directory entry too when the file was created) before returning. On an error some prefix
  /// of `data` may have reached the file: the caller truncates back to the size it knows.
  /// Errors: `invalid_argument`, `storage_full`, `io`.
  Result<void> append(std::string_view name, std::span<const std::uint8_t> data);

  /// Shortens `name` to `size` bytes, durably. Errors: `invalid_argument`, `io`.
  Result<void> truncate(std::string_view name, std::uint64_t size);

  /// Atomically and durably replaces `name` with `data`: after a crash at any moment the file
  /// is either entirely the old content (or absent, if it was) or entirely `data`.
  /// Errors: `invalid_argument`, `storage_full`, `io`.
  Result<void> replace(std::string_view name, std::span<const std::uint8_t> data);

  /// Removes `name` durably; removing a missing file succeeds. Errors: `invalid_argument`, `io`.
  Result<void> remove(std::string_view name);

  /// The names of the files present. Errors: `io`.
  Result<std::vector<std::string>> list();

  /// Where `name` lives, for messages (a path for files).
  std::string describe(std::string_view name) const { return do_describe(name); }

 private:
  virtual Result<std::optional<Bytes>> do_read(std::string_view name) = 0;
  virtual Result<void> do_append(std::string_view name, std::span<const std::uint8_t> data) = 0;
  virtual Result<void> do_truncate(std::string_view name, std::uint64_t size) = 0;
  virtual Result<void> do_replace(std::string_view name, std::span<const std::uint8_t> data) = 0;
  virtual Result<void> do_remove(std::string_view name) = 0;
  virtual Result<std::vector<std::string>> do_list() = 0;
  virtual std::string do_describe(std::string_view name) const = 0;
};

}  // namespace bcma::fw::outbox
