#include "bcma/station/store/pin_hash.hpp"

#include <sodium.h>

#include <array>

#include "bcma/station/store/errors.hpp"

namespace bcma::station::store {

namespace {

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

PinHashCost PinHashCost::interactive() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PinHashCost PinHashCost::minimum() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

Result<void> validate_pin(std::string_view pin) {
  if (pin.size() < 4 || pin.size() > 12) {
    return fail(errc::kInvalidPin, "a PIN must be 4 to 12 digits long");
  }
  for (char c : pin) {
    if (c < '0' || c > '9') return fail(errc::kInvalidPin, "a PIN must hold digits only");
  }
  return {};
}

Result<std::string> hash_pin(std::string_view pin, const PinHashCost& cost) {
  if (auto r = validate_pin(pin); !r) return Unexpected(std::move(r).error());
  if (!sodium_ready()) return fail(errc::kCryptoFailure, "libsodium could not be initialised");
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), pin.data(), pin.size(), cost.ops_limit, cost.mem_limit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(errc::kCryptoFailure,
                "Argon2id hashing failed (not enough memory for the configured PIN cost?)");
  }
  return std::string(out.data());
}

bool verify_pin(std::string_view stored, std::string_view pin) {
  if (!sodium_ready() || stored.size() >= crypto_pwhash_STRBYTES) return false;
  std::array<char, crypto_pwhash_STRBYTES> buf{};
  stored.copy(buf.data(), stored.size());
  return crypto_pwhash_str_verify(buf.data(), pin.data(), pin.size()) == 0;
}

bool pin_needs_rehash(std::string_view stored, const PinHashCost& cost) {
  if (!sodium_ready() || stored.size() >= crypto_pwhash_STRBYTES) return true;
  std::array<char, crypto_pwhash_STRBYTES> buf{};
  stored.copy(buf.data(), stored.size());
  return crypto_pwhash_argon2id_str_needs_rehash(buf.data(), cost.ops_limit, cost.mem_limit) != 0;
}

}  // namespace bcma::station::store
