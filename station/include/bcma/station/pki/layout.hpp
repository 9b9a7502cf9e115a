#pragma once
/// \file
/// Where the station keeps its PKI, relative to the station directory:
///
///     <station>/pki/                 0700
///       ca.key.pem                   0600  CA private key (the station's crown jewels)
///       ca.cert.pem                  0644  CA certificate (scanners pin it)
///       station.key.pem              0600  the TLS server's private key
///       station.cert.pem             0644  the TLS server's certificate (SAN DNS = station name)
///       devices.json                 0644  device index, replaced atomically on every change
///       .lock                        0600  flock()ed while the index is read-modified-written

#include <filesystem>

namespace bcma::station::pki {

struct PkiPaths {
  std::filesystem::path dir;
  std::filesystem::path ca_key;
  std::filesystem::path ca_cert;
  std::filesystem::path station_key;
  std::filesystem::path station_cert;
  std::filesystem::path device_index;
  std::filesystem::path lock;
};

/// The files of a PKI directory wherever it is (initialise builds one under a temporary name).
inline PkiPaths pki_files_in(const std::filesystem::path& dir) {
  return PkiPaths{dir,
                  dir / "ca.key.pem",
                  dir / "ca.cert.pem",
                  dir / "station.key.pem",
                  dir / "station.cert.pem",
                  dir / "devices.json",
                  dir / ".lock"};
}

inline PkiPaths pki_paths(const std::filesystem::path& station_dir) {
  return pki_files_in(station_dir / "pki");
}

}  // namespace bcma::station::pki
