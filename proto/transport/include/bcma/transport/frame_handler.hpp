#pragma once
/// \file
/// The seam between the transport and the station's logic. The server turns bytes into
/// payloads and hands them to a FrameHandler; the handler never sees a socket, and the
/// transport never parses a payload.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/transport/device_identity.hpp"

namespace bcma::transport {

/// One authenticated connection, as the handler sees it.
struct Session {
  std::uint64_t id = 0;     ///< unique for the server's lifetime; for correlating logs
  DeviceIdentity device;    ///< as accepted by the DeviceAuthorizer
  std::string remote;       ///< "address:port" of the peer
};

enum class CloseReason {
  peer_closed,        ///< the scanner closed, or the connection broke
  malformed_frame,    ///< zero-length frame
  frame_too_large,    ///< frame above the server's maximum
  idle_timeout,       ///< no frame for ServerOptions::idle_timeout
  server_stopping,    ///< Server::stop()
  device_disconnected,///< Server::disconnect_device() (e.g. after revocation)
  handler_closed,     ///< the handler asked for it with Reply::close()
};

std::string_view to_string(CloseReason reason);

namespace detail {
/// Implemented by the server's connection; lets a Reply outlive the on_frame call.
class ReplySink {
 public:
  virtual ~ReplySink() = default;
  virtual bool send(std::string payload) = 0;
  virtual void finish(bool close_after) = 0;
};
}  // namespace detail

/// The way to answer one frame, now or later, from any thread. Responses go out in the order
/// send() is called. The frame counts as "in flight" until finish() (or the Reply's
/// destruction): graceful stop waits for in-flight frames, and a connection stops reading once
/// ServerOptions::max_in_flight frames are unfinished (back-pressure on a busy handler).
class Reply {
 public:
  explicit Reply(std::shared_ptr<detail::ReplySink> sink) : sink_(std::move(sink)) {}
  Reply(Reply&&) noexcept = default;
  Reply& operator=(Reply&& other) noexcept;
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
  ~Reply();

  /// Queues one response frame. Returns false if it was not queued: the reply was finished,
  /// the connection has closed, or the payload is empty or above the maximum frame size.
  bool send(std::string payload);
  /// Marks the frame handled. Idempotent.
  void finish();
  /// Marks the frame handled and closes the connection once every queued response has been
  /// written (for a peer that broke the application protocol).
  void close();

 private:
  std::shared_ptr<detail::ReplySink> sink_;
};

/// Implemented by the station. Calls for one connection never overlap and come in order
/// (on_connect, on_frame..., on_close); calls for different connections run concurrently on
/// the server's threads, so an implementation must be thread-safe. Calls must not block for
/// long: a slow operation (a durable commit) should keep the Reply and answer later.
class FrameHandler {
 public:
  virtual ~FrameHandler() = default;
  FrameHandler() = default;
  FrameHandler(const FrameHandler&) = delete;
  FrameHandler& operator=(const FrameHandler&) = delete;

  /// After a successful handshake by an authorised device.
  virtual void on_connect(const Session& session) = 0;
  /// One complete payload from the device.
  virtual void on_frame(const Session& session, std::string payload, Reply reply) = 0;
  /// Once per connection that reached on_connect, after which the session is gone.
  virtual void on_close(const Session& session, CloseReason reason) = 0;
  /// The peer broke the framing (`reason` is frame_too_large or malformed_frame; `detail` says
  /// how) and the connection is closing. A non-empty return value is sent as the last frame,
  /// after the responses to earlier frames (the station sends an Error envelope). Default:
  /// nothing.
  virtual std::string on_framing_error(const Session& session, CloseReason reason,
                                       std::string_view detail) {
    (void)session;
    (void)reason;
    (void)detail;
    return {};
  }
};

/// A FrameHandler that answers each frame synchronously with zero or more responses.
class SyncFrameHandler : public FrameHandler {
 public:
  virtual std::vector<std::string> handle(const Session& session, std::string payload) = 0;

  void on_frame(const Session& session, std::string payload, Reply reply) final {
    for (auto& response : handle(session, std::move(payload))) reply.send(std::move(response));
    reply.finish();
  }
};

}  // namespace bcma::transport
