#include "demo_home.hpp"

#include <array>
#include <string_view>
#include <system_error>

#include "bcma/fw/sim/image_file.hpp"

namespace bcma::cli::demo {

extern const std::string_view kHomeTemplate;  // demo_home_json.cpp, generated from home.json

namespace {

namespace chr = std::chrono;
using Sym = fw::sim::Symbology;

void replace_all(std::string& text, std::string_view marker, std::string_view value) {
  for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size())) {
    text.replace(at, marker.size(), value);
  }
}

std::string weekday_key(domain::Date d) {
  static constexpr std::array<std::string_view, 7> kKeys{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  return std::string(kKeys[chr::weekday(chr::sys_days(d)).c_encoding()]);
}

domain::Date plus_days(domain::Date d, int days) {
  return domain::Date(chr::sys_days(d) + chr::days(days));
}

// YYMMDD for AI 17. DD=00 means the last day of the month (GS1 General Specifications 3.4.3).
std::string yymm00(chr::year_month ym) {
  const auto two = [](unsigned v) { return std::string(1, static_cast<char>('0' + v / 10 % 10)) + static_cast<char>('0' + v % 10); };
  return two(static_cast<unsigned>(static_cast<int>(ym.year()) % 100)) + two(static_cast<unsigned>(ym.month())) + "00";
}

struct Pack {
  std::string_view name;
  std::string_view gtin;
  std::string_view batch;
};

struct Label {
  std::string_view name;
  std::string_view resident_gsrn;
  std::string_view gdti;
  std::string_view gtin;
  std::string_view batch;
};

struct Band {
  std::string_view name;
  std::string_view gsrn;
};

// The same identifiers as home.json: GS1 example prefix 952, NHS numbers in the 999 range.
constexpr std::array kBadges{
    Band{"badge-carol", "952111100000000011"},  // care worker doing the round
    Band{"badge-sam", "952111100000000035"},    // senior: the controlled-drug witness
};
constexpr std::array kWristbands{
    Band{"wristband-jane", "952000099900000182"},  Band{"wristband-john", "952000099900000267"},
    Band{"wristband-mary", "952000099900000342"},  Band{"wristband-peter", "952000099900000427"},
    Band{"wristband-rose", "952000099900000502"},  Band{"wristband-arthur", "952000099900000694"},
    Band{"wristband-edith", "952000099900000779"}, Band{"wristband-frank", "952000099900000854"},
};
constexpr std::array kPacks{
    Pack{"pack-amlodipine", "09520123400118", "AM2611"},
    Pack{"pack-alendronic-acid", "09520123400057", "AL2609"},
    Pack{"pack-lansoprazole", "09520123400200", "LP2610"},
    Pack{"pack-co-careldopa", "09520123400088", "SN2608"},
    Pack{"pack-amoxicillin", "09520123400040", "AX2611"},
    Pack{"pack-levothyroxine", "09520123400231", "LV2607"},
    Pack{"pack-metformin", "09520123400217", "MF2610"},
    Pack{"pack-paracetamol", "09520123400019", "PA2611"},
    Pack{"pack-tegretol", "09520123400095", "TG2609"},
    Pack{"pack-fentanyl", "09520123400064", "FE2610"},
};
constexpr std::array kLabels{
    Label{"label-mary-paracetamol", "952000099900000342", "9521234000013RX000501", "09520123400019", "PA2611"},
    Label{"label-jane-paracetamol", "952000099900000182", "9521234000013RX000502", "09520123400019", "PA2611"},
    Label{"label-peter-oxycodone", "952000099900000427", "9521234000013RX000503", "09520123400071", "OX2610"},
};

}  // namespace

DemoDay demo_day(domain::Instant now) {
  DemoDay day;
  day.today = domain::London::local_date(now);
  day.round_start = domain::London::to_instant(day.today, domain::TimeOfDay::hm(7, 55));
  return day;
}

std::string home_json(const DemoDay& day) {
  std::string text(kHomeTemplate);
  replace_all(text, "@TODAY-7@", domain::to_string(plus_days(day.today, -7)));
  replace_all(text, "@TODAY@", domain::to_string(day.today));
  replace_all(text, "@START@", domain::to_string(day.round_start));
  replace_all(text, "@WEEKDAY@", weekday_key(day.today));
  replace_all(text, "@OTHER_WEEKDAY@", weekday_key(plus_days(day.today, 3)));
  return text;
}

std::vector<DemoCode> demo_codes(const DemoDay& day) {
  const chr::year_month this_month{day.today.year(), day.today.month()};
  const std::string good = yymm00(this_month + chr::months(14));
  const std::string expired = yymm00(this_month - chr::months(1));

  std::vector<DemoCode> codes;
  for (const Band& b : kBadges) codes.push_back({std::string(b.name), Sym::kGs1_128, "(8017)" + std::string(b.gsrn)});
  for (const Band& b : kWristbands) {
    codes.push_back({std::string(b.name), Sym::kGs1DataMatrix, "(8018)" + std::string(b.gsrn)});
  }
  int serial = 1000;
  for (const Pack& p : kPacks) {
    codes.push_back({std::string(p.name), Sym::kGs1DataMatrix,
                     "(01)" + std::string(p.gtin) + "(17)" + good + "(10)" + std::string(p.batch) +
                         "(21)SN" + std::to_string(++serial)});
  }
  codes.push_back({"pack-metformin-expired", Sym::kGs1DataMatrix,
                   "(01)09520123400217(17)" + expired + "(10)MF2509(21)SN0999"});
  for (const Label& l : kLabels) {
    codes.push_back({std::string(l.name), Sym::kGs1DataMatrix,
                     "(8018)" + std::string(l.resident_gsrn) + "(253)" + std::string(l.gdti) + "(01)" +
                         std::string(l.gtin) + "(17)" + good + "(10)" + std::string(l.batch)});
  }
  return codes;
}

Result<void> write_codes(const std::vector<DemoCode>& codes, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail("io", "cannot create " + dir.string() + ": " + ec.message());
  for (const DemoCode& c : codes) {
    fw::sim::BarcodeSpec spec;
    spec.symbology = c.symbology;
    spec.data = c.data;
    spec.module_px = c.symbology == Sym::kGs1_128 ? 3 : 6;
    spec.human_readable = c.symbology == Sym::kGs1_128;
    auto image = fw::sim::make_barcode(spec);
    if (!image) return Unexpected(std::move(image).error());
    if (auto w = fw::sim::write_png(dir / (c.name + ".png"), image->view()); !w) {
      return Unexpected(std::move(w).error());
    }
  }
  return {};
}

}  // namespace bcma::cli::demo
