#include "message_generator.hpp"

#include <algorithm>

#include "bcma/gs1/gtin.hpp"

namespace bcma::gs1::testing {
namespace {

// CSET 82 characters that must be escaped somewhere: '(' in brackets, '%', '&', '+', '=', '?',
// '/' and '"' in URIs.
constexpr std::string_view kAwkward = "A(b)%&+=?/\"'*,-.:;<>_z09";

std::string repeat_to(std::string_view pattern, std::size_t length) {
  std::string out;
  while (out.size() < length) out += pattern[out.size() % pattern.size()];
  return out;
}

std::string digits(std::size_t length) { return repeat_to("9506000134", length); }

std::string with_check_digit(std::size_t length) {
  std::string body = digits(length - 1);
  return body + *mod10_check_digit(body);
}

std::string component_value(const Component& c, Variant variant) {
  std::size_t length = variant == Variant::kLongest ? c.max_length : c.min_length;
  if (c.has(Linter::kKey) || c.has(Linter::kKeyOff1)) length = std::max<std::size_t>(length, 5);
  using L = Linter;
  if (c.has(L::kCsum)) return with_check_digit(length);
  if (c.has(L::kCsumAlpha)) {
    const std::size_t n = std::max<std::size_t>(length, 7);
    std::string body = digits(4) + repeat_to("Ad4X4bL5ttr2310c", n - 6);
    return body + *check_character_pair(body);
  }
  if (c.has(L::kYymmd0)) return variant == Variant::kLongest ? "250600" : "251231";
  if (c.has(L::kYymmdd)) return "240229";
  if (c.has(L::kYyyymmdd)) return "19450508";
  if (c.has(L::kHh)) return "23";
  if (c.has(L::kMi) || c.has(L::kSs)) return "59";
  if (c.has(L::kHhmi)) return "2359";
  if (c.has(L::kIso4217)) return "826";
  if (c.has(L::kIso3166)) return "826";
  if (c.has(L::kIso3166Or999)) return variant == Variant::kLongest ? "999" : "826";
  if (c.has(L::kIso3166Alpha2)) return "GB";
  if (c.has(L::kIso5218)) return "2";
  if (c.has(L::kYesNo)) return "1";
  if (c.has(L::kZero)) return "0";
  if (c.has(L::kNonZero)) return repeat_to("0", length - 1) + "7";
  if (c.has(L::kWinding)) return "9";
  if (c.has(L::kPieceOfTotal)) return "0102";
  if (c.has(L::kMediaType)) return "80";
  if (c.has(L::kPackageType)) return variant == Variant::kLongest ? "RB1" : "8";
  if (c.has(L::kPosInSeqSlash)) return "2/3";
  if (c.has(L::kImporterIdx)) return "_";
  if (c.has(L::kCouponCode)) return "012345612345611110123";
  if (c.has(L::kCouponPosOffer)) return "001234561234560123456";
  if (c.has(L::kIban)) return "GB98MIDL07009312345678";
  if (c.has(L::kNoZeroPrefix)) return "1" + digits(length - 1);
  if (c.has(L::kLatitude)) return "1800000000";
  if (c.has(L::kLongitude)) return "3600000000";
  if (c.has(L::kHyphen)) return "-";
  if (c.has(L::kPcenc)) {
    if (variant == Variant::kShortest) return "J";
    std::string text = repeat_to("Smith%20", length);
    for (std::size_t i = text.size() - 2; i < text.size(); ++i)
      if (text[i] == '%') text[i] = 'x';  // no escape cut short at the end
    return text;
  }
  std::string value;
  switch (c.charset) {
    case Charset::kNumeric: value = digits(length); break;
    case Charset::kCset39: value = repeat_to("AB#-/09Z", length); break;
    case Charset::kCset64: value = repeat_to("Ab-_9z", length); break;
    case Charset::kCset82:
      value = variant == Variant::kLongest ? repeat_to(kAwkward, length) : repeat_to("A1", length);
      break;
  }
  if (c.has(L::kKey) || c.has(L::kKeyOff1)) {
    const std::string prefix = digits(std::min<std::size_t>(5, value.size()));
    value.replace(0, prefix.size(), prefix);
  }
  if (c.has(L::kHasNonDigit) && c.charset != Charset::kNumeric) value.back() = 'X';
  return value;
}

bool excludes(const AiDefinition& a, const AiDefinition& b) {
  std::string_view list = a.excludes;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (ai_matches_pattern(b.ai, list.substr(0, comma)) && a.ai != b.ai) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

const AiDefinition* concrete(std::string_view pattern) {
  for (const AiDefinition& d : all_ais())
    if (ai_matches_pattern(d.ai, pattern)) return &d;
  return nullptr;
}

std::vector<std::string_view> tokens(std::string_view list, char delimiter) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    const std::size_t at = list.find(delimiter);
    if (at != 0) out.push_back(list.substr(0, at));
    if (at == std::string_view::npos) break;
    list.remove_prefix(at + 1);
  }
  return out;
}

bool compatible(const std::vector<const AiDefinition*>& set, const AiDefinition& candidate) {
  return std::none_of(set.begin(), set.end(), [&](const AiDefinition* member) {
    return excludes(*member, candidate) || excludes(candidate, *member);
  });
}

bool satisfied(const std::vector<const AiDefinition*>& set, std::string_view clause, const AiDefinition* self) {
  for (std::string_view alternative : tokens(clause, ',')) {
    bool all = true;
    for (std::string_view pattern : tokens(alternative, '+'))
      all = all && std::any_of(set.begin(), set.end(), [&](const AiDefinition* d) {
              return d != self && ai_matches_pattern(d->ai, pattern);
            });
    if (all) return true;
  }
  return false;
}

// Adds required AIs until every clause of every member holds.
bool close_requirements(std::vector<const AiDefinition*>& set) {
  for (std::size_t i = 0; i < set.size(); ++i) {
    const AiDefinition* member = set[i];
    for (std::string_view clause : tokens(member->requires_, ' ')) {
      if (satisfied(set, clause, member)) continue;
      bool added = false;
      for (std::string_view alternative : tokens(clause, ',')) {
        std::vector<const AiDefinition*> extra;
        bool ok = true;
        for (std::string_view pattern : tokens(alternative, '+')) {
          const AiDefinition* d = concrete(pattern);
          if (d == nullptr || d == member) { ok = false; break; }
          if (std::find(set.begin(), set.end(), d) != set.end()) continue;
          std::vector<const AiDefinition*> trial = set;
          trial.insert(trial.end(), extra.begin(), extra.end());
          if (!compatible(trial, *d)) { ok = false; break; }
          extra.push_back(d);
        }
        if (!ok) continue;
        set.insert(set.end(), extra.begin(), extra.end());
        added = true;
        break;
      }
      if (!added) return false;
    }
  }
  return true;
}

std::vector<ElementString> to_elements(const std::vector<const AiDefinition*>& set, Variant variant) {
  std::vector<ElementString> elements;
  for (const AiDefinition* d : set) elements.push_back(ElementString{std::string(d->ai), valid_value(*d, variant)});
  return elements;
}

}  // namespace

