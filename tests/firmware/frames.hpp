#pragma once
// Test helpers: real barcodes made by zint, placed in synthetic camera frames.

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "bcma/fw/scan/frame.hpp"
#include "bcma/fw/sim/barcode_maker.hpp"
#include "bcma/fw/sim/frame_synth.hpp"

namespace bcma::fw::test {

/// A frame holding `spec`'s barcode as `scene` describes; fails the test if either step fails.
inline sim::SyntheticFrame make_frame(const sim::BarcodeSpec& spec, const sim::Scene& scene) {
  auto barcode = sim::make_barcode(spec);
  EXPECT_TRUE(barcode.has_value()) << (barcode ? "" : barcode.error().message);
  if (!barcode) return {};
  auto frame = sim::synthesize(barcode->view(), scene);
  EXPECT_TRUE(frame.has_value()) << (frame ? "" : frame.error().message);
  if (!frame) return {};
  return std::move(frame).value();
}

inline double distance(scan::Point a, scan::Point b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

/// Valid test data (check digits computed by hand and by `bcma gs1 parse`).
inline constexpr const char* kPackGs1 = "(01)09501101530003(17)250600(10)ABC123(21)XYZ987";
inline constexpr const char* kPackText = "01095011015300031725060010ABC123\x1d" "21XYZ987";
inline constexpr const char* kNhsNumber = "9434765919";
inline constexpr const char* kEan13Data = "501234567890";  // zint adds check digit 0
inline constexpr const char* kEan13Text = "5012345678900";

}  // namespace bcma::fw::test
