// The real bcma-scanner process against a real station on 127.0.0.1 over TLS 1.3 with mutual
// authentication: the station server (station/src/server) runs in this process on a fresh
// database; the scanner is paired through the station's CA, reads real PNG barcodes and
// synthesised camera frames, and plays a round from a script. Asserts what the care worker
// would see (the printed screens) and what the station stored.
#include <gtest/gtest.h>

#include <string>

#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/transport/credentials.hpp"
#include "scanner_station_fixture.hpp"

namespace bcma::fw::testing {
namespace {

using namespace std::chrono_literals;
namespace pki = station::pki;

class ScannerProcessTest : public ScannerStationTest {
 protected:
  /// What the station stored for Edith today.
  std::size_t edith_records() { return records_of(home_.edith).size(); }

  std::string pack_synth() const {
    return "scan-synth (01)" + home_.paracetamol_gtin + "(17)271231(10)B123";
  }
};

TEST_F(ScannerProcessTest, PlaysARoundFromImagesOverTls) {
  const auto bundle = pair("scanner-01", station_dir());
  const ScannerRun r = scan("scan badge.png\ntype 1234\nkey confirm\nexpect scan_wristband\n"
                     "scan edith.png\nexpect resident\nchoose confirm\n" +
                         pack_synth() + " rotate=140 blur=0.8 noise=6\n"
                         "expect verdict\nchoose give\nkey confirm\nexpect recorded\nsync 20\n",
                     bundle);
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("[link] up"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[screen resident] Edith Clarke"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[screen verdict] PROCEED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[signal proceed] LED green"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[screen recorded] RECORDED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[outbox] empty"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("> type ****\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("type 1234"), std::string::npos) << "the PIN is never printed";
  EXPECT_EQ(r.out.find("PIN: 1234"), std::string::npos) << "the PIN is never printed";
  EXPECT_EQ(edith_records(), 1u);
}

TEST_F(ScannerProcessTest, AnUnknownDeviceIsRefused) {
  // A scanner that trusts this station but holds a certificate another station's CA issued:
  // this station never paired it.
  pki::InitOptions init;
  init.station_name = "station.other.bcma";
  init.organisation = "Another Home";
  ASSERT_TRUE(pki::CertificateAuthority::initialise(dir_ / "other", init, std::chrono::system_clock::now()));
  auto ours = transport::load_device_bundle(pair("scanner-03", station_dir()));
  ASSERT_TRUE(ours);
  auto stranger = transport::load_device_bundle(pair("stranger-01", dir_ / "other"));
  ASSERT_TRUE(stranger);
  stranger->ca_cert_pem = ours->ca_cert_pem;
  stranger->station_name = ours->station_name;
  const auto bundle = dir_ / "stranger-trusting.bundle.json";
  ASSERT_TRUE(pki::write_device_bundle(bundle, *stranger));
  const ScannerRun r = scan("scan badge.png\ntype 1234\nkey confirm\nexpect sign_in\n", bundle);
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  // In TLS 1.3 the client's handshake completes before the station has checked the client's
  // certificate, so the link may show "up" for a moment; then the station's alert arrives.
  EXPECT_NE(r.out.find("[link] refused: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("refused this scanner's certificate"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("[screen scan_wristband]"), std::string::npos) << "nobody signed in: " << r.out;
  EXPECT_EQ(edith_records(), 0u);
}

TEST_F(ScannerProcessTest, TheNetworkLostMidRoundDeliversTheRecordExactlyOnce) {
  const auto bundle = pair("scanner-02", station_dir());
  const ScannerRun r = scan("scan badge.png\ntype 1234\nkey confirm\nscan edith.png\nchoose confirm\n" +
                         pack_synth() + "\nexpect verdict\n"
                         "disconnect\nchoose give\nkey confirm\nexpect recorded\n"
                         "connect\nsync 20\n",
                     bundle);
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("[link] down"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[outbox] empty"), std::string::npos) << r.out;
  EXPECT_EQ(edith_records(), 1u) << "delivered once, recorded once";
}

}  // namespace
}  // namespace bcma::fw::testing
