// Framing: the byte-level contract both ends rely on, checked without any socket.
#include "bcma/transport/frame_codec.hpp"

#include <gtest/gtest.h>

#include <random>

namespace bcma::transport {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s.push_back(static_cast<char>(v));
  return s;
}

struct HeaderCase {
  std::size_t size;
  std::string header;
};

class EncodeHeader : public ::testing::TestWithParam<HeaderCase> {};

TEST_P(EncodeHeader, WritesBigEndianLengthThenPayload) {
  const auto& c = GetParam();
  const std::string payload(c.size, 'x');
  auto frame = encode_frame(payload, kAbsoluteMaxFrameSize);
  ASSERT_TRUE(frame) << frame.error().message;
  EXPECT_EQ(frame->substr(0, 4), c.header);
  EXPECT_EQ(frame->substr(4), payload);
}

INSTANTIATE_TEST_SUITE_P(Sizes, EncodeHeader,
                         ::testing::Values(HeaderCase{1, bytes({0, 0, 0, 1})},
                                           HeaderCase{255, bytes({0, 0, 0, 0xFF})},
                                           HeaderCase{256, bytes({0, 0, 1, 0})},
                                           HeaderCase{65536, bytes({0, 1, 0, 0})},
                                           HeaderCase{0x010203, bytes({0, 1, 2, 3})}));

TEST(FrameEncoder, RefusesEmptyPayload) {
  auto frame = encode_frame("");
  ASSERT_FALSE(frame);
  EXPECT_EQ(frame.error().code, Errc::frame_empty);
}

TEST(FrameEncoder, RefusesPayloadAboveMaximumButAcceptsExactlyMaximum) {
  EXPECT_TRUE(encode_frame(std::string(kDefaultMaxFrameSize, 'a')));
  auto over = encode_frame(std::string(kDefaultMaxFrameSize + 1, 'a'));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Errc::frame_too_large);
  EXPECT_NE(over.error().message.find("65537"), std::string::npos) << over.error().message;
}

TEST(FrameDecoder, DecodesFedOneByteAtATime) {
  const std::string stream = *encode_frame("hello") + *encode_frame("w") + *encode_frame(std::string(300, 'z'));
  FrameDecoder decoder;
  std::vector<std::string> frames;
  for (const char c : stream) {
    ASSERT_TRUE(decoder.feed(std::string_view(&c, 1), frames));
  }
  EXPECT_EQ(frames, (std::vector<std::string>{"hello", "w", std::string(300, 'z')}));
  EXPECT_TRUE(decoder.at_frame_boundary());
}

TEST(FrameDecoder, DecodesSeveralFramesInOneChunk) {
  const std::string stream = *encode_frame("a") + *encode_frame("bc") + *encode_frame("def");
  FrameDecoder decoder;
  std::vector<std::string> frames;
  ASSERT_TRUE(decoder.feed(stream, frames));
  EXPECT_EQ(frames, (std::vector<std::string>{"a", "bc", "def"}));
}

TEST(FrameDecoder, ReportsPartialFrameAsNotAtBoundary) {
  const std::string frame = *encode_frame("hello");
  FrameDecoder decoder;
  std::vector<std::string> frames;
  ASSERT_TRUE(decoder.feed(frame.substr(0, 2), frames));
  EXPECT_FALSE(decoder.at_frame_boundary());
  ASSERT_TRUE(decoder.feed(frame.substr(2, 5), frames));
  EXPECT_FALSE(decoder.at_frame_boundary());
  EXPECT_TRUE(frames.empty());
  ASSERT_TRUE(decoder.feed(frame.substr(7), frames));
  EXPECT_TRUE(decoder.at_frame_boundary());
  EXPECT_EQ(frames, std::vector<std::string>{"hello"});
}

TEST(FrameDecoder, ZeroLengthFrameIsAnErrorThatSticks) {
  FrameDecoder decoder;
  std::vector<std::string> frames;
  auto r = decoder.feed(bytes({0, 0, 0, 0}), frames);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::frame_empty);
  EXPECT_TRUE(decoder.failed());
  // A good frame afterwards is not decoded: the stream has no trustworthy boundary any more.
  auto again = decoder.feed(*encode_frame("ok"), frames);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::frame_empty);
  EXPECT_TRUE(frames.empty());
}

