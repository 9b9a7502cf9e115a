// Splitting the element-string forms: scan data and the unbracketed form (FNC1 as GS or '^'),
// and the bracketed form.

#include <string>

#include "internal.hpp"
#include "chars.hpp"

namespace bcma::gs1::detail {
namespace {

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      out += c;
    } else {
      constexpr std::string_view kHex = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[byte >> 4U];
      out += kHex[byte & 15U];
    }
  }
  return out + "\"";
}

// The AI at `pos`: known, complete, or an error that says which.
Result<const AiDefinition*, Error> read_ai(std::string_view input, std::size_t pos) {
  const std::string_view rest = input.substr(pos);
  const std::size_t length = ai_length_for_prefix(rest);
  if (length == 0) {
    if (rest.size() < 2 && !rest.empty() && is_digit(rest[0]))
      return fail(ErrorCode::kTruncatedAi, pos, "The data ends inside an Application Identifier.");
    return fail(ErrorCode::kUnknownAi, pos,
                "No GS1 Application Identifier starts with " + quoted(rest.substr(0, 2)) + ".");
  }
  if (rest.size() < length)
    return fail(ErrorCode::kTruncatedAi, pos,
                "The data ends inside Application Identifier " + quoted(rest) + ".");
  const AiDefinition* definition = find_ai(rest.substr(0, length));
  if (definition == nullptr)
    return fail(ErrorCode::kUnknownAi, pos,
                quoted(rest.substr(0, length)) + " is not a GS1 Application Identifier.");
  return definition;
}

const char* separator_name(char separator) {
  return separator == kGroupSeparator ? "GS (FNC1)" : "'^' (FNC1)";
}

}  // namespace

Result<std::vector<RawElement>, Error> split_element_data(std::string_view input, std::size_t start,
                                                          char separator) {
  std::vector<RawElement> elements;
  const std::size_t n = input.size();
  if (start >= n) return fail(ErrorCode::kEmpty, start, "There are no element strings.");
  if (input[start] == separator)
    return fail(ErrorCode::kUnexpectedSeparator, start,
                std::string(separator_name(separator)) + " before the first Application Identifier.");

  std::size_t pos = start;
  while (pos < n) {
    auto ai = read_ai(input, pos);
    if (!ai) return Unexpected(std::move(ai).error());
    const AiDefinition& definition = **ai;
    RawElement element;
    element.definition = &definition;
    element.ai_pos = pos;
    element.value_pos = pos + definition.ai.size();
    const std::size_t value_pos = element.value_pos;

    std::size_t end = 0;
    if (definition.predefined_length) {
      // A predefined-length value is exactly its length, separator or not.
      const std::size_t length = definition.max_length();
      const std::size_t stop = input.find(separator, value_pos);
      if (n - value_pos < length || (stop != std::string_view::npos && stop < value_pos + length))
        return fail(ErrorCode::kTooShort, value_pos,
                    describe(definition) + ": the value is too short (needs " +
                        std::to_string(length) + " characters).");
      end = value_pos + length;
    } else {
      // Any other value runs to the next separator or the end of the data.
      const std::size_t stop = input.find(separator, value_pos);
      end = stop == std::string_view::npos ? n : stop;
      if (end == value_pos) {
        if (end < n)
          return fail(ErrorCode::kUnexpectedSeparator, end,
                      describe(definition) + " has an empty value: " + separator_name(separator) +
                          " follows the AI directly.");
        return fail(ErrorCode::kTooShort, value_pos, describe(definition) + " has no value.");
      }
      const std::size_t max = definition.max_length();
      if (end - value_pos > max) {
        const std::size_t at = value_pos + max;
        if (match_ai_prefix(input.substr(at)) != nullptr)
          return fail(ErrorCode::kMissingSeparator, at,
                      describe(definition) + ": the value runs past its " + std::to_string(max) +
                          " characters into what looks like the next AI; " +
                          separator_name(separator) + " is missing.");
        return fail(ErrorCode::kTooLong, at,
                    describe(definition) + ": the value is too long (" +
                        std::to_string(end - value_pos) + " characters, at most " +
                        std::to_string(max) + ").");
      }
    }
    element.value.assign(input.substr(value_pos, end - value_pos));
    elements.push_back(std::move(element));

    pos = end;
    if (pos < n && input[pos] == separator) {
      // A separator after a predefined-length value is unnecessary but harmless.
      ++pos;
      if (pos == n)
        return fail(ErrorCode::kUnexpectedSeparator, pos - 1,
                    std::string(separator_name(separator)) + " at the end of the data.");
      if (input[pos] == separator)
        return fail(ErrorCode::kUnexpectedSeparator, pos,
                    std::string("Two ") + separator_name(separator) + " separators in a row.");
    }
  }
  return elements;
}

}  // namespace bcma::gs1::detail

namespace bcma::gs1 {

Result<Message, Error> parse_bracketed(std::string_view input) {
  using detail::fail;
  if (input.empty()) return fail(ErrorCode::kEmpty, 0, "No data was given.");
  if (input[0] != '(')
    return fail(ErrorCode::kUnknownAi, 0, "Bracketed element strings start with '(' and an AI.");
  std::vector<detail::RawElement> elements;
  std::size_t pos = 0;
  const std::size_t n = input.size();
  while (pos < n) {
    // input[pos] == '(' here: the start, or the unescaped bracket that ended the last value.
    const std::size_t close = input.find(')', pos + 1);
    const std::size_t ai_pos = pos + 1;
    if (close == std::string_view::npos)
      return fail(ErrorCode::kTruncatedAi, ai_pos, "The bracket around the AI is not closed.");
    const std::string_view ai = input.substr(ai_pos, close - ai_pos);
    const AiDefinition* definition = find_ai(ai);
    if (definition == nullptr)
      return fail(ErrorCode::kUnknownAi, ai_pos,
                  std::string("AI (").append(ai).append(") is not a GS1 Application Identifier."));
    detail::RawElement element;
    element.definition = definition;
    element.ai_pos = ai_pos;
    element.value_pos = close + 1;
    std::size_t i = close + 1;
    bool escaped = false;
    while (i < n && input[i] != '(') {
      if (input[i] == '\\') {
        if (i + 1 >= n || input[i + 1] != '(')
          return fail(ErrorCode::kBadEscape, i,
                      "A backslash in a bracketed value may only escape '(' as \"\\(\".");
        if (!escaped) {
          escaped = true;
          for (std::size_t k = 0; k < element.value.size(); ++k) element.offsets.push_back(element.value_pos + k);
        }
        element.offsets.push_back(i);
        element.value += '(';
        i += 2;
        continue;
      }
      if (escaped) element.offsets.push_back(i);
      element.value += input[i];
      ++i;
    }
    if (escaped) element.offsets.push_back(i);
    if (element.value.empty())
      return fail(ErrorCode::kTooShort, element.value_pos,
                  detail::describe(*definition) + " has no value.");
    elements.push_back(std::move(element));
    pos = i;
  }
  return detail::finish(std::move(elements), Form::kBracketed, "");
}

Result<Message, Error> parse_unbracketed(std::string_view input) {
  using detail::fail;
  if (input.empty()) return fail(ErrorCode::kEmpty, 0, "No data was given.");
  if (input[0] != detail::kFnc1Caret)
    return fail(ErrorCode::kUnknownAi, 0, "Unbracketed element strings start with '^' (FNC1).");
  auto elements = detail::split_element_data(input, 1, detail::kFnc1Caret);
  if (!elements) return Unexpected(std::move(elements).error());
  return detail::finish(std::move(elements).value(), Form::kUnbracketed, "");
}

}  // namespace bcma::gs1
