#include "bcma/fw/scan/pipeline.hpp"

#include <string>
#include <utility>

namespace bcma::fw::scan {

bcma::scan::Decode to_decode(const Barcode& barcode) {
  bcma::scan::Decode d;
  d.format = barcode.format;
  d.symbology = barcode.symbology;
  d.gs1 = barcode.content_type == ContentType::kGs1;
  d.text = barcode.text;
  return d;
}

ScanPipeline::ScanPipeline(bcma::scan::Context context, PipelineOptions options)
    : decoder_(std::move(options.passes)),
      context_(std::move(context)),
      filter_(options.repeat_window) {}

Result<std::vector<Reading>> ScanPipeline::read(const FrameView& frame) {
  auto barcodes = decoder_.decode(frame);
  if (!barcodes) return Unexpected(std::move(barcodes).error());
  std::vector<Reading> readings;
  readings.reserve(barcodes->size());
  for (auto& b : *barcodes) {
    bcma::scan::Scan classified = bcma::scan::classify(to_decode(b), context_);
    readings.push_back(Reading{std::move(b), std::move(classified)});
  }
  return readings;
}

Result<std::vector<Reading>> ScanPipeline::process(const FrameView& frame,
                                                   Timestamp captured_at) {
  auto all = read(frame);
  if (!all) return all;
  std::vector<Reading> fresh;
  for (auto& r : *all) {
    // The symbology is part of the key: the same digits as an EAN-13 and as a Code 128 are
    // different scans.
    const std::string key = r.barcode.format + '\n' + r.barcode.text;
    if (filter_.admit(key, captured_at)) fresh.push_back(std::move(r));
  }
  return fresh;
}

}  // namespace bcma::fw::scan
