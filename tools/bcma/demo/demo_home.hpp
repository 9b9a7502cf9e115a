#pragma once
// The demo home for `bcma demo`: eight residents and their medicines (demo/home.json, compiled
// in), dated to the day the demo runs, and the barcodes a care worker meets on its morning
// round: wristbands, staff badges, medicine packs and pharmacy labels.

#include <filesystem>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/fw/sim/barcode_maker.hpp"

namespace bcma::cli::demo {

/// The day the demo plays: today in Europe/London, with the round starting at 07:55 local.
struct DemoDay {
  domain::Date today;
  domain::Instant round_start;
};
DemoDay demo_day(domain::Instant now);

/// The home file (the set-up part of the scenario format, docs/scenarios.md) with its date
/// markers filled in: @TODAY@, @TODAY-7@, @START@, @WEEKDAY@ (today's) and @OTHER_WEEKDAY@
/// (three days on, so that the weekly methotrexate is not due).
std::string home_json(const DemoDay& day);

/// One printed barcode of the demo.
struct DemoCode {
  std::string name;  ///< file stem, e.g. "wristband-jane"
  fw::sim::Symbology symbology;
  std::string data;  ///< bracketed GS1 element string
};

/// Every barcode the round uses; pack expiry dates are relative to `day` (the expired pack ran
/// out at the end of last month: AI 17 with DD=00).
std::vector<DemoCode> demo_codes(const DemoDay& day);

/// Renders each code with zint to `dir`/<name>.png.
/// Errors: `encode_failed`, `bad_spec` (zint), `io` (cannot write the file).
Result<void> write_codes(const std::vector<DemoCode>& codes, const std::filesystem::path& dir);

}  // namespace bcma::cli::demo
