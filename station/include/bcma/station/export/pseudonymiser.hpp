#pragma once
/// \file
/// Keyed pseudonyms for the evaluator's audit export: HMAC-SHA256 (libsodium
/// `crypto_auth_hmacsha256`) of a stable identifier under a key the home keeps. Without the key
/// a pseudonym cannot be turned back into a person, nor recomputed from a guessed NHS number.
/// The same key gives the same pseudonym to the same person in every export; a fresh random
/// key (the default) makes pseudonyms consistent within one export only.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "bcma/core/result.hpp"

namespace bcma::station::exporting {

/// 32 secret bytes.
class PseudonymKey {
 public:
  static constexpr std::size_t kBytes = 32;

  /// A random key from the operating system's generator. Errors: `crypto_failure`.
  static Result<PseudonymKey> random();
  /// 64 hexadecimal digits (surrounding whitespace ignored), or exactly 32 raw bytes.
  /// Errors: `cannot_read` (missing or unreadable file), `invalid_key` (any other content).
  static Result<PseudonymKey> from_file(const std::filesystem::path& file);
  /// Writes 64 hex digits and a newline, readable by the owner only (the file never exists
  /// with wider permissions). Errors: `cannot_write`.
  Result<void> save(const std::filesystem::path& file) const;
  /// The home's key (the station's `pseudonym_key_file`): read from `file`, or made there if
  /// there is none, as a new random key that only the owner can read (created exclusively,
  /// so two stations starting at once agree on one key). `*created` says which happened.
  /// An existing file that other users can read is refused rather than used.
  /// Errors: `cannot_read`, `invalid_key` (as `from_file`), `insecure_key_file` (group or
  /// other permissions), `cannot_write`, `crypto_failure`.
  static Result<PseudonymKey> load_or_create(const std::filesystem::path& file,
                                             bool* created = nullptr);

  /// A name for the key that reveals nothing about it (HMAC of a fixed label, 16 hex digits):
  /// two exports with the same key id have comparable pseudonyms.
  std::string key_id() const;
  const std::array<std::uint8_t, kBytes>& bytes() const { return bytes_; }

 private:
  std::array<std::uint8_t, kBytes> bytes_{};
};

/// What is being pseudonymised: the prefix keeps a resident and a member of staff apart even if
/// their identifiers were equal, and names the pseudonym for a reader ("R-", "S-").
enum class Subject : std::uint8_t { kResident, kStaff };

class Pseudonymiser {
 public:
  explicit Pseudonymiser(PseudonymKey key) : key_(std::move(key)) {}

  /// "R-" or "S-" and 16 lower-case hex digits (64 bits of the HMAC): collisions among a care
  /// home's few hundred people are negligible. `identifier` is the NHS number of a resident or
  /// the badge GSRN of a member of staff.
  std::string pseudonym(Subject subject, std::string_view identifier) const;
  const PseudonymKey& key() const { return key_; }

 private:
  PseudonymKey key_;
};

/// HMAC-SHA256 of `message` under `key`, lower-case hex (64 digits).
std::string hmac_sha256_hex(const PseudonymKey& key, std::string_view message);

}  // namespace bcma::station::exporting
