#pragma once
// Private to the store: JSON payloads (audit entries, policy) as stored text.

#include <string>

#include <nlohmann/json.hpp>

namespace bcma::station::store::detail {

/// Compact, and never throws on invalid UTF-8 from a scan or an import: such bytes are stored
/// as U+FFFD rather than failing the write that records what happened.
inline std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace bcma::station::store::detail
