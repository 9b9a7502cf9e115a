#pragma once
/// \file
/// The barcode decoder: ZXing-cpp run as an escalating list of passes, cheap ones first, the
/// expensive ones only when nothing was found. ZXing stays behind this header (no ZXing types
/// in the API), so the rest of the firmware does not depend on its version.
///
/// Why passes, and why this default order: see firmware/README.md (measured with
/// bench/decode_bench.cpp).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/fw/scan/frame.hpp"

namespace bcma::fw::scan {

/// The symbologies a care home meets. A bit set; combine with `|`.
enum class Format : std::uint16_t {
  kNone = 0,
  kDataMatrix = 1 << 0,       ///< GS1 DataMatrix packs and NHS wristbands, pharmacy labels
  kQrCode = 1 << 1,           ///< GS1 QR, pharmacy labels
  kCode128 = 1 << 2,          ///< NHS number wristbands, GS1-128
  kEan13 = 1 << 3,            ///< older medicine packs
  kEan8 = 1 << 4,             ///< small packs
  kUpcA = 1 << 5,             ///< imported packs
  // GS1 DataBar is deliberately absent: Debian's ZXing 1.4 aborts the process on some DataBar
  // frames even at one resolution and one symbol per pass (an assertion in its line merging;
  // tests/firmware/linear_abort_test.cpp keeps such a frame). UK medicine packs carry GS1
  // DataMatrix or EAN-13, not DataBar, so a scanner that cannot crash is worth more.
};

constexpr Format operator|(Format a, Format b) {
  return static_cast<Format>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}
constexpr Format operator&(Format a, Format b) {
  return static_cast<Format>(static_cast<std::uint16_t>(a) & static_cast<std::uint16_t>(b));
}
constexpr bool any(Format f) { return f != Format::kNone; }

inline constexpr Format kMatrixFormats = Format::kDataMatrix | Format::kQrCode;
inline constexpr Format kLinearFormats =
    Format::kCode128 | Format::kEan13 | Format::kEan8 | Format::kUpcA;
inline constexpr Format kCareHomeFormats = kMatrixFormats | kLinearFormats;

/// What the content of a symbol is, as the reader judged it (ZXing's content type).
enum class ContentType : std::uint8_t { kText, kBinary, kMixed, kGs1, kIso15434, kUnknownEci };

/// "Text", "Binary", "Mixed", "GS1", "ISO15434", "UnknownECI" (the names ZXing uses).
std::string_view to_string(ContentType type);

/// One decoding attempt over the frame. The frame may be transformed first (rotated, halved,
/// inverted); positions are always reported in the original frame's coordinates.
struct Pass {
  std::string name;           ///< for statistics and the benchmark, e.g. "matrix"
  Format formats = kMatrixFormats;  ///< with any linear format, the pass finds one symbol at most
  bool try_rotate = true;     ///< ZXing: matrix codes at any angle; linear codes also read down columns
  bool try_harder = false;    ///< ZXing: scan every row/column, slower detectors
  double rotate_deg = 0.0;    ///< rotate the frame first, for linear codes at angles ZXing's
                              ///< row and column scans cannot reach (they need near 0 or 90)
  bool half_size = false;     ///< decode a 2x2-averaged half-size copy (big symbols, fast)
  /// Decode windows centred on the (up to three) busiest regions of the frame instead of the
  /// whole frame; the other transforms apply to each window. Needed because ZXing 1.4's
  /// DataMatrix detector, as Debian builds it, only looks along the lines through the image
  /// centre, and its linear scan only covers the middle half: off-centre symbols are missed.
  bool locate = false;
  bool invert = false;        ///< decode the negative (light symbol on a dark background)
  bool global_threshold = false;  ///< one threshold per row instead of ZXing's local one
};

/// The default escalation, chosen by measurement (see firmware/README.md).
std::vector<Pass> default_passes();

/// One symbol found in a frame.
struct Barcode {
  std::string format;        ///< ZXing's name: "DataMatrix", "QRCode", "Code128", "EAN-13", ...
  std::string symbology;     ///< ISO/IEC 15424 identifier as ZXing reports it: "]d2", "]C0", "]E0"
  ContentType content_type = ContentType::kText;
  std::string text;          ///< content exactly as decoded, GS (0x1D) kept
  Quad position;             ///< in the original frame
  int pass = 0;              ///< index of the pass that found it
};

/// What the last `decode` call did, for tuning and the benchmark.
struct DecodeStats {
  int passes_run = 0;
  int found_by_pass = -1;  ///< -1 when nothing was found
};

/// Runs the passes over a frame. Keeps its work buffers between frames, so one Decoder per
/// camera, used from one thread.
///
/// Debian's ZXing 1.4 aborts the process (an assertion) when it merges two sightings of one
/// linear symbol: across resolutions (tryDownscale, a large EAN-13 or Code 128) and, for GS1
/// DataBar, even within one image. So `Decoder` never uses ZXing's tryDownscale (`half_size`
/// passes are separate decodes), a pass that includes any linear format reports at most one
/// symbol (then ZXing never compares two), and DataBar is not decoded at all.
class Decoder {
 public:
  explicit Decoder(std::vector<Pass> passes = default_passes());
  ~Decoder();
  Decoder(Decoder&&) noexcept;
  Decoder& operator=(Decoder&&) noexcept;
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  /// Every symbol the first successful pass finds (later passes run only when the earlier ones
  /// found nothing). An empty list is not an error: nothing readable was in view.
  /// Errors: `bad_frame` (see `validate`), `decoder_failed` (ZXing threw; the message says what).
  Result<std::vector<Barcode>> decode(const FrameView& frame);

  const std::vector<Pass>& passes() const { return passes_; }
  const DecodeStats& last_stats() const { return stats_; }

 private:
  struct Buffers;
  std::vector<Pass> passes_;
  std::unique_ptr<Buffers> buffers_;
  DecodeStats stats_;
};

}  // namespace bcma::fw::scan
