#pragma once
// Key generation and certificate issuance with the OpenSSL 3 EVP/X509 APIs. Private to
// bcma_station_pki.

#include <chrono>
#include <string>

#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/transport/openssl_util.hpp"

namespace bcma::station::pki::detail {

namespace ossl = transport::ossl;

/// Errors: crypto.
Result<ossl::PkeyPtr> generate_key(KeyAlgorithm algorithm);

/// The algorithm of an existing key. Errors: corrupt (neither EC P-256 nor Ed25519).
Result<KeyAlgorithm> algorithm_of(const EVP_PKEY& key);

enum class CertRole { ca, station, device };

struct CertRequest {
  CertRole role;
  std::string common_name;
  std::string organisation;  // may be empty
  std::string station_name;  // station: the SAN DNS name
  std::string device_id;     // device: the SAN URI's id
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

/// Issues a certificate for `subject_key`, signed by `issuer_key`; `issuer` is null for the
/// self-signed CA. Serial: 128 random bits.
/// Errors: crypto.
Result<ossl::X509Ptr> issue_certificate(const CertRequest& request, EVP_PKEY& subject_key,
                                        const X509* issuer, EVP_PKEY& issuer_key);

/// The DNS name in a station certificate's subjectAltName ("" if none).
std::string station_name_of(const X509& cert);

}  // namespace bcma::station::pki::detail
