// Inputs that once crashed or fooled the parser (from fuzzing and review), kept so they never
// do again. Each must give the stated outcome without a sanitizer report.

#include <gtest/gtest.h>

#include "bcma/gs1/element_string.hpp"

namespace bcma::gs1 {
namespace {

struct Regression {
  const char* name;
  std::string input;
  bool valid;
};

class Regressions : public ::testing::TestWithParam<Regression> {};

TEST_P(Regressions, GiveTheKnownOutcome) {
  const auto result = parse(GetParam().input);
  EXPECT_EQ(static_cast<bool>(result), GetParam().valid)
      << (result ? "accepted" : result.error().message);
  if (result) {
    const auto again = parse(to_element_string(*result));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->elements, result->elements);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Found, Regressions,
    ::testing::Values(
        // Review: a percent escape cut short at the very end of a URI.
        Regression{"percent_at_end", "https://a/01/09506000134352/10/%", false},
        Regression{"percent_one_digit_at_end", "https://a/01/09506000134352?99=%4", false},
        // Review: a backslash as the last byte of bracketed data.
        Regression{"backslash_at_end", "(01)09506000134352(10)A\\", false},
        // Review: a bracket that closes nothing and an empty AI.
        Regression{"empty_brackets", "()", false},
        Regression{"only_open_bracket", "(", false},
        // Review: a URI that is only a scheme and a slash, and a key with no value segment.
        Regression{"scheme_and_slash", "https:///", false},
        Regression{"key_without_value", "https://a/01", false},
        // Review: a NUL byte inside scan data.
        Regression{"nul_in_scan_data", std::string("]d2" "10A\0B", 8), false},
        // Review: a GS1 QR whose data is a Digital Link (]Q3 is element strings, not URIs).
        Regression{"uri_in_gs1_mode", "]Q3https://a/01/09506000134352", false},
        Regression{"gtin8_padding_in_query", "https://a/8004/9506ABC?01=02345680", true}),
    [](const auto& test_info) { return test_info.param.name; });

}  // namespace
}  // namespace bcma::gs1
