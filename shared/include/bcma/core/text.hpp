#pragma once
// Small text predicates used wherever a person types or scans free text.

#include <string_view>

namespace bcma {

/// True when `s` is empty or only spaces, tabs and line breaks: a reason, a name or a code
/// made of nothing a person can read.
constexpr bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace bcma
