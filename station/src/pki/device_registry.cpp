#include "bcma/station/pki/device_registry.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "bcma/station/pki/layout.hpp"

namespace bcma::station::pki {

namespace {

using transport::Refusal;
using transport::RefusalKind;

bcma::Unexpected<Refusal> refuse(RefusalKind kind, std::string device_id, std::string reason) {
  return bcma::Unexpected<Refusal>(Refusal{kind, std::move(device_id), std::move(reason)});
}

}  // namespace

Result<std::unique_ptr<DeviceRegistry>> DeviceRegistry::open(const std::filesystem::path& station_dir) {
  const PkiPaths paths = pki_paths(station_dir);
  std::error_code ec;
  if (!std::filesystem::is_directory(paths.dir, ec)) {
    return fail(Errc::not_initialised, station_dir.string() + " has no pki/ directory: initialise the station first");
  }
  std::unique_ptr<DeviceRegistry> registry(new DeviceRegistry(paths.device_index));
  std::lock_guard lock(registry->mutex_);
  if (auto r = registry->refresh(); !r) return Unexpected(std::move(r).error());
  return registry;
}

Result<void> DeviceRegistry::refresh() {
  struct stat st {};
  if (::stat(index_file_.c_str(), &st) != 0) {
    loaded_ = false;
    return fail(Errc::io, "cannot stat " + index_file_.string() + ": " + std::strerror(errno));
  }
  // The index is only ever replaced by rename, so a new inode means a new version; size and
  // mtime guard against a hand edit in place.
  const FileStamp stamp{static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino),
                        static_cast<unsigned long long>(st.st_size),
                        static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec};
  if (loaded_ && stamp == stamp_) return {};
  auto index = load_index(index_file_);
  if (!index) {
    loaded_ = false;
    return Unexpected(std::move(index).error());
  }
  index_ = std::move(*index);
  stamp_ = stamp;
  loaded_ = true;
  return {};
}

bcma::Result<transport::DeviceIdentity, Refusal> DeviceRegistry::authorize(std::string_view certificate_der) {
  auto info = transport::inspect_certificate_der(certificate_der);
  if (!info) return refuse(RefusalKind::malformed, {}, info.error().message);
  if (info->device_id.empty()) {
    return refuse(RefusalKind::malformed, info->common_name, "certificate carries no bcma device identity");
  }

  std::lock_guard lock(mutex_);
  if (auto r = refresh(); !r) {
    // Fail closed: without a readable index nobody can be told apart from a revoked device.
    return refuse(RefusalKind::malformed, info->device_id, "device index unreadable: " + r.error().message);
  }
  auto record = find_device_for_certificate(index_, *info);
  if (!record) {
    const auto kind = record.error().code == Errc::unknown_device ? RefusalKind::unknown_device : RefusalKind::malformed;
    return refuse(kind, info->device_id, record.error().message);
  }
  if (record->status == DeviceStatus::revoked) {
    std::string reason = "certificate " + record->serial_hex + " was revoked";
    if (!record->revocation_reason.empty()) reason += " (" + record->revocation_reason + ")";
    return refuse(RefusalKind::revoked, info->device_id, std::move(reason));
  }
  return transport::DeviceIdentity{record->device_id, record->serial_hex, record->fingerprint_sha256};
}

}  // namespace bcma::station::pki
