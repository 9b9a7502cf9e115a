#pragma once
// The outbox log's on-disk frames (docs/outbox.md, "File format"), and the scan that splits a
// log image into valid frames, damaged stretches and a torn tail. No I/O here.
//
// frame = marker(4) | body length L (u32 LE) | body (L bytes) | CRC-32C of length+body (u32 LE)
// body  = type (u8) | three zero bytes | type-specific fields (all integers little-endian)
//   header (type 1, L = 16):       format version (u32) | highest seq used before (u64)
//   record (type 2, L = 28 + n):   seq (u64) | id (16) | payload (n bytes)
//   ack    (type 3, L = 4 + 16k):  ids of k >= 1 acknowledged records (16 each)

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "bcma/fw/outbox/outbox.hpp"
#include "bcma/fw/outbox/storage.hpp"
#include "bcma/fw/outbox/uuid.hpp"

namespace bcma::fw::outbox::format {

inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::array<std::uint8_t, 4> kMarker = {0x4F, 0x42, 0x58, 0xA7};  // "OBX", 0xA7
inline constexpr std::size_t kFrameOverhead = 12;    // marker, length, CRC
inline constexpr std::size_t kHeaderBody = 16;
inline constexpr std::size_t kRecordBodyFixed = 28;
inline constexpr std::size_t kAckBodyFixed = 4;
inline constexpr std::uint32_t kMaxBody = 16u * 1024u * 1024u;  // no frame we write is larger
inline constexpr std::size_t kHeaderFrameSize = kFrameOverhead + kHeaderBody;
static_assert(Outbox::kMaxPayloadLimit == kMaxBody - kRecordBodyFixed);
static_assert(kAckBodyFixed + Outbox::kMaxAckBatch * 16 <= kMaxBody);

enum class FrameType : std::uint8_t { header = 1, record = 2, ack = 3 };

/// One decoded frame; spans point into the scanned image.
struct Frame {
  FrameType type = FrameType::header;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;                    ///< whole frame, overhead included
  std::uint32_t version = 0;                 ///< header
  std::uint64_t seq = 0;                     ///< header: highest seq used before; record: its seq
  Uuid id;                                   ///< record
  std::span<const std::uint8_t> payload;     ///< record
  std::vector<Uuid> acked;                   ///< ack
};

Bytes encode_header(std::uint64_t last_seq);
Bytes encode_record(std::uint64_t seq, const Uuid& id, std::span<const std::uint8_t> payload);
Bytes encode_ack(std::span<const Uuid> ids);
/// Size of the record frame `encode_record` makes for a payload of `payload_size` bytes.
constexpr std::uint64_t record_frame_size(std::size_t payload_size) {
  return kFrameOverhead + kRecordBodyFixed + payload_size;
}

/// The frame starting at `offset`, if a complete, well-formed frame with a matching checksum
/// starts there.
std::optional<Frame> decode_frame(std::span<const std::uint8_t> log, std::uint64_t offset);

struct Scan {
  std::vector<Frame> frames;            ///< valid frames in file order
  std::vector<CorruptRegion> corrupt;   ///< bad stretches followed by a valid frame
  std::uint64_t valid_end = 0;          ///< end of the last valid frame (where the tail starts)
  std::uint64_t torn_tail_bytes = 0;    ///< bytes after valid_end that hold no valid frame
};

/// Splits a whole log image. A bad stretch is "corrupt" when a valid frame follows it, and the
/// "torn tail" when none does: an interrupted append can only damage the end of the file.
Scan scan(std::span<const std::uint8_t> log);

}  // namespace bcma::fw::outbox::format
