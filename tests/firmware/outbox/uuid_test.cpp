// Record ids made on the scanner: RFC 4122 version 4 UUIDs, in the text form the protocol uses.
#include <gtest/gtest.h>

#include <unordered_set>

#include "bcma/fw/outbox/uuid.hpp"
#include "outbox_fixture.hpp"

namespace bcma::fw::outbox {
namespace {

// Hands out fixed bytes, so the result of make_uuid_v4 is known exactly.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(std::uint8_t value) : value_(value) {}

 private:
  Result<void> do_fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = value_;
    return {};
  }
  std::uint8_t value_;
};

class BrokenRandom final : public RandomSource {
  Result<void> do_fill(std::span<std::uint8_t>) override {
    return fail(Errc::random_unavailable, "no entropy device");
  }
};

TEST(OutboxUuid, VersionAndVariantBitsAreSetWhateverTheRandomBytes) {
  FixedRandom ones(0xFF);
  auto a = make_uuid_v4(ones);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->to_string(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
  FixedRandom zeros(0x00);
  auto b = make_uuid_v4(zeros);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->to_string(), "00000000-0000-4000-8000-000000000000");
  EXPECT_FALSE(b->is_nil());
}

TEST(OutboxUuid, SystemRandomGivesDistinctVersion4Ids) {
  SystemRandom random;
  std::unordered_set<Uuid> seen;
  for (int i = 0; i < 10000; ++i) {
    auto id = make_uuid_v4(random);
    ASSERT_TRUE(id) << id.error().message;
    const std::string text = id->to_string();
    ASSERT_EQ(text.size(), 36u);
    EXPECT_EQ(text[14], '4') << text;
    EXPECT_NE(std::string("89ab").find(text[19]), std::string::npos) << text;
    ASSERT_TRUE(seen.insert(*id).second) << "repeated id " << text;
  }
}

TEST(OutboxUuid, RandomSourceFailureIsReported) {
  BrokenRandom broken;
  auto id = make_uuid_v4(broken);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, Errc::random_unavailable);
}

TEST(OutboxUuid, ParsesTheTextFormInEitherCaseAndPrintsLowerCase) {
  const auto id = Uuid::parse("3F1C9A2E-8d4b-4c71-9E0A-5b6d7c8e9f01");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->to_string(), "3f1c9a2e-8d4b-4c71-9e0a-5b6d7c8e9f01");
  EXPECT_EQ(id->bytes[0], 0x3F);
  EXPECT_EQ(id->bytes[15], 0x01);
  EXPECT_EQ(Uuid::parse(id->to_string()), id);
}

TEST(OutboxUuid, RejectsMalformedText) {
  for (const char* bad : {"", "3f1c9a2e8d4b4c719e0a5b6d7c8e9f01", "3f1c9a2e-8d4b-4c71-9e0a-5b6d7c8e9f0",
                          "3f1c9a2e-8d4b-4c71-9e0a-5b6d7c8e9f011", "3f1c9a2e-8d4b-4c71-9e0a_5b6d7c8e9f01",
                          "3f1c9a2e-8d4b-4c71-9e0g-5b6d7c8e9f01", "{3f1c9a2e-8d4b-4c71-9e0a-5b6d7c8e9f0}",
                          "3f1c9a2e--d4b-4c71-9e0a-5b6d7c8e9f01"}) {
    EXPECT_FALSE(Uuid::parse(bad)) << bad;
  }
}

TEST(OutboxUuid, NilIsRecognised) {
  EXPECT_TRUE(Uuid{}.is_nil());
  EXPECT_EQ(Uuid{}.to_string(), "00000000-0000-0000-0000-000000000000");
}

}  // namespace
}  // namespace bcma::fw::outbox
