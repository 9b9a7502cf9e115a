// Every error code at least once, with the byte position in the original input.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "bcma/gs1/element_string.hpp"
#include "message_generator.hpp"

namespace bcma::gs1 {
namespace {

using testing::kGs;
const std::string kGtin = "0109506000134352";  // 16 characters with its AI

struct ErrorCase {
  std::string name;
  std::string input;
  ErrorCode code;
  std::size_t position;
};

std::ostream& operator<<(std::ostream& out, const ErrorCase& c) { return out << c.name; }

class Errors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(Errors, NameTheProblemAndWhereItIs) {
  const ErrorCase& c = GetParam();
  const auto result = parse(c.input);
  ASSERT_FALSE(result) << "accepted: " << c.input;
  EXPECT_EQ(to_string(result.error().code), to_string(c.code)) << result.error().message;
  EXPECT_EQ(result.error().position, c.position) << result.error().message;
  EXPECT_FALSE(result.error().message.empty());
}

const std::vector<ErrorCase> kCases = {
    {"empty_input", "", ErrorCode::kEmpty, 0},
    {"empty_after_symbology", "]d2", ErrorCode::kEmpty, 3},
    {"data_matrix_without_fnc1", "]d1" + kGtin, ErrorCode::kBadSymbology, 0},
    {"plain_qr", "]Q1" + kGtin, ErrorCode::kBadSymbology, 0},
    {"code128_without_fnc1", "]C0" + kGtin, ErrorCode::kBadSymbology, 0},
    {"ean13", "]E05012345678900", ErrorCode::kBadSymbology, 0},
    {"short_identifier", "]d", ErrorCode::kBadSymbology, 0},
    {"unknown_two_digit_ai", "]d2" "0509506000134352", ErrorCode::kUnknownAi, 3},
    {"unknown_three_digit_ai", "]d2" + kGtin + "236X", ErrorCode::kUnknownAi, 19},
    {"unknown_bracketed_ai", "(04)123", ErrorCode::kUnknownAi, 1},
    {"letters_instead_of_ai", "]d2AB", ErrorCode::kUnknownAi, 3},
    {"plain_text", "9506000134352", ErrorCode::kUnknownAi, 0},
    {"unknown_ai_in_link_query", "https://id.gs1.org/01/09506000134352?999=x", ErrorCode::kUnknownAi, 37},
    {"truncated_four_digit_ai", "]d2" + kGtin + "31", ErrorCode::kTruncatedAi, 19},
    {"one_digit_left", "]d2" + kGtin + "1", ErrorCode::kTruncatedAi, 19},
    {"unclosed_bracket", "(01", ErrorCode::kTruncatedAi, 1},
    {"short_gtin", "]d201095060001343", ErrorCode::kTooShort, 5},
    {"short_bracketed_gtin", "(01)0950600013435", ErrorCode::kTooShort, 4},
    {"gtin_cut_by_separator", "]d201095060" + kGs + "10A", ErrorCode::kTooShort, 5},
    {"empty_bracketed_value", "(01)09506000134352(10)", ErrorCode::kTooShort, 22},
    {"value_missing_at_end", "]d2" + kGtin + "10", ErrorCode::kTooShort, 21},
    {"long_date", "(17)2512311", ErrorCode::kTooLong, 10},
    {"long_batch_not_followed_by_ai", "]d2" + kGtin + "10ABCDEFGHIJKLMNOPQRSTU", ErrorCode::kTooLong, 41},
    {"missing_separator", "]d2" + kGtin + "10ABCDEFGHIJKLMNOPQRST17251231", ErrorCode::kMissingSeparator, 41},
    {"leading_separator", "]d2" + kGs + kGtin, ErrorCode::kUnexpectedSeparator, 3},
    {"leading_caret", "^^" + kGtin, ErrorCode::kUnexpectedSeparator, 1},
    {"empty_value", "]d2" + kGtin + "10" + kGs + "17251231", ErrorCode::kUnexpectedSeparator, 21},
    {"doubled_separator", "]d2" + kGtin + "10ABC" + kGs + kGs + "17251231", ErrorCode::kUnexpectedSeparator, 25},
    {"trailing_separator", "]d2" + kGtin + "10ABC" + kGs, ErrorCode::kUnexpectedSeparator, 24},
    {"letter_in_gtin", "]d2010950600013435A", ErrorCode::kBadCharacter, 18},
    {"space_in_batch", "(01)09506000134352(10)AB CD", ErrorCode::kBadCharacter, 24},
    {"caret_in_scan_data", "]d2" + kGtin + "10A^B", ErrorCode::kBadCharacter, 22},
    {"gs_in_unbracketed", "^" + kGtin + "10A" + kGs + "B", ErrorCode::kBadCharacter, 20},
    {"gtin_check_digit", "]d20109506000134353", ErrorCode::kBadCheckDigit, 18},
    {"gsrn_check_digit", "(8018)950600013435200016", ErrorCode::kBadCheckDigit, 23},
    {"gmn_check_pair", "(8013)1987654Ad4X4bL5ttr2310c2L", ErrorCode::kBadCheckDigit, 29},
    {"month_13", "(01)09506000134352(17)251331", ErrorCode::kBadDate, 24},
    {"no_29_february_2025", "(01)09506000134352(17)250229", ErrorCode::kBadDate, 26},
    {"hour_25", "(00)106141412345678908(4324)2506012500", ErrorCode::kBadDate, 34},
    {"not_a_country", "(01)09506000134352(422)999", ErrorCode::kBadValue, 23},
    {"batch_without_gtin", "(10)ABC", ErrorCode::kMissingRequiredAi, 1},
    {"serial_without_gtin", "]d2" "21XYZ987", ErrorCode::kMissingRequiredAi, 3},
    {"count_without_sscc", "(02)09506000134352(37)5", ErrorCode::kMissingRequiredAi, 19},
    {"provider_and_recipient", "(8018)950600013435200015(8017)950600013435200022", ErrorCode::kForbiddenPair, 25},
    {"two_net_weights", "(01)09506000134352(3103)000123(3102)001230", ErrorCode::kForbiddenPair, 31},
    {"repeated_batch", "(01)09506000134352(10)A(10)B", ErrorCode::kRepeatedAiMismatch, 24},
    {"repeated_gtin_in_scan", "]d2" + kGtin + "0105012345678900", ErrorCode::kRepeatedAiMismatch, 19},
    {"lone_backslash", "(01)09506000134352(10)A\\B", ErrorCode::kBadEscape, 23},
    {"no_key_in_link", "https://example.com/some/path", ErrorCode::kBadUri, 19},
    {"qualifier_in_query", "https://id.gs1.org/01/09506000134352?10=ABC", ErrorCode::kBadUri, 37},
    {"qualifiers_out_of_order", "https://id.gs1.org/01/09506000134352/21/X/10/Y", ErrorCode::kBadUri, 42},
    {"no_domain", "https:///01/09506000134352", ErrorCode::kBadUri, 8},
    {"space_in_uri", "https://id.gs1.org/01/09506000134352/10/A B", ErrorCode::kBadUri, 41},
    {"trailing_slash", "https://id.gs1.org/01/09506000134352/", ErrorCode::kBadUri, 37},
    {"short_percent_escape", "https://id.gs1.org/01/09506000134352/10/A%2", ErrorCode::kBadPercentEncoding, 41},
    {"percent_null", "https://id.gs1.org/01/09506000134352?99=A%00", ErrorCode::kBadPercentEncoding, 41},
};

INSTANTIATE_TEST_SUITE_P(AllCodes, Errors, ::testing::ValuesIn(kCases),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(Errors, EveryCodeIsCovered) {
  std::set<std::string_view> covered;
  for (const ErrorCase& c : kCases) covered.insert(to_string(c.code));
  for (int code = 0; code <= static_cast<int>(ErrorCode::kBadPercentEncoding); ++code)
    EXPECT_TRUE(covered.count(to_string(static_cast<ErrorCode>(code)))) << to_string(static_cast<ErrorCode>(code));
}

TEST(Errors, PercentEscapesMapBackToTheOriginalPosition) {
  // "%41" decodes to 'A'; the bad character after it is reported where it is in the URI.
  const auto result = parse("https://id.gs1.org/01/09506000134352/10/%41%20B");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kBadCharacter);
  EXPECT_EQ(result.error().position, 43U);
}

TEST(Errors, EscapedBracketsMapBackToTheOriginalPosition) {
  const auto result = parse("(01)09506000134352(10)\\(\\( B");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kBadCharacter);
  EXPECT_EQ(result.error().position, 26U);
}

TEST(Validate, PositionsAreInTheCanonicalElementString) {
  const auto ok = validate({{"01", "09506000134352"}, {"10", "ABC"}});
  ASSERT_TRUE(ok);
  // "^0109506000134352" "10ABC^" "17251331": the month is at 1+16+6+2+2 = 27.
  const auto bad = validate({{"01", "09506000134352"}, {"10", "ABC"}, {"17", "251331"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kBadDate);
  EXPECT_EQ(bad.error().position, 27U);
  const auto unknown = validate({{"01", "09506000134352"}, {"05", "1"}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownAi);
  EXPECT_EQ(unknown.error().position, 17U);
  EXPECT_EQ(validate({}).error().code, ErrorCode::kEmpty);
}

}  // namespace
}  // namespace bcma::gs1
