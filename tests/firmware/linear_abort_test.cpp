// Debian's ZXing 1.4 aborts the whole process (a failed assertion in Result::operator==) when
// it merges two sightings of one linear symbol: a large plain EAN-13 or Code 128 seen at two
// resolutions, or a GS1 DataBar seen on several rows. A scanner that crashes on an EAN-13 is
// not acceptable. Each case runs in a child process (a death test), so if the guard in
// firmware/src/scan/decoder.cpp is removed these tests fail instead of killing the suite.
#include <cstdlib>

#include <gtest/gtest.h>

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include "bcma/fw/scan/decoder.hpp"
#include "frames.hpp"

namespace bcma::fw::test {
namespace {

// Big symbols straight from zint, as a close-up camera or a scanned label gives them.
scan::GreyImage big(sim::Symbology symbology, const char* data) {
  auto b = sim::make_barcode({symbology, data, 12});
  EXPECT_TRUE(b.has_value());
  return b ? std::move(b).value() : scan::GreyImage{};
}

// A small GS1 DataBar turned 15 degrees in a 640x480 frame: ZXing's row merging aborts on it
// even at one resolution and one symbol per call.
scan::GreyImage databar_frame() {
  sim::Scene scene;
  scene.rotation_deg = 15;
  scene.scale = 0.8;
  scene.noise_sigma = 4;
  scene.seed = 16;
  return make_frame({sim::Symbology::kDataBar, "0950110153000", 3}, scene).image;
}

void read_with_zxing_defaults(const scan::GreyImage& image, const ZXing::DecodeHints& hints) {
  const ZXing::ImageView view(image.view().pixels, image.width(), image.height(),
                              ZXing::ImageFormat::Lum);
  const auto results = ZXing::ReadBarcodes(view, hints);
  std::exit(results.empty() ? 3 : 0);
}

void decode_and_check(const scan::GreyImage& image, const std::string& expected) {
  scan::Decoder decoder;
  auto found = decoder.decode(image.view());
  if (!found) std::exit(4);
  if (expected.empty()) std::exit(found->empty() ? 0 : 5);
  std::exit(found->size() == 1 && found->front().text == expected ? 0 : 6);
}

TEST(LinearAbortTrap, ZxingDefaultsReallyAbortOnALargePlainEan13) {
  // Proves the regression image still triggers the trap in the installed ZXing; if this
  // starts failing, Debian fixed ZXing and the guard could be revisited.
  const auto image = big(sim::Symbology::kEan13, kEan13Data);
  EXPECT_DEATH(read_with_zxing_defaults(image, ZXing::DecodeHints{}), "lineCount");
}

TEST(LinearAbortTrap, ZxingDefaultsReallyAbortOnALargeCode128) {
  const auto image = big(sim::Symbology::kCode128, kNhsNumber);
  EXPECT_DEATH(read_with_zxing_defaults(image, ZXing::DecodeHints{}), "lineCount");
}

TEST(LinearAbortTrap, ZxingAbortsOnDataBarEvenAtOneResolutionAndOneSymbol) {
  const auto image = databar_frame();
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::DataBar)
      .setTryHarder(false)
      .setTryDownscale(false)
      .setMaxNumberOfSymbols(1);
  EXPECT_DEATH(read_with_zxing_defaults(image, hints), "lineCount");
}

TEST(LinearAbortTrap, DecoderReadsALargePlainEan13WithoutAborting) {
  const auto image = big(sim::Symbology::kEan13, kEan13Data);
  EXPECT_EXIT(decode_and_check(image, kEan13Text), ::testing::ExitedWithCode(0), "");
}

TEST(LinearAbortTrap, DecoderReadsALargeCode128WithoutAborting) {
  const auto image = big(sim::Symbology::kCode128, kNhsNumber);
  EXPECT_EXIT(decode_and_check(image, kNhsNumber), ::testing::ExitedWithCode(0), "");
}

TEST(LinearAbortTrap, DecoderSurvivesADataBarFrameAndReportsNothing) {
  // DataBar is not read (see Format in decoder.hpp): the scanner must survive it and say
  // nothing rather than crash.
  const auto image = databar_frame();
  EXPECT_EXIT(decode_and_check(image, ""), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace bcma::fw::test