TEST(FrameDecoder, OversizedHeaderFailsBeforeAnyPayloadArrives) {
  FrameDecoder decoder(1024);
  std::vector<std::string> frames;
  auto r = decoder.feed(bytes({0, 0, 4, 1}), frames);  // 1025
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::frame_too_large);
  EXPECT_NE(r.error().message.find("1025"), std::string::npos);
}

TEST(FrameDecoder, FrameOfExactlyTheMaximumIsAccepted) {
  FrameDecoder decoder(1024);
  std::vector<std::string> frames;
  ASSERT_TRUE(decoder.feed(*encode_frame(std::string(1024, 'm'), 1024), frames));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].size(), 1024u);
}

TEST(FrameDecoder, LargestLengthFieldIsRejectedNotAllocated) {
  FrameDecoder decoder;
  std::vector<std::string> frames;
  auto r = decoder.feed(bytes({0xFF, 0xFF, 0xFF, 0xFF}), frames);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::frame_too_large);
}

TEST(FrameDecoder, FramesCompletedBeforeABadHeaderAreStillDelivered) {
  FrameDecoder decoder;
  std::vector<std::string> frames;
  auto r = decoder.feed(*encode_frame("first") + bytes({0, 0, 0, 0}) + *encode_frame("never"), frames);
  ASSERT_FALSE(r);
  EXPECT_EQ(frames, std::vector<std::string>{"first"});
}

TEST(FrameDecoder, MaximumIsClampedToAtLeastOneByte) {
  FrameDecoder decoder(0);
  EXPECT_EQ(decoder.max_frame_size(), 1u);
  std::vector<std::string> frames;
  EXPECT_TRUE(decoder.feed(bytes({0, 0, 0, 1, 'k'}), frames));
  EXPECT_EQ(frames, std::vector<std::string>{"k"});
}

// Fuzz-style: random payloads (including the size boundaries) cut into random chunks,
// including empty ones, must come out exactly as they went in.
TEST(FrameDecoder, RandomChunkingRoundTrips) {
  std::mt19937 rng(20240601);
  constexpr std::size_t kMax = 4096;
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> sent;
    std::string stream;
    const int count = std::uniform_int_distribution<int>(1, 20)(rng);
    for (int i = 0; i < count; ++i) {
      std::size_t size = 0;
      switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
        case 0: size = 1; break;
        case 1: size = kMax; break;
        default: size = std::uniform_int_distribution<std::size_t>(1, kMax)(rng); break;
      }
      std::string payload(size, '\0');
      for (auto& ch : payload) ch = static_cast<char>(byte(rng));
      stream += *encode_frame(payload, kMax);
      sent.push_back(std::move(payload));
    }
    FrameDecoder decoder(kMax);
    std::vector<std::string> received;
    std::size_t pos = 0;
    while (pos < stream.size()) {
      const std::size_t n = std::min(stream.size() - pos, std::uniform_int_distribution<std::size_t>(0, 700)(rng));
      ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(pos, n), received));
      pos += n;
    }
    ASSERT_EQ(received, sent) << "round " << round;
    EXPECT_TRUE(decoder.at_frame_boundary());
  }
}

// Random garbage must never crash, hang or yield a frame larger than the maximum.
TEST(FrameDecoder, RandomGarbageNeverYieldsOversizedFrames) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 500; ++round) {
    FrameDecoder decoder(512);
    std::vector<std::string> frames;
    std::string junk(std::uniform_int_distribution<std::size_t>(0, 2048)(rng), '\0');
    for (auto& ch : junk) ch = static_cast<char>(byte(rng));
    (void)decoder.feed(junk, frames);
    for (const auto& f : frames) {
      EXPECT_GE(f.size(), 1u);
      EXPECT_LE(f.size(), 512u);
    }
  }
}

}  // namespace
}  // namespace bcma::transport
