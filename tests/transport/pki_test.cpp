// The station's certificate authority: files and permissions, what the certificates say, and
// pairing, revocation and lookup as the TLS server and `bcma station pair` will use them.
#include <openssl/x509_vfy.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>

#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/pki/device_index.hpp"
#include "bcma/station/pki/device_registry.hpp"
#include "bcma/transport/credentials.hpp"
#include "bcma/transport/openssl_util.hpp"
#include "test_station.hpp"

namespace bcma::station::pki {
namespace {

using transport::testing::TempDir;
using transport::testing::TestStation;
namespace ossl = transport::ossl;
using Clock = std::chrono::system_clock;

mode_t mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

/// Verifies `leaf_pem` against `ca_pem` for a TLS purpose, as OpenSSL's TLS stack will.
/// Returns the X509 verification error (X509_V_OK on success).
int verify_for(const std::string& leaf_pem, const std::string& ca_pem, int purpose) {
  auto leaf = ossl::certificate_from_pem(leaf_pem);
  auto ca = ossl::certificate_from_pem(ca_pem);
  EXPECT_TRUE(leaf && ca);
  ossl::X509StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca->get());
  ossl::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf->get(), nullptr);
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx.get()), X509_V_FLAG_X509_STRICT);
  const int ok = X509_verify_cert(ctx.get());
  const int err = X509_STORE_CTX_get_error(ctx.get());
  ossl::take_errors();
  return ok == 1 ? X509_V_OK : err;
}

TEST(Pki, InitialiseLaysOutFilesWithPrivateKeysUnreadableByOthers) {
  TestStation s;
  const PkiPaths p = pki_paths(s.station_dir());
  EXPECT_EQ(mode_of(p.dir), 0700u);
  EXPECT_EQ(mode_of(p.ca_key), 0600u);
  EXPECT_EQ(mode_of(p.station_key), 0600u);
  EXPECT_EQ(mode_of(p.ca_cert), 0644u);
  EXPECT_EQ(mode_of(p.station_cert), 0644u);
  EXPECT_EQ(mode_of(p.device_index), 0644u);
  auto devices = s.ca->devices();
  ASSERT_TRUE(devices);
  EXPECT_TRUE(devices->empty());
  // Nothing of the temporary build directory is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(s.station_dir())) {
    EXPECT_EQ(entry.path().filename(), "pki") << entry.path();
  }
}

TEST(Pki, InitialiseNeverOverwritesAnExistingCa) {
  TestStation s;
  const std::string before = slurp(pki_paths(s.station_dir()).ca_key);
  InitOptions options;
  options.station_name = "station.test.bcma";
  auto again = CertificateAuthority::initialise(s.station_dir(), options, Clock::now());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::already_initialised);
  EXPECT_EQ(slurp(pki_paths(s.station_dir()).ca_key), before);
}

TEST(Pki, StationNamesMustBeLowercaseDnsNames) {
  for (const char* good : {"station", "station.oakhouse.bcma", "a-b.c1", "x"}) {
    EXPECT_TRUE(is_valid_station_name(good)) << good;
  }
  for (const char* bad : {"", "Station.bcma", "-station", "station-", "a..b", ".a", "a.", "st ation",
                          "st_ation", "*.bcma"}) {
    EXPECT_FALSE(is_valid_station_name(bad)) << bad;
  }
  TempDir dir;
  InitOptions options;
  options.station_name = "Bad Name";
  auto r = CertificateAuthority::initialise(dir.path(), options, Clock::now());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::bad_station_name);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "pki"));
}

