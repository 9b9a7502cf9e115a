#pragma once
/// \file
/// Length-prefixed framing: a 4-byte big-endian payload length, then the payload (one
/// serialized envelope). Pure: no I/O, so every edge case is testable byte by byte.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/transport/error.hpp"

namespace bcma::transport {

inline constexpr std::size_t kFrameHeaderSize = 4;
/// Large enough for any envelope we define (a round's worth of schedule is a few KiB), small
/// enough that a hostile or broken peer cannot make the station allocate much per connection.
inline constexpr std::size_t kDefaultMaxFrameSize = 64 * 1024;
/// The largest limit a decoder accepts: the length field is 32 bits.
inline constexpr std::size_t kAbsoluteMaxFrameSize = 0xFFFF'FFFFu;

/// Frames `payload` (header + payload).
/// Errors: frame_empty (payload is empty), frame_too_large (payload.size() > max_frame_size).
Result<std::string> encode_frame(std::string_view payload,
                                 std::size_t max_frame_size = kDefaultMaxFrameSize);

/// Incremental decoder: feed it whatever chunks the socket produced and it yields each
/// complete payload once. After an error it stays failed (the connection must be closed:
/// there is no way to find the next frame boundary in a corrupt stream).
class FrameDecoder {
 public:
  /// `max_frame_size` is clamped to [1, kAbsoluteMaxFrameSize].
  explicit FrameDecoder(std::size_t max_frame_size = kDefaultMaxFrameSize);

  /// Consumes all of `chunk`, appending every payload completed by it to `frames` (payloads
  /// completed before a bad header in the same chunk are still appended).
  /// Errors: frame_empty (a header announced length 0), frame_too_large (a header announced
  /// more than the maximum; the payload is never buffered). Both are sticky.
  Result<void> feed(std::string_view chunk, std::vector<std::string>& frames);

  /// True when no partial header or payload is buffered (a clean place for the peer to stop).
  bool at_frame_boundary() const { return header_have_ == 0 && !in_payload_; }
  bool failed() const { return failed_.has_value(); }
  std::size_t max_frame_size() const { return max_frame_size_; }

 private:
  std::size_t max_frame_size_;
  unsigned char header_[kFrameHeaderSize] = {};
  std::size_t header_have_ = 0;
  bool in_payload_ = false;
  std::size_t payload_size_ = 0;
  std::string payload_;
  std::optional<TransportError> failed_;
};

}  // namespace bcma::transport
