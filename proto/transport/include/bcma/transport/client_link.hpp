#pragma once
/// \file
/// A scanner's link to the station: connects with its device bundle, sends and receives
/// frames, notices a lost connection and reconnects with exponential backoff and jitter.
///
/// The link runs on an io_context the caller runs (one thread is plenty). That serves both
/// users: a scanner main loop runs the context on a background thread and calls the blocking
/// helpers (send, receive with a timeout, wait_for), while a load generator puts hundreds of
/// links on one context and uses the callbacks, with no thread per scanner.
///
/// Delivery is best effort: a frame handed to send() while the connection drops may be lost.
/// The application protocol (acknowledged records, the scanner's outbox) makes it reliable.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bcma/transport/credentials.hpp"
#include "bcma/transport/error.hpp"
#include "bcma/transport/frame_codec.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace bcma::transport {

enum class LinkState {
  idle,              ///< created, start() not called
  connecting,        ///< resolving, connecting or in the TLS handshake
  connected,         ///< frames flow
  waiting_to_retry,  ///< the last attempt failed or the connection dropped; a retry is timed
  refused,           ///< the station refused this device's certificate: no automatic retry
  stopped,           ///< stop() was called
};

std::string_view to_string(LinkState state);

struct ClientOptions {
  std::string host;          ///< station address or name to dial
  std::uint16_t port = 0;
  std::size_t max_frame_size = kDefaultMaxFrameSize;
  std::chrono::milliseconds connect_timeout{10'000};  ///< TCP connect plus TLS handshake
  std::chrono::milliseconds retry_initial{500};       ///< first backoff; doubles per failure
  std::chrono::milliseconds retry_max{30'000};        ///< backoff ceiling
  /// Send heartbeat_payload whenever nothing was sent for this long (0: never). The payload is
  /// an envelope the station answers, so the station's idle timeout never fires on a live
  /// scanner and dead_after can notice a dead station.
  std::chrono::milliseconds heartbeat_interval{0};
  std::string heartbeat_payload;
  /// Nothing received for this long: the connection is presumed dead and is dropped (0: never).
  std::chrono::milliseconds dead_after{0};
  /// Called on the io_context's thread for each frame received. Unset: frames queue for
  /// receive().
  std::function<void(std::string payload)> on_frame;
  /// Called on the io_context's thread on every state change; `error` says why for
  /// waiting_to_retry and refused (null otherwise).
  std::function<void(LinkState state, const TransportError* error)> on_state;
};

class ClientLink {
 public:
  /// Checks the bundle and builds the TLS context; does not connect (see start()).
  /// `io` must outlive the link.
  /// Errors: bad_credentials (the bundle's PEMs are unusable), bad_bundle (no station name).
  static Result<std::unique_ptr<ClientLink>> create(boost::asio::io_context& io,
                                                    const DeviceBundle& bundle,
                                                    ClientOptions options);
  /// stop(); after the destructor returns no callback runs.
  ~ClientLink();
  ClientLink(const ClientLink&) = delete;
  ClientLink& operator=(const ClientLink&) = delete;

  /// Begins connecting (and reconnecting). From refused, tries once more. Thread-safe.
  void start();
  /// Closes the connection and stops retrying; no callback runs after it returns (it may be
  /// called from a callback). Thread-safe, idempotent.
  void stop();
  /// Queues one frame. Thread-safe.
  /// Errors: frame_empty, frame_too_large, not_connected, stopped.
  Result<void> send(std::string payload);
  /// The next received frame (only when no on_frame callback is set). Thread-safe; do not
  /// call from the io_context's thread.
  /// Errors: timeout, stopped.
  Result<std::string> receive(std::chrono::milliseconds timeout);
  LinkState state() const;
  /// Blocks until the link is in `state` (true) or the timeout passes (false).
  bool wait_for(LinkState state, std::chrono::milliseconds timeout) const;
  /// Why the last attempt or connection failed, if one has.
  std::optional<TransportError> last_error() const;
  /// How many times a connection has been established (a reconnect adds one).
  std::uint64_t connections_established() const;

  class Impl;

 private:
  explicit ClientLink(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace bcma::transport
