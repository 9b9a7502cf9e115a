#pragma once
// TLS contexts for both ends, and the reading of TLS errors. Private to bcma_transport.

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

#include "bcma/transport/credentials.hpp"
#include "bcma/transport/error.hpp"

namespace bcma::transport::detail {

namespace ssl = boost::asio::ssl;

/// TLS 1.3 only; client certificate required; only the station CA trusted; no session cache
/// and no tickets, so a resumed session can never skip the device registry.
/// Errors: bad_credentials.
Result<std::unique_ptr<ssl::context>> make_server_context(const ServerCredentials& credentials);

/// TLS 1.3 only; presents the device certificate; trusts only the pinned station CA (the host
/// name check is per connection: see set_expected_station_name).
/// Errors: bad_credentials.
Result<std::unique_ptr<ssl::context>> make_client_context(const DeviceBundle& bundle);

/// Makes verification of the peer require a DNS subjectAltName equal to `name`.
/// Errors: bad_credentials.
Result<void> set_expected_station_name(SSL* ssl, const std::string& name);

/// Words for an error from Asio or OpenSSL, including OpenSSL's reason.
std::string describe(const boost::system::error_code& ec);

/// True if `ec` is an alert from the station saying it will not accept our certificate.
bool is_certificate_refusal(const boost::system::error_code& ec);

/// True if `ec` says we could not verify the peer's certificate.
bool is_verification_failure(const boost::system::error_code& ec);

}  // namespace bcma::transport::detail
