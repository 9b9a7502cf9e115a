#pragma once
// One scanner connection on the server: TLS stream, frame decoder, write queue and a single
// deadline timer, all driven on the connection's strand. Private to bcma_transport.

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bcma/transport/device_identity.hpp"
#include "bcma/transport/frame_codec.hpp"
#include "bcma/transport/frame_handler.hpp"
#include "bcma/transport/server.hpp"

namespace bcma::transport::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class ConnectionManager;

/// What every connection of one server shares; owned by the server, outlives connections.
struct ServerShared {
  asio::ssl::context& tls;
  DeviceAuthorizer& authorizer;
  FrameHandler& handler;
  const ServerOptions& options;
  ConnectionManager& manager;
  std::function<void(const ServerEvent&)> emit;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ServerShared& shared, std::uint64_t id);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Begins the handshake. Call once, after the manager holds the connection.
  void start();
  /// Graceful close from any thread: no new frames are handled, in-flight responses are
  /// written (up to the drain timeout), then the connection closes.
  void drain(CloseReason reason);
  /// The accepted device id ("" until the handshake succeeded). Thread-safe.
  std::string device_id() const;

  // Used by the Reply sink; thread-safe.
  bool queue_response(std::string payload);
  void finish_frame(bool close_after);

 private:
  enum class Phase { handshaking, open, closing, shutdown_sent, closed };
  using Clock = std::chrono::steady_clock;

  bool verify_peer(bool preverified, asio::ssl::verify_context& ctx);
  void on_handshake(const boost::system::error_code& ec);
  void do_read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void handle_frames(std::vector<std::string>& frames);
  void enqueue(std::string frame);
  void do_write();
  void on_write(const boost::system::error_code& ec);
  void begin_close(CloseReason reason);
  void maybe_shutdown();
  void finish_close();
  void arm_timer();
  void reevaluate_timer();
  void on_timer();
  Clock::time_point current_deadline() const;
  ServerEvent event(ServerEvent::Kind kind, std::string detail) const;
  bool read_paused() const;

  ServerShared& shared_;
  asio::ssl::stream<tcp::socket> stream_;
  asio::steady_timer timer_;
  FrameDecoder decoder_;
  std::array<char, 16 * 1024> read_buffer_{};
  std::deque<std::string> write_queue_;
  bool writing_ = false;
  bool reading_ = false;
  std::size_t in_flight_ = 0;
  Phase phase_ = Phase::handshaking;
  CloseReason close_reason_ = CloseReason::peer_closed;
  std::string close_detail_;
  std::string farewell_;  // framed; written last before a close for a framing error
  bool connected_ = false;  // on_connect was called, so on_close is owed
  Clock::time_point started_;
  Clock::time_point last_frame_;
  Clock::time_point drain_deadline_;
  Clock::time_point linger_deadline_;

  Session session_;
  std::optional<Refusal> refusal_;
  std::string verify_error_;
  std::string claimed_device_id_;
  std::optional<DeviceIdentity> identity_;

  mutable std::mutex id_mutex_;
  std::string device_id_;         // guarded by id_mutex_: read by other threads
  std::atomic<bool> closed_{false};  // fast check for Reply::send from other threads
};

}  // namespace bcma::transport::detail
