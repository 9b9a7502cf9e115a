// The whole scan pipeline: frames in, classified scans out, each code reported once while the
// care worker holds the scanner on it.
#include <chrono>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "bcma/fw/scan/pipeline.hpp"
#include "frames.hpp"

namespace bcma::fw::test {
namespace {

using namespace std::chrono_literals;
using bcma::scan::Kind;
using scan::Timestamp;

constexpr int kYear = 2026;
const Timestamp kT0 = Timestamp{} + 1000s;

sim::SyntheticFrame pack_frame(int seed = 1) {
  sim::Scene scene;
  scene.rotation_deg = 30;
  scene.noise_sigma = 3;
  scene.seed = static_cast<std::uint64_t>(seed);
  return make_frame({sim::Symbology::kGs1DataMatrix, kPackGs1, 4}, scene);
}

TEST(ScanPipeline, ClassifiesAGs1DataMatrixPackAsAMedicinePack) {
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear)};
  auto readings = pipeline.read(pack_frame().image.view());
  ASSERT_TRUE(readings.has_value());
  ASSERT_EQ(readings->size(), 1U);
  const auto& r = readings->front();
  EXPECT_EQ(r.barcode.text, kPackText);
  ASSERT_EQ(r.scan.kind, Kind::kMedicinePack);
  const auto& pack = std::get<bcma::scan::MedicinePack>(r.scan.data);
  EXPECT_EQ(pack.gtin, "09501101530003");
  EXPECT_EQ(pack.batch, "ABC123");
  EXPECT_EQ(pack.serial, "XYZ987");
  ASSERT_TRUE(pack.expiry.has_value());
  EXPECT_EQ(pack.expiry->year, 2025);
  EXPECT_EQ(pack.expiry->month, 6);
  EXPECT_EQ(pack.expiry->day, 30);  // DD=00: last day of the month
}

TEST(ScanPipeline, ClassifiesACode128NhsNumberAsAResidentWristband) {
  sim::Scene scene;
  scene.rotation_deg = 100;
  const auto frame = make_frame({sim::Symbology::kCode128, kNhsNumber, 3}, scene);
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear)};
  auto readings = pipeline.read(frame.image.view());
  ASSERT_TRUE(readings.has_value());
  ASSERT_EQ(readings->size(), 1U);
  ASSERT_EQ(readings->front().scan.kind, Kind::kResidentWristband);
  EXPECT_EQ(std::get<bcma::scan::ResidentWristband>(readings->front().scan.data).nhs_number,
            kNhsNumber);
}

TEST(ScanPipeline, TreatsGs1DmreAsGs1ThoughItsIdentifierIsD8) {
  sim::Scene scene;
  scene.rotation_deg = 5;
  const auto frame = make_frame(
      {sim::Symbology::kGs1DataMatrixDmre, "(01)09501101530003(17)250600(10)ABC123", 4}, scene);
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear)};
  auto readings = pipeline.read(frame.image.view());
  ASSERT_TRUE(readings.has_value());
  ASSERT_EQ(readings->size(), 1U);
  EXPECT_EQ(readings->front().barcode.symbology, "]d8");
  EXPECT_TRUE(scan::to_decode(readings->front().barcode).gs1);
  EXPECT_EQ(readings->front().scan.kind, Kind::kMedicinePack);
}

TEST(ScanPipeline, ClassifiesAnEan13AsALinearMedicinePack) {
  sim::Scene scene;
  scene.rotation_deg = 200;
  const auto frame = make_frame({sim::Symbology::kEan13, kEan13Data, 3}, scene);
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear)};
  auto readings = pipeline.read(frame.image.view());
  ASSERT_TRUE(readings.has_value());
  ASSERT_EQ(readings->size(), 1U);
  ASSERT_EQ(readings->front().scan.kind, Kind::kMedicinePack);
  const auto& pack = std::get<bcma::scan::MedicinePack>(readings->front().scan.data);
  EXPECT_EQ(pack.gtin, "05012345678900");
  EXPECT_TRUE(pack.from_linear);
}

TEST(ScanPipeline, ReportsABadGtinCheckDigitAsUnknownWithTheGs1Error) {
  // zint encodes a wrong check digit without complaint; the GS1 parser must catch it.
  const auto frame = make_frame({sim::Symbology::kGs1DataMatrix, "(01)09501101530004", 4},
                                sim::Scene{});
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear)};
  auto readings = pipeline.read(frame.image.view());
  ASSERT_TRUE(readings.has_value());
  ASSERT_EQ(readings->size(), 1U);
  EXPECT_EQ(readings->front().barcode.text, "0109501101530004");
  EXPECT_EQ(readings->front().scan.kind, Kind::kUnknown);
  ASSERT_TRUE(readings->front().scan.gs1_error.has_value());
  EXPECT_EQ(readings->front().scan.gs1_error->code, gs1::ErrorCode::kBadCheckDigit);
}

