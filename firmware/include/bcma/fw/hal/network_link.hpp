#pragma once
/// \file
/// The network link to the station: whole frames (one serialized bcma.v1 Envelope each) in and
/// out, and whether a connection is up. The link reconnects by itself; `connection_epoch`
/// tells the layers above that a new connection began (greet the station again, resend what
/// was in flight). Backends: `TlsNetworkLink` (the transport's ClientLink: TLS 1.3 with mutual
/// authentication, used by the simulator and the handheld alike) and the test fake.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "bcma/fw/hal/error.hpp"

namespace bcma::fw::hal {

enum class LinkStatus : std::uint8_t {
  kDown,        ///< disabled, or waiting to retry after a failure
  kConnecting,  ///< connecting or in the TLS handshake
  kUp,          ///< frames flow
  kRefused,     ///< the station refused this device's certificate: no automatic retry
};
std::string_view to_string(LinkStatus s);  ///< "down", "connecting", "up", "refused"

class NetworkLink {
 public:
  virtual ~NetworkLink() = default;
  NetworkLink() = default;
  NetworkLink(const NetworkLink&) = delete;
  NetworkLink& operator=(const NetworkLink&) = delete;

  /// Queues one frame on the current connection. Best effort: a frame queued as the
  /// connection drops may be lost (the outbox makes records reliable).
  /// Errors: `not_connected` (no connection now), `invalid_argument` (empty or larger than the
  /// frame limit), `unavailable` (the link is disabled).
  Result<void> send(std::string payload) { return DoSend(std::move(payload)); }

  /// The next frame received, waiting at most `timeout`.
  /// Errors: `timeout` (nothing arrived), `unavailable` (the link is disabled and nothing is
  /// left to read).
  Result<std::string> receive(std::chrono::milliseconds timeout) { return DoReceive(timeout); }

  LinkStatus status() const { return DoStatus(); }

  /// Counts connections established so far: it changes exactly when a new connection is up,
  /// so a caller that remembers it knows when to greet the station and resend.
  std::uint64_t connection_epoch() const { return DoConnectionEpoch(); }

  /// false: drop any connection and stop reconnecting (radio off; `disconnect` in scripts);
  /// true: connect and keep reconnecting. Idempotent.
  void set_enabled(bool enabled) { DoSetEnabled(enabled); }

  /// Blocks until the link is up (true) or `timeout` passes (false).
  bool wait_until_up(std::chrono::milliseconds timeout) { return DoWaitUntilUp(timeout); }

 private:
  virtual Result<void> DoSend(std::string payload) = 0;
  virtual Result<std::string> DoReceive(std::chrono::milliseconds timeout) = 0;
  virtual LinkStatus DoStatus() const = 0;
  virtual std::uint64_t DoConnectionEpoch() const = 0;
  virtual void DoSetEnabled(bool enabled) = 0;
  virtual bool DoWaitUntilUp(std::chrono::milliseconds timeout) = 0;
};

}  // namespace bcma::fw::hal
