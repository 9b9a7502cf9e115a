// GS1 Digital Link URIs: https://<domain>[/<prefix>...]/<key AI>/<key>[/<qualifier AI>/<value>...]
// [?<AI>=<value>&...][#fragment], read and written per the GS1 Digital Link URI syntax.

#include <algorithm>
#include <string>

#include "internal.hpp"
#include "chars.hpp"

namespace bcma::gs1 {
namespace detail {
namespace {

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 3986 characters (unreserved, reserved and '%').
bool is_uri_character(char c) {
  return is_alpha(c) || is_digit(c) ||
         std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}
bool is_bad_domain_character(char c) {
  return std::string_view("_~?#@!$&'()*+,;=%").find(c) != std::string_view::npos;
}
bool is_unreserved(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

std::size_t scheme_length(std::string_view uri) {
  for (std::string_view scheme : {"https://", "http://", "HTTPS://", "HTTP://"})
    if (uri.substr(0, scheme.size()) == scheme) return scheme.size();
  return 0;
}

// Percent-decodes `text` (at `base` in the input) into `element`; in a query '+' is a space.
Result<void, Error> decode_into(std::string_view text, std::size_t base, bool query, RawElement& element) {
  element.value_pos = base;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    const std::size_t at = base + i;
    if (c == '%') {
      const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0)
        return fail(ErrorCode::kBadPercentEncoding, at, "'%' is not followed by two hexadecimal digits.");
      c = static_cast<char>(hi * 16 + lo);
      if (c == '\0') return fail(ErrorCode::kBadPercentEncoding, at, "\"%00\" is not allowed in a value.");
      if (!escaped) {
        escaped = true;
        for (std::size_t k = 0; k < element.value.size(); ++k) element.offsets.push_back(base + k);
      }
      element.offsets.push_back(at);
      element.value += c;
      i += 2;
      continue;
    }
    if (query && c == '+') c = ' ';
    if (escaped) element.offsets.push_back(at);
    element.value += c;
  }
  if (escaped) element.offsets.push_back(base + text.size());
  return {};
}

// GTIN-8, -12 and -13 in a Digital Link are written without the leading zeros of GTIN-14.
void pad_gtin(RawElement& element) {
  const std::size_t n = element.value.size();
  if (element.definition->ai != "01" || (n != 8 && n != 12 && n != 13)) return;
  if (!std::all_of(element.value.begin(), element.value.end(), is_digit)) return;
  if (element.offsets.empty())
    for (std::size_t k = 0; k <= n; ++k) element.offsets.push_back(element.value_pos + k);
  element.offsets.insert(element.offsets.begin(), 14 - n, element.value_pos);
  element.value.insert(0, 14 - n, '0');
}

// True if `qualifiers` (after the key) follow one of the key's permitted sequences in order.
bool is_permitted_path(const AiDefinition& key, const std::vector<const AiDefinition*>& qualifiers) {
  if (qualifiers.empty()) return true;
  std::string_view alternatives = key.dl_qualifiers;
  while (!alternatives.empty()) {
    const std::size_t bar = alternatives.find('|');
    std::string_view sequence = alternatives.substr(0, bar);
    bool ok = true;
    for (const AiDefinition* qualifier : qualifiers) {
      // Find the qualifier further along the sequence.
      bool found = false;
      while (!sequence.empty()) {
        const std::size_t comma = sequence.find(',');
        const std::string_view ai = sequence.substr(0, comma);
        sequence = comma == std::string_view::npos ? std::string_view() : sequence.substr(comma + 1);
        if (ai == qualifier->ai) {
          found = true;
          break;
        }
      }
      if (!found) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
    if (bar == std::string_view::npos) break;
    alternatives.remove_prefix(bar + 1);
  }
  return false;
}

struct Segment {
  std::string_view text;
  std::size_t pos;
};

}  // namespace

Result<std::vector<RawElement>, Error> split_digital_link(std::string_view input, std::size_t offset) {
  const std::string_view uri = input.substr(offset);
  for (std::size_t i = 0; i < uri.size(); ++i)
    if (!is_uri_character(uri[i]))
      return fail(ErrorCode::kBadUri, offset + i, "The URI contains a character a URI may not contain.");
  const std::size_t scheme = scheme_length(uri);
  if (scheme == 0)
    return fail(ErrorCode::kBadUri, offset, "A GS1 Digital Link URI starts with http:// or https://.");
  const std::size_t path_start = uri.find('/', scheme);
  if (path_start == std::string_view::npos || path_start == scheme)
    return fail(ErrorCode::kBadUri, offset + scheme, "The URI has no domain or no path.");
  for (std::size_t i = scheme; i < path_start; ++i)
    if (is_bad_domain_character(uri[i]))
      return fail(ErrorCode::kBadUri, offset + i, "The domain name contains a character it may not contain.");

  const std::size_t fragment = std::min(uri.find('#', path_start), uri.size());
  const std::size_t query_mark = std::min(uri.find('?', path_start), fragment);
  const std::string_view path = uri.substr(path_start, query_mark - path_start);

  std::vector<Segment> segments;
  for (std::size_t i = 0; i < path.size();) {
    const std::size_t next = std::min(path.find('/', i + 1), path.size());
    segments.push_back(Segment{path.substr(i + 1, next - i - 1), offset + path_start + i + 1});
    i = next;
  }
  if (!segments.empty() && segments.back().text.empty())
    return fail(ErrorCode::kBadUri, segments.back().pos, "A Digital Link path may not end with '/'.");

  // The primary key is the rightmost "/AI/value" pair whose AI is a key, reached through AI
  // pairs only; anything left of it is the domain's own path prefix.
  std::size_t root = segments.size();
  for (std::size_t i = segments.size(); i >= 2; i -= 2) {
    const AiDefinition* definition = find_ai(segments[i - 2].text);
    if (definition == nullptr) break;
    if (definition->dl_primary_key) {
      root = i - 2;
      break;
    }
  }
  if (root == segments.size())
    return fail(ErrorCode::kBadUri, offset + path_start,
                "The path has no GS1 Digital Link primary key (such as /01/ followed by a GTIN).");

  std::vector<RawElement> elements;
  std::vector<const AiDefinition*> qualifiers;
  for (std::size_t i = root; i + 1 < segments.size(); i += 2) {
    RawElement element;
    element.definition = find_ai(segments[i].text);
    element.ai_pos = segments[i].pos;
    if (auto decoded = decode_into(segments[i + 1].text, segments[i + 1].pos, false, element); !decoded)
      return Unexpected(std::move(decoded).error());
    pad_gtin(element);
    if (i != root) {
      qualifiers.push_back(element.definition);
      if (!is_permitted_path(*elements.front().definition, qualifiers))
        return fail(ErrorCode::kBadUri, element.ai_pos,
                    describe(*element.definition) + " may not follow the path before it (" +
                        describe(*elements.front().definition) + " takes qualifiers in the order " +
                        (elements.front().definition->dl_qualifiers.empty()
                             ? std::string("- none")
                             : std::string(elements.front().definition->dl_qualifiers)) +
                        ").");
    }
    elements.push_back(std::move(element));
  }

  std::string_view query = uri.substr(query_mark, fragment - query_mark);
  std::size_t query_pos = offset + query_mark;
  if (!query.empty()) {  // drop the '?'
    query.remove_prefix(1);
    ++query_pos;
  }
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view parameter = query.substr(0, amp);
    const std::size_t parameter_pos = query_pos;
    query_pos += amp + 1;
    query = amp == query.size() ? std::string_view() : query.substr(amp + 1);
    const std::size_t equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;  // a flag that is not an AI
    const std::string_view key = parameter.substr(0, equals);
    if (key.empty() || !std::all_of(key.begin(), key.end(), is_digit)) continue;  // not an AI
    RawElement element;
    element.definition = find_ai(key);
    element.ai_pos = parameter_pos;
    if (element.definition == nullptr)
      return fail(ErrorCode::kUnknownAi, parameter_pos,
                  std::string("AI (").append(key).append(") in the query is not a GS1 Application Identifier."));
    const AiDefinition& definition = *element.definition;
    // A key qualifier that fits the path belongs in the path, not the query.
    for (std::size_t at = 0; at <= qualifiers.size(); ++at) {
      auto trial = qualifiers;
      trial.insert(trial.begin() + static_cast<std::ptrdiff_t>(at), &definition);
      if (is_permitted_path(*elements.front().definition, trial))
        return fail(ErrorCode::kBadUri, parameter_pos,
                    describe(definition) + " is a key qualifier: it belongs in the URI path.");
    }
    if (!definition.dl_data_attribute)
      return fail(ErrorCode::kBadUri, parameter_pos,
                  describe(definition) + " is not permitted as a Digital Link query attribute.");
    if (auto decoded = decode_into(parameter.substr(equals + 1), parameter_pos + equals + 1, true, element);
        !decoded)
      return Unexpected(std::move(decoded).error());
    pad_gtin(element);
    elements.push_back(std::move(element));
  }
  return elements;
}

}  // namespace detail

