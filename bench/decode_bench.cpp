// Decode benchmark: the scanner's pass list against ZXing-cpp's ReadBarcodes with default hints
// and against libdmtx, on the same synthetic 640x480 and 1280x720 camera frames (zint symbols at
// random rotation, scale, blur, noise, contrast and tilt; fixed seed).
//
// Each benchmark decodes its whole frame set per iteration and reports, as counters:
//   read_pct   frames whose symbol was read with exactly the right text (empty sets: frames
//              with no false read)
//   median_ms, p95_ms   CPU time per frame (thread CPU clock: robust on a shared machine)
//   crashes    frames on which the reader aborted the process (ZXing defaults are run in a
//              child process per frame for that reason; see shared DEPENDENCIES notes)
// Run: build/<preset>/bin/bcma_decode_bench --benchmark_counters_tabular=true
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <dmtx.h>

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include "bcma/fw/scan/decoder.hpp"
#include "bcma/fw/sim/barcode_maker.hpp"
#include "bcma/fw/sim/frame_synth.hpp"

namespace {

using bcma::fw::scan::Decoder;
using bcma::fw::scan::GreyImage;
using bcma::fw::scan::Pass;
namespace sim = bcma::fw::sim;
namespace scan = bcma::fw::scan;

struct Frame {
  GreyImage image;
  std::string expected;  // empty: no symbol in the frame
  bool datamatrix = false;
};

struct Outcome {
  bool ok = false;        // read the expected text (or, with none expected, read nothing)
  bool crashed = false;
  double ms = 0.0;
};

struct Symbol {
  sim::Symbology symbology;
  const char* data;
  int module_px;
  const char* text;
};

// What a care home's scanner meets, in rough proportion: packs (GS1 DataMatrix), wristbands
// (GS1 DataMatrix and Code 128), older packs (EAN-13), pharmacy labels (QR).
const Symbol kSymbols[] = {
    {sim::Symbology::kGs1DataMatrix, "(01)09501101530003(17)250600(10)ABC123(21)XYZ987", 3,
     "01095011015300031725060010ABC123\x1d" "21XYZ987"},
    {sim::Symbology::kGs1DataMatrix, "(01)05012345678900(17)271231(10)B7(21)0000123456", 3,
     "01050123456789001727123110B7\x1d" "210000123456"},
    {sim::Symbology::kGs1DataMatrix, "(8018)950110153000000014", 4, "8018950110153000000014"},
    {sim::Symbology::kCode128, "9434765919", 3, "9434765919"},
    {sim::Symbology::kEan13, "501234567890", 3, "5012345678900"},
    {sim::Symbology::kGs1QrCode, "(01)09501101530003(17)250600(10)ABC123", 3,
     "01095011015300031725060010ABC123"},
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  double uniform(double lo, double hi) {
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (hi - lo) * static_cast<double>(s_ >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t s_;
};

std::vector<Frame> make_frames(int width, int height, int count, bool empty, std::uint64_t seed) {
  std::vector<Frame> frames;
  Rng rng(seed);
  const double base = width >= 1280 ? 1.6 : 1.0;  // a closer camera gives bigger modules in HD
  for (int i = 0; i < count; ++i) {
    const Symbol& sym = kSymbols[static_cast<std::size_t>(i) % std::size(kSymbols)];
    auto bitmap = empty ? GreyImage(8, 8, 255)
                        : sim::make_barcode({sym.symbology, sym.data, sym.module_px}).value();
    sim::Scene s;
    s.frame_width = width;
    s.frame_height = height;
    s.rotation_deg = rng.uniform(0, 360);
    s.scale = base * rng.uniform(0.9, 1.5);
    // Keep the whole symbol in view: the scanner's aiming guide does that for a person.
    const double radius = 0.5 * std::hypot(bitmap.width(), bitmap.height());
    s.scale = std::min(s.scale, 0.95 * std::min(width, height) / (2 * radius));
    const double margin_x = s.scale * radius / width;
    const double margin_y = s.scale * radius / height;
    s.center_x = rng.uniform(std::min(0.5, margin_x), std::max(0.5, 1 - margin_x));
    s.center_y = rng.uniform(std::min(0.5, margin_y), std::max(0.5, 1 - margin_y));
    s.blur_sigma = rng.uniform(0.0, 1.0) * s.scale;  // up to a third of a module
    s.noise_sigma = rng.uniform(1.0, 8.0);
    s.contrast = rng.uniform(0.5, 1.0);
    s.tilt_x_deg = rng.uniform(-20, 20);
    s.tilt_y_deg = rng.uniform(-20, 20);
    s.glare = rng.uniform(0, 1) < 0.2 ? rng.uniform(0.1, 0.3) : 0.0;
    s.seed = seed * 1000 + static_cast<std::uint64_t>(i);
    auto frame = sim::synthesize(bitmap.view(), s);
    frames.push_back(Frame{std::move(frame).value().image, empty ? "" : sym.text,
                           !empty && (sym.symbology == sim::Symbology::kGs1DataMatrix)});
  }
  return frames;
}

const std::vector<Frame>& frames(int width, bool empty) {
  static const auto vga = make_frames(640, 480, 60, false, 1);
  static const auto hd = make_frames(1280, 720, 60, false, 2);
  static const auto vga_empty = make_frames(640, 480, 12, true, 3);
  static const auto hd_empty = make_frames(1280, 720, 12, true, 4);
  if (width == 640) return empty ? vga_empty : vga;
  return empty ? hd_empty : hd;
}

// CPU time of this thread: the build machine is shared, and wall time there measures the
// neighbours as much as the decoder.
using CpuTime = double;
CpuTime cpu_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}
double ms_since(CpuTime start) { return cpu_now() - start; }

bool judge(const std::vector<std::string>& texts, const std::string& expected) {
  if (expected.empty()) return texts.empty();
  return std::find(texts.begin(), texts.end(), expected) != texts.end();
}

using Reader = std::function<Outcome(const Frame&)>;

Reader ours(std::vector<Pass> passes) {
  auto decoder = std::make_shared<Decoder>(std::move(passes));
  return [decoder](const Frame& f) {
    const CpuTime start = cpu_now();
    auto found = decoder->decode(f.image.view());
    Outcome o;
    o.ms = ms_since(start);
    std::vector<std::string> texts;
    if (found) {
      for (const auto& b : *found) texts.push_back(b.text);
    }
    o.ok = found.has_value() && judge(texts, f.expected);
    return o;
  };
}

// ReadBarcodes with default hints can abort the process (linear symbols merged across
// resolutions), so each frame runs in a child that reports its time and verdict on a pipe.
Outcome zxing_defaults(const Frame& f) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    const CpuTime start = cpu_now();
    const ZXing::ImageView view(f.image.view().pixels, f.image.width(), f.image.height(),
                                ZXing::ImageFormat::Lum);
    const auto results = ZXing::ReadBarcodes(view, ZXing::DecodeHints{});
    Outcome o;
    o.ms = ms_since(start);
    std::vector<std::string> texts;
    for (const auto& r : results) texts.push_back(r.text());
    o.ok = judge(texts, f.expected);
    const ssize_t written = ::write(fds[1], &o, sizeof o);
    ::_exit(written == static_cast<ssize_t>(sizeof o) ? 0 : 1);
  }
  ::close(fds[1]);
  Outcome o;
  const ssize_t got = ::read(fds[0], &o, sizeof o);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (got != static_cast<ssize_t>(sizeof o) || !WIFEXITED(status)) return Outcome{false, true, 0};
  return o;
}

