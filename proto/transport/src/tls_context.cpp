#include "tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include "bcma/transport/openssl_util.hpp"

namespace bcma::transport::detail {

namespace {

// The chain is always device (or station) -> station CA: nothing deeper is legitimate.
constexpr int kVerifyDepth = 1;

Result<void> common_setup(SSL_CTX* ctx, const std::string& ca_pem, const std::string& cert_pem,
                          const std::string& key_pem) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1) {
    return fail(Errc::bad_credentials, "cannot restrict TLS to 1.3: " + ossl::take_errors());
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);

  auto cas = ossl::certificates_from_pem(ca_pem);
  if (!cas) return fail(Errc::bad_credentials, "CA certificate: " + cas.error().message);
  if (cas->size() != 1) {
    return fail(Errc::bad_credentials, "expected exactly one CA certificate, found " +
                                           std::to_string(cas->size()));
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  if (X509_STORE_add_cert(store, cas->front().get()) != 1) {
    return fail(Errc::bad_credentials, "cannot trust CA certificate: " + ossl::take_errors());
  }
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
  SSL_CTX_set_verify_depth(ctx, kVerifyDepth);

  auto cert = ossl::certificate_from_pem(cert_pem);
  if (!cert) return fail(Errc::bad_credentials, "certificate: " + cert.error().message);
  auto key = ossl::private_key_from_pem(key_pem);
  if (!key) return fail(Errc::bad_credentials, "private key: " + key.error().message);
  if (SSL_CTX_use_certificate(ctx, cert->get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key->get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return fail(Errc::bad_credentials,
                "private key does not match the certificate: " + ossl::take_errors());
  }
  return {};
}

int ssl_reason(const boost::system::error_code& ec) {
  if (ec.category() != boost::asio::error::get_ssl_category()) return 0;
  return ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
}

}  // namespace

Result<std::unique_ptr<ssl::context>> make_server_context(const ServerCredentials& credentials) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* h = ctx->native_handle();
  if (auto r = common_setup(h, credentials.ca_cert_pem, credentials.cert_pem, credentials.key_pem); !r) {
    return Unexpected(std::move(r).error());
  }
  // TLS 1.3 tickets are sent after the handshake; none, so that no resumption is possible.
  SSL_CTX_set_num_tickets(h, 0);
  // Tell clients which CA we accept (lets a client with several identities choose).
  auto ca = ossl::certificate_from_pem(credentials.ca_cert_pem);
  if (!ca || SSL_CTX_add_client_CA(h, ca->get()) != 1) {
    return fail(Errc::bad_credentials, "cannot announce the CA to clients: " + ossl::take_errors());
  }
  SSL_CTX_set_purpose(h, X509_PURPOSE_SSL_CLIENT);
  SSL_CTX_set_verify(h, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return ctx;
}

Result<std::unique_ptr<ssl::context>> make_client_context(const DeviceBundle& bundle) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX* h = ctx->native_handle();
  if (auto r = common_setup(h, bundle.ca_cert_pem, bundle.device_cert_pem, bundle.device_key_pem); !r) {
    return Unexpected(std::move(r).error());
  }
  SSL_CTX_set_purpose(h, X509_PURPOSE_SSL_SERVER);
  SSL_CTX_set_verify(h, SSL_VERIFY_PEER, nullptr);
  return ctx;
}

Result<void> set_expected_station_name(SSL* ssl, const std::string& name) {
  // Partial wildcards would let "*.example" match a station name; we never issue wildcards.
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  if (name.empty() || SSL_set1_host(ssl, name.c_str()) != 1) {
    return fail(Errc::bad_credentials, "cannot require station name '" + name + "': " + ossl::take_errors());
  }
  return {};
}

std::string describe(const boost::system::error_code& ec) {
  if (ec == boost::asio::ssl::error::stream_truncated) return "connection closed without TLS close_notify";
  if (ec == boost::asio::error::eof) return "connection closed";
  if (ec.category() == boost::asio::error::get_ssl_category()) {
    const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
    return std::string("TLS: ") + (reason != nullptr ? reason : ec.message());
  }
  return ec.message();
}

bool is_certificate_refusal(const boost::system::error_code& ec) {
  switch (ssl_reason(ec)) {
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
    case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
      return true;
    default:
      return false;
  }
}

bool is_verification_failure(const boost::system::error_code& ec) {
  return ssl_reason(ec) == SSL_R_CERTIFICATE_VERIFY_FAILED;
}

}  // namespace bcma::transport::detail
