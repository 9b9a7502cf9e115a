#pragma once
/// \file
/// The station's TLS server: accepts scanners on a thread pool, authenticates them against the
/// station CA and the device registry, frames their traffic and hands payloads to a
/// FrameHandler. Asio and OpenSSL stay behind this header.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bcma/transport/credentials.hpp"
#include "bcma/transport/device_identity.hpp"
#include "bcma/transport/error.hpp"
#include "bcma/transport/frame_codec.hpp"
#include "bcma/transport/frame_handler.hpp"

namespace bcma::transport {

/// Something the server did that an operator may want in the log.
struct ServerEvent {
  enum class Kind {
    listening,          ///< detail: "address:port"
    handshake_refused,  ///< a certificate verified badly or the registry refused the device
    handshake_failed,   ///< TLS failed for another reason (protocol version, no certificate, ...)
    connected,          ///< device_id set
    closed,             ///< detail: the CloseReason
    stopping,
    stopped,
    error,              ///< a server-level problem: accept failed, connection limit reached
  };
  Kind kind;
  std::uint64_t session_id = 0;  ///< 0 before a connection has one
  std::string remote;            ///< "address:port"
  std::string device_id;         ///< claimed or accepted device id, when known
  std::string detail;            ///< reason, in words
};

std::string_view to_string(ServerEvent::Kind kind);
/// One log line: "bcma-transport: handshake_refused device=ward-a-01 remote=... reason".
std::string format_event(const ServerEvent& event);

struct ServerOptions {
  std::string address = "127.0.0.1";  ///< the station sets its Wi-Fi interface, or 0.0.0.0
  std::uint16_t port = 0;             ///< 0: any free port (read it back with Server::port())
  std::size_t threads = 0;            ///< 0: std::thread::hardware_concurrency(), at least 2
  std::size_t max_frame_size = kDefaultMaxFrameSize;
  /// Unfinished frames per connection before the server stops reading from it (frames that
  /// arrived in the same read are still handled).
  std::size_t max_in_flight = 32;
  std::size_t max_connections = 1024; ///< further accepts are closed at once
  std::chrono::milliseconds handshake_timeout{10'000};
  /// No complete frame for this long closes the connection (scanners send heartbeats well
  /// within it). Zero disables the check.
  std::chrono::milliseconds idle_timeout{60'000};
  /// How long stop() waits for in-flight frames to be answered and written.
  std::chrono::milliseconds drain_timeout{5'000};
  /// After the last response is written on a closing connection, how long to wait for the
  /// peer to close before dropping it.
  std::chrono::milliseconds linger_timeout{1'000};
  /// Receives every event; called from server threads, possibly concurrently. Unset: one
  /// format_event line per event on stderr.
  std::function<void(const ServerEvent&)> on_event;
};

class Server {
 public:
  /// Builds the TLS context (TLS 1.3 only, client certificates required, only `credentials.ca`
  /// trusted, no session resumption so that every connection meets the registry) and binds.
  /// `authorizer` and `handler` must outlive the server, and every Reply must be finished or
  /// destroyed before the server is (after join(), a late Reply is merely ignored).
  /// Errors: bad_credentials (PEM or key mismatch), bind_failed.
  static Result<std::unique_ptr<Server>> create(const ServerCredentials& credentials,
                                                DeviceAuthorizer& authorizer,
                                                FrameHandler& handler, ServerOptions options);
  ~Server();  ///< stop() then join()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The bound port (useful after binding port 0).
  std::uint16_t port() const;
  /// Starts accepting on the thread pool. Errors: stopped (already stopped once).
  Result<void> start();
  /// Graceful stop, from any thread (e.g. the station's SIGTERM signal_set handler), returns
  /// at once: stops accepting; every connection stops reading new frames, waits for its
  /// in-flight frames' responses to be written (up to drain_timeout), then closes. Idempotent.
  void stop();
  /// Blocks until stop() has finished and the threads have exited. Must not be called from a
  /// handler or event callback (they run on those threads).
  void join();
  /// Closes every connection of `device_id` after its in-flight responses are written (use it
  /// after revoking a device: revocation alone only refuses new handshakes). Returns how many
  /// connections were closing.
  std::size_t disconnect_device(std::string_view device_id);
  /// Connections currently open (handshaking ones included).
  std::size_t connection_count() const;

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bcma::transport
