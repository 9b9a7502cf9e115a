// bcma demo scans: what bcma makes of the barcodes a care worker meets, read the way a care
// worker or engineer would read them. The rejections are part of what it shows, so it exits 0
// whenever it runs to the end.
#include <array>
#include <chrono>
#include <iostream>
#include <string>
#include <string_view>
#include <variant>

#include "bcma/gs1/element_string.hpp"
#include "bcma/ident/nhs_number.hpp"
#include "bcma/scan/scan.hpp"
#include "demo.hpp"

namespace bcma::cli::demo {

namespace {


// GS1 prefix 952 is reserved by GS1 for demonstrations and examples; this demo configures
// 9520000 as the home's NHS GSRN prefix so that wristbands can show an embedded NHS number.
constexpr std::string_view kDemoNhsGsrnPrefix = "9520000";

struct Sample {
  std::string_view title;
  std::string_view format;
  std::string_view symbology;
  bool gs1;
  std::string_view text;
};

// Every check digit below was computed (GS1 mod 10, NHS mod 11), except where a sample is
// meant to be wrong. GS (0x1D) ends a field that is not last unless its AI has a predefined
// length (01, 17 and 414 do; 10, 21, 253, 8017 and 8018 do not).
constexpr std::array kSamples{
    Sample{"Medicine pack: GS1 DataMatrix with expiry, batch and serial", "DataMatrix", "]d2",
           true, "010950600013435217270600" "10ABC123\x1d" "21XYZ987"},
    Sample{"The same pack as a GS1 Digital Link in a QR code", "QRCode", "]Q1", false,
           "https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ987?17=270600"},
    Sample{"Older medicine pack: EAN-13 only", "EAN-13", "]E0", false, "9506000134352"},
    Sample{"Resident wristband: NHS GS1 DataMatrix (DCB1077)", "DataMatrix", "]d2", true,
           "8018952000099900000182"},
    Sample{"Resident wristband: NHS number in Code 128", "Code128", "]C0", false, "9990000026"},
    Sample{"Pharmacy dispensing label (docs/pharmacy-label.md)", "DataMatrix", "]d2", true,
           "8018952000099900000182\x1d" "2539521234000013RX000451\x1d" "0109506000134352"
           "17270600" "10ABC123"},
    Sample{"Staff badge: GS1-128", "Code128", "]C1", true, "8017952000000000000019"},
    Sample{"Location label: GS1-128", "Code128", "]C1", true, "4149520000000011"},
    Sample{"Faulty medicine pack: GTIN check digit wrong", "DataMatrix", "]d2", true,
           "010950600013435317270600" "10ABC123"},
    Sample{"Faulty medicine pack: expiry month 13", "DataMatrix", "]d2", true,
           "010950600013435217271300" "10ABC123"},
    Sample{"Faulty wristband: NHS number check digit wrong (Code 128)", "Code128", "]C0", false,
           "9990000019"},
    Sample{"Faulty wristband: GS1 DataMatrix with a damaged GSRN", "DataMatrix", "]d2", true,
           "8018952000099900000183"},
    Sample{"Faulty wristband: NHS GSRN holding an invalid NHS number", "DataMatrix", "]d2", true,
           "8018952000099900000199"},
    Sample{"Faulty label: staff and resident GSRN together", "DataMatrix", "]d2", true,
           "8017952000000000000019\x1d" "8018952000099900000182"},
    Sample{"Money-off coupon (EAN-13)", "EAN-13", "]E0", false, "9912345678909"},
    Sample{"QR code with an ordinary web address", "QRCode", "]Q1", false,
           "https://example.org/menu"},
};

int current_year() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(std::chrono::year_month_day(today).year());
}

// Scan text as a person can read it: GS shown as <GS>, other control bytes as <xx>.
std::string printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0x1d) {
      out += "<GS>";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += '<';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
      out += '>';
    } else {
      out += c;
    }
  }
  return out;
}

std::string date_text(const scan::ExpiryDate& date) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string out = std::to_string(date.day) + " " +
                    std::string(kMonths.at(static_cast<std::size_t>(date.month - 1))) + " " +
                    std::to_string(date.year);
  if (date.day_was_zero) out += " (end of month: the code said day 00)";
  return out;
}

std::string nhs_text(const std::string& digits) {
  auto nhs = ident::NhsNumber::parse(digits);
  if (!nhs) return digits;
  return nhs->formatted() + (nhs->is_test_range() ? " (test range, never issued)" : "");
}

