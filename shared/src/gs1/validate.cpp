// The checks every input form ends with: each value against its AI, repeated AIs, and the AI
// associations (req / ex) of the Syntax Dictionary.

#include <algorithm>
#include <array>
#include <string>

#include "internal.hpp"
#include "linters.hpp"

namespace bcma::gs1 {
namespace detail {
namespace {

// Calls `visit(token)` for each `delimiter`-separated token; stops early if it returns true.
template <class Visit>
bool any_token(std::string_view list, char delimiter, Visit visit) {
  while (!list.empty()) {
    const std::size_t end = list.find(delimiter);
    const std::string_view token = list.substr(0, end);
    if (!token.empty() && visit(token)) return true;
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return false;
}

template <class Visit>
bool all_tokens(std::string_view list, char delimiter, Visit visit) {
  return !any_token(list, delimiter, [&](std::string_view token) { return !visit(token); });
}

std::string bracketed_list(std::string_view list) {
  std::string text;
  any_token(list, ',', [&](std::string_view alternative) {
    if (!text.empty()) text += ", ";
    any_token(alternative, '+', [&](std::string_view ai) {
      if (!text.empty() && text.back() == ')') text += '+';
      text += '(';
      text += ai;
      text += ')';
      return false;
    });
    return false;
  });
  return text;
}

std::string length_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " character" : " characters");
}

}  // namespace

std::string describe(const AiDefinition& definition) {
  std::string text = "AI (";
  text += definition.ai;
  text += ')';
  if (!definition.title.empty()) {
    text += ' ';
    text += definition.title;
  }
  return text;
}

Result<void, Error> check_value(const RawElement& element) {
  const AiDefinition& definition = *element.definition;
  const std::string_view value = element.value;
  // Each component takes its prescribed length from what is left; optional trailing components
  // may be absent once the value is used up.
  std::array<std::string_view, kMaxComponents> parts{};
  std::array<std::size_t, kMaxComponents> starts{};
  std::size_t used = 0;
  std::size_t count = 0;
  for (const Component& component : definition.components) {
    const std::size_t left = value.size() - used;
    if (left == 0 && component.optional) break;
    if (left < component.min_length) {
      return fail(ErrorCode::kTooShort, element.position(0),
                  describe(definition) + ": the value is too short (" + length_text(value.size()) +
                      ", needs at least " + std::to_string(definition.min_length()) + ").");
    }
    const std::size_t take = std::min<std::size_t>(left, component.max_length);
    parts[count] = value.substr(used, take);
    starts[count] = used;
    ++count;
    used += take;
  }
  if (used < value.size()) {
    return fail(ErrorCode::kTooLong, element.position(used),
                describe(definition) + ": the value is too long (" + length_text(value.size()) +
                    ", at most " + std::to_string(definition.max_length()) + ").");
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (auto problem = check_component(definition.components[i], parts[i])) {
      const std::size_t at = starts[i] + problem->offset;
      std::string message = describe(definition) + ": ";
      if (problem->code == ErrorCode::kBadCharacter && at < value.size()) {
        const auto byte = static_cast<unsigned char>(value[at]);
        message += "character ";
        if (byte >= 0x21 && byte < 0x7F) {
          message += '\'';
          message += static_cast<char>(byte);
          message += '\'';
        } else {
          message += "0x";
          constexpr std::string_view kHex = "0123456789ABCDEF";
          message += kHex[byte >> 4U];
          message += kHex[byte & 15U];
        }
        message += " is not allowed: ";
      }
      message += problem->message + ".";
      return fail(problem->code, element.position(at), std::move(message));
    }
  }
  return {};
}

Result<Message, Error> finish(std::vector<RawElement> elements, Form form, std::string symbology) {
  for (const RawElement& element : elements) {
    if (auto checked = check_value(element); !checked) return Unexpected(std::move(checked).error());
  }

  // Identical repeats add nothing and are dropped (the first occurrence keeps its place); a
  // repeat with another value is a contradiction the scanner must not resolve by guessing.
  std::vector<const RawElement*> kept;
  kept.reserve(elements.size());
  for (const RawElement& element : elements) {
    const auto same_ai = std::find_if(kept.begin(), kept.end(), [&](const RawElement* other) {
      return other->definition == element.definition;
    });
    if (same_ai == kept.end()) {
      kept.push_back(&element);
    } else if ((*same_ai)->value != element.value) {
      return fail(ErrorCode::kRepeatedAiMismatch, element.ai_pos,
                  describe(*element.definition) + " appears twice with different values (\"" +
                      (*same_ai)->value + "\" and \"" + element.value + "\").");
    }
  }

  const auto present = [&](std::string_view pattern, const RawElement* self) {
    return std::any_of(kept.begin(), kept.end(), [&](const RawElement* other) {
      return other != self && ai_matches_pattern(other->definition->ai, pattern);
    });
  };

  for (std::size_t i = 0; i < kept.size(); ++i) {
    const AiDefinition& mine = *kept[i]->definition;
    for (std::size_t j = 0; j < i; ++j) {
      const AiDefinition& theirs = *kept[j]->definition;
      const bool forbidden =
          any_token(mine.excludes, ',', [&](std::string_view p) { return ai_matches_pattern(theirs.ai, p); }) ||
          any_token(theirs.excludes, ',', [&](std::string_view p) { return ai_matches_pattern(mine.ai, p); });
      if (forbidden) {
        return fail(ErrorCode::kForbiddenPair, kept[i]->ai_pos,
                    describe(mine) + " must not appear together with " + describe(theirs) + ".");
      }
    }
  }

  for (const RawElement* element : kept) {
    const AiDefinition& definition = *element->definition;
    std::string_view missing;
    const bool satisfied = all_tokens(definition.requires_, ' ', [&](std::string_view clause) {
      const bool met = any_token(clause, ',', [&](std::string_view alternative) {
        return all_tokens(alternative, '+', [&](std::string_view p) { return present(p, element); });
      });
      if (!met) missing = clause;
      return met;
    });
    if (!satisfied) {
      const bool single = missing.find_first_of(",+") == std::string_view::npos;
      return fail(ErrorCode::kMissingRequiredAi, element->ai_pos,
                  describe(definition) + " needs " + (single ? "" : "one of ") +
                      bracketed_list(missing) + " in the same message.");
    }
  }

  Message message;
  message.form = form;
  message.symbology = std::move(symbology);
  message.elements.reserve(kept.size());
  for (const RawElement* element : kept)
    message.elements.push_back(ElementString{std::string(element->definition->ai), element->value});
  return message;
}

}  // namespace detail

Result<Message, Error> validate(std::vector<ElementString> elements) {
  if (elements.empty()) return detail::fail(ErrorCode::kEmpty, 0, "The message has no element strings.");
  std::vector<detail::RawElement> raw;
  raw.reserve(elements.size());
  std::size_t pos = 1;  // after the leading FNC1 of the canonical element string
  for (std::size_t i = 0; i < elements.size(); ++i) {
    ElementString& element = elements[i];
    const AiDefinition* definition = find_ai(element.ai);
    if (definition == nullptr) {
      return detail::fail(ErrorCode::kUnknownAi, pos,
                          std::string("AI (").append(element.ai).append(") is not a GS1 Application Identifier."));
    }
    detail::RawElement item;
    item.definition = definition;
    item.ai_pos = pos;
    item.value_pos = pos + element.ai.size();
    pos = item.value_pos + element.value.size();
    if (!definition->predefined_length && i + 1 < elements.size()) ++pos;
    item.value = std::move(element.value);
    raw.push_back(std::move(item));
  }
  return detail::finish(std::move(raw), Form::kUnbracketed, "");
}

}  // namespace bcma::gs1