TEST(Pki, CaAndStationCertificatesVerifyForTheirRoles) {
  TestStation s;
  const auto creds = s.credentials();
  auto ca = ossl::certificate_from_pem(creds.ca_cert_pem);
  ASSERT_TRUE(ca);
  EXPECT_EQ(X509_check_ca(ca->get()), 1);
  EXPECT_EQ(X509_get_pathlen(ca->get()), 0);
  EXPECT_EQ(verify_for(creds.cert_pem, creds.ca_cert_pem, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  // The station certificate names the station and cannot serve as a client identity.
  auto station = ossl::certificate_from_pem(creds.cert_pem);
  ASSERT_TRUE(station);
  EXPECT_EQ(X509_check_host(station->get(), "station.test.bcma", 0, 0, nullptr), 1);
  EXPECT_NE(verify_for(creds.cert_pem, creds.ca_cert_pem, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  EXPECT_EQ(s.ca->station_name(), "station.test.bcma");
}

TEST(Pki, IssuedDeviceBundleIdentifiesTheDeviceAndIsRecorded) {
  TestStation s;
  const auto now = Clock::now();
  auto bundle = s.ca->issue_device("ward-a-01", now, Days{30});
  ASSERT_TRUE(bundle) << bundle.error().message;
  EXPECT_EQ(bundle->device_id, "ward-a-01");
  EXPECT_EQ(bundle->station_name, "station.test.bcma");
  EXPECT_EQ(bundle->ca_cert_pem, s.ca->ca_certificate_pem());

  auto info = transport::inspect_certificate_pem(bundle->device_cert_pem);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->device_id, "ward-a-01");
  EXPECT_EQ(info->common_name, "ward-a-01");
  EXPECT_EQ(verify_for(bundle->device_cert_pem, bundle->ca_cert_pem, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  // clientAuth only: a scanner's certificate cannot impersonate the station.
  EXPECT_NE(verify_for(bundle->device_cert_pem, bundle->ca_cert_pem, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  // The key in the bundle is the certificate's key (parse_bundle checks it).
  EXPECT_TRUE(transport::parse_bundle(transport::serialize_bundle(*bundle)));

  auto devices = s.ca->devices();
  ASSERT_TRUE(devices);
  ASSERT_EQ(devices->size(), 1u);
  const DeviceRecord& r = devices->front();
  EXPECT_EQ(r.device_id, "ward-a-01");
  EXPECT_EQ(r.status, DeviceStatus::paired);
  EXPECT_EQ(r.fingerprint_sha256, info->fingerprint_sha256);
  EXPECT_EQ(r.serial_hex, info->serial_hex);
  EXPECT_EQ(r.issued_at, std::chrono::time_point_cast<std::chrono::seconds>(now));
  EXPECT_EQ(r.expires_at, info->not_after);
  const auto days = std::chrono::duration_cast<std::chrono::hours>(info->not_after - now).count();
  EXPECT_GE(days, 30 * 24 - 1);
  EXPECT_LE(days, 30 * 24);
  EXPECT_LE(info->not_before, now);
}

TEST(Pki, DeviceIdsAreValidatedAndPairedOnlyOnce) {
  TestStation s;
  for (const char* bad : {"", "-lead", ".hidden", "has space", "slash/id", "ü-umlaut",
                          "x123456789012345678901234567890123456789012345678901234567890abcd"}) {
    auto r = s.ca->issue_device(bad, Clock::now());
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::bad_device_id) << bad;
  }
  ASSERT_TRUE(s.ca->issue_device("scanner-1", Clock::now()));
  auto twice = s.ca->issue_device("scanner-1", Clock::now());
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::device_already_paired);
  EXPECT_NE(twice.error().message.find("revoke"), std::string::npos);
}

TEST(Pki, RevocationIsRecordedAndTheDeviceCanBePairedAgain) {
  TestStation s;
  auto first = s.pair("scanner-1");
  const auto when = Clock::now();
  auto revoked = s.ca->revoke_device("scanner-1", when, "lost on ward B");
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_EQ(revoked->status, DeviceStatus::revoked);
  EXPECT_EQ(revoked->revocation_reason, "lost on ward B");
  EXPECT_EQ(revoked->revoked_at, std::chrono::time_point_cast<std::chrono::seconds>(when));

  auto again = s.ca->revoke_device("scanner-1", when, "twice");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::already_revoked);
  auto unknown = s.ca->revoke_device("never-paired", when, "");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::unknown_device);

  auto second = s.pair("scanner-1");
  EXPECT_NE(second.device_cert_pem, first.device_cert_pem);
  auto devices = s.ca->devices();
  ASSERT_TRUE(devices);
  ASSERT_EQ(devices->size(), 2u);
  EXPECT_EQ((*devices)[0].status, DeviceStatus::revoked);
  EXPECT_EQ((*devices)[1].status, DeviceStatus::paired);
}

TEST(Pki, LookupByCertificateFindsPairedAndRevokedDevices) {
  TestStation s;
  auto a = s.pair("scanner-a");
  auto b = s.pair("scanner-b");
  s.revoke("scanner-b");

  auto found = s.ca->lookup_by_certificate_pem(a.device_cert_pem);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->device_id, "scanner-a");
  EXPECT_EQ(found->status, DeviceStatus::paired);

  auto revoked = s.ca->lookup_by_certificate_pem(b.device_cert_pem);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, DeviceStatus::revoked);
}

TEST(Pki, LookupRejectsForeignAndUnlistedCertificates) {
  TestStation s;
  TestStation other;
  auto foreign = other.pair("scanner-a");
  auto r = s.ca->lookup_by_certificate_pem(foreign.device_cert_pem);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::bad_certificate);

  auto garbage = s.ca->lookup_by_certificate_pem("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, Errc::bad_certificate);

  // Signed by this CA but missing from the index (e.g. an index restored from an old backup):
  // unknown, because the index - not the signature alone - is the list of trusted devices.
  auto listed = s.pair("scanner-x");
  auto index = load_index(pki_paths(s.station_dir()).device_index);
  ASSERT_TRUE(index);
  index->records.clear();
  ASSERT_TRUE(save_index(pki_paths(s.station_dir()).device_index, *index));
  auto unlisted = s.ca->lookup_by_certificate_pem(listed.device_cert_pem);
  ASSERT_FALSE(unlisted);
  EXPECT_EQ(unlisted.error().code, Errc::unknown_device);
}

TEST(Pki, OpenRefusesACaKeyOthersCanRead) {
  TestStation s;
  const auto key = pki_paths(s.station_dir()).ca_key;
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  auto r = CertificateAuthority::open(s.station_dir());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::insecure_permissions);
  EXPECT_NE(r.error().message.find("ca.key.pem"), std::string::npos);
}

