// bcma station init|pair|revoke|devices: set up a station directory and manage its scanners.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "bcma/domain/time.hpp"
#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/store/store.hpp"
#include "commands.hpp"
#include "json_line.hpp"

namespace bcma::cli {

namespace {

namespace pki = station::pki;

constexpr std::string_view kStationUsage =
    "usage: bcma station init    --dir DIR [--name STATION_NAME] [--organisation TEXT] [--db FILE]\n"
    "       bcma station pair    --dir DIR --device ID --out BUNDLE_DIR\n"
    "       bcma station revoke  --dir DIR --device ID [--reason TEXT]\n"
    "       bcma station devices --dir DIR [--json]\n"
    "\n"
    "init     creates DIR/pki (the station CA and the station's TLS certificate for\n"
    "         STATION_NAME, default station.bcma.local) unless it exists (an existing CA is\n"
    "         never replaced), and the database (default DIR/station.db) if absent.\n"
    "pair     issues a scanner's key and certificate and writes its bundle to\n"
    "         BUNDLE_DIR/<ID>.bundle.json (mode 0600; the station keeps no copy of the key).\n"
    "revoke   revokes the scanner's certificate: new connections are refused at once, and a\n"
    "         running bcma-station closes its open ones at its next revocation sweep\n"
    "         (revocation_sweep_ms, default 1 s).\n"
    "devices  lists every certificate issued, with its status.\n"
    "Exit status: 0 done, 1 failed (the message says why), 2 usage error.\n";

std::string utc(std::chrono::system_clock::time_point t) {
  return domain::to_string(std::chrono::time_point_cast<std::chrono::seconds>(t));
}

int failed(Io io, std::string_view what, const pki::PkiError& e) {
  io.err << "bcma station " << what << ": " << e.message << " (" << pki::to_string(e.code) << ")\n";
  return kExitFailed;
}

int run_init(Io io, const std::filesystem::path& dir, const std::string& name,
             const std::string& organisation, const std::filesystem::path& db) {
  std::error_code ec;
  const bool pki_exists = std::filesystem::exists(pki::pki_paths(dir).dir, ec);
  if (pki_exists) {
    auto ca = pki::CertificateAuthority::open(dir);
    if (!ca) return failed(io, "init", ca.error());
    io.out << "pki: " << ca->paths().dir.string() << " already initialised for "
           << ca->station_name() << " (left unchanged)\n";
  } else {
    std::filesystem::create_directories(dir, ec);
    ::chmod(dir.c_str(), 0700);
    pki::InitOptions options;
    options.station_name = name;
    options.organisation = organisation;
    auto ca = pki::CertificateAuthority::initialise(dir, options, std::chrono::system_clock::now());
    if (!ca) return failed(io, "init", ca.error());
    io.out << "pki: created " << ca->paths().dir.string() << " (CA and station certificate for "
           << ca->station_name() << ")\n";
  }
  const bool db_exists = std::filesystem::exists(db, ec);
  domain::SystemClock clock;
  auto store = station::store::Store::open(db, clock);
  if (!store) {
    io.err << "bcma station init: " << store.error().message << " (" << store.error().code << ")\n";
    return kExitFailed;
  }
  // Names, dates of birth and NHS numbers: readable by the station's user only.
  if (!db_exists) ::chmod(db.c_str(), 0600);
  io.out << "database: " << (db_exists ? "opened " : "created ") << db.string() << "\n";
  return kExitOk;
}

int run_pair(Io io, const std::filesystem::path& dir, const std::string& device,
             const std::filesystem::path& out_dir) {
  auto ca = pki::CertificateAuthority::open(dir);
  if (!ca) return failed(io, "pair", ca.error());
  std::error_code ec;
  // Bundles hold private keys: a directory made for them is the operator's alone.
  if (std::filesystem::create_directories(out_dir, ec)) ::chmod(out_dir.c_str(), 0700);
  if (ec) {
    io.err << "bcma station pair: cannot create " << out_dir.string() << ": " << ec.message() << "\n";
    return kExitFailed;
  }
  auto bundle = ca->issue_device(device, std::chrono::system_clock::now());
  if (!bundle) return failed(io, "pair", bundle.error());
  const auto file = out_dir / (device + ".bundle.json");
  if (auto w = pki::write_device_bundle(file, *bundle); !w) {
    // The certificate is in the index but nobody has its key: revoke it so it cannot linger.
    (void)ca->revoke_device(device, std::chrono::system_clock::now(), "bundle could not be written");
    return failed(io, "pair", w.error());
  }
  io.out << "paired " << device << ": bundle written to " << file.string()
         << " (contains the scanner's private key: move it to the scanner, then delete it)\n";
  return kExitOk;
}

int run_revoke(Io io, const std::filesystem::path& dir, const std::string& device,
               const std::string& reason) {
  auto ca = pki::CertificateAuthority::open(dir);
  if (!ca) return failed(io, "revoke", ca.error());
  auto record = ca->revoke_device(device, std::chrono::system_clock::now(), reason);
  if (!record) return failed(io, "revoke", record.error());
  io.out << "revoked " << device << " (certificate " << record->serial_hex
         << "): new connections are refused now; a running station closes open ones at its "
            "next revocation sweep\n";
  return kExitOk;
}

int run_devices(Io io, const std::filesystem::path& dir, bool json) {
  auto ca = pki::CertificateAuthority::open(dir);
  if (!ca) return failed(io, "devices", ca.error());
  auto devices = ca->devices();
  if (!devices) return failed(io, "devices", devices.error());
  if (json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& d : *devices) {
      nlohmann::ordered_json j;
      j["device_id"] = d.device_id;
      j["status"] = pki::to_string(d.status);
      j["serial"] = d.serial_hex;
      j["fingerprint_sha256"] = d.fingerprint_sha256;
      j["issued_at"] = utc(d.issued_at);
      j["expires_at"] = utc(d.expires_at);
      j["revoked_at"] = d.revoked_at ? nlohmann::ordered_json(utc(*d.revoked_at)) : nullptr;
      j["revocation_reason"] = d.revocation_reason;
      out.push_back(std::move(j));
    }
    io.out << json_line(out) << "\n";
    return kExitOk;
  }
  if (devices->empty()) {
    io.out << "no devices paired\n";
    return kExitOk;
  }
  for (const auto& d : *devices) {
    io.out << d.device_id << "  " << pki::to_string(d.status) << "  issued " << utc(d.issued_at)
           << "  expires " << utc(d.expires_at);
    if (d.revoked_at) io.out << "  revoked " << utc(*d.revoked_at) << " (" << d.revocation_reason << ")";
    io.out << "\n";
  }
  return kExitOk;
}

}  // namespace

