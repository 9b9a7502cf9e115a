#include "bcma/fw/sim/barcode_maker.hpp"

#include <memory>
#include <string>

#include <zint.h>

namespace bcma::fw::sim {

namespace {

struct ZintDeleter {
  void operator()(zint_symbol* s) const { ZBarcode_Delete(s); }
};
using ZintSymbol = std::unique_ptr<zint_symbol, ZintDeleter>;

constexpr int kMaxModulePx = 32;

// zint's DataMatrix size numbers for the DMRE rectangles (ISO 21471; zint 31..48 = 8x48 ..
// 26x64). The squarer ones first (20x36, 20x44, 26x40, ...), as printed on packs; the 8- and
// 12-row strips last.
constexpr int kDmreSizes[] = {40, 41, 46, 43, 44, 47, 39, 42, 45,
                              48, 37, 38, 31, 32, 33, 34, 35, 36};

void configure(zint_symbol& sym, const BarcodeSpec& spec) {
  sym.input_mode = DATA_MODE;
  switch (spec.symbology) {
    case Symbology::kGs1DataMatrix:
      sym.symbology = BARCODE_DATAMATRIX;
      sym.input_mode = GS1_MODE | GS1PARENS_MODE;
      sym.option_3 = DM_SQUARE;
      break;
    case Symbology::kGs1DataMatrixDmre:
      sym.symbology = BARCODE_DATAMATRIX;
      sym.input_mode = GS1_MODE | GS1PARENS_MODE;
      break;
    case Symbology::kDataMatrix:
      sym.symbology = BARCODE_DATAMATRIX;
      sym.option_3 = DM_SQUARE;
      break;
    case Symbology::kGs1QrCode:
      sym.symbology = BARCODE_QRCODE;
      sym.input_mode = GS1_MODE | GS1PARENS_MODE;
      break;
    case Symbology::kQrCode:
      sym.symbology = BARCODE_QRCODE;
      break;
    case Symbology::kCode128:
      sym.symbology = BARCODE_CODE128;
      break;
    case Symbology::kGs1_128:
      sym.symbology = BARCODE_GS1_128;
      sym.input_mode = GS1_MODE | GS1PARENS_MODE;
      break;
    case Symbology::kEan13:
      sym.symbology = BARCODE_EANX;
      break;
    case Symbology::kDataBar:
      sym.symbology = BARCODE_DBAR_OMN;
      break;
  }
  sym.scale = static_cast<float>(spec.module_px) / 2.0F;  // zint rasters 2 px per module at 1.0
  sym.show_hrt = spec.human_readable ? 1 : 0;
  if (spec.quiet_zones) sym.output_options |= BARCODE_QUIET_ZONES;
}

scan::GreyImage to_grey(const zint_symbol& sym) {
  scan::GreyImage image(sym.bitmap_width, sym.bitmap_height);
  // zint's raster buffer is RGB, one triple per pixel; black and white only here.
  const unsigned char* rgb = sym.bitmap;
  for (int y = 0; y < image.height(); ++y) {
    std::uint8_t* out = image.row(y);
    for (int x = 0; x < image.width(); ++x, rgb += 3) out[x] = rgb[0];
  }
  return image;
}

}  // namespace

std::string_view to_string(Symbology symbology) {
  switch (symbology) {
    case Symbology::kGs1DataMatrix: return "gs1_datamatrix";
    case Symbology::kGs1DataMatrixDmre: return "gs1_datamatrix_dmre";
    case Symbology::kDataMatrix: return "datamatrix";
    case Symbology::kGs1QrCode: return "gs1_qr";
    case Symbology::kQrCode: return "qr";
    case Symbology::kCode128: return "code128";
    case Symbology::kGs1_128: return "gs1_128";
    case Symbology::kEan13: return "ean13";
    case Symbology::kDataBar: return "databar";
  }
  return "unknown";
}

Result<scan::GreyImage> make_barcode(const BarcodeSpec& spec) {
  if (spec.data.empty()) return fail("bad_spec", "no data to encode");
  if (spec.module_px < 1 || spec.module_px > kMaxModulePx) {
    return fail("bad_spec", "module size " + std::to_string(spec.module_px) +
                                " px is outside 1.." + std::to_string(kMaxModulePx));
  }
  const auto* data = reinterpret_cast<const unsigned char*>(spec.data.data());
  const int length = static_cast<int>(spec.data.size());

  auto encode = [&](int rect_size) -> Result<scan::GreyImage> {
    ZintSymbol sym(ZBarcode_Create());
    if (!sym) return fail("encode_failed", "zint could not allocate a symbol");
    configure(*sym, spec);
    if (rect_size != 0) sym->option_2 = rect_size;
    const int rc = ZBarcode_Encode_and_Buffer(sym.get(), data, length, 0);
    if (rc >= ZINT_ERROR) {
      return fail("encode_failed", std::string(to_string(spec.symbology)) + " '" + spec.data +
                                       "': " + sym->errtxt);
    }
    return to_grey(*sym);
  };

  if (spec.symbology != Symbology::kGs1DataMatrixDmre) return encode(0);
  Result<scan::GreyImage> last = fail("encode_failed", "no DMRE size tried");
  for (const int size : kDmreSizes) {
    last = encode(size);
    if (last) return last;
  }
  return last;
}

}  // namespace bcma::fw::sim
