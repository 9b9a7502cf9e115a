// The on-disk format is a contract with every outbox already in the field: these tests pin the
// bytes docs/outbox.md describes, so a change to them cannot slip through unnoticed.
#include <gtest/gtest.h>

#include <string_view>

#include "bcma/fw/outbox/crc32c.hpp"
#include "outbox_fixture.hpp"

namespace bcma::fw::outbox::testing {
namespace {

std::uint32_t u32_at(const Bytes& b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

std::uint64_t u64_at(const Bytes& b, std::size_t at) {
  return static_cast<std::uint64_t>(u32_at(b, at)) |
         static_cast<std::uint64_t>(u32_at(b, at + 4)) << 32;
}

Bytes bytes_of(const Uuid& id) { return Bytes(id.bytes.begin(), id.bytes.end()); }

Bytes slice(const Bytes& b, std::size_t at, std::size_t n) {
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(at),
               b.begin() + static_cast<std::ptrdiff_t>(at + n));
}

TEST(OutboxCrc32c, MatchesTheStandardCheckValues) {
  constexpr std::string_view kCheck = "123456789";
  const auto* data = reinterpret_cast<const std::uint8_t*>(kCheck.data());
  EXPECT_EQ(crc32c(std::span(data, kCheck.size())), 0xE3069283u);
  // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, and of 0xFF.
  const Bytes zeros(32, 0x00);
  const Bytes ones(32, 0xFF);
  EXPECT_EQ(crc32c(zeros), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones), 0x62A8AB43u);
  // Continuing over pieces equals one pass.
  EXPECT_EQ(crc32c(std::span(data + 4, 5), crc32c(std::span(data, 4))), 0xE3069283u);
}

class OutboxFormat : public OutboxTest {};

TEST_F(OutboxFormat, NewLogIsOneHeaderFrame) {
  { ASSERT_TRUE(open_or_fail(dir_.path())); }
  const Bytes log = read_file(log_);
  ASSERT_EQ(log.size(), 28u);
  EXPECT_EQ(slice(log, 0, 4), (Bytes{0x4F, 0x42, 0x58, 0xA7}));
  EXPECT_EQ(u32_at(log, 4), 16u);                    // body length
  EXPECT_EQ(slice(log, 8, 4), (Bytes{1, 0, 0, 0}));  // type header, reserved
  EXPECT_EQ(u32_at(log, 12), 1u);                    // format version
  EXPECT_EQ(u64_at(log, 16), 0u);                    // highest seq used before
  EXPECT_EQ(u32_at(log, 24), crc32c(std::span(log).subspan(4, 20)));
}

TEST_F(OutboxFormat, RecordAndAckFramesHaveTheDocumentedLayout) {
  const Bytes payload = payload_of(7, 50);
  {
    auto box = open_or_fail(dir_.path());
    ASSERT_TRUE(box);
    ASSERT_TRUE(box->append(id_of(7), payload));
    ASSERT_TRUE(box->append(id_of(8), payload_of(8)));
    ASSERT_TRUE(box->acknowledge(std::vector{id_of(7), id_of(8)}));
  }
  const Bytes log = read_file(log_);
  std::size_t at = 28;
  EXPECT_EQ(slice(log, at, 4), (Bytes{0x4F, 0x42, 0x58, 0xA7}));
  EXPECT_EQ(u32_at(log, at + 4), 28u + 50u);
  EXPECT_EQ(slice(log, at + 8, 4), (Bytes{2, 0, 0, 0}));  // type record
  EXPECT_EQ(u64_at(log, at + 12), 1u);                     // seq
  EXPECT_EQ(slice(log, at + 20, 16), bytes_of(id_of(7)));
  EXPECT_EQ(slice(log, at + 36, 50), payload);
  EXPECT_EQ(u32_at(log, at + 86), crc32c(std::span(log).subspan(at + 4, 82)));

  at += 90;
  at += 12 + 28 + payload_of(8).size();
  EXPECT_EQ(u32_at(log, at + 4), 4u + 32u);
  EXPECT_EQ(slice(log, at + 8, 4), (Bytes{3, 0, 0, 0}));  // type ack
  EXPECT_EQ(slice(log, at + 12, 16), bytes_of(id_of(7)));
  EXPECT_EQ(slice(log, at + 28, 16), bytes_of(id_of(8)));
  EXPECT_EQ(u32_at(log, at + 44), crc32c(std::span(log).subspan(at + 4, 40)));
  EXPECT_EQ(log.size(), at + 48);
}

}  // namespace
}  // namespace bcma::fw::outbox::testing
