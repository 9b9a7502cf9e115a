// `bcma decode` run as a real process on PNG files written at test time.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../tools/child_process.hpp"
#include "bcma/fw/sim/image_file.hpp"
#include "frames.hpp"

namespace bcma::fw::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

class DecodeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "bcma-decode-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string write_frame(const std::string& name, const sim::BarcodeSpec& spec,
                          const sim::Scene& scene = {}) {
    const auto frame = make_frame(spec, scene);
    const std::string path = (dir_ / name).string();
    EXPECT_TRUE(sim::write_png(path, frame.image.view()).has_value());
    return path;
  }

  static std::vector<Json> lines(const std::string& out) {
    std::vector<Json> result;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) result.push_back(Json::parse(line));
    return result;
  }

  static std::vector<std::string> keys(const Json& j) {
    std::vector<std::string> k;
    for (const auto& [key, value] : j.items()) k.push_back(key);
    return k;
  }

  fs::path dir_;
};

using Keys = std::vector<std::string>;

TEST_F(DecodeCli, PrintsOneJsonLinePerImageInTheDocumentedShape) {
  sim::Scene turned;
  turned.rotation_deg = 133;
  const auto pack = write_frame("pack.png", {sim::Symbology::kGs1DataMatrix, kPackGs1, 4}, turned);
  const auto band = write_frame("band.png", {sim::Symbology::kCode128, kNhsNumber, 3}, turned);
  const auto r = bcma::test::run_process({BCMA_EXE, "decode", pack, band});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 2U) << r.out;

  // GS kept in the text, escaped by JSON as \u001d.
  EXPECT_NE(r.out.find(R"("text":"01095011015300031725060010ABC123\u001d21XYZ987")"),
            std::string::npos)
      << r.out;

  const Json& p = out[0];
  EXPECT_EQ(keys(p), (Keys{"file", "barcodes", "ms"}));
  EXPECT_EQ(p["file"], pack);
  EXPECT_TRUE(p["ms"].is_number());
  ASSERT_EQ(p["barcodes"].size(), 1U);
  const Json& dm = p["barcodes"][0];
  EXPECT_EQ(keys(dm), (Keys{"format", "symbology", "content_type", "text", "gs1"}));
  EXPECT_EQ(dm["format"], "DataMatrix");
  EXPECT_EQ(dm["symbology"], "]d2");
  EXPECT_EQ(dm["content_type"], "GS1");
  EXPECT_EQ(dm["text"], kPackText);
  // The same object `bcma gs1 parse` prints for the scan data.
  const auto gs1 = bcma::test::run_process({BCMA_EXE, "gs1", "parse", std::string("]d2") + kPackText});
  ASSERT_EQ(gs1.exit_code, 0) << gs1.out << gs1.err;
  EXPECT_EQ(dm["gs1"], Json::parse(gs1.out));
  EXPECT_EQ(dm["gs1"]["valid"], true);
  EXPECT_EQ(dm["gs1"]["kind"], "medicine_pack");
  EXPECT_EQ(keys(dm["gs1"]), (Keys{"valid", "kind", "ais", "element_string"}));

  const Json& b = out[1];
  EXPECT_EQ(b["file"], band);
  ASSERT_EQ(b["barcodes"].size(), 1U);
  const Json& c128 = b["barcodes"][0];
  EXPECT_EQ(keys(c128), (Keys{"format", "symbology", "content_type", "text"}));  // no gs1
  EXPECT_EQ(c128["format"], "Code128");
  EXPECT_EQ(c128["symbology"], "]C0");
  EXPECT_EQ(c128["content_type"], "Text");
  EXPECT_EQ(c128["text"], kNhsNumber);
}

TEST_F(DecodeCli, InvalidGs1ContentGivesTheParserError) {
  const auto bad = write_frame("bad.png", {sim::Symbology::kGs1DataMatrix, "(01)09501101530004", 4});
  const auto r = bcma::test::run_process({BCMA_EXE, "decode", bad});
  ASSERT_EQ(r.exit_code, 0) << r.err;  // the image was read; the data is what is wrong
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 1U);
  const Json& gs1 = out[0]["barcodes"][0]["gs1"];
  EXPECT_EQ(keys(gs1), (Keys{"valid", "error", "position", "message"}));
  EXPECT_EQ(gs1["valid"], false);
  EXPECT_EQ(gs1["error"], "bad_check_digit");
}

TEST_F(DecodeCli, NoBarcodeIsAnEmptyListAndSuccess) {
  scan::GreyImage grey(320, 240, 200);
  const std::string path = (dir_ / "blank.png").string();
  ASSERT_TRUE(sim::write_png(path, grey.view()).has_value());
  const auto r = bcma::test::run_process({BCMA_EXE, "decode", path});
  EXPECT_EQ(r.exit_code, 0);
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(keys(out[0]), (Keys{"file", "barcodes", "ms"}));
  EXPECT_TRUE(out[0]["barcodes"].is_array());
  EXPECT_TRUE(out[0]["barcodes"].empty());
}

TEST_F(DecodeCli, UnreadableFilesGiveAnErrorLineAndExitOne) {
  const auto good = write_frame("good.png", {sim::Symbology::kEan13, kEan13Data, 3});
  const std::string missing = (dir_ / "missing.png").string();
  const std::string text = (dir_ / "text.png").string();
  std::ofstream(text) << "not an image";
  const auto r = bcma::test::run_process({BCMA_EXE, "decode", missing, good, text});
  EXPECT_EQ(r.exit_code, 1);
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 3U) << r.out;
  EXPECT_EQ(keys(out[0]), (Keys{"file", "error", "message"}));
  EXPECT_EQ(out[0]["file"], missing);
  EXPECT_EQ(out[0]["error"], "file_not_found");
  EXPECT_EQ(out[1]["barcodes"][0]["text"], kEan13Text);  // later files are still decoded
  EXPECT_EQ(out[1]["barcodes"][0]["format"], "EAN-13");
  EXPECT_EQ(out[2]["error"], "bad_image");
}

TEST_F(DecodeCli, HelpAndUsage) {
  const auto help = bcma::test::run_process({BCMA_EXE, "decode", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Exit status"), std::string::npos);
  EXPECT_NE(help.out.find("\"barcodes\":[]"), std::string::npos);
  const auto none = bcma::test::run_process({BCMA_EXE, "decode"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("usage: bcma decode"), std::string::npos);
  const auto unknown = bcma::test::run_process({BCMA_EXE, "decode", "--frobnicate", "x.png"});
  EXPECT_EQ(unknown.exit_code, 2);
}

}  // namespace
}  // namespace bcma::fw::test
