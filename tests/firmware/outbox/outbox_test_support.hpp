#pragma once
// Shared by the outbox tests and the crash-test child: temporary directories, ids and payloads
// made from numbers, raw file access, and a Storage that fails on command (around real files).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bcma/fw/outbox/outbox.hpp"
#include "bcma/fw/outbox/posix_storage.hpp"

namespace bcma::fw::outbox::testing {

/// A fresh directory under the system temp dir, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A version 4 UUID made from a number: distinct numbers give distinct ids.
Uuid id_of(std::uint64_t n);
/// The number `id_of` made `id` from.
std::uint64_t number_of(const Uuid& id);
/// A payload that depends on `n` (so a record delivered under the wrong id shows), of
/// `size` bytes (default: 40 to 199 bytes, varying with n), shaped like a small Protobuf message.
Bytes payload_of(std::uint64_t n, std::size_t size = 0);

Bytes read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const Bytes& content);

/// `dir`/outbox.log.
std::filesystem::path log_path(const std::filesystem::path& dir);
/// The names of the files in `dir`, sorted.
std::vector<std::string> files_in(const std::filesystem::path& dir);

/// A real PosixStorage whose operations can be made to fail, as a full or failing flash chip
/// would, at a chosen moment.
class FaultyStorage final : public Storage {
 public:
  struct Faults {
    /// Append: write this many bytes of the data for real, then fail with `append_errno`.
    std::optional<std::size_t> append_partial;
    int append_errno = 5;  // EIO
    bool fail_truncate = false;
    /// Replace: fail before touching anything (as a full disk fails writing the temp file).
    bool fail_replace_before = false;
    /// Replace: do it for real, then report failure (as a failed directory fsync would).
    bool fail_replace_after = false;
    /// Only replacements of names starting with this are affected ("" = all).
    std::string replace_prefix;
  };

  explicit FaultyStorage(std::unique_ptr<PosixStorage> inner) : inner_(std::move(inner)) {}
  Faults faults;
  std::size_t appends = 0;
  std::size_t replaces = 0;

 private:
  Result<std::optional<Bytes>> do_read(std::string_view name) override;
  Result<void> do_append(std::string_view name, std::span<const std::uint8_t> data) override;
  Result<void> do_truncate(std::string_view name, std::uint64_t size) override;
  Result<void> do_replace(std::string_view name, std::span<const std::uint8_t> data) override;
  Result<void> do_remove(std::string_view name) override;
  Result<std::vector<std::string>> do_list() override;
  std::string do_describe(std::string_view name) const override;

  std::unique_ptr<PosixStorage> inner_;
};

}  // namespace bcma::fw::outbox::testing