std::string valid_value(const AiDefinition& definition, Variant variant) {
  std::string value;
  for (const Component& c : definition.components) {
    if (c.optional && variant == Variant::kShortest) break;
    value += component_value(c, variant);
  }
  return value;
}

std::vector<ElementString> valid_message_for(const AiDefinition& definition, Variant variant) {
  std::vector<const AiDefinition*> set{&definition};
  if (!close_requirements(set)) return {};
  return to_elements(set, variant);
}

std::vector<ElementString> digital_link_message_for(const AiDefinition& definition, Variant variant) {
  std::vector<const AiDefinition*> set{&definition};
  if (!close_requirements(set)) return {};
  const bool has_key = std::any_of(set.begin(), set.end(), [](const AiDefinition* d) { return d->dl_primary_key; });
  if (!has_key) {
    // A key that takes the AI as a qualifier first, then common keys.
    std::vector<const AiDefinition*> keys;
    for (const AiDefinition& d : all_ais()) {
      if (!d.dl_primary_key) continue;
      for (std::string_view sequence : tokens(d.dl_qualifiers, '|'))
        for (std::string_view ai : tokens(sequence, ','))
          if (ai == definition.ai) keys.push_back(&d);
    }
    for (std::string_view key : {"01", "00", "8006", "414", "8018", "253"}) keys.push_back(find_ai(key));
    for (const AiDefinition* k : keys) {
      std::vector<const AiDefinition*> trial = set;
      if (!compatible(trial, *k)) continue;
      trial.insert(trial.begin(), k);
      if (!close_requirements(trial)) continue;
      set = trial;
      break;
    }
  }
  return to_elements(set, variant);
}

}  // namespace bcma::gs1::testing
