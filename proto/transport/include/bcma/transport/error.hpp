#pragma once
/// \file
/// The transport's error values: a code a program can match on and a message a person can act
/// on (which connection, which device, what OpenSSL said).

#include <string>
#include <string_view>

#include "bcma/core/result.hpp"

namespace bcma::transport {

enum class Errc {
  frame_empty,          ///< a frame announced a zero-length payload
  frame_too_large,      ///< a frame announced (or a caller offered) more than the maximum size
  bad_credentials,      ///< a PEM key or certificate did not parse, or key and certificate differ
  bad_bundle,           ///< a device bundle file is malformed, incomplete or readable by others
  bad_device_id,        ///< a device id breaks the naming rule (see is_valid_device_id)
  bad_certificate,      ///< a certificate lacks the bcma device identity or could not be read
  io,                   ///< reading or writing a file failed
  bind_failed,          ///< the server could not listen on the requested address
  not_connected,        ///< the link has no established connection right now
  stopped,              ///< the link or server has been stopped
  timeout,              ///< connecting, the handshake, or the peer went quiet for too long
  connect_failed,       ///< TCP connection or name resolution failed
  station_untrusted,    ///< the station's certificate failed verification (CA pin or name)
  refused,              ///< the station refused this device (unknown, revoked, wrong CA)
  connection_lost,      ///< an established connection ended
};

/// Stable snake_case name of a code, for logs and tests.
std::string_view to_string(Errc code);

struct TransportError {
  Errc code;
  std::string message;

  friend bool operator==(const TransportError&, const TransportError&) = default;
};

template <class T>
using Result = bcma::Result<T, TransportError>;

inline Unexpected<TransportError> fail(Errc code, std::string message) {
  return Unexpected<TransportError>(TransportError{code, std::move(message)});
}

}  // namespace bcma::transport
