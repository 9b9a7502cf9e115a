#include "log_format.hpp"

#include <algorithm>
#include <cstring>

#include "bcma/fw/outbox/crc32c.hpp"

namespace bcma::fw::outbox::format {
namespace {

void put_u32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_u64(Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t get_u32(std::span<const std::uint8_t> in, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(in[at + i]) << (8 * i);
  return v;
}

std::uint64_t get_u64(std::span<const std::uint8_t> in, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(in[at + i]) << (8 * i);
  return v;
}

Uuid get_uuid(std::span<const std::uint8_t> in, std::size_t at) {
  Uuid id;
  std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(at), id.bytes.size(), id.bytes.begin());
  return id;
}

// Starts a frame: marker, a length placeholder, the type byte and three zero bytes.
Bytes begin_frame(FrameType type, std::size_t body_size) {
  Bytes out;
  out.reserve(kFrameOverhead + body_size);
  out.insert(out.end(), kMarker.begin(), kMarker.end());
  put_u32(out, static_cast<std::uint32_t>(body_size));
  out.push_back(static_cast<std::uint8_t>(type));
  out.insert(out.end(), 3, 0);
  return out;
}

// Appends the checksum over everything after the marker.
void end_frame(Bytes& out) {
  const std::uint32_t crc = crc32c(std::span(out).subspan(kMarker.size()));
  put_u32(out, crc);
}

}  // namespace

Bytes encode_header(std::uint64_t last_seq) {
  Bytes out = begin_frame(FrameType::header, kHeaderBody);
  put_u32(out, kVersion);
  put_u64(out, last_seq);
  end_frame(out);
  return out;
}

Bytes encode_record(std::uint64_t seq, const Uuid& id, std::span<const std::uint8_t> payload) {
  Bytes out = begin_frame(FrameType::record, kRecordBodyFixed + payload.size());
  put_u64(out, seq);
  out.insert(out.end(), id.bytes.begin(), id.bytes.end());
  out.insert(out.end(), payload.begin(), payload.end());
  end_frame(out);
  return out;
}

Bytes encode_ack(std::span<const Uuid> ids) {
  Bytes out = begin_frame(FrameType::ack, kAckBodyFixed + ids.size() * 16);
  for (const Uuid& id : ids) out.insert(out.end(), id.bytes.begin(), id.bytes.end());
  end_frame(out);
  return out;
}

std::optional<Frame> decode_frame(std::span<const std::uint8_t> log, std::uint64_t offset) {
  if (offset > log.size() || log.size() - offset < kFrameOverhead + 4) return std::nullopt;
  const auto at = static_cast<std::size_t>(offset);
  if (!std::equal(kMarker.begin(), kMarker.end(), log.begin() + static_cast<std::ptrdiff_t>(at))) {
    return std::nullopt;
  }
  const std::uint32_t length = get_u32(log, at + 4);
  if (length < 4 || length > kMaxBody) return std::nullopt;
  const std::size_t size = kFrameOverhead + length;
  if (log.size() - at < size) return std::nullopt;
  const auto covered = log.subspan(at + 4, 4 + length);
  if (crc32c(covered) != get_u32(log, at + 8 + length)) return std::nullopt;

  const auto body = log.subspan(at + 8, length);
  if (body[1] != 0 || body[2] != 0 || body[3] != 0) return std::nullopt;
  Frame f;
  f.offset = offset;
  f.size = size;
  switch (body[0]) {
    case static_cast<std::uint8_t>(FrameType::header):
      if (length != kHeaderBody) return std::nullopt;
      f.type = FrameType::header;
      f.version = get_u32(body, 4);
      f.seq = get_u64(body, 8);
      return f;
    case static_cast<std::uint8_t>(FrameType::record):
      if (length < kRecordBodyFixed) return std::nullopt;
      f.type = FrameType::record;
      f.seq = get_u64(body, 4);
      f.id = get_uuid(body, 12);
      f.payload = body.subspan(kRecordBodyFixed);
      return f;
    case static_cast<std::uint8_t>(FrameType::ack): {
      if (length <= kAckBodyFixed || (length - kAckBodyFixed) % 16 != 0) return std::nullopt;
      f.type = FrameType::ack;
      const std::size_t count = (length - kAckBodyFixed) / 16;
      f.acked.reserve(count);
      for (std::size_t i = 0; i < count; ++i) f.acked.push_back(get_uuid(body, 4 + 16 * i));
      return f;
    }
    default:
      return std::nullopt;
  }
}

Scan scan(std::span<const std::uint8_t> log) {
  Scan result;
  std::uint64_t pos = 0;
  while (pos < log.size()) {
    if (auto frame = decode_frame(log, pos)) {
      pos += frame->size;
      result.valid_end = pos;
      result.frames.push_back(std::move(*frame));
      continue;
    }
    // Resynchronise: the next place a marker starts a valid frame. Damage can hit the length
    // field, so frame boundaries cannot be trusted; markers plus checksums can.
    std::optional<Frame> next;
    for (std::uint64_t q = pos + 1; q + kFrameOverhead <= log.size() && !next; ++q) {
      const auto it = std::search(log.begin() + static_cast<std::ptrdiff_t>(q), log.end(),
                                  kMarker.begin(), kMarker.end());
      if (it == log.end()) break;
      q = static_cast<std::uint64_t>(it - log.begin());
      next = decode_frame(log, q);
    }
    if (!next) {
      result.torn_tail_bytes = log.size() - pos;
      break;
    }
    result.corrupt.push_back(CorruptRegion{pos, next->offset - pos});
    pos = next->offset;
  }
  return result;
}

}  // namespace bcma::fw::outbox::format
