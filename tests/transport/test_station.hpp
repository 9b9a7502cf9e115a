#pragma once
// Test support for tests/transport: a throwaway station directory with a real CA, and
// helpers to pair devices. Everything is generated at test time; no key is ever committed.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/pki/device_registry.hpp"

namespace bcma::transport::testing {

/// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "bcma-transport-XXXXXX").string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A station directory with an initialised CA. TLS checks validity against the real clock, so
/// certificates are issued at the real "now".
struct TestStation {
  explicit TestStation(std::string name = "station.test.bcma",
                       station::pki::KeyAlgorithm algorithm = station::pki::KeyAlgorithm::ec_p256) {
    station::pki::InitOptions options;
    options.station_name = std::move(name);
    options.organisation = "Test Care Home";
    options.algorithm = algorithm;
    auto created = station::pki::CertificateAuthority::initialise(dir.path() / "station", options,
                                                                  std::chrono::system_clock::now());
    if (!created) throw std::runtime_error("CA initialise failed: " + created.error().message);
    ca = std::make_unique<station::pki::CertificateAuthority>(std::move(*created));
    auto reg = station::pki::DeviceRegistry::open(dir.path() / "station");
    if (!reg) throw std::runtime_error("registry open failed: " + reg.error().message);
    registry = std::move(*reg);
  }

  DeviceBundle pair(const std::string& device_id) {
    auto bundle = ca->issue_device(device_id, std::chrono::system_clock::now());
    if (!bundle) throw std::runtime_error("pairing failed: " + bundle.error().message);
    return *bundle;
  }

  void revoke(const std::string& device_id, const std::string& reason = "lost on ward B") {
    auto r = ca->revoke_device(device_id, std::chrono::system_clock::now(), reason);
    if (!r) throw std::runtime_error("revoke failed: " + r.error().message);
  }

  ServerCredentials credentials() const {
    auto c = ca->server_credentials();
    if (!c) throw std::runtime_error("credentials failed: " + c.error().message);
    return *c;
  }

  std::filesystem::path station_dir() const { return dir.path() / "station"; }

  TempDir dir;
  std::unique_ptr<station::pki::CertificateAuthority> ca;
  std::unique_ptr<station::pki::DeviceRegistry> registry;
};

}  // namespace bcma::transport::testing