Result<Message, Error> parse_digital_link(std::string_view uri) {
  if (uri.empty()) return detail::fail(ErrorCode::kEmpty, 0, "No data was given.");
  auto elements = detail::split_digital_link(uri, 0);
  if (!elements) return Unexpected(std::move(elements).error());
  return detail::finish(std::move(elements).value(), Form::kDigitalLink, "");
}

Result<std::string, Error> to_digital_link(const Message& message, std::string_view domain) {
  using detail::fail;
  // The key is the first element that is a Digital Link primary key.
  std::size_t key = message.elements.size();
  for (std::size_t i = 0; i < message.elements.size(); ++i) {
    const AiDefinition* definition = find_ai(message.elements[i].ai);
    if (definition != nullptr && definition->dl_primary_key) {
      key = i;
      break;
    }
  }
  if (key == message.elements.size())
    return fail(ErrorCode::kBadUri, 0,
                "The message has no GS1 Digital Link primary key (GTIN, SSCC, GLN, GSRN, ...).");
  const AiDefinition& key_definition = *find_ai(message.elements[key].ai);

  // Of the key's qualifier sequences, use the one that places most of the message's AIs.
  std::string_view best;
  std::size_t best_count = 0;
  std::string_view alternatives = key_definition.dl_qualifiers;
  while (!alternatives.empty()) {
    const std::size_t bar = alternatives.find('|');
    const std::string_view sequence = alternatives.substr(0, bar);
    std::size_t count = 0;
    for (const ElementString& element : message.elements) {
      std::string_view rest = sequence;
      while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        if (rest.substr(0, comma) == element.ai) ++count;
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
    }
    if (count > best_count) {
      best_count = count;
      best = sequence;
    }
    if (bar == std::string_view::npos) break;
    alternatives.remove_prefix(bar + 1);
  }

  const auto encode = [](std::string& out, std::string_view value) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    for (char c : value) {
      if (detail::is_unreserved(c)) {
        out += c;
      } else {
        const auto byte = static_cast<unsigned char>(c);
        out += '%';
        out += kHex[byte >> 4U];
        out += kHex[byte & 15U];
      }
    }
  };

  std::string uri(domain);
  while (!uri.empty() && uri.back() == '/') uri.pop_back();
  std::vector<bool> in_path(message.elements.size(), false);
  in_path[key] = true;
  uri += '/';
  uri += message.elements[key].ai;
  uri += '/';
  encode(uri, message.elements[key].value);
  std::string_view rest = best;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view ai = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    for (std::size_t i = 0; i < message.elements.size(); ++i) {
      if (in_path[i] || message.elements[i].ai != ai) continue;
      in_path[i] = true;
      uri += '/';
      uri += ai;
      uri += '/';
      encode(uri, message.elements[i].value);
      break;
    }
  }
  char joiner = '?';
  for (std::size_t i = 0; i < message.elements.size(); ++i) {
    if (in_path[i]) continue;
    const ElementString& element = message.elements[i];
    const AiDefinition* definition = find_ai(element.ai);
    if (definition == nullptr || !definition->dl_data_attribute)
      return fail(ErrorCode::kBadUri, 0,
                  "AI (" + element.ai + ") cannot be carried in a Digital Link with key (" +
                      std::string(key_definition.ai) + "): it is neither a qualifier in a permitted order nor a query attribute.");
    uri += joiner;
    joiner = '&';
    uri += element.ai;
    uri += '=';
    encode(uri, element.value);
  }
  return uri;
}

}  // namespace bcma::gs1
