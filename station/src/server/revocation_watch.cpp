#include "bcma/station/server/revocation_watch.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "bcma/station/pki/device_index.hpp"

namespace bcma::station::server {

Result<void> RevocationWatch::refresh() {
  struct stat st {};
  if (::stat(file_.c_str(), &st) != 0) {
    return fail("device_index_unreadable",
                "cannot stat " + file_.string() + ": " + std::strerror(errno));
  }
  const Stamp stamp{static_cast<unsigned long long>(st.st_dev),
                    static_cast<unsigned long long>(st.st_ino),
                    static_cast<unsigned long long>(st.st_size),
                    static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec};
  if (loaded_ && stamp == stamp_) return {};
  auto index = pki::load_index(file_);
  if (!index) return fail("device_index_unreadable", index.error().message);
  std::set<std::string, std::less<>> paired;
  for (const auto& r : index->records) {
    if (r.status == pki::DeviceStatus::paired) paired.insert(r.fingerprint_sha256);
  }
  paired_fingerprints_ = std::move(paired);
  stamp_ = stamp;
  loaded_ = true;
  return {};
}

std::vector<ProtocolHandler::Connection> RevocationWatch::untrusted(
    const std::vector<ProtocolHandler::Connection>& open) const {
  std::vector<ProtocolHandler::Connection> out;
  if (!loaded_) return out;
  for (const auto& c : open) {
    if (!paired_fingerprints_.contains(c.fingerprint_sha256)) out.push_back(c);
  }
  return out;
}

}  // namespace bcma::station::server
