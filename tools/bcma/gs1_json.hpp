#pragma once
// The JSON object `bcma gs1 parse` prints for one input. Shared so that `bcma decode` prints
// exactly the same object for the GS1 data in a barcode (one definition of the contract).

#include <string>

#include <nlohmann/json.hpp>

#include "bcma/scan/scan.hpp"

namespace bcma::cli {

/// {"valid":true,"kind":...,"ais":[[ai,value],...],"element_string":...[,"reason":...]},
/// {"valid":true,"kind":"plain","text":...} for data that is not GS1 in any form, or
/// {"valid":false,"error":...,"position":...,"message":...}. See `bcma gs1 --help`.
nlohmann::ordered_json gs1_parse_json(const std::string& input, const scan::Context& context);

/// This year by the system clock: the reference for the century of GS1 YYMMDD dates.
int current_year();

}  // namespace bcma::cli
