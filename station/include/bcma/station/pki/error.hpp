#pragma once
/// \file
/// Error values of the station's certificate authority.

#include <string>
#include <string_view>

#include "bcma/core/result.hpp"

namespace bcma::station::pki {

enum class Errc {
  io,                     ///< a file or directory could not be read, written or locked
  not_initialised,        ///< the station directory has no pki/ (run initialise first)
  already_initialised,    ///< initialise found an existing pki/: it never overwrites a CA
  bad_station_name,       ///< not a lowercase DNS name
  bad_organisation,       ///< empty is fine; longer than 64 characters or control characters is not
  bad_device_id,          ///< see transport::is_valid_device_id
  device_already_paired,  ///< the device id has a paired certificate: revoke it first
  unknown_device,         ///< no record of that device id or certificate
  already_revoked,        ///< every certificate of that device id is already revoked
  bad_certificate,        ///< a certificate did not parse, was not issued by this CA, or
                          ///< contradicts its index entry
  corrupt,                ///< a pki/ file exists but its contents are not what we wrote
  insecure_permissions,   ///< a private key file or pki/ is accessible to other users
  crypto,                 ///< OpenSSL failed to generate, sign or encode
};

std::string_view to_string(Errc code);

struct PkiError {
  Errc code;
  std::string message;

  friend bool operator==(const PkiError&, const PkiError&) = default;
};

template <class T>
using Result = bcma::Result<T, PkiError>;

inline Unexpected<PkiError> fail(Errc code, std::string message) {
  return Unexpected<PkiError>(PkiError{code, std::move(message)});
}

}  // namespace bcma::station::pki
