#pragma once
/// \file
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and final xor
/// 0xFFFFFFFF): the checksum of every outbox frame. Check value: "123456789" -> 0xE3069283.

#include <cstdint>
#include <span>

namespace bcma::fw::outbox {

/// CRC-32C of `data`; pass a previous result as `crc` to continue over several pieces.
std::uint32_t crc32c(std::span<const std::uint8_t> data, std::uint32_t crc = 0);

}  // namespace bcma::fw::outbox
