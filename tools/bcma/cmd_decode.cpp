// bcma decode IMAGE...: runs the scanner's scan pipeline on image files, one JSON line each.
// The output shape is a contract (see kDecodeUsage); keys are emitted in the documented order.
#include <chrono>
#include <cmath>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "bcma/fw/scan/pipeline.hpp"
#include "bcma/fw/sim/image_file.hpp"
#include "bcma/gs1/element_string.hpp"
#include "commands.hpp"
#include "gs1_json.hpp"
#include "json_line.hpp"

namespace bcma::cli {

namespace {

constexpr std::string_view kDecodeUsage =
    "usage: bcma decode IMAGE...\n"
    "\n"
    "Reads barcodes from image files (PNG, JPEG; also BMP, GIF, TGA, PNM) with the handheld\n"
    "scanner's own scan pipeline (DataMatrix, QR Code, Code 128, EAN-13, EAN-8, UPC-A at any\n"
    "rotation) and prints one JSON object per image, one per line, in argument order:\n"
    "  {\"file\":\"pack.png\",\"barcodes\":[{\"format\":\"DataMatrix\",\"symbology\":\"]d2\","
    "\"content_type\":\"GS1\",\"text\":\"...\",\"gs1\":{...}}],\"ms\":1.7}\n"
    "  {\"file\":\"missing.png\",\"error\":\"file_not_found\",\"message\":\"...\"}\n"
    "format is the reader's name (DataMatrix, QRCode, Code128, EAN-13, EAN-8, UPC-A); symbology\n"
    "the ISO/IEC 15424 identifier; content_type Text, Binary, Mixed, GS1, ISO15434 or\n"
    "UnknownECI. text is the content exactly as decoded: GS separators (byte 0x1D) appear as\n"
    "\\u001d. gs1 is present when the content is GS1 (or a GS1 Digital Link URI) and is the\n"
    "object `bcma gs1 parse` prints for it (the symbology identifier followed by the text).\n"
    "ms is the time the pipeline took for the image, in milliseconds, not counting file loading.\n"
    "An image with no readable barcode gives \"barcodes\":[]. error is file_not_found,\n"
    "unreadable_file, bad_image, image_too_large or decoder_failed. GS1 DataBar is not read\n"
    "(see firmware/README.md).\n"
    "\n"
    "Exit status: 0 every image was read (whether or not it held a barcode), 1 any image could\n"
    "not be read, 2 usage error.\n";

// A year for the GS1 century rule: the command line is an edge, so it may read the clock.
nlohmann::ordered_json barcode_json(const fw::scan::Barcode& b, const scan::Context& context) {
  nlohmann::ordered_json j;
  j["format"] = b.format;
  j["symbology"] = b.symbology;
  j["content_type"] = std::string(fw::scan::to_string(b.content_type));
  j["text"] = b.text;
  if (b.content_type == fw::scan::ContentType::kGs1) {
    j["gs1"] = gs1_parse_json(b.symbology + b.text, context);
  } else if (gs1::detect_form(b.text) == gs1::Form::kDigitalLink) {
    j["gs1"] = gs1_parse_json(b.text, context);
  }
  return j;
}

}  // namespace

int cmd_decode(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kDecodeUsage;
    return kExitOk;
  }
  const auto files = p.positionals();
  if (!p.ok() || files.empty()) {
    io.err << "bcma decode: " << (p.ok() ? "no image files given" : p.error()) << "\n"
           << kDecodeUsage;
    return kExitUsage;
  }
  const scan::Context context(current_year());
  fw::scan::ScanPipeline pipeline(context);
  bool all_read = true;
  for (const auto& file : files) {
    nlohmann::ordered_json j;
    j["file"] = file;
    auto image = fw::sim::load_image(file);
    if (!image) {
      all_read = false;
      j["error"] = image.error().code;
      j["message"] = image.error().message;
    } else {
      const auto start = std::chrono::steady_clock::now();
      auto readings = pipeline.read(image->view());
      const std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - start;
      if (!readings) {
        all_read = false;
        j["error"] = readings.error().code;
        j["message"] = readings.error().message;
      } else {
        j["barcodes"] = nlohmann::ordered_json::array();
        for (const auto& r : *readings) j["barcodes"].push_back(barcode_json(r.barcode, context));
        j["ms"] = std::round(took.count() * 100.0) / 100.0;
      }
    }
    io.out << json_line(j) << "\n";
  }
  return all_read ? kExitOk : kExitFailed;
}

}  // namespace bcma::cli
