#pragma once
// Generates valid GS1 values and messages for every AI of the table, for round-trip tests, the
// fuzzer's seed corpus and the benchmark.

#include <string>
#include <string_view>
#include <vector>

#include "bcma/gs1/ai_table.hpp"
#include "bcma/gs1/element_string.hpp"

namespace bcma::gs1::testing {

/// GS as a string, to build scan data by concatenation.
inline const std::string kGs(1, kGroupSeparator);

enum class Variant { kShortest, kLongest };

/// A valid value for `definition` (check digits, dates, codes included). kLongest fills every
/// component to its maximum and uses characters that need escaping in URIs and brackets.
std::string valid_value(const AiDefinition& definition, Variant variant);

/// Elements for a valid message that contains `definition`'s AI: the AI first, then the AIs its
/// associations require, none of them excluded by another.
std::vector<ElementString> valid_message_for(const AiDefinition& definition, Variant variant);

/// As valid_message_for, with a Digital Link primary key added when the message has none and
/// one can be added without breaking an association; empty if the AI cannot be in a Digital
/// Link at all.
std::vector<ElementString> digital_link_message_for(const AiDefinition& definition, Variant variant);

}  // namespace bcma::gs1::testing
