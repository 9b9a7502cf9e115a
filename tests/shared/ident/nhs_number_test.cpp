// NHS number validation. Every valid number here is either the NHS Data Dictionary's worked
// example (943 476 5919) or in the 999 test range, with its check digit computed by hand from
// the modulus 11 rule (weights 10..2, check = 11 - sum % 11, 11 -> 0, 10 -> invalid).
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "bcma/ident/nhs_number.hpp"

namespace bcma::ident {
namespace {

struct ValidCase {
  std::string_view input;
  std::string_view digits;
  std::string_view formatted;
  bool test_range;
};

// Check digits, each from its own weighted sum:
//   943476591 -> 299 % 11 = 2, check 9      999000001 -> 245 % 11 = 3, check 8
//   999000002 -> 247 % 11 = 5, check 6      999000003 -> 249 % 11 = 7, check 4
//   999000004 -> 251 % 11 = 9, check 2      999000005 -> 253 % 11 = 0, check 11 -> 0
//   999999999 -> 486 % 11 = 2, check 9
constexpr ValidCase kValid[] = {
    {"9434765919", "9434765919", "943 476 5919", false},
    {"943 476 5919", "9434765919", "943 476 5919", false},
    {"943-476-5919", "9434765919", "943 476 5919", false},
    {"  943 476 5919\n", "9434765919", "943 476 5919", false},
    {"\t9434765919\r\n", "9434765919", "943 476 5919", false},
    {"9990000018", "9990000018", "999 000 0018", true},
    {"9990000026", "9990000026", "999 000 0026", true},
    {"999 000 0034", "9990000034", "999 000 0034", true},
    {"999-000-0042", "9990000042", "999 000 0042", true},
    {"9990000050", "9990000050", "999 000 0050", true},  // remainder 0: check digit 0
    {"9999999999", "9999999999", "999 999 9999", true},  // top of the test range
};

void PrintTo(const ValidCase& c, std::ostream* os) { *os << "'" << c.input << "'"; }

class NhsNumberValid : public ::testing::TestWithParam<ValidCase> {};

TEST_P(NhsNumberValid, ParsesToTenDigitsAndFormats334) {
  const ValidCase& c = GetParam();
  auto parsed = NhsNumber::parse(c.input);
  ASSERT_TRUE(parsed.has_value()) << "'" << c.input << "': " << parsed.error().message;
  EXPECT_EQ(parsed->digits(), c.digits);
  EXPECT_EQ(parsed->formatted(), c.formatted);
  EXPECT_EQ(parsed->is_test_range(), c.test_range);
}

INSTANTIATE_TEST_SUITE_P(Table, NhsNumberValid, ::testing::ValuesIn(kValid));

struct InvalidCase {
  std::string_view input;
  NhsNumberError code;
  std::string_view why;
};

constexpr InvalidCase kInvalid[] = {
    {"", NhsNumberError::kEmpty, "nothing"},
    {"   \t\n", NhsNumberError::kEmpty, "only whitespace"},
    {"94347659l9", NhsNumberError::kBadCharacter, "letter l for digit 1"},
    {"943.476.5919", NhsNumberError::kBadCharacter, "dots are not separators"},
    {"943 476\t5919", NhsNumberError::kBadCharacter, "a tab inside the number"},
    {"NHS9434765919", NhsNumberError::kBadCharacter, "a label in front"},
    {"943476591", NhsNumberError::kWrongLength, "nine digits"},
    {"94347659190", NhsNumberError::kWrongLength, "eleven digits"},
    {"943 476 591", NhsNumberError::kWrongLength, "grouped but short"},
    {"1", NhsNumberError::kWrongLength, "one digit"},
    {"9434 765 919", NhsNumberError::kBadGrouping, "4-3-3"},
    {"94 3476 5919", NhsNumberError::kBadGrouping, "2-4-4"},
    {"943  476 5919", NhsNumberError::kBadGrouping, "two spaces in a row"},
    {"943 4765919", NhsNumberError::kBadGrouping, "only the first separator"},
    {"943476 5919", NhsNumberError::kBadGrouping, "only the second separator"},
    {"943-476 5919", NhsNumberError::kBadGrouping, "mixed separators"},
    {"943476591-9", NhsNumberError::kBadGrouping, "separator before the check digit"},
    {"-9434765919", NhsNumberError::kBadGrouping, "leading hyphen"},
    {"9434765918", NhsNumberError::kBadCheckDigit, "check digit one too low"},
    {"9434765910", NhsNumberError::kBadCheckDigit, "check digit 0 instead of 9"},
    {"4934765919", NhsNumberError::kBadCheckDigit, "first two digits swapped"},
    {"9990000019", NhsNumberError::kBadCheckDigit, "test range, wrong check digit"},
    {"943 476 5918", NhsNumberError::kBadCheckDigit, "grouped, wrong check digit"},
    // 999000000: sum 10*9+9*9+8*9 = 243, 243 % 11 = 1, check 10: no number starts this way.
    {"9990000000", NhsNumberError::kBadCheckDigit, "remainder 10, digit 0"},
    {"9990000001", NhsNumberError::kBadCheckDigit, "remainder 10, digit 1"},
    {"9990000009", NhsNumberError::kBadCheckDigit, "remainder 10, digit 9"},
    // 123456789: sum 210, 210 % 11 = 1, check 10.
    {"1234567890", NhsNumberError::kBadCheckDigit, "remainder 10, the classic 1234567890"},
};

void PrintTo(const InvalidCase& c, std::ostream* os) {
  *os << "'" << c.input << "' (" << c.why << ")";
}

class NhsNumberInvalid : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(NhsNumberInvalid, IsRejectedWithItsCodeAndAMessage) {
  const InvalidCase& c = GetParam();
  auto parsed = NhsNumber::parse(c.input);
  ASSERT_FALSE(parsed.has_value()) << "'" << c.input << "' (" << c.why << ") was accepted";
  EXPECT_EQ(parsed.error().code, c.code) << c.why << ": " << parsed.error().message;
  EXPECT_FALSE(parsed.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(Table, NhsNumberInvalid, ::testing::ValuesIn(kInvalid));

TEST(NhsNumber, EveryDigitChangeOfAValidNumberIsCaught) {
  // Modulus 11 with weights 10..2 catches every single-digit error: this is why it was chosen.
  const std::string valid = "9434765919";
  for (std::size_t at = 0; at < valid.size(); ++at) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == valid[at]) continue;
      std::string changed = valid;
      changed[at] = d;
      auto parsed = NhsNumber::parse(changed);
      ASSERT_FALSE(parsed.has_value()) << changed;
      EXPECT_EQ(parsed.error().code, NhsNumberError::kBadCheckDigit) << changed;
    }
  }
}

TEST(NhsNumber, RemainderTenMessageSaysNoNumberStartsThatWay) {
  auto parsed = NhsNumber::parse("9990000000");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("No NHS number starts with these nine digits"),
            std::string::npos)
      << parsed.error().message;
}