TEST(Pki, OpenOfAnUninitialisedDirectorySaysSo) {
  TempDir dir;
  auto r = CertificateAuthority::open(dir.path());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::not_initialised);
}

TEST(Pki, Ed25519CaIssuesEd25519Devices) {
  TestStation s("station.ed.bcma", KeyAlgorithm::ed25519);
  EXPECT_EQ(s.ca->algorithm(), KeyAlgorithm::ed25519);
  auto bundle = s.pair("scanner-ed");
  auto key = ossl::private_key_from_pem(bundle.device_key_pem);
  ASSERT_TRUE(key);
  EXPECT_EQ(EVP_PKEY_is_a(key->get(), "ED25519"), 1);
  EXPECT_EQ(verify_for(bundle.device_cert_pem, bundle.ca_cert_pem, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
}

TEST(Pki, RenewedStationCertificateKeepsTheNameAndMatchesItsKey) {
  TestStation s;
  const auto before = s.credentials();
  ASSERT_TRUE(s.ca->renew_station_certificate(Clock::now()));
  const auto after = s.credentials();
  EXPECT_NE(after.cert_pem, before.cert_pem);
  EXPECT_NE(after.key_pem, before.key_pem);
  EXPECT_EQ(verify_for(after.cert_pem, after.ca_cert_pem, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  auto reopened = CertificateAuthority::open(s.station_dir());
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->station_name(), "station.test.bcma");
}

TEST(Pki, BundleFileIsPrivateAndRoundTrips) {
  TestStation s;
  const auto bundle = s.pair("scanner-1");
  const auto file = s.dir.path() / "scanner-1.bundle";
  ASSERT_TRUE(write_device_bundle(file, bundle));
  EXPECT_EQ(mode_of(file), 0600u);
  auto loaded = transport::load_device_bundle(file);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(*loaded, bundle);

  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  auto exposed = transport::load_device_bundle(file);
  ASSERT_FALSE(exposed);
  EXPECT_EQ(exposed.error().code, transport::Errc::bad_bundle);
  EXPECT_NE(exposed.error().message.find("chmod 600"), std::string::npos);
}

TEST(Pki, BundleWithAnotherDevicesKeyIsRejected) {
  TestStation s;
  auto a = s.pair("scanner-a");
  const auto b = s.pair("scanner-b");
  a.device_key_pem = b.device_key_pem;
  auto r = transport::parse_bundle(transport::serialize_bundle(a));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, transport::Errc::bad_bundle);
  EXPECT_NE(r.error().message.find("does not match"), std::string::npos);

  auto renamed = b;
  renamed.device_id = "scanner-c";
  auto mismatch = transport::parse_bundle(transport::serialize_bundle(renamed));
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, transport::Errc::bad_bundle);
}

TEST(DeviceIndex, RoundTripsThroughItsFileFormat) {
  DeviceIndex index;
  DeviceRecord a;
  a.device_id = "scanner-a";
  a.serial_hex = "4f2a";
  a.fingerprint_sha256 = std::string(64, 'a');
  a.issued_at = Clock::from_time_t(1'700'000'000);
  a.expires_at = Clock::from_time_t(1'770'000'000);
  DeviceRecord b = a;
  b.fingerprint_sha256 = std::string(64, 'b');
  b.status = DeviceStatus::revoked;
  b.revoked_at = Clock::from_time_t(1'710'000'000);
  b.revocation_reason = "broken screen";
  index.records = {a, b};
  const std::string text = serialize_index(index);
  EXPECT_NE(text.find("\"issued_at\": \"2023-11-14T22:13:20Z\""), std::string::npos) << text;
  auto parsed = parse_index(text);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->records, index.records);
}

struct CorruptCase {
  const char* name;
  std::string text;
};

class CorruptIndex : public ::testing::TestWithParam<CorruptCase> {};

TEST_P(CorruptIndex, IsRejectedAsCorrupt) {
  auto r = parse_index(GetParam().text);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::corrupt) << r.error().message;
}

std::string record(const std::string& fields) {
  return R"({"format":"bcma-device-index","version":1,"devices":[)" + fields + "]}";
}
const std::string kGood = R"({"device_id":"s1","serial":"ab","fingerprint_sha256":")" + std::string(64, 'c') +
                          R"(","status":"paired","issued_at":"2025-01-01T00:00:00Z","expires_at":"2027-01-01T00:00:00Z","revoked_at":null,"revocation_reason":""})";

