#pragma once
// Private to the export: small text helpers, SHA-256 digests and the CSV cell rules.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bcma/core/result.hpp"

namespace bcma::station::exporting::detail {

std::string trim(std::string_view s);
std::string hex(const std::uint8_t* data, std::size_t size);
/// SHA-256 (libsodium) of `data`, lower-case hex.
std::string sha256_hex(std::string_view data);
/// SHA-256 of a whole file, its size and its number of lines. Errors: `cannot_read`.
struct FileDigest {
  std::string sha256;
  std::int64_t bytes = 0;
  std::int64_t lines = 0;
};
Result<FileDigest> digest_file(const std::string& path);

/// One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; a text that a
/// spreadsheet would run as a formula (=, +, -, @ first, not a number) gets a leading
/// apostrophe.
std::string csv_cell(const nlohmann::ordered_json& value);
/// One JSON line, invalid UTF-8 replaced rather than thrown on.
std::string json_line(const nlohmann::ordered_json& value);

}  // namespace bcma::station::exporting::detail
