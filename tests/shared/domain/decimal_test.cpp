#include "bcma/domain/decimal.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace bcma::domain {
namespace {

struct ParseCase {
  std::string text;
  std::optional<std::int64_t> thousandths;  // nullopt: must be rejected
};

class DecimalParse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(DecimalParse, AcceptsExactlyTheDocumentedForms) {
  const ParseCase& c = GetParam();
  const std::optional<Decimal> d = Decimal::parse(c.text);
  if (!c.thousandths) {
    EXPECT_FALSE(d.has_value()) << "accepted \"" << c.text << "\" as " << d->to_string();
  } else {
    ASSERT_TRUE(d.has_value()) << "rejected \"" << c.text << "\"";
    EXPECT_EQ(d->thousandths(), *c.thousandths);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, DecimalParse,
    ::testing::Values(ParseCase{"2", 2000}, ParseCase{"2.5", 2500}, ParseCase{"0.125", 125},
                      ParseCase{"-1.5", -1500}, ParseCase{"0", 0}, ParseCase{"-0", 0},
                      ParseCase{"007", 7000}, ParseCase{"1.2500", 1250}, ParseCase{"62.5", 62500},
                      ParseCase{"9000000000000", 9'000'000'000'000'000},
                      ParseCase{"-9000000000000", -9'000'000'000'000'000},
                      ParseCase{"9000000000000.001", std::nullopt},
                      ParseCase{"99999999999999999999999", std::nullopt},
                      ParseCase{"0.0625", std::nullopt}, ParseCase{"1.0001", std::nullopt},
                      ParseCase{"", std::nullopt}, ParseCase{"-", std::nullopt},
                      ParseCase{".5", std::nullopt}, ParseCase{"5.", std::nullopt},
                      ParseCase{"+1", std::nullopt}, ParseCase{"1,5", std::nullopt},
                      ParseCase{" 1", std::nullopt}, ParseCase{"1 ", std::nullopt},
                      ParseCase{"1e3", std::nullopt}, ParseCase{"--1", std::nullopt},
                      ParseCase{"1.2.3", std::nullopt}, ParseCase{"0x10", std::nullopt}));

TEST(Decimal, FormatsTheShortestExactText) {
  EXPECT_EQ(Decimal::from_int(2).to_string(), "2");
  EXPECT_EQ(Decimal::from_thousandths(2500).to_string(), "2.5");
  EXPECT_EQ(Decimal::from_thousandths(125).to_string(), "0.125");
  EXPECT_EQ(Decimal::from_thousandths(-500).to_string(), "-0.5");
  EXPECT_EQ(Decimal::from_thousandths(-1500).to_string(), "-1.5");
  EXPECT_EQ(Decimal::from_thousandths(10).to_string(), "0.01");
  EXPECT_EQ(Decimal().to_string(), "0");
  EXPECT_EQ(Decimal::from_thousandths(INT64_MIN).to_string(), "-9223372036854775.808");
}

TEST(Decimal, RoundTripsThroughText) {
  for (const char* text : {"0", "1", "0.5", "2.25", "62.5", "0.001", "-3.75", "4000"}) {
    const std::optional<Decimal> d = Decimal::parse(text);
    ASSERT_TRUE(d) << text;
    EXPECT_EQ(d->to_string(), text);
  }
}

TEST(Decimal, AddsExactlyWhereBinaryFloatingPointDoesNot) {
  const Decimal sum = *Decimal::parse("0.1") + *Decimal::parse("0.2");
  EXPECT_EQ(sum, *Decimal::parse("0.3"));
  EXPECT_EQ((*Decimal::parse("2.5") - *Decimal::parse("0.5")).to_string(), "2");
}

TEST(Decimal, MultipliesExactlyOrNotAtAll) {
  EXPECT_EQ(Decimal::from_int(2).times(*Decimal::parse("500"))->to_string(), "1000");
  EXPECT_EQ(Decimal::parse("0.5")->times(*Decimal::parse("62.5"))->to_string(), "31.25");
  EXPECT_EQ(Decimal::parse("-1.5")->times(*Decimal::parse("2"))->to_string(), "-3");
  // 0.125 x 0.125 = 0.015625 needs six places.
  EXPECT_FALSE(Decimal::parse("0.125")->times(*Decimal::parse("0.125")));
  // Beyond the documented +/- 9e12.
  EXPECT_FALSE(Decimal::from_int(3'000'000'000'000).times(Decimal::from_int(4)));
  // INT64 overflow in the intermediate product is not undefined behaviour.
  EXPECT_FALSE(Decimal::from_thousandths(INT64_MAX).times(Decimal::from_thousandths(INT64_MAX)));
}

TEST(Decimal, DividesExactlyOrNotAtAll) {
  EXPECT_EQ(Decimal::from_int(4000).divided_by(Decimal::from_int(500))->to_string(), "8");
  EXPECT_EQ(Decimal::from_int(1).divided_by(Decimal::from_int(8))->to_string(), "0.125");
  EXPECT_EQ(Decimal::parse("2.5")->divided_by(*Decimal::parse("0.5"))->to_string(), "5");
  EXPECT_FALSE(Decimal::from_int(1).divided_by(Decimal::from_int(3)));
  EXPECT_FALSE(Decimal::from_int(1).divided_by(Decimal::from_int(16)));  // 0.0625
  EXPECT_FALSE(Decimal::from_int(1).divided_by(Decimal()));
  EXPECT_FALSE(Decimal::from_int(9'000'000'000'000).divided_by(*Decimal::parse("0.5")));
}

TEST(Decimal, OrdersByValue) {
  EXPECT_LT(*Decimal::parse("0.5"), Decimal::from_int(1));
  EXPECT_LT(*Decimal::parse("-2"), *Decimal::parse("-1.5"));
  EXPECT_TRUE(Decimal::from_int(3).is_whole());
  EXPECT_FALSE(Decimal::parse("2.5")->is_whole());
  EXPECT_TRUE(Decimal().is_zero());
}

}  // namespace
}  // namespace bcma::domain
