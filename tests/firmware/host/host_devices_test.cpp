// The simulator's devices and scripts: frames synthesised from barcodes are read by the real
// pipeline, image folders load in name order, screens print as a care worker reads them, and a
// script with a mistake is refused with its line number.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "bcma/fw/host/camera.hpp"
#include "bcma/fw/host/terminal.hpp"
#include "bcma/fw/scan/pipeline.hpp"
#include "bcma/fw/sim/barcode_maker.hpp"
#include "bcma/fw/sim/image_file.hpp"
#include "script.hpp"

namespace bcma::fw::host {
namespace {

const std::string kPack = "(01)05012345000015(17)271231(10)B123";
const std::string kPackText = "010501234500001517271231" "10B123";

struct SynthCase {
  const char* name;
  std::vector<std::string> options;
};

class SynthesisedFrames : public ::testing::TestWithParam<SynthCase> {};

TEST_P(SynthesisedFrames, AreReadByThePipeline) {
  SynthOptions options;
  for (const auto& o : GetParam().options) ASSERT_TRUE(apply_synth_option(o, options)) << o;
  auto frame = synthesize_frame(kPack, options);
  ASSERT_TRUE(frame) << frame.error().message;
  scan::ScanPipeline pipeline{bcma::scan::Context(2026)};
  auto readings = pipeline.read(frame->view());
  ASSERT_TRUE(readings) << readings.error().message;
  ASSERT_EQ(readings->size(), 1u) << GetParam().name;
  EXPECT_EQ(readings->front().barcode.text, kPackText);
  EXPECT_EQ(readings->front().scan.kind, bcma::scan::Kind::kMedicinePack);
}

INSTANTIATE_TEST_SUITE_P(
    Camera, SynthesisedFrames,
    ::testing::Values(SynthCase{"plain", {}}, SynthCase{"rotated", {"rotate=137"}},
                      SynthCase{"blurred_noisy", {"blur=1.2", "noise=10"}},
                      SynthCase{"faded_skewed", {"contrast=0.45", "skew=25"}},
                      SynthCase{"glare", {"glare=0.5", "scale=2.5"}}),
    [](const auto& test_param) { return std::string(test_param.param.name); });

TEST(SynthOptions, UnknownOptionsAndSymbologiesAreRefused) {
  SynthOptions o;
  EXPECT_EQ(apply_synth_option("tilt=3", o).error().code, "bad_option");
  EXPECT_EQ(apply_synth_option("blur=soft", o).error().code, "bad_option");
  EXPECT_EQ(apply_synth_option("rotate", o).error().code, "bad_option");
  ASSERT_TRUE(apply_synth_option("symbology=aztec", o));
  EXPECT_EQ(synthesize_frame("X", o).error().code, "bad_option");
}

TEST(LoadFrames, AFolderGivesItsImagesInNameOrder) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("bcma-host-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const auto& [name, width] : {std::pair{"b.png", 20}, std::pair{"a.png", 10}}) {
    ASSERT_TRUE(sim::write_png(dir / name, scan::GreyImage(width, 5).view()));
  }
  std::ofstream(dir / "notes.txt") << "not an image";
  auto frames = load_frames(dir);
  ASSERT_TRUE(frames) << frames.error().message;
  ASSERT_EQ(frames->size(), 2u);
  EXPECT_EQ((*frames)[0].width(), 10);
  EXPECT_EQ((*frames)[1].width(), 20);
  std::filesystem::remove(dir / "a.png");
  std::filesystem::remove(dir / "b.png");
  EXPECT_EQ(load_frames(dir).error().code, "no_images");
  EXPECT_EQ(load_frames(dir / "missing.png").error().code, "file_not_found");
  std::filesystem::remove_all(dir);
}

TEST(Terminal, AScreenPrintsAsTheWorkerSeesItWithThePinMasked) {
  hal::Screen s;
  s.id = "pin";
  s.title = "Enter PIN";
  s.lines = {"Badge accepted"};
  s.entry = hal::Entry{"PIN", "1234", true};
  s.menu = {{"sign_in", "Sign in"}, {"back", "Back"}};
  s.selected = 1;
  s.notice = "Wrong PIN";
  s.status = "online";
  EXPECT_EQ(render_screen(s),
            "[screen pin] Enter PIN\n"
            "  Badge accepted\n"
            "  PIN: ****_\n"
            "    [sign_in] Sign in\n"
            "  > [back] Back\n"
            "  notice: Wrong PIN\n"
            "  status: online\n");
}

TEST(Terminal, ProceedWarnAndBlockPrintDifferently) {
  EXPECT_EQ(render_signal(hal::Signal::kProceed), "[signal proceed] LED green, 1 beep, 0 vibration pulses\n");
  EXPECT_EQ(render_signal(hal::Signal::kWarn), "[signal warn] LED amber, 2 beeps, 1 vibration pulse\n");
  EXPECT_EQ(render_signal(hal::Signal::kBlock), "[signal block] LED red, 1 beep, 1 vibration pulse\n");
}

struct BadScript {
  const char* text;
  const char* message;
};

class Scripts : public ::testing::TestWithParam<BadScript> {};

TEST_P(Scripts, WithAMistakeAreRefusedWithTheLine) {
  auto steps = app::parse_script(GetParam().text);
  ASSERT_FALSE(steps);
  EXPECT_EQ(steps.error().code, "bad_script");
  EXPECT_NE(steps.error().message.find(GetParam().message), std::string::npos) << steps.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Parse, Scripts,
    ::testing::Values(BadScript{"scan a.png\npress confirm\n", "line 2: unknown step 'press'"},
                      BadScript{"# c\n\nscan\n", "line 3: 'scan' takes 1 argument"},
                      BadScript{"wait 1 2\n", "line 1: 'wait' takes 1 argument"},
                      BadScript{"disconnect now\n", "line 1: 'disconnect' takes 0 argument"},
                      BadScript{"sync 1 2\n", "line 1: 'sync' takes 0 to 1 argument"}));

TEST(Scripts, AGoodScriptParsesStepByStep) {
  auto steps = app::parse_script(
      "# a round\nscan badge.png\ntype 1234   # the PIN\nkey confirm\nscan-synth (8018)123 rotate=30\n"
      "choose confirm\nwait 130\ndisconnect\nconnect\nsync 5\nexpect sign_in\n");
  ASSERT_TRUE(steps) << steps.error().message;
  ASSERT_EQ(steps->size(), 10u);
  EXPECT_EQ((*steps)[0].kind, app::StepKind::kScan);
  EXPECT_EQ((*steps)[1].args, std::vector<std::string>{"1234"});
  EXPECT_EQ((*steps)[1].line, 3);
  EXPECT_EQ((*steps)[3].kind, app::StepKind::kScanSynth);
  EXPECT_EQ((*steps)[3].args.size(), 2u);
  EXPECT_EQ((*steps)[9].kind, app::StepKind::kExpect);
}

}  // namespace
}  // namespace bcma::fw::host
