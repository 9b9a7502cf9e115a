#pragma once
// Shared pieces of the GS1 parsers: the element as found in the input (with where it came from)
// and the common validation every form ends with. Private to bcma::gs1.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/gs1/ai_table.hpp"
#include "bcma/gs1/element_string.hpp"

namespace bcma::gs1::detail {

inline constexpr char kFnc1Caret = '^';

/// An element as split from the input, before its value is checked. Positions are byte offsets
/// into the original input.
struct RawElement {
  const AiDefinition* definition = nullptr;
  std::string value;
  std::size_t ai_pos = 0;
  std::size_t value_pos = 0;
  /// Original position of each value byte, plus one past the end, when the value is not a plain
  /// copy of the input (escapes, percent-encoding, zero padding); empty otherwise.
  std::vector<std::size_t> offsets;

  std::size_t position(std::size_t index) const {
    if (offsets.empty()) return value_pos + index;
    return index < offsets.size() ? offsets[index] : offsets.back();
  }
};

inline Unexpected<Error> fail(ErrorCode code, std::size_t position, std::string message) {
  return Unexpected(Error{code, position, std::move(message)});
}

/// "AI (01) GTIN" for messages.
std::string describe(const AiDefinition& definition);

/// Checks one value against its AI's components (lengths, character sets, linters).
Result<void, Error> check_value(const RawElement& element);

/// Checks values, repeats (identical repeats are dropped, differing ones rejected) and the AI
/// associations, and builds the message.
Result<Message, Error> finish(std::vector<RawElement> elements, Form form, std::string symbology);

/// Splits element strings that use `separator` for FNC1 (GS in scan data, '^' in the
/// unbracketed form), starting at `start` (just after the symbology identifier or leading '^').
Result<std::vector<RawElement>, Error> split_element_data(std::string_view input, std::size_t start,
                                                          char separator);

/// Parses a Digital Link URI that starts at `offset` in the original input (after a symbology
/// identifier when it came from a plain QR or Data Matrix code).
Result<std::vector<RawElement>, Error> split_digital_link(std::string_view input, std::size_t offset);

}  // namespace bcma::gs1::detail
