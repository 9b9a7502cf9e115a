#include "bcma/station/export/pseudonymiser.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
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

namespace {

// Writes the key's hex to a descriptor opened by the caller, and closes it.
Result<void> write_key(int fd, const PseudonymKey& key, const std::filesystem::path& file) {
  const std::string text = detail::hex(key.bytes().data(), key.bytes().size()) + "\n";
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (done != text.size() || !synced || !closed) {
    return fail("cannot_write", "cannot write the key file " + file.string());
  }
  return {};
}

}  // namespace

Result<void> PseudonymKey::save(const std::filesystem::path& file) const {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return fail("cannot_write", "cannot write the key file " + file.string());
  // An existing file keeps its mode under O_CREAT: narrow it before the key goes in.
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
    ::close(fd);
    return fail("cannot_write", "cannot restrict the key file " + file.string() + " to its owner");
  }
  return write_key(fd, *this, file);
}

Result<PseudonymKey> PseudonymKey::load_or_create(const std::filesystem::path& file, bool* created) {
  if (created != nullptr) *created = false;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd >= 0) {
    auto key = random();
    if (!key) {
      ::close(fd);
      ::unlink(file.c_str());
      return key;
    }
    if (auto w = write_key(fd, *key, file); !w) {
      ::unlink(file.c_str());
      return Unexpected(std::move(w).error());
    }
    if (created != nullptr) *created = true;
    return key;
  }
  if (errno != EEXIST) {
    return fail("cannot_write", "cannot create the key file " + file.string() + ": " +
                                    std::strerror(errno));
  }
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return fail("cannot_read", "cannot read the key file " + file.string());
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return fail("insecure_key_file", "the key file " + file.string() +
                                         " can be read by other users: restrict it to its owner "
                                         "(chmod 600) or make a new one");
  }
  return from_file(file);
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
