#include "bcma/fw/outbox/uuid.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace bcma::fw::outbox {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Byte indexes after which the text form has a dash: 8-4-4-4-12 hex digits.
constexpr bool dash_after(std::size_t byte_index) {
  return byte_index == 3 || byte_index == 5 || byte_index == 7 || byte_index == 9;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool Uuid::is_nil() const {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

std::string Uuid::to_string() const {
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
    if (dash_after(i)) out += '-';
  }
  return out;
}

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid id;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < id.bytes.size(); ++i) {
    const int hi = hex_value(text[pos]);
    const int lo = hex_value(text[pos + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    id.bytes[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    pos += 2;
    if (dash_after(i)) {
      if (text[pos] != '-') return std::nullopt;
      ++pos;
    }
  }
  return id;
}

Result<void> SystemRandom::do_fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(Errc::random_unavailable,
                  "getrandom failed: " + std::system_category().message(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Result<Uuid> make_uuid_v4(RandomSource& random) {
  Uuid id;
  if (auto filled = random.fill(id.bytes); !filled) return Unexpected(std::move(filled).error());
  id.bytes[6] = static_cast<std::uint8_t>((id.bytes[6] & 0x0F) | 0x40);  // version 4
  id.bytes[8] = static_cast<std::uint8_t>((id.bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return id;
}

}  // namespace bcma::fw::outbox

std::size_t std::hash<bcma::fw::outbox::Uuid>::operator()(
    const bcma::fw::outbox::Uuid& id) const noexcept {
  // Ids are random (or at least distinct): FNV-1a over the bytes spreads any of them well.
  std::uint64_t h = 14695981039346656037ull;
  for (const std::uint8_t b : id.bytes) {
    h ^= b;
    h *= 1099511628211ull;
  }
  return static_cast<std::size_t>(h);
}
