#include "x509_builder.hpp"

#include <openssl/rand.h>

#include <array>

namespace bcma::station::pki::detail {

namespace {

using ossl::take_errors;

std::string crypto_failure(const std::string& what) { return what + ": " + take_errors(); }

using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, ossl::Deleter<EVP_PKEY_CTX_free>>;

Result<void> add_extension(X509& cert, X509V3_CTX& ctx, int nid, const std::string& value) {
  ossl::X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(&cert, ext.get(), -1) != 1) {
    return fail(Errc::crypto, crypto_failure("cannot add extension " + std::string(OBJ_nid2sn(nid)) + "=" + value));
  }
  return {};
}

Result<ossl::X509NamePtr> make_name(const std::string& common_name, const std::string& organisation) {
  ossl::X509NamePtr name(X509_NAME_new());
  if (!name) return fail(Errc::crypto, crypto_failure("out of memory"));
  auto add = [&](const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) == 1;
  };
  if (!organisation.empty() && !add("O", organisation)) {
    return fail(Errc::crypto, crypto_failure("cannot set organisation"));
  }
  if (!add("CN", common_name)) return fail(Errc::crypto, crypto_failure("cannot set common name"));
  return name;
}

Result<void> set_random_serial(X509& cert) {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return fail(Errc::crypto, crypto_failure("no randomness for a serial number"));
  }
  bytes[0] &= 0x7F;  // positive, as RFC 5280 requires
  bytes[0] |= 0x40;  // and exactly 16 bytes long, never zero
  ossl::BignumPtr bn(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  ossl::Asn1IntegerPtr serial(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!serial || X509_set_serialNumber(&cert, serial.get()) != 1) {
    return fail(Errc::crypto, crypto_failure("cannot set serial number"));
  }
  return {};
}

}  // namespace

Result<ossl::PkeyPtr> generate_key(KeyAlgorithm algorithm) {
  const char* type = algorithm == KeyAlgorithm::ec_p256 ? "EC" : "ED25519";
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) {
    return fail(Errc::crypto, crypto_failure(std::string("cannot set up ") + type + " key generation"));
  }
  if (algorithm == KeyAlgorithm::ec_p256 && EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") != 1) {
    return fail(Errc::crypto, crypto_failure("cannot select curve P-256"));
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1 || raw == nullptr) {
    return fail(Errc::crypto, crypto_failure("key generation failed"));
  }
  return ossl::PkeyPtr(raw);
}

Result<KeyAlgorithm> algorithm_of(const EVP_PKEY& key) {
  if (EVP_PKEY_is_a(&key, "ED25519") == 1) return KeyAlgorithm::ed25519;
  if (EVP_PKEY_is_a(&key, "EC") == 1) {
    char group[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(&key, "group", group, sizeof group, &len) == 1 &&
        std::string_view(group, len) == "prime256v1") {
      return KeyAlgorithm::ec_p256;
    }
  }
  take_errors();
  return fail(Errc::corrupt, "CA key is neither EC P-256 nor Ed25519");
}

Result<ossl::X509Ptr> issue_certificate(const CertRequest& request, EVP_PKEY& subject_key,
                                        const X509* issuer, EVP_PKEY& issuer_key) {
  ossl::X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return fail(Errc::crypto, crypto_failure("cannot create certificate"));
  }
  if (auto r = set_random_serial(*cert); !r) return Unexpected(std::move(r).error());

  const std::time_t not_before = std::chrono::system_clock::to_time_t(request.not_before);
  const std::time_t not_after = std::chrono::system_clock::to_time_t(request.not_after);
  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), not_before) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), not_after) == nullptr) {
    return fail(Errc::crypto, crypto_failure("cannot set validity"));
  }

  auto subject = make_name(request.common_name, request.organisation);
  if (!subject) return Unexpected(std::move(subject).error());
  if (X509_set_subject_name(cert.get(), subject->get()) != 1 ||
      X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : subject->get()) != 1 ||
      X509_set_pubkey(cert.get(), &subject_key) != 1) {
    return fail(Errc::crypto, crypto_failure("cannot set names or public key"));
  }

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer != nullptr ? const_cast<X509*>(issuer) : cert.get(), cert.get(), nullptr,
                 nullptr, 0);
  std::vector<std::pair<int, std::string>> extensions;
  switch (request.role) {
    case CertRole::ca:
      // pathlen:0 - this CA signs end-entity certificates only, never another CA.
      extensions = {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                    {NID_key_usage, "critical,keyCertSign,cRLSign"},
                    {NID_subject_key_identifier, "hash"}};
      break;
    case CertRole::station:
      extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                    {NID_key_usage, "critical,digitalSignature"},
                    {NID_ext_key_usage, "serverAuth"},
                    {NID_subject_alt_name, "DNS:" + request.station_name},
                    {NID_subject_key_identifier, "hash"},
                    {NID_authority_key_identifier, "keyid:always"}};
      break;
    case CertRole::device:
      // clientAuth only: a scanner's certificate cannot pose as the station.
      extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                    {NID_key_usage, "critical,digitalSignature"},
                    {NID_ext_key_usage, "clientAuth"},
                    {NID_subject_alt_name, "URI:" + std::string(transport::kDeviceUriPrefix) + request.device_id},
                    {NID_subject_key_identifier, "hash"},
                    {NID_authority_key_identifier, "keyid:always"}};
      break;
  }
  for (const auto& [nid, value] : extensions) {
    if (auto r = add_extension(*cert, ctx, nid, value); !r) return Unexpected(std::move(r).error());
  }

  // Ed25519 signs the message itself: no separate digest.
  const EVP_MD* md = EVP_PKEY_is_a(&issuer_key, "ED25519") == 1 ? nullptr : EVP_sha256();
  if (X509_sign(cert.get(), &issuer_key, md) <= 0) {
    return fail(Errc::crypto, crypto_failure("cannot sign certificate"));
  }
  return cert;
}

std::string station_name_of(const X509& cert) {
  ossl::GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(&cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return {};
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_DNS) continue;
    const ASN1_STRING* s = name->d.dNSName;
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<std::size_t>(ASN1_STRING_length(s)));
  }
  return {};
}

}  // namespace bcma::station::pki::detail
