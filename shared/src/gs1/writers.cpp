// The canonical writers. They trust the message (it came from a parser or validate()).

#include <string>

#include "internal.hpp"

namespace bcma::gs1 {
namespace {

// FNC1 follows every value that is not of predefined length (an AI the table does not know is
// treated the same way, the safe choice), except the last.
std::string join(const Message& message, char separator) {
  std::string out;
  for (std::size_t i = 0; i < message.elements.size(); ++i) {
    const ElementString& element = message.elements[i];
    out += element.ai;
    out += element.value;
    const AiDefinition* definition = find_ai(element.ai);
    const bool predefined = definition != nullptr && definition->predefined_length;
    if (!predefined && i + 1 < message.elements.size()) out += separator;
  }
  return out;
}

}  // namespace

std::string to_element_string(const Message& message) {
  std::string out(1, detail::kFnc1Caret);
  out += join(message, detail::kFnc1Caret);
  return out;
}

std::string to_bracketed(const Message& message) {
  std::string out;
  for (const ElementString& element : message.elements) {
    out += '(';
    out += element.ai;
    out += ')';
    for (char c : element.value) {
      if (c == '(') out += '\\';
      out += c;
    }
  }
  return out;
}

std::string to_scan_data(const Message& message, std::string_view symbology) {
  return std::string(symbology) + join(message, kGroupSeparator);
}

}  // namespace bcma::gs1