std::string with(const std::string& from, const std::string& to) {
  std::string s = kGood;
  s.replace(s.find(from), from.size(), to);
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CorruptIndex,
    ::testing::Values(CorruptCase{"not_json", "{"}, CorruptCase{"array", "[]"},
                      CorruptCase{"wrong_format", R"({"format":"x","version":1,"devices":[]})"},
                      CorruptCase{"wrong_version", R"({"format":"bcma-device-index","version":2,"devices":[]})"},
                      CorruptCase{"impossible_date", record(with("2025-01-01", "2025-02-30"))},
                      CorruptCase{"bad_status", record(with("\"paired\"", "\"lost\""))},
                      CorruptCase{"bad_fingerprint", record(with(std::string(64, 'c'), "xyz"))},
                      CorruptCase{"bad_device_id", record(with("\"s1\"", "\"-s1\""))},
                      CorruptCase{"revoked_without_date", record(with("\"paired\"", "\"revoked\""))},
                      CorruptCase{"two_paired_same_id",
                                  record(kGood + "," + with(std::string(64, 'c'), std::string(64, 'd')))},
                      CorruptCase{"duplicate_fingerprint", record(kGood + "," + with("\"s1\"", "\"s2\""))}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(DeviceRegistry, SeesPairingAndRevocationDoneByAnotherProcess) {
  TestStation s;
  // Stands in for `bcma station pair` / `revoke` running beside the station.
  auto cli = CertificateAuthority::open(s.station_dir());
  ASSERT_TRUE(cli);
  auto bundle = cli->issue_device("scanner-1", Clock::now());
  ASSERT_TRUE(bundle);
  auto cert = ossl::certificate_from_pem(bundle->device_cert_pem);
  ASSERT_TRUE(cert);
  const auto der = ossl::to_der(**cert);
  ASSERT_TRUE(der);

  auto accepted = s.registry->authorize(*der);
  ASSERT_TRUE(accepted) << accepted.error().reason;
  EXPECT_EQ(accepted->device_id, "scanner-1");

  ASSERT_TRUE(cli->revoke_device("scanner-1", Clock::now(), "left the home"));
  auto refused = s.registry->authorize(*der);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, transport::RefusalKind::revoked);
  EXPECT_EQ(refused.error().device_id, "scanner-1");
  EXPECT_NE(refused.error().reason.find("left the home"), std::string::npos);
}

TEST(DeviceRegistry, FailsClosedWhenTheIndexIsCorrupt) {
  TestStation s;
  auto bundle = s.pair("scanner-1");
  auto cert = ossl::certificate_from_pem(bundle.device_cert_pem);
  const auto der = ossl::to_der(**cert);
  ASSERT_TRUE(s.registry->authorize(*der));
  spit(pki_paths(s.station_dir()).device_index, "{ not json");
  auto refused = s.registry->authorize(*der);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, transport::RefusalKind::malformed);
  EXPECT_NE(refused.error().reason.find("unreadable"), std::string::npos);
}

TEST(DeviceIdentity, DeviceIdRule) {
  const std::vector<std::string> good{"a", "scanner-01", "Ward_B.3", std::string(64, 'x')};
  for (const auto& id : good) EXPECT_TRUE(transport::is_valid_device_id(id)) << id;
  const std::vector<std::string> bad{"", "_a", "-a", ".a", "a b", "a/b", "a:b", std::string(65, 'x')};
  for (const auto& id : bad) EXPECT_FALSE(transport::is_valid_device_id(id)) << id;
}

}  // namespace
}  // namespace bcma::station::pki
