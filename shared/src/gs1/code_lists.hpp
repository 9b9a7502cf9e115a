#pragma once
// Code lists used by the AI linters (ISO 3166, ISO 4217, PackageTypeCode, AIDC media type).
// Private to bcma::gs1; the tests reach them to check the lists are sorted and complete.

#include <cstdint>
#include <span>
#include <string_view>

namespace bcma::gs1::detail {

bool is_iso3166_numeric(int code);
bool is_iso4217_numeric(int code);
bool is_iso3166_alpha2(std::string_view code);
bool is_package_type(std::string_view code);
bool is_aidc_media_type(int code);

std::span<const std::uint16_t> iso3166_numeric_codes();
std::span<const std::uint16_t> iso4217_numeric_codes();
std::span<const std::string_view> iso3166_alpha2_codes();
std::span<const std::string_view> package_type_codes();

}  // namespace bcma::gs1::detail
