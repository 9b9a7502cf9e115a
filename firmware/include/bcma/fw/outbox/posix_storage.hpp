#pragma once
/// \file
/// `Storage` on a POSIX directory: open/write/fdatasync for appends, write-temp + fsync +
/// rename + fsync-directory for replacements. The directory is locked (flock) for as long as
/// the storage lives, so two processes can never write the same outbox.

#include <filesystem>
#include <memory>
#include <string>

#include "bcma/fw/outbox/storage.hpp"

namespace bcma::fw::outbox {

class PosixStorage final : public Storage {
 public:
  /// A replacement is first written to `<name>` + kTempSuffix; such files left by a crash are
  /// incomplete by definition and are deleted by `open`.
  static constexpr std::string_view kTempSuffix = ".tmp";

  /// Opens (creating it, mode 0700, if missing; its parent must exist) the directory `dir`,
  /// takes its lock and deletes leftover temporary files. The directory must be dedicated to
  /// one outbox: any `*.tmp` file in it is taken for a leftover.
  /// Errors: `locked` (another process holds it), `storage_full`, `io`.
  static Result<std::unique_ptr<PosixStorage>> open(const std::filesystem::path& dir);

  ~PosixStorage() override;
  PosixStorage(const PosixStorage&) = delete;
  PosixStorage& operator=(const PosixStorage&) = delete;

  const std::filesystem::path& directory() const { return dir_; }

 private:
  PosixStorage(std::filesystem::path dir, int dir_fd) : dir_(std::move(dir)), dir_fd_(dir_fd) {}

  Result<std::optional<Bytes>> do_read(std::string_view name) override;
  Result<void> do_append(std::string_view name, std::span<const std::uint8_t> data) override;
  Result<void> do_truncate(std::string_view name, std::uint64_t size) override;
  Result<void> do_replace(std::string_view name, std::span<const std::uint8_t> data) override;
  Result<void> do_remove(std::string_view name) override;
  Result<std::vector<std::string>> do_list() override;
  std::string do_describe(std::string_view name) const override;

  Result<void> sync_directory();
  /// The open append descriptor for `name` (one is cached: the log is appended to constantly).
  Result<int> append_fd(std::string_view name);
  void close_append_fd();

  std::filesystem::path dir_;
  int dir_fd_ = -1;         ///< holds the flock, and is what the directory fsyncs go through
  std::string append_name_;
  int append_fd_ = -1;
};

}  // namespace bcma::fw::outbox
