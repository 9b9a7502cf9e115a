#pragma once
// Content checks of one AI component: character set, then the component's linters in order.
// Private to bcma::gs1.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "bcma/gs1/ai_table.hpp"
#include "bcma/gs1/element_string.hpp"

namespace bcma::gs1::detail {

struct LintFailure {
  ErrorCode code;
  std::size_t offset;   // into the component data
  std::string message;  // what is wrong, without naming the AI (the caller adds that)
};

/// True if `c` belongs to `charset` (for CSET 64, '=' padding is judged by check_component).
bool in_charset(Charset charset, char c);

/// The first problem with `data` as a value of `component`: a character outside its character
/// set (kBadCharacter), a wrong check digit or pair (kBadCheckDigit), an impossible date or time
/// (kBadDate), or a failed content rule (kBadValue). Lengths are the caller's concern.
std::optional<LintFailure> check_component(const Component& component, std::string_view data);

/// Position of `c` in CSET 82 order ('!' = 0 ... 'z' = 81), or -1.
int cset82_value(char c);

}  // namespace bcma::gs1::detail
