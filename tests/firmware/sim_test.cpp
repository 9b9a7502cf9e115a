// The simulator: image files in and out, barcodes from zint, deterministic camera frames.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "bcma/fw/sim/image_file.hpp"
#include "frames.hpp"

namespace bcma::fw::test {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "bcma-fw-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(ImageFile, WrittenPngLoadsBackPixelForPixel) {
  TempDir dir;
  scan::GreyImage image(37, 23);
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) image.at(x, y) = static_cast<std::uint8_t>(x * 7 + y);
  ASSERT_TRUE(sim::write_png(dir / "g.png", image.view()).has_value());
  auto loaded = sim::load_image(dir / "g.png");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_EQ(loaded->width(), 37);
  ASSERT_EQ(loaded->height(), 23);
  EXPECT_TRUE(std::equal(image.pixels().begin(), image.pixels().end(), loaded->pixels().begin()));
}

TEST(ImageFile, MissingFileIsAClearErrorNotACrash) {
  TempDir dir;
  auto r = sim::load_image(dir / "no-such.png");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "file_not_found");
  EXPECT_NE(r.error().message.find("no-such.png"), std::string::npos);
}

TEST(ImageFile, DirectoryIsRejected) {
  TempDir dir;
  fs::create_directory(dir / "sub");
  auto r = sim::load_image(dir / "sub");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "unreadable_file");
}

TEST(ImageFile, TextFileIsNotAnImage) {
  TempDir dir;
  write_bytes(dir / "notes.png", "this is not a picture\n");
  auto r = sim::load_image(dir / "notes.png");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "bad_image");
  EXPECT_NE(r.error().message.find("notes.png"), std::string::npos);
}

TEST(ImageFile, TruncatedPngIsABadImage) {
  TempDir dir;
  const auto frame = make_frame({sim::Symbology::kGs1DataMatrix, kPackGs1, 4}, sim::Scene{});
  ASSERT_TRUE(sim::write_png(dir / "full.png", frame.image.view()).has_value());
  std::ifstream in(dir / "full.png", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write_bytes(dir / "cut.png", bytes.substr(0, bytes.size() / 2));
  auto r = sim::load_image(dir / "cut.png");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "bad_image");
}

TEST(ImageFile, UnreadablePermissionsAreReported) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their permissions";
  TempDir dir;
  write_bytes(dir / "locked.png", "x");
  fs::permissions(dir / "locked.png", fs::perms::none);
  auto r = sim::load_image(dir / "locked.png");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "unreadable_file");
}

TEST(ImageFile, WritingIntoAMissingDirectoryFails) {
  TempDir dir;
  scan::GreyImage image(4, 4);
  auto r = sim::write_png(dir / "missing" / "x.png", image.view());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "write_failed");
}

TEST(BarcodeMaker, DataMatrixHasItsQuietZone) {
  auto b = sim::make_barcode({sim::Symbology::kGs1DataMatrix, kPackGs1, 4});
  ASSERT_TRUE(b.has_value());
  for (int x = 0; x < b->width(); ++x) EXPECT_EQ(b->at(x, 0), 255) << x;  // white border
  int dark = 0;
  for (auto p : b->pixels()) dark += p == 0 ? 1 : 0;
  EXPECT_GT(dark, static_cast<int>(b->pixels().size()) / 5);
}

TEST(BarcodeMaker, ModuleSizeScalesTheBitmap) {
  auto small = sim::make_barcode({sim::Symbology::kCode128, kNhsNumber, 2});
  auto large = sim::make_barcode({sim::Symbology::kCode128, kNhsNumber, 4});
  ASSERT_TRUE(small && large);
  EXPECT_EQ(large->width(), 2 * small->width());
}

TEST(BarcodeMaker, RejectsWhatZintRejectsWithItsMessage) {
  auto letters = sim::make_barcode({sim::Symbology::kEan13, "50123ABC", 3});
  ASSERT_FALSE(letters.has_value());
  EXPECT_EQ(letters.error().code, "encode_failed");
  auto bad_check = sim::make_barcode({sim::Symbology::kEan13, "5012345678901", 3});
  ASSERT_FALSE(bad_check.has_value());
  EXPECT_EQ(bad_check.error().code, "encode_failed");
}

TEST(BarcodeMaker, RejectsABadSpec) {
  EXPECT_EQ(sim::make_barcode({sim::Symbology::kQrCode, "", 4}).error().code, "bad_spec");
  EXPECT_EQ(sim::make_barcode({sim::Symbology::kQrCode, "x", 0}).error().code, "bad_spec");
  EXPECT_EQ(sim::make_barcode({sim::Symbology::kQrCode, "x", 33}).error().code, "bad_spec");
}

TEST(FrameSynth, SameSceneAndSeedGiveTheSamePixels) {
  sim::Scene scene;
  scene.rotation_deg = 77;
  scene.blur_sigma = 0.8;
  scene.noise_sigma = 6;
  scene.glare = 0.3;
  scene.tilt_x_deg = 15;
  const auto a = make_frame({sim::Symbology::kGs1DataMatrix, kPackGs1, 4}, scene);
  const auto b = make_frame({sim::Symbology::kGs1DataMatrix, kPackGs1, 4}, scene);
  EXPECT_TRUE(std::equal(a.image.pixels().begin(), a.image.pixels().end(),
                         b.image.pixels().begin()));
  scene.seed = 2;
  const auto c = make_frame({sim::Symbology::kGs1DataMatrix, kPackGs1, 4}, scene);
  EXPECT_FALSE(std::equal(a.image.pixels().begin(), a.image.pixels().end(),
                          c.image.pixels().begin()));
}

TEST(FrameSynth, PlacesTheSymbolWhereTheSceneSays) {
  sim::Scene scene;
  scene.frame_width = 1280;
  scene.frame_height = 720;
  scene.center_x = 0.25;
  scene.center_y = 0.75;
  scene.rotation_deg = 90;
  const auto f = make_frame({sim::Symbology::kGs1DataMatrix, kPackGs1, 4}, scene);
  EXPECT_EQ(f.image.width(), 1280);
  EXPECT_EQ(f.image.height(), 720);
  EXPECT_LE(distance(f.symbol.center(), {320, 540}), 1.0);
  // Counter-clockwise: the symbol's top-left corner is now at the bottom left.
  EXPECT_GT(f.symbol.top_left.y, 540);
  EXPECT_LT(f.symbol.top_left.x, 320);
}

TEST(FrameSynth, RejectsImpossibleScenes) {
  scan::GreyImage b(10, 10);
  sim::Scene scene;
  scene.tilt_x_deg = 80;
  EXPECT_EQ(sim::synthesize(b.view(), scene).error().code, "bad_scene");
  scene = {};
  scene.contrast = 1.5;
  EXPECT_EQ(sim::synthesize(b.view(), scene).error().code, "bad_scene");
  scene = {};
  scene.frame_width = 0;
  EXPECT_EQ(sim::synthesize(b.view(), scene).error().code, "bad_scene");
  EXPECT_EQ(sim::synthesize(scan::FrameView{}, sim::Scene{}).error().code, "bad_frame");
}

}  // namespace
}  // namespace bcma::fw::test
