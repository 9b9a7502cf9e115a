#pragma once
/// \file
/// Persistent storage. The HAL's storage interface is the outbox's `Storage` (a flat directory
/// of named files whose every change is durable on return, with atomic replace), documented in
/// docs/outbox.md: one contract for the one thing on the handheld that must survive power
/// loss. `PosixStorage` serves both the simulator (a directory) and the handheld (ext4 on
/// eMMC, /var/lib/bcma).

#include <filesystem>
#include <memory>

#include "bcma/fw/outbox/posix_storage.hpp"
#include "bcma/fw/outbox/storage.hpp"

namespace bcma::fw::hal {

using Storage = outbox::Storage;

/// Opens (creating, mode 0700) `dir` as storage for one outbox.
/// Errors (`outbox::Errc`): `locked` (another process uses it), `storage_full`, `io`.
inline outbox::Result<std::unique_ptr<outbox::PosixStorage>> open_storage(
    const std::filesystem::path& dir) {
  return outbox::PosixStorage::open(dir);
}

}  // namespace bcma::fw::hal
