#pragma once
/// \file
/// Barcodes made by a real encoder (libzint) as in-memory greyscale bitmaps: the symbols a
/// care home meets, for the simulator, the tests and the benchmark.
///
/// zint is not a validator: it encodes a GTIN with a wrong check digit or an impossible expiry
/// date and only warns. Callers pass valid data (or deliberately invalid data, to test that the
/// GS1 parser rejects it).

#include <cstdint>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"
#include "bcma/fw/scan/frame.hpp"

namespace bcma::fw::sim {

enum class Symbology : std::uint8_t {
  kGs1DataMatrix,  ///< medicine packs, NHS wristbands (DCB1077): GS1 data, square symbol
  kGs1DataMatrixDmre,  ///< GS1 data in a rectangular DMRE symbol (ZXing reports `]d8`)
  kDataMatrix,     ///< plain DataMatrix (pharmacy labels that are not GS1)
  kGs1QrCode,      ///< GS1 QR Code
  kQrCode,         ///< plain QR Code
  kCode128,        ///< plain Code 128 (NHS number wristbands)
  kGs1_128,        ///< GS1-128 (Code 128 with FNC1 first)
  kEan13,          ///< EAN-13 (older packs): 12 digits, or 13 with a correct check digit
  kDataBar,        ///< GS1 DataBar Omnidirectional: GTIN digits, 13, or 14 with a correct check
};

std::string_view to_string(Symbology symbology);

struct BarcodeSpec {
  Symbology symbology = Symbology::kGs1DataMatrix;
  /// GS1 symbologies: bracketed element strings, `(01)09501101530003(17)250600(10)ABC`
  /// (values may not contain brackets). Others: the data as is.
  std::string data;
  int module_px = 4;          ///< pixels per module (X dimension), 1..32
  bool quiet_zones = true;    ///< the standard quiet zone around the symbol (readers need it)
  bool human_readable = false;  ///< print the text under linear symbols
};

/// Encodes `spec` with libzint and renders it black on white, one byte per pixel.
/// Errors: `bad_spec` (module size out of range, empty data), `encode_failed` (zint rejected
/// the data; the message is zint's, e.g. a GS1 AI it does not know or a wrong length).
Result<scan::GreyImage> make_barcode(const BarcodeSpec& spec);

}  // namespace bcma::fw::sim