void field(std::ostream& out, std::string_view name, std::string_view value) {
  out << "       " << name << std::string(name.size() < 16 ? 16 - name.size() : 1, ' ') << value
      << "\n";
}

// Wraps `text` to lines of about 88 characters, each indented by `indent`.
void wrapped(std::ostream& out, std::string_view indent, std::string_view text) {
  constexpr std::size_t kWidth = 88;
  std::string line;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(at, end - at);
    if (!line.empty() && line.size() + 1 + word.size() > kWidth) {
      out << indent << line << "\n";
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    at = end + 1;
  }
  if (!line.empty()) out << indent << line << "\n";
}

struct Show {
  std::ostream& out;

  void operator()(const scan::ResidentWristband& band) const {
    out << "    => RESIDENT WRISTBAND\n";
    if (band.gsrn) field(out, "GSRN (8018)", *band.gsrn);
    if (band.srin) field(out, "SRIN (8019)", *band.srin);
    if (band.nhs_number) {
      field(out, "NHS number", nhs_text(*band.nhs_number));
    } else {
      field(out, "NHS number", "none: this GSRN is not under an NHS number prefix");
    }
  }
  void operator()(const scan::MedicinePack& pack) const {
    out << "    => MEDICINE PACK\n";
    field(out, "GTIN", pack.gtin);
    if (pack.expiry) field(out, "expiry", date_text(*pack.expiry));
    if (pack.batch) field(out, "batch", *pack.batch);
    if (pack.serial) field(out, "serial", *pack.serial);
    for (const auto& national : pack.national_numbers)
      field(out, "national (" + national.ai + ")", national.value);
    if (pack.from_linear)
      field(out, "note", "linear barcode: GTIN only, no expiry or batch to check");
  }
  void operator()(const scan::PharmacyLabel& label) const {
    out << "    => PHARMACY LABEL\n";
    field(out, "resident GSRN", label.resident_gsrn);
    if (label.resident_nhs_number) field(out, "resident NHS", nhs_text(*label.resident_nhs_number));
    field(out, "dispensed item", label.dispensed_item);
    if (label.gtin) field(out, "product GTIN", *label.gtin);
    if (label.expiry) field(out, "expiry", date_text(*label.expiry));
    if (label.batch) field(out, "batch", *label.batch);
  }
  void operator()(const scan::StaffBadge& badge) const {
    out << "    => STAFF BADGE\n";
    field(out, "GSRN (8017)", badge.gsrn);
  }
  void operator()(const scan::Location& location) const {
    out << "    => LOCATION\n";
    field(out, "GLN (414)", location.gln);
  }
  void operator()(const scan::Unknown& unknown) const {
    out << "    => REJECTED (" << scan::to_string(unknown.code) << ")\n";
    wrapped(out, "       ", unknown.reason);
  }
};

}  // namespace

int demo_scans(Io io) {
  scan::Context context(current_year());
  if (auto added = context.add_nhs_gsrn_prefix(kDemoNhsGsrnPrefix); !added) {
    io.err << "bcma demo: " << added.error().message << "\n";
    return kExitFailed;
  }

  io.out << "bcma demo scans: sample scans and what bcma makes of them\n"
         << "Demo setting: wristband GSRNs under GS1 company prefix " << kDemoNhsGsrnPrefix
         << " carry an NHS number\n(GS1 keeps prefix 952 for examples; a real home configures "
            "the NHS prefix it uses).\n";
  std::size_t recognised = 0;
  for (std::size_t i = 0; i < kSamples.size(); ++i) {
    const Sample& sample = kSamples[i];
    io.out << "\n" << (i + 1) << ". " << sample.title << "\n"
           << "    read   " << sample.format << " " << sample.symbology
           << (sample.gs1 ? " (GS1)" : "") << ": " << printable(sample.text) << "\n";
    const scan::Decode decode{std::string(sample.format), std::string(sample.symbology),
                              sample.gs1, std::string(sample.text)};
    const scan::Scan scan = scan::classify(decode, context);
    std::visit(Show{io.out}, scan.data);
    if (scan.gs1) field(io.out, "GS1 data", gs1::to_element_string(*scan.gs1));
    if (scan.kind != scan::Kind::kUnknown) ++recognised;
  }
  io.out << "\n" << kSamples.size() << " samples: " << recognised << " recognised, "
         << kSamples.size() - recognised
         << " rejected with the reason a care worker would see.\n";
  return kExitOk;
}

}  // namespace bcma::cli::demo
