#include "bcma/gs1/ai_table.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "ai_table_data.hpp"
#include "chars.hpp"

namespace bcma::gs1 {
namespace {

using detail::is_digit;

constexpr std::int16_t kNone = -1;

int digits_value(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// The expanded table with O(1) lookups: an AI of length n and numeric value v is at
// index_[n - 2][v]. The AI length is fixed by the first two digits (GS1 General Specifications),
// which the table invariants test checks.
struct Table {
  std::vector<AiDefinition> definitions;
  std::vector<std::array<char, 4>> names;
  std::array<std::uint8_t, 100> prefix_length{};
  std::array<std::int16_t, 100> index2{};
  std::array<std::int16_t, 1000> index3{};
  std::array<std::int16_t, 10000> index4{};

  Table() {
    index2.fill(kNone);
    index3.fill(kNone);
    index4.fill(kNone);
    const auto rows = detail::ai_rows();
    std::size_t total = 0;
    for (const auto& row : rows)
      total += static_cast<std::size_t>(digits_value(row.last) - digits_value(row.first) + 1);
    names.reserve(total);  // string_views point into names: no reallocation after this
    definitions.reserve(total);
    for (const auto& row : rows) {
      const std::size_t length = row.first.size();
      for (int value = digits_value(row.first); value <= digits_value(row.last); ++value) {
        std::array<char, 4> name{};
        int rest = value;
        for (std::size_t i = length; i-- > 0;) {
          name[i] = static_cast<char>('0' + rest % 10);
          rest /= 10;
        }
        names.push_back(name);
        AiDefinition definition;
        definition.ai = std::string_view(names.back().data(), length);
        definition.title = row.title;
        definition.predefined_length = (row.flags & detail::kPredefined) != 0;
        definition.dl_data_attribute = (row.flags & detail::kDlAttribute) != 0;
        definition.dl_primary_key = (row.flags & detail::kDlPrimaryKey) != 0;
        definition.components = std::span<const Component>(row.spec.components.data(), row.spec.count);
        definition.requires_ = row.requires_;
        definition.excludes = row.excludes;
        definition.dl_qualifiers = row.dl_qualifiers;
        definitions.push_back(definition);
      }
    }
    std::sort(definitions.begin(), definitions.end(),
              [](const AiDefinition& a, const AiDefinition& b) { return a.ai < b.ai; });
    for (std::size_t i = 0; i < definitions.size(); ++i) {
      const std::string_view ai = definitions[i].ai;
      const auto slot = static_cast<std::int16_t>(i);
      const auto value = static_cast<std::size_t>(digits_value(ai));
      if (ai.size() == 2) index2[value] = slot;
      if (ai.size() == 3) index3[value] = slot;
      if (ai.size() == 4) index4[value] = slot;
      prefix_length[static_cast<std::size_t>(digits_value(ai.substr(0, 2)))] =
          static_cast<std::uint8_t>(ai.size());
    }
  }

  const AiDefinition* lookup(std::string_view ai) const {
    std::int16_t slot = kNone;
    const auto value = static_cast<std::size_t>(digits_value(ai));
    if (ai.size() == 2) slot = index2[value];
    if (ai.size() == 3) slot = index3[value];
    if (ai.size() == 4) slot = index4[value];
    return slot == kNone ? nullptr : &definitions[static_cast<std::size_t>(slot)];
  }
};

const Table& table() {
  static const Table instance;
  return instance;
}

}  // namespace

std::uint16_t AiDefinition::min_length() const {
  unsigned total = 0;
  for (const auto& component : components)
    if (!component.optional) total += component.min_length;
  return static_cast<std::uint16_t>(total);
}

std::uint16_t AiDefinition::max_length() const {
  unsigned total = 0;
  for (const auto& component : components) total += component.max_length;
  return static_cast<std::uint16_t>(total);
}

const AiDefinition* find_ai(std::string_view ai) {
  if (ai.size() < 2 || ai.size() > 4 || !std::all_of(ai.begin(), ai.end(), is_digit))
    return nullptr;
  return table().lookup(ai);
}

std::size_t ai_length_for_prefix(std::string_view data) {
  if (data.size() < 2 || !is_digit(data[0]) || !is_digit(data[1])) return 0;
  return table().prefix_length[static_cast<std::size_t>(digits_value(data.substr(0, 2)))];
}

const AiDefinition* match_ai_prefix(std::string_view data) {
  const std::size_t length = ai_length_for_prefix(data);
  if (length == 0 || data.size() < length) return nullptr;
  return find_ai(data.substr(0, length));
}

std::span<const AiDefinition> all_ais() { return table().definitions; }

bool ai_matches_pattern(std::string_view ai, std::string_view pattern) {
  if (ai.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < ai.size(); ++i)
    if (pattern[i] != 'n' && pattern[i] != ai[i]) return false;
  return true;
}

}  // namespace bcma::gs1
