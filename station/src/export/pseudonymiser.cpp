#include "bcma/station/export/pseudonymiser.hpp"

#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>

#include <sodium.h>

#include "text.hpp"

namespace bcma::station::exporting {

namespace {

constexpr std::string_view kKeyIdLabel = "bcma-audit-export key id v1";

bool sodium_ready() { return sodium_init() >= 0; }

}  // namespace

Result<PseudonymKey> PseudonymKey::random() {
  if (!sodium_ready()) return fail("crypto_failure", "libsodium could not be initialised");
  PseudonymKey key;
  randombytes_buf(key.bytes_.data(), key.bytes_.size());
  return key;
}

Result<PseudonymKey> PseudonymKey::from_file(const std::filesystem::path& file) {
  if (!sodium_ready()) return fail("crypto_failure", "libsodium could not be initialised");
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot_read", "cannot read the key file " + file.string());
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  PseudonymKey key;
  if (content.size() == kBytes) {
    for (std::size_t i = 0; i < kBytes; ++i) key.bytes_[i] = static_cast<std::uint8_t>(content[i]);
    return key;
  }
  const std::string hex = detail::trim(content);
  std::size_t decoded = 0;
  if (hex.size() != 2 * kBytes ||
      sodium_hex2bin(key.bytes_.data(), kBytes, hex.data(), hex.size(), nullptr, &decoded,
                     nullptr) != 0 ||
      decoded != kBytes) {
    return fail("invalid_key", "the key file " + file.string() +
                                   " must hold 64 hexadecimal digits (or exactly 32 bytes)");
  }
  return key;
}

Result<void> PseudonymKey::save(const std::filesystem::path& file) const {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return fail("cannot_write", "cannot write the key file " + file.string());
  ::chmod(file.c_str(), S_IRUSR | S_IWUSR);
  out << detail::hex(bytes_.data(), bytes_.size()) << "\n";
  out.flush();
  if (!out) return fail("cannot_write", "cannot write the key file " + file.string());
  return {};
}

std::string PseudonymKey::key_id() const { return hmac_sha256_hex(*this, kKeyIdLabel).substr(0, 16); }

std::string hmac_sha256_hex(const PseudonymKey& key, std::string_view message) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.bytes().data(), key.bytes().size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  return detail::hex(mac.data(), mac.size());
}

std::string Pseudonymiser::pseudonym(Subject subject, std::string_view identifier) const {
  const std::string_view domain = subject == Subject::kResident ? "resident:" : "staff:";
  std::string message(domain);
  message.append(identifier);
  return std::string(subject == Subject::kResident ? "R-" : "S-") +
         hmac_sha256_hex(key_, message).substr(0, 16);
}

}  // namespace bcma::station::exporting