TEST(ScanPipeline, ReportsACodeHeldInViewOnce) {
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear), {.repeat_window = 1500ms}};
  // 30 frames a second for two seconds, each frame a little different (new noise).
  int reported = 0;
  for (int i = 0; i < 60; i += 6) {
    auto r = pipeline.process(pack_frame(i + 1).image.view(), kT0 + i * 33ms);
    ASSERT_TRUE(r.has_value());
    reported += static_cast<int>(r->size());
  }
  EXPECT_EQ(reported, 1);
}

TEST(ScanPipeline, ReportsACodeAgainAfterItWasOutOfViewLongerThanTheWindow) {
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear), {.repeat_window = 1500ms}};
  const auto frame = pack_frame();
  auto first = pipeline.process(frame.image.view(), kT0);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->size(), 1U);
  auto soon = pipeline.process(frame.image.view(), kT0 + 1400ms);
  ASSERT_TRUE(soon.has_value());
  EXPECT_TRUE(soon->empty());
  // Still suppressed: the window counts from the last sighting (1400 ms), not the first.
  auto still = pipeline.process(frame.image.view(), kT0 + 2800ms);
  ASSERT_TRUE(still.has_value());
  EXPECT_TRUE(still->empty());
  auto later = pipeline.process(frame.image.view(), kT0 + 2800ms + 1501ms);
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->size(), 1U);
}

TEST(ScanPipeline, ReportsADifferentCodeStraightAway) {
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear)};
  auto pack = pipeline.process(pack_frame().image.view(), kT0);
  ASSERT_TRUE(pack.has_value());
  EXPECT_EQ(pack->size(), 1U);
  const auto band = make_frame({sim::Symbology::kCode128, kNhsNumber, 3}, sim::Scene{});
  auto wristband = pipeline.process(band.image.view(), kT0 + 100ms);
  ASSERT_TRUE(wristband.has_value());
  ASSERT_EQ(wristband->size(), 1U);
  EXPECT_EQ(wristband->front().barcode.text, kNhsNumber);
}

TEST(ScanPipeline, ForgetReportedMakesTheNextSightingCount) {
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear)};
  const auto frame = pack_frame();
  ASSERT_EQ(pipeline.process(frame.image.view(), kT0)->size(), 1U);
  ASSERT_TRUE(pipeline.process(frame.image.view(), kT0 + 50ms)->empty());
  pipeline.forget_reported();
  EXPECT_EQ(pipeline.process(frame.image.view(), kT0 + 100ms)->size(), 1U);
}

TEST(ScanPipeline, ReadNeverSuppresses) {
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear)};
  const auto frame = pack_frame();
  EXPECT_EQ(pipeline.read(frame.image.view())->size(), 1U);
  EXPECT_EQ(pipeline.read(frame.image.view())->size(), 1U);
}

TEST(ScanPipeline, PassesFrameErrorsThrough) {
  scan::ScanPipeline pipeline{bcma::scan::Context(kYear)};
  auto r = pipeline.process(scan::FrameView{}, kT0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "bad_frame");
}

TEST(DuplicateFilter, SameKeyTwiceInOneFrameIsReportedOnce) {
  scan::DuplicateFilter filter(1000ms);
  EXPECT_TRUE(filter.admit("DataMatrix\nX", kT0));
  EXPECT_FALSE(filter.admit("DataMatrix\nX", kT0));
  EXPECT_TRUE(filter.admit("Code128\nX", kT0));  // same text, other symbology: another scan
}

TEST(DuplicateFilter, WindowIsInclusiveAndCountsFromTheLastSighting) {
  scan::DuplicateFilter filter(1000ms);
  EXPECT_TRUE(filter.admit("k", kT0));
  EXPECT_FALSE(filter.admit("k", kT0 + 1000ms));
  EXPECT_FALSE(filter.admit("k", kT0 + 2000ms));
  EXPECT_TRUE(filter.admit("k", kT0 + 3001ms));
}

TEST(DuplicateFilter, ClockGoingBackwardsNeverSilencesACode) {
  scan::DuplicateFilter filter(1000ms);
  EXPECT_TRUE(filter.admit("k", kT0));
  EXPECT_TRUE(filter.admit("k", kT0 - 5ms));
}

}  // namespace
}  // namespace bcma::fw::test