int cmd_station(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kStationUsage;
    return kExitOk;
  }
  const bool json = p.flag("json");
  const auto dir = p.option("dir");
  const auto device = p.option("device");
  const auto out = p.option("out");
  const auto name = p.option("name");
  const auto organisation = p.option("organisation");
  const auto db = p.option("db");
  const auto reason = p.option("reason");
  const auto rest = p.positionals();
  auto usage_error = [&](std::string_view why) {
    io.err << "bcma station: " << why << "\n" << kStationUsage;
    return kExitUsage;
  };
  if (!p.ok()) return usage_error(p.error());
  if (rest.size() != 1) return usage_error("name one action: init, pair, revoke or devices");
  if (!dir || dir->empty()) return usage_error("--dir is required");
  const std::string& action = rest[0];
  if (action == "init") {
    return run_init(io, *dir, name.value_or("station.bcma.local"), organisation.value_or(""),
                    db ? std::filesystem::path(*db) : std::filesystem::path(*dir) / "station.db");
  }
  if (action == "pair") {
    if (!device || !out) return usage_error("pair needs --device and --out");
    return run_pair(io, *dir, *device, *out);
  }
  if (action == "revoke") {
    if (!device) return usage_error("revoke needs --device");
    return run_revoke(io, *dir, *device, reason.value_or("revoked by the station operator"));
  }
  if (action == "devices") return run_devices(io, *dir, json);
  return usage_error("unknown action '" + action + "'");
}

}  // namespace bcma::cli