TEST(NhsNumber, TestRangeIsOnlyNumbersStarting999) {
  EXPECT_TRUE(NhsNumber::parse("9990000018")->is_test_range());
  EXPECT_FALSE(NhsNumber::parse("9434765919")->is_test_range());
}

TEST(NhsNumber, EqualityIsOnDigitsNotOnHowItWasTyped) {
  EXPECT_EQ(*NhsNumber::parse("943 476 5919"), *NhsNumber::parse("943-476-5919"));
  EXPECT_FALSE(*NhsNumber::parse("9434765919") == *NhsNumber::parse("9990000018"));
}

struct CheckDigitCase {
  std::string_view nine;
  int check;
};

constexpr CheckDigitCase kCheckDigits[] = {
    {"943476591", 9}, {"999000001", 8}, {"999000005", 0}, {"999999999", 9},
    {"999000000", -1},  // remainder 10
    {"123456789", -1},  // remainder 10
    {"12345678", -1},   // too short: never reads past the end
    {"", -1},
    {"94347659x", -1},  // not digits
};

void PrintTo(const CheckDigitCase& c, std::ostream* os) { *os << "'" << c.nine << "'"; }

class NhsCheckDigit : public ::testing::TestWithParam<CheckDigitCase> {};

TEST_P(NhsCheckDigit, ComputesModulus11) {
  EXPECT_EQ(nhs_check_digit(GetParam().nine), GetParam().check) << GetParam().nine;
}

INSTANTIATE_TEST_SUITE_P(Table, NhsCheckDigit, ::testing::ValuesIn(kCheckDigits));

TEST(NhsNumberError, EveryCodeHasItsSnakeCaseName) {
  EXPECT_EQ(to_string(NhsNumberError::kEmpty), "empty");
  EXPECT_EQ(to_string(NhsNumberError::kBadCharacter), "bad_character");
  EXPECT_EQ(to_string(NhsNumberError::kWrongLength), "wrong_length");
  EXPECT_EQ(to_string(NhsNumberError::kBadCheckDigit), "bad_check_digit");
  EXPECT_EQ(to_string(NhsNumberError::kBadGrouping), "bad_grouping");
}

}  // namespace
}  // namespace bcma::ident
