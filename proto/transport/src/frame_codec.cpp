#include "bcma/transport/frame_codec.hpp"

#include <algorithm>

namespace bcma::transport {

namespace {

std::string too_large_message(std::size_t size, std::size_t max) {
  return "frame of " + std::to_string(size) + " bytes exceeds the maximum of " +
         std::to_string(max) + " bytes";
}

}  // namespace

Result<std::string> encode_frame(std::string_view payload, std::size_t max_frame_size) {
  if (payload.empty()) return fail(Errc::frame_empty, "refusing to send an empty frame");
  const std::size_t max = std::min(max_frame_size, kAbsoluteMaxFrameSize);
  if (payload.size() > max) return fail(Errc::frame_too_large, too_large_message(payload.size(), max));
  const auto n = static_cast<std::uint32_t>(payload.size());
  std::string frame;
  frame.reserve(kFrameHeaderSize + payload.size());
  frame.push_back(static_cast<char>((n >> 24) & 0xFFu));
  frame.push_back(static_cast<char>((n >> 16) & 0xFFu));
  frame.push_back(static_cast<char>((n >> 8) & 0xFFu));
  frame.push_back(static_cast<char>(n & 0xFFu));
  frame.append(payload);
  return frame;
}

FrameDecoder::FrameDecoder(std::size_t max_frame_size)
    : max_frame_size_(std::clamp<std::size_t>(max_frame_size, 1, kAbsoluteMaxFrameSize)) {}

Result<void> FrameDecoder::feed(std::string_view chunk, std::vector<std::string>& frames) {
  if (failed_) return Unexpected<TransportError>(*failed_);
  while (!chunk.empty()) {
    if (!in_payload_) {
      const std::size_t take = std::min(kFrameHeaderSize - header_have_, chunk.size());
      for (std::size_t i = 0; i < take; ++i) {
        header_[header_have_ + i] = static_cast<unsigned char>(chunk[i]);
      }
      header_have_ += take;
      chunk.remove_prefix(take);
      if (header_have_ < kFrameHeaderSize) break;
      const std::size_t size = (std::size_t{header_[0]} << 24) | (std::size_t{header_[1]} << 16) |
                               (std::size_t{header_[2]} << 8) | std::size_t{header_[3]};
      header_have_ = 0;
      if (size == 0) {
        failed_ = TransportError{Errc::frame_empty, "peer sent a zero-length frame"};
        return Unexpected<TransportError>(*failed_);
      }
      if (size > max_frame_size_) {
        failed_ = TransportError{Errc::frame_too_large, too_large_message(size, max_frame_size_)};
        return Unexpected<TransportError>(*failed_);
      }
      in_payload_ = true;
      payload_size_ = size;
      payload_.clear();
      // Reserve only what has arrived or a modest amount: a peer announcing 64 KiB and then
      // going quiet should not make us commit the whole buffer up front.
      payload_.reserve(std::min(size, std::max<std::size_t>(chunk.size(), 4096)));
    }
    const std::size_t take = std::min(payload_size_ - payload_.size(), chunk.size());
    payload_.append(chunk.substr(0, take));
    chunk.remove_prefix(take);
    if (payload_.size() == payload_size_) {
      frames.push_back(std::move(payload_));
      payload_ = std::string();
      in_payload_ = false;
      payload_size_ = 0;
    }
  }
  return {};
}

}  // namespace bcma::transport