constexpr long kDmtxTimeoutMs = 300;

Outcome dmtx(const Frame& f) {
  const CpuTime start = cpu_now();
  // libdmtx wants a mutable buffer. (Its DmtxFlipY setting mirrors our top-down rows: no read.)
  std::vector<unsigned char> pixels(f.image.pixels().begin(), f.image.pixels().end());
  DmtxImage* img = dmtxImageCreate(pixels.data(), f.image.width(), f.image.height(),
                                   DmtxPack8bppK);
  DmtxDecode* dec = dmtxDecodeCreate(img, 1);
  DmtxTime timeout = dmtxTimeAdd(dmtxTimeNow(), kDmtxTimeoutMs);
  std::vector<std::string> texts;
  if (DmtxRegion* reg = dmtxRegionFindNext(dec, &timeout)) {
    if (DmtxMessage* msg = dmtxDecodeMatrixRegion(dec, reg, DmtxUndefined)) {
      texts.emplace_back(reinterpret_cast<const char*>(msg->output),
                         static_cast<std::size_t>(msg->outputIdx));
      dmtxMessageDestroy(&msg);
    }
    dmtxRegionDestroy(&reg);
  }
  dmtxDecodeDestroy(&dec);
  dmtxImageDestroy(&img);
  Outcome o;
  o.ms = ms_since(start);
  // libdmtx 0.7 drops FNC1 separators entirely (no GS in its output), so a GS1 reader could not
  // split variable-length fields from it; compared here without them to count reads at all.
  std::string expected = f.expected;
  std::erase(expected, '\x1d');
  o.ok = judge(texts, expected);
  return o;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

void run(benchmark::State& state, const Reader& reader, int width, bool empty,
         bool datamatrix_only) {
  std::vector<const Frame*> set;
  for (const auto& f : frames(width, empty)) {
    if (!datamatrix_only || f.datamatrix || empty) set.push_back(&f);
  }
  std::vector<double> times;
  int ok = 0;
  int crashes = 0;
  int total = 0;
  for (auto _ : state) {
    for (const Frame* f : set) {
      const Outcome o = reader(*f);
      times.push_back(o.ms);
      ok += o.ok ? 1 : 0;
      crashes += o.crashed ? 1 : 0;
      ++total;
    }
  }
  state.counters["frames"] = static_cast<double>(set.size());
  state.counters["read_pct"] = total ? 100.0 * ok / total : 0.0;
  state.counters["median_ms"] = percentile(times, 0.5);
  state.counters["p95_ms"] = percentile(times, 0.95);
  state.counters["crashes"] = crashes;
}

std::vector<Pass> linear_first() {
  auto passes = bcma::fw::scan::default_passes();
  std::swap(passes[0], passes[1]);
  return passes;
}

std::vector<Pass> single_pass() {
  // Everything in one ZXing call (rotate, harder), no escalation and no 45-degree copy.
  return {Pass{.name = "all", .formats = bcma::fw::scan::kCareHomeFormats, .try_harder = true}};
}

void register_all() {
  struct Variant {
    std::string name;
    std::function<Reader()> make;
    bool datamatrix_only = false;  // libdmtx reads nothing else
    int iterations = 3;
  };
  const std::vector<Variant> variants{
      {"ours_default", [] { return ours(bcma::fw::scan::default_passes()); }},
      {"ours_linear_first", [] { return ours(linear_first()); }},
      {"ours_single_pass", [] { return ours(single_pass()); }},
      {"zxing_defaults", [] { return Reader(zxing_defaults); }, false, 1},
      {"libdmtx_dm_frames", [] { return Reader(dmtx); }, true, 1},
  };
  for (const int width : {640, 1280}) {
    for (const bool empty : {false, true}) {
      for (const auto& v : variants) {
        const std::string name = v.name + "/" + (width == 640 ? "640x480" : "1280x720") +
                                 (empty ? "/no_code" : "/codes");
        auto reader = std::make_shared<Reader>();
        benchmark::RegisterBenchmark(name.c_str(),
                                     [v, width, empty, reader](benchmark::State& st) {
                                       if (!*reader) *reader = v.make();
                                       run(st, *reader, width, empty, v.datamatrix_only);
                                     })
            ->Iterations(v.iterations)
            ->Unit(benchmark::kMillisecond);
      }
    }
  }
}

const bool kRegistered = (register_all(), true);

}  // namespace
