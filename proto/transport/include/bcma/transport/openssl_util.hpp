#pragma once
/// \file
/// RAII handles for the OpenSSL 3 objects the transport and the station's PKI use, and the few
/// PEM conversions both need. The only public transport header that includes OpenSSL: include
/// it from .cpp files, never from another public header.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/transport/error.hpp"

namespace bcma::transport::ossl {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;

/// Drains OpenSSL's thread-local error queue into one line ("" if it was empty). Call it right
/// after a failed OpenSSL call so that stale errors never leak into a later message.
std::string take_errors();

/// Errors: bad_credentials (not exactly one parseable certificate at the start of `pem`).
Result<X509Ptr> certificate_from_pem(std::string_view pem);
/// Every certificate in `pem`, in order. Errors: bad_credentials (none, or one is corrupt).
Result<std::vector<X509Ptr>> certificates_from_pem(std::string_view pem);
/// Errors: bad_credentials (no unencrypted private key in `pem`).
Result<PkeyPtr> private_key_from_pem(std::string_view pem);
/// Errors: bad_certificate (DER does not parse).
Result<X509Ptr> certificate_from_der(std::string_view der);

/// Errors: bad_credentials (OpenSSL could not encode).
Result<std::string> to_pem(const X509& cert);
Result<std::string> private_key_to_pem(const EVP_PKEY& key);
Result<std::string> to_der(const X509& cert);

/// Lowercase hex without separators.
std::string to_hex(const unsigned char* data, std::size_t size);

}  // namespace bcma::transport::ossl
