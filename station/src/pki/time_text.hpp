#pragma once
// UTC timestamps in the index: "YYYY-MM-DDThh:mm:ssZ". Private to bcma_station_pki.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bcma::station::pki::detail {

std::string format_utc(std::chrono::system_clock::time_point t);
/// Exactly the format above, with a real calendar date; anything else is nullopt.
std::optional<std::chrono::system_clock::time_point> parse_utc(std::string_view text);

}  // namespace bcma::station::pki::detail
