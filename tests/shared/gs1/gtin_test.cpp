// Check digits, the alphanumeric check character pair and GTIN normalisation, on the worked
// examples of the GS1 General Specifications and other published values.

#include <gtest/gtest.h>

#include "bcma/gs1/gtin.hpp"

namespace bcma::gs1 {
namespace {

struct Mod10Case {
  const char* data;  // without the check digit
  char check;
};

class Mod10 : public ::testing::TestWithParam<Mod10Case> {};

TEST_P(Mod10, ComputesTheGs1CheckDigit) {
  EXPECT_EQ(mod10_check_digit(GetParam().data), GetParam().check);
  EXPECT_TRUE(has_valid_mod10(std::string(GetParam().data) + GetParam().check));
  const char wrong = GetParam().check == '9' ? '0' : static_cast<char>(GetParam().check + 1);
  EXPECT_FALSE(has_valid_mod10(std::string(GetParam().data) + wrong));
}

INSTANTIATE_TEST_SUITE_P(
    Gs1Examples, Mod10,
    ::testing::Values(Mod10Case{"629104150021", '3'},        // General Specifications, GTIN-13
                      Mod10Case{"0950600013435", '2'},       // GS1 example GTIN 09506000134352
                      Mod10Case{"0952012345678", '8'},       // GS1 Digital Link standard's GTIN
                      Mod10Case{"10614141234567890", '8'},   // SSCC (00)106141412345678908
                      Mod10Case{"2401234567890", '5'},       // GTIN-14 24012345678905
                      Mod10Case{"211223378965", '7'},        // GTIN-13 2112233789657
                      Mod10Case{"41600033610", '8'},         // GTIN-12 (UPC-A) 416000336108
                      Mod10Case{"0234568", '0'}));           // GTIN-8 02345680

TEST(Mod10, RejectsEmptyAndNonDigits) {
  EXPECT_EQ(mod10_check_digit(""), std::nullopt);
  EXPECT_EQ(mod10_check_digit("12a4"), std::nullopt);
  EXPECT_FALSE(has_valid_mod10("7"));
}

TEST(CheckCharacterPair, MatchesTheGeneralSpecificationsExample) {
  // The GMN example of the GS1 General Specifications: 1987654Ad4X4bL5ttr2310c with pair 2K.
  EXPECT_EQ(check_character_pair("1987654Ad4X4bL5ttr2310c"), "2K");
  EXPECT_EQ(check_character_pair("12345678901234567890123"), "NT");
  EXPECT_EQ(check_character_pair(""), "22");
  EXPECT_EQ(check_character_pair("ab cd"), std::nullopt) << "space is not CSET 82";
}

struct GtinCase {
  const char* input;
  const char* gtin14;
};

class NormaliseGtin : public ::testing::TestWithParam<GtinCase> {};

TEST_P(NormaliseGtin, PadsToFourteenDigits) {
  const auto result = normalise_gtin(GetParam().input);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, GetParam().gtin14);
}

INSTANTIATE_TEST_SUITE_P(AllLengths, NormaliseGtin,
                         ::testing::Values(GtinCase{"02345680", "00000002345680"},
                                           GtinCase{"416000336108", "00416000336108"},
                                           GtinCase{"5012345678900", "05012345678900"},
                                           GtinCase{"09506000134352", "09506000134352"}));

TEST(NormaliseGtin, SaysWhatIsWrongAndWhere) {
  struct Case {
    const char* input;
    ErrorCode code;
    std::size_t position;
  };
  for (const Case& c : {Case{"", ErrorCode::kEmpty, 0}, Case{"50123A5678900", ErrorCode::kBadCharacter, 5},
                        Case{"5012345", ErrorCode::kTooShort, 0}, Case{"50123456789", ErrorCode::kTooShort, 0},
                        Case{"501234567890012", ErrorCode::kTooLong, 14},
                        Case{"5012345678901", ErrorCode::kBadCheckDigit, 12}}) {
    const auto result = normalise_gtin(c.input);
    ASSERT_FALSE(result) << c.input;
    EXPECT_EQ(result.error().code, c.code) << c.input;
    EXPECT_EQ(result.error().position, c.position) << c.input;
    EXPECT_FALSE(result.error().message.empty());
  }
}

}  // namespace
}  // namespace bcma::gs1
