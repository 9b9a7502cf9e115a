#pragma once
/// \file
/// The scanner's scan pipeline: camera frame -> ZXing passes (decoder.hpp) -> GS1 parsing and
/// scan classification (shared `bcma::scan`) -> duplicate-frame suppression. No I/O and no
/// clock: frames and their capture times come from the caller (the camera HAL or the simulator).

#include <chrono>
#include <utility>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/fw/scan/decoder.hpp"
#include "bcma/fw/scan/duplicate_filter.hpp"
#include "bcma/fw/scan/frame.hpp"
#include "bcma/scan/scan.hpp"

namespace bcma::fw::scan {

/// One symbol read from a frame and what it is.
struct Reading {
  Barcode barcode;          ///< format, symbology, content type, text as decoded, position
  bcma::scan::Scan scan;    ///< the shared classification (wristband, pack, label, ... or unknown)
};

/// The `bcma::scan::Decode` the shared classifier takes for a barcode: "is GS1" comes from
/// ZXing's content type, never from the symbology identifier (ZXing 1.4 reports GS1 DMRE as
/// `]d8`, not `]d2`).
bcma::scan::Decode to_decode(const Barcode& barcode);

struct PipelineOptions {
  std::vector<Pass> passes = default_passes();
  /// How long a code must be out of view before it is reported again.
  std::chrono::milliseconds repeat_window{1500};
};

class ScanPipeline {
 public:
  explicit ScanPipeline(bcma::scan::Context context, PipelineOptions options = {});

  /// The symbols in `frame` not already reported within the repeat window (see
  /// `DuplicateFilter`): what the round should act on. A symbol seen twice in one frame is
  /// reported once.
  /// Errors: `bad_frame`, `decoder_failed` (see `Decoder::decode`).
  Result<std::vector<Reading>> process(const FrameView& frame, Timestamp captured_at);

  /// Every symbol in `frame`, with no duplicate suppression (single images: `bcma decode`).
  /// Errors: as `process`.
  Result<std::vector<Reading>> read(const FrameView& frame);

  /// Replaces the classification context (e.g. at the new year, or new NHS GSRN prefixes).
  void set_context(bcma::scan::Context context) { context_ = std::move(context); }

  /// Forgets what was reported: the next sighting of any code is reported again.
  void forget_reported() { filter_.reset(); }

  const DecodeStats& last_stats() const { return decoder_.last_stats(); }

 private:
  Decoder decoder_;
  bcma::scan::Context context_;
  DuplicateFilter filter_;
};

}  // namespace bcma::fw::scan
