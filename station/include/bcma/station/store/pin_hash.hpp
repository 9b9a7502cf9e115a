#pragma once
/// \file
/// Staff PINs are kept only as Argon2id hashes (libsodium `crypto_pwhash_str`), never as text,
/// and never written to a log. The cost is the station's choice: high enough to make a stolen
/// database slow to attack, low enough for a sign-in on a small box.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"

namespace bcma::station::store {

struct PinHashCost {
  std::uint64_t ops_limit = 0;
  std::size_t mem_limit = 0;  ///< bytes

  /// libsodium's interactive limits (2 passes, 64 MiB): the station default.
  static PinHashCost interactive();
  /// libsodium's minimum (1 pass, 8 KiB): for tests only, never for a real home.
  static PinHashCost minimum();
};

/// A PIN is 4 to 12 digits. Errors: `invalid_pin` (the message never contains the PIN).
Result<void> validate_pin(std::string_view pin);

/// The `$argon2id$...` string for `pin`. Errors: `invalid_pin`, `crypto_failure` (out of memory).
Result<std::string> hash_pin(std::string_view pin, const PinHashCost& cost);

/// True if `pin` matches `stored` (constant-time comparison inside libsodium).
bool verify_pin(std::string_view stored, std::string_view pin);

/// True if `stored` was made with another cost or algorithm (re-hash after a good sign-in).
bool pin_needs_rehash(std::string_view stored, const PinHashCost& cost);

}  // namespace bcma::station::store
