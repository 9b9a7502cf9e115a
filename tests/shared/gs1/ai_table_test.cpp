// Invariants of the AI table and spot checks of its facts against the GS1 Barcode Syntax
// Dictionary.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "bcma/gs1/ai_table.hpp"
#include "code_lists.hpp"

namespace bcma::gs1 {
namespace {

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Every token of a req/ex list: an AI in the table, or a pattern matching at least one.
bool refers_to_known_ai(std::string_view token) {
  if (find_ai(token) != nullptr) return true;
  if (token.find('n') == std::string_view::npos) return false;
  return std::any_of(all_ais().begin(), all_ais().end(),
                     [&](const AiDefinition& d) { return ai_matches_pattern(d.ai, token); });
}

std::vector<std::string> split(std::string_view text, std::string_view delimiters) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (delimiters.find(c) != std::string_view::npos) {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

TEST(AiTable, IsSortedWithoutDuplicates) {
  const auto ais = all_ais();
  ASSERT_GT(ais.size(), 500U);
  for (std::size_t i = 1; i < ais.size(); ++i) EXPECT_LT(ais[i - 1].ai, ais[i].ai) << ais[i].ai;
}

TEST(AiTable, HoldsEveryAiOfTheDictionary) {
  // Ranges of the dictionary, counted: 31xx-36xx 53 groups of 6, 3900-3955 46, 91-99 9.
  std::size_t measures = 0;
  for (const auto& d : all_ais())
    if (d.ai.size() == 4 && d.ai[0] == '3' && d.ai[1] >= '1' && d.ai[1] <= '6') ++measures;
  EXPECT_EQ(measures, 53U * 6U);
  for (std::string_view ai : {"00", "01", "02", "03", "10", "11", "12", "13", "15", "16", "17", "20",
                              "21", "22", "235", "240", "243", "250", "251", "253", "254", "255", "30",
                              "37", "3900", "3909", "3919", "3929", "3939", "3943", "3955", "400",
                              "403", "410", "417", "420", "427", "4300", "4333", "7001", "7011",
                              "7020", "7023", "7030", "7039", "7040", "7041", "710", "716", "717",
                              "7230", "7239", "7240", "7242", "7250", "7259", "8001", "8014", "8017",
                              "8018", "8019", "8020", "8026", "8030", "8110", "8111", "8112", "8200",
                              "90", "91", "99"})
    EXPECT_NE(find_ai(ai), nullptr) << ai;
  for (std::string_view ai : {"04", "14", "18", "19", "23", "236", "244", "3106", "3944", "3956",
                              "404", "418", "428", "4334", "7012", "7042", "718", "7243", "7260",
                              "8015", "8027", "8113", "8201", "89", "9", "01234"})
    EXPECT_EQ(find_ai(ai), nullptr) << ai;
}

TEST(AiTable, LengthsAndComponentsAreSane) {
  for (const auto& d : all_ais()) {
    SCOPED_TRACE(std::string(d.ai));
    EXPECT_TRUE(is_digits(d.ai));
    EXPECT_GE(d.ai.size(), 2U);
    EXPECT_LE(d.ai.size(), 4U);
    ASSERT_GE(d.components.size(), 1U);
    ASSERT_LE(d.components.size(), kMaxComponents);
    EXPECT_FALSE(d.components.front().optional);
    bool optional_seen = false;
    for (std::size_t i = 0; i < d.components.size(); ++i) {
      const Component& c = d.components[i];
      EXPECT_GE(c.min_length, 1U);
      EXPECT_LE(c.min_length, c.max_length);
      if (!c.fixed_length()) {
        EXPECT_EQ(i + 1, d.components.size()) << "only the last may vary";
      }
      if (optional_seen) {
        EXPECT_TRUE(c.optional) << "no mandatory component after an optional one";
      }
      optional_seen = optional_seen || c.optional;
    }
    EXPECT_GE(d.min_length(), 1U);
    EXPECT_LE(d.min_length(), d.max_length());
    EXPECT_LE(d.max_length(), 90U);
    if (d.predefined_length) {
      EXPECT_TRUE(d.fixed_length()) << "predefined length means fixed";
    }
  }
}

TEST(AiTable, AiLengthIsFixedByTheFirstTwoDigits) {
  std::map<std::string, std::size_t> lengths;
  for (const auto& d : all_ais()) {
    const std::string prefix(d.ai.substr(0, 2));
    const auto [it, inserted] = lengths.emplace(prefix, d.ai.size());
    EXPECT_EQ(it->second, d.ai.size()) << d.ai;
    EXPECT_EQ(ai_length_for_prefix(d.ai), d.ai.size());
    EXPECT_EQ(match_ai_prefix(std::string(d.ai) + "123"), &d);
  }
  EXPECT_EQ(ai_length_for_prefix("05"), 0U);
  EXPECT_EQ(ai_length_for_prefix("7"), 0U);
  EXPECT_EQ(match_ai_prefix("310"), nullptr) << "incomplete four-digit AI";
}

TEST(AiTable, AssociationsReferToKnownAis) {
  for (const auto& d : all_ais()) {
    SCOPED_TRACE(std::string(d.ai));
    for (const auto& token : split(d.requires_, " ,+")) EXPECT_TRUE(refers_to_known_ai(token)) << token;
    for (const auto& token : split(d.excludes, ",")) EXPECT_TRUE(refers_to_known_ai(token)) << token;
    for (const auto& token : split(d.dl_qualifiers, ",|")) {
      const AiDefinition* q = find_ai(token);
      ASSERT_NE(q, nullptr) << token;
      EXPECT_FALSE(q->dl_primary_key) << "a qualifier is never itself a key";
    }
    if (!d.dl_qualifiers.empty()) {
      EXPECT_TRUE(d.dl_primary_key);
    }
  }
}

TEST(AiTable, SpotChecksAgainstTheDictionary) {
  const AiDefinition* gtin = find_ai("01");
  ASSERT_NE(gtin, nullptr);
  EXPECT_EQ(gtin->title, "GTIN");
  EXPECT_TRUE(gtin->predefined_length);
  EXPECT_TRUE(gtin->dl_primary_key);
  EXPECT_EQ(gtin->dl_qualifiers, "22,10,21|235");
  EXPECT_EQ(gtin->max_length(), 14U);
  EXPECT_TRUE(gtin->components[0].has(Linter::kCsum));

  const AiDefinition* batch = find_ai("10");
  EXPECT_FALSE(batch->predefined_length);
  EXPECT_EQ(batch->components[0].charset, Charset::kCset82);
  EXPECT_EQ(batch->max_length(), 20U);
  EXPECT_EQ(batch->requires_, "01,02,03,8006,8026");

  EXPECT_TRUE(find_ai("17")->components[0].has(Linter::kYymmd0));
  EXPECT_TRUE(find_ai("7006")->components[0].has(Linter::kYymmdd));
  EXPECT_EQ(find_ai("8018")->excludes, "8017");
  EXPECT_EQ(find_ai("8017")->excludes, "8018");
  EXPECT_FALSE(find_ai("8018")->predefined_length) << "fixed length, but FNC1 is required";
  EXPECT_EQ(find_ai("8018")->max_length(), 18U);
  EXPECT_EQ(find_ai("3103")->excludes, "310n");
  EXPECT_EQ(find_ai("8030")->components[0].charset, Charset::kCset64);
  EXPECT_EQ(find_ai("8010")->components[0].charset, Charset::kCset39);
  EXPECT_EQ(find_ai("253")->min_length(), 13U);
  EXPECT_EQ(find_ai("253")->max_length(), 30U);
  EXPECT_EQ(find_ai("99")->max_length(), 90U);
  EXPECT_EQ(find_ai("7239")->title, "CERT # 10");
  EXPECT_EQ(find_ai("7258")->requires_, "8018+7259");
  EXPECT_TRUE(find_ai("414")->dl_primary_key);
  EXPECT_FALSE(find_ai("21")->dl_data_attribute);
}

TEST(AiTable, PatternsMatchDigitsWhereTheyHaveN) {
  EXPECT_TRUE(ai_matches_pattern("3103", "310n"));
  EXPECT_TRUE(ai_matches_pattern("3199", "31nn"));
  EXPECT_FALSE(ai_matches_pattern("3113", "310n"));
  EXPECT_FALSE(ai_matches_pattern("310", "310n"));
  EXPECT_TRUE(ai_matches_pattern("01", "01"));
}

TEST(CodeLists, AreSortedAndHoldKnownCodes) {
  const auto numeric = detail::iso3166_numeric_codes();
  EXPECT_EQ(numeric.size(), 249U);
  EXPECT_TRUE(std::is_sorted(numeric.begin(), numeric.end()));
  EXPECT_TRUE(detail::is_iso3166_numeric(826)) << "United Kingdom";
  EXPECT_FALSE(detail::is_iso3166_numeric(999));
  const auto alpha2 = detail::iso3166_alpha2_codes();
  EXPECT_EQ(alpha2.size(), 249U);
  EXPECT_TRUE(std::is_sorted(alpha2.begin(), alpha2.end()));
  EXPECT_TRUE(detail::is_iso3166_alpha2("GB"));
  EXPECT_FALSE(detail::is_iso3166_alpha2("UK"));
  const auto currencies = detail::iso4217_numeric_codes();
  EXPECT_TRUE(std::is_sorted(currencies.begin(), currencies.end()));
  EXPECT_TRUE(detail::is_iso4217_numeric(826)) << "pound sterling";
  EXPECT_TRUE(detail::is_iso4217_numeric(978)) << "euro";
  EXPECT_FALSE(detail::is_iso4217_numeric(1));
  const auto packages = detail::package_type_codes();
  EXPECT_TRUE(std::is_sorted(packages.begin(), packages.end()));
  EXPECT_TRUE(detail::is_package_type("BX"));
  EXPECT_FALSE(detail::is_package_type("B"));
  EXPECT_TRUE(detail::is_aidc_media_type(10));
  EXPECT_FALSE(detail::is_aidc_media_type(11));
}

}  // namespace
}  // namespace bcma::gs1
