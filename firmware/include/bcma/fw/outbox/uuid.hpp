#pragma once
/// \file
/// Record ids made on the scanner: RFC 4122 version 4 (random) UUIDs. Each outcome gets one
/// when the care worker confirms it; the station deduplicates by it, so an id must never be
/// reused for a different outcome and a retry must reuse the same id.

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "bcma/fw/outbox/error.hpp"

namespace bcma::fw::outbox {

/// 16 bytes in RFC 4122 byte order (the order of the hex digits in the text form).
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  /// The all-zero UUID: never a valid record id.
  bool is_nil() const;
  /// Lower-case 8-4-4-4-12 hex, the form `RecordOutcome.outcome_id` carries.
  std::string to_string() const;
  /// Parses the 8-4-4-4-12 hex form (either case); nullopt for anything else.
  static std::optional<Uuid> parse(std::string_view text);

  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

/// Where randomness comes from, so tests and the device HAL can supply their own.
class RandomSource {
 public:
  virtual ~RandomSource() = default;

  /// Fills `out` completely with unpredictable bytes.
  /// Errors: `random_unavailable` if the source cannot deliver.
  Result<void> fill(std::span<std::uint8_t> out) { return do_fill(out); }

 private:
  virtual Result<void> do_fill(std::span<std::uint8_t> out) = 0;
};

/// The kernel's CSPRNG through getrandom(2) (blocks only until the pool is first seeded).
class SystemRandom final : public RandomSource {
 private:
  Result<void> do_fill(std::span<std::uint8_t> out) override;
};

/// A new version 4 UUID: 122 random bits, version nibble 4, variant bits 10.
/// Errors: `random_unavailable` (from `random`).
Result<Uuid> make_uuid_v4(RandomSource& random);

}  // namespace bcma::fw::outbox

template <>
struct std::hash<bcma::fw::outbox::Uuid> {
  std::size_t operator()(const bcma::fw::outbox::Uuid& id) const noexcept;
};
