#include "bcma/transport/openssl_util.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>

namespace bcma::transport::ossl {

namespace {

Result<BioPtr> memory_bio(std::string_view text) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) {
    return fail(Errc::bad_credentials, "PEM text is too large");
  }
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) return fail(Errc::bad_credentials, "out of memory: " + take_errors());
  return bio;
}

Result<std::string> bio_contents(BIO& bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(&bio, &data);
  if (size < 0 || data == nullptr) return fail(Errc::bad_credentials, "empty PEM output");
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

std::string take_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

Result<X509Ptr> certificate_from_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return Unexpected(std::move(bio).error());
  X509Ptr cert(PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr));
  if (!cert) return fail(Errc::bad_credentials, "not a PEM certificate: " + take_errors());
  return cert;
}

Result<std::vector<X509Ptr>> certificates_from_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return Unexpected(std::move(bio).error());
  std::vector<X509Ptr> certs;
  while (X509* raw = PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(raw);
  }
  // Reading stops with "no start line" at the end of the text; anything else is corruption.
  const unsigned long last = ERR_peek_last_error();
  if (last != 0 && ERR_GET_REASON(last) != PEM_R_NO_START_LINE) {
    return fail(Errc::bad_credentials, "corrupt PEM certificate: " + take_errors());
  }
  take_errors();
  if (certs.empty()) return fail(Errc::bad_credentials, "no PEM certificate found");
  return certs;
}

Result<PkeyPtr> private_key_from_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return Unexpected(std::move(bio).error());
  // A null passphrase callback that returns 0: an encrypted key fails instead of prompting
  // on the terminal.
  PkeyPtr key(PEM_read_bio_PrivateKey(
      bio->get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (!key) return fail(Errc::bad_credentials, "not an unencrypted PEM private key: " + take_errors());
  return key;
}

Result<X509Ptr> certificate_from_der(std::string_view der) {
  if (der.size() > static_cast<std::size_t>(LONG_MAX)) {
    return fail(Errc::bad_certificate, "certificate is too large");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return fail(Errc::bad_certificate, "not a DER certificate: " + take_errors());
  return cert;
}

Result<std::string> to_pem(const X509& cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), &cert) != 1) {
    return fail(Errc::bad_credentials, "could not encode certificate: " + take_errors());
  }
  return bio_contents(*bio);
}

Result<std::string> private_key_to_pem(const EVP_PKEY& key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return fail(Errc::bad_credentials, "could not encode private key: " + take_errors());
  }
  return bio_contents(*bio);
}

Result<std::string> to_der(const X509& cert) {
  unsigned char* buf = nullptr;
  const int size = i2d_X509(&cert, &buf);
  if (size <= 0 || buf == nullptr) {
    return fail(Errc::bad_credentials, "could not encode certificate: " + take_errors());
  }
  std::string der(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(size));
  OPENSSL_free(buf);
  return der;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0x0F]);
  }
  return out;
}

}  // namespace bcma::transport::ossl
