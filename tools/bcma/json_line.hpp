#pragma once
// One JSON value as one line of command output.

#include <string>

#include <nlohmann/json.hpp>

namespace bcma::cli {

/// Compact; bytes that are not UTF-8 (from a scan or an import) print as U+FFFD instead of
/// stopping the command.
inline std::string json_line(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace bcma::cli
