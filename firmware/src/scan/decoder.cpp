#include "bcma/fw/scan/decoder.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <utility>

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include "image_ops.hpp"

namespace bcma::fw::scan {

namespace {

ZXing::BarcodeFormats to_zxing(Format f) {
  ZXing::BarcodeFormats out;
  if (any(f & Format::kDataMatrix)) out |= ZXing::BarcodeFormat::DataMatrix;
  if (any(f & Format::kQrCode)) out |= ZXing::BarcodeFormat::QRCode;
  if (any(f & Format::kCode128)) out |= ZXing::BarcodeFormat::Code128;
  if (any(f & Format::kEan13)) out |= ZXing::BarcodeFormat::EAN13;
  if (any(f & Format::kEan8)) out |= ZXing::BarcodeFormat::EAN8;
  if (any(f & Format::kUpcA)) out |= ZXing::BarcodeFormat::UPCA;
  return out;
}

ContentType from_zxing(ZXing::ContentType t) {
  switch (t) {
    case ZXing::ContentType::Text: return ContentType::kText;
    case ZXing::ContentType::Binary: return ContentType::kBinary;
    case ZXing::ContentType::Mixed: return ContentType::kMixed;
    case ZXing::ContentType::GS1: return ContentType::kGs1;
    case ZXing::ContentType::ISO15434: return ContentType::kIso15434;
    case ZXing::ContentType::UnknownECI: return ContentType::kUnknownEci;
  }
  return ContentType::kBinary;
}

ZXing::DecodeHints hints_for(const Pass& pass) {
  ZXing::DecodeHints hints;
  hints.setFormats(to_zxing(pass.formats));
  hints.setTryRotate(pass.try_rotate);
  hints.setTryHarder(pass.try_harder);
  // Debian's ZXing 1.4 has assertions on, and Result::operator== asserts when it compares two
  // sightings of one linear symbol with different line counts: it aborts the process. That
  // comparison runs when ZXing merges results across resolutions (tryDownscale: a large EAN-13
  // or Code 128) and when it merges several results of one image. So: never tryDownscale
  // (half-size passes are our own, separate decodes), and a pass with any linear format stops
  // at its first symbol, which leaves ReadBarcodes nothing to compare. (DataBar aborts even
  // so, inside its row merging, hence no DataBar: see Format.) tests/firmware/
  // linear_abort_test.cpp keeps images that abort without these lines.
  hints.setTryDownscale(false);
  if (any(pass.formats & kLinearFormats)) hints.setMaxNumberOfSymbols(1);
  hints.setBinarizer(pass.global_threshold ? ZXing::Binarizer::GlobalHistogram
                                           : ZXing::Binarizer::LocalAverage);
  hints.setEanAddOnSymbol(ZXing::EanAddOnSymbol::Ignore);
  return hints;
}

BackMap compose(const BackMap& outer, const BackMap& inner) {
  // outer(inner(p)): both affine.
  return BackMap{outer.xx * inner.xx + outer.xy * inner.yx,
                 outer.xx * inner.xy + outer.xy * inner.yy,
                 outer.xx * inner.x0 + outer.xy * inner.y0 + outer.x0,
                 outer.yx * inner.xx + outer.yy * inner.yx,
                 outer.yx * inner.xy + outer.yy * inner.yy,
                 outer.yx * inner.x0 + outer.yy * inner.y0 + outer.y0};
}

}  // namespace

std::string_view to_string(ContentType type) {
  switch (type) {
    case ContentType::kText: return "Text";
    case ContentType::kBinary: return "Binary";
    case ContentType::kMixed: return "Mixed";
    case ContentType::kGs1: return "GS1";
    case ContentType::kIso15434: return "ISO15434";
    case ContentType::kUnknownEci: return "UnknownECI";
  }
  return "Binary";
}

std::vector<Pass> default_passes() {
  // Order and content measured with bench/decode_bench.cpp and the sweeps described in
  // firmware/README.md:
  //  - ZXing 1.4's DataMatrix detector (Debian build) only searches along the lines through
  //    the image centre: the whole-frame "matrix" pass reads an aimed (centred) code, windows
  //    around busy regions ("located") read codes elsewhere.
  //  - With a little defocus it misses DataMatrix 25..75 degrees off axis, and its row/column
  //    scans read linear codes only within about 25 degrees of 0/90/180/270: windows turned
  //    45 degrees cover both gaps.
  std::vector<Pass> passes;
  passes.push_back(Pass{.name = "matrix", .formats = kMatrixFormats});
  passes.push_back(Pass{.name = "linear", .formats = kLinearFormats});
  passes.push_back(Pass{.name = "located", .formats = kMatrixFormats, .locate = true});
  passes.push_back(Pass{.name = "located-turned-45",
                        .formats = Format::kDataMatrix | kLinearFormats,
                        .try_harder = true,
                        .rotate_deg = 45.0,
                        .locate = true});
  passes.push_back(Pass{.name = "turned-45",
                        .formats = Format::kDataMatrix | kLinearFormats,
                        .rotate_deg = 45.0});
  passes.push_back(Pass{.name = "located-linear", .formats = kLinearFormats, .try_harder = true,
                        .locate = true});
  passes.push_back(Pass{.name = "matrix-harder", .formats = kMatrixFormats, .try_harder = true,
                        .global_threshold = true});
  passes.push_back(Pass{.name = "inverted", .formats = kMatrixFormats, .invert = true});
  return passes;
}

// Transformed copies of the current frame, kept between frames so their memory is reused.
struct Decoder::Buffers {
  GreyImage half;
  GreyImage rotated;
  GreyImage inverted;
  GreyImage window;
  std::vector<int> scratch;
  // What `half`, `rotated` and `candidates` hold for this frame, so passes that share one do
  // not recompute it.
  bool half_valid = false;
  std::optional<std::pair<double, bool>> rotated_for;  // (angle, from half-size)
  std::optional<std::vector<Candidate>> candidates;
  BackMap half_map;
  BackMap rotated_map;
};

namespace {

constexpr int kMaxCandidates = 3;

bool same_symbol(const Barcode& a, const Barcode& b) {
  if (a.format != b.format || a.text != b.text) return false;
  // Same content and overlapping: one symbol seen through two windows.
  const double reach = std::hypot(a.position.top_left.x - a.position.bottom_right.x,
                                  a.position.top_left.y - a.position.bottom_right.y);
  return std::hypot(a.position.center().x - b.position.center().x,
                    a.position.center().y - b.position.center().y) <= reach;
}

}  // namespace

Decoder::Decoder(std::vector<Pass> passes)
    : passes_(std::move(passes)), buffers_(std::make_unique<Buffers>()) {}
Decoder::~Decoder() = default;
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;

Result<std::vector<Barcode>> Decoder::decode(const FrameView& frame) {
  if (auto valid = validate(frame); !valid) return Unexpected(valid.error());
  stats_ = {};
  Buffers& buf = *buffers_;
  buf.half_valid = false;
  buf.rotated_for.reset();
  buf.candidates.reset();

  std::vector<Barcode> found;
  // One ZXing call on `view`; `back` maps its points to the frame.
  auto read = [&](const FrameView& view, const BackMap& back, const Pass& pass,
                  int index) -> Result<void> {
    ZXing::Results results;
    try {
      const ZXing::ImageView image(view.pixels, view.width, view.height, ZXing::ImageFormat::Lum,
                                   view.stride);
      results = ZXing::ReadBarcodes(image, hints_for(pass));
    } catch (const std::exception& e) {
      return fail("decoder_failed", "ZXing failed in pass '" + pass.name + "': " + e.what());
    } catch (...) {
      return fail("decoder_failed", "ZXing failed in pass '" + pass.name + "'");
    }
    for (const auto& r : results) {
      if (!r.isValid()) continue;
      const auto& p = r.position();
      Barcode b;
      b.format = ZXing::ToString(r.format());
      b.symbology = r.symbologyIdentifier();
      b.content_type = from_zxing(r.contentType());
      b.text = r.text();
      b.position = Quad{back({p.topLeft().x, p.topLeft().y}),
                        back({p.topRight().x, p.topRight().y}),
                        back({p.bottomRight().x, p.bottomRight().y}),
                        back({p.bottomLeft().x, p.bottomLeft().y})};
      b.pass = index;
      const bool seen = std::any_of(found.begin(), found.end(),
                                    [&](const Barcode& f) { return same_symbol(f, b); });
      if (!seen) found.push_back(std::move(b));
    }
    return {};
  };
  // Rotation and inversion of `view` (the frame, its half-size copy, or a window).
  auto transform_and_read = [&](FrameView view, BackMap back, const Pass& pass, int index,
                                bool cache_rotation) -> Result<void> {
    if (pass.rotate_deg != 0.0) {
      const std::pair<double, bool> key{pass.rotate_deg, view.pixels != frame.pixels};
      if (!cache_rotation || buf.rotated_for != key) {
        buf.rotated_map = rotate(view, pass.rotate_deg, buf.rotated);
        buf.rotated_for = cache_rotation ? std::optional(key) : std::nullopt;
      }
      back = compose(back, buf.rotated_map);
      view = buf.rotated.view();
    }
    if (pass.invert) {
      back = compose(back, invert(view, buf.inverted));
      view = buf.inverted.view();
    }
    return read(view, back, pass, index);
  };

  for (std::size_t i = 0; i < passes_.size(); ++i) {
    const Pass& pass = passes_[i];
    const int index = static_cast<int>(i);
    ++stats_.passes_run;
    if (pass.locate) {
      if (!buf.candidates) buf.candidates = find_candidates(frame, kMaxCandidates, buf.scratch);
      for (const Candidate& c : *buf.candidates) {
        const BackMap back = window(frame, c.center, c.radius, buf.window);
        if (auto r = transform_and_read(buf.window.view(), back, pass, index, false); !r) {
          return Unexpected(r.error());
        }
      }
    } else {
      FrameView view = frame;
      BackMap back;
      if (pass.half_size && frame.width >= 2 && frame.height >= 2) {
        if (!buf.half_valid) {
          buf.half_map = downscale_half(frame, buf.half);
          buf.half_valid = true;
        }
        view = buf.half.view();
        back = buf.half_map;
      }
      if (auto r = transform_and_read(view, back, pass, index, true); !r) {
        return Unexpected(r.error());
      }
    }
    if (!found.empty()) {
      stats_.found_by_pass = index;
      break;
    }
  }
  return found;
}

}  // namespace bcma::fw::scan
