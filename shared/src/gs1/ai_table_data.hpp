#pragma once
// The rows of the AI table as transcribed (one row per dictionary line; a row may cover a range
// of AIs). ai_table.cpp expands them into one AiDefinition per AI. Private to bcma::gs1.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "bcma/gs1/ai_table.hpp"

namespace bcma::gs1::detail {

enum RowFlag : std::uint8_t {
  kPredefined = 1U << 0U,  // "*": predefined length, never followed by FNC1
  kDlAttribute = 1U << 1U,  // "?": may be a Digital Link query attribute
  kDlPrimaryKey = 1U << 2U,  // "dlpkey"
};

struct Spec {
  std::array<Component, kMaxComponents> components{};
  std::uint8_t count = 0;
};

struct AiRow {
  std::string_view first;  // first AI of the range
  std::string_view last;   // last AI of the range (equal to first for a single AI)
  std::uint8_t flags = 0;
  Spec spec;
  std::string_view requires_;
  std::string_view excludes;
  std::string_view dl_qualifiers;
  std::string_view title;
};

std::span<const AiRow> ai_rows();

}  // namespace bcma::gs1::detail
