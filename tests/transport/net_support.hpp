#pragma once
// Test support for the server and client tests: a recording FrameHandler, a collector of
// server events, an io_context on its own thread, and a hand-built TLS client for the cases
// ClientLink is not allowed to produce (no certificate, TLS 1.2, raw bad frames).

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bcma/transport/client_link.hpp"
#include "bcma/transport/credentials.hpp"
#include "bcma/transport/frame_handler.hpp"
#include "bcma/transport/server.hpp"

namespace bcma::transport::testing {

using namespace std::chrono_literals;

/// Generous bound for things that should happen almost at once; a test fails, never hangs.
inline constexpr std::chrono::milliseconds kPatience = 10s;

/// Answers "echo:<payload>" to each frame (and "error:<reason>" to broken framing), or holds the Replies for the test to answer when
/// `hold_replies` is set. Records everything, thread-safely.
class RecordingHandler : public FrameHandler {
 public:
  struct Closed {
    std::string device_id;
    CloseReason reason;
  };

  std::atomic<bool> hold_replies{false};

  void on_connect(const Session& session) override;
  void on_frame(const Session& session, std::string payload, Reply reply) override;
  void on_close(const Session& session, CloseReason reason) override;
  /// Answers "error:<reason>", standing in for the station's Error envelope.
  std::string on_framing_error(const Session& session, CloseReason reason, std::string_view detail) override;

  /// Sends "echo:<payload>" for every held reply and finishes them (from the calling thread).
  void answer_held();
  /// Blocks until `pred` (which may call the accessors below) holds or kPatience passes.
  bool wait(const std::function<bool()>& pred);

  std::vector<Session> connects() const;
  std::vector<std::string> frames() const;
  std::vector<Closed> closes() const;
  std::size_t held() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Session> connects_;
  std::vector<std::string> frames_;
  std::vector<Closed> closes_;
  std::vector<std::pair<std::string, Reply>> held_;
};

/// Collects ServerEvents for assertions.
class EventLog {
 public:
  std::function<void(const ServerEvent&)> sink();
  /// The first event of `kind` (and `device_id`, if given), waiting up to kPatience.
  std::optional<ServerEvent> wait_for(ServerEvent::Kind kind, const std::string& device_id = {});
  std::vector<ServerEvent> all() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ServerEvent> events_;
};

/// An io_context run by one background thread until destruction.
class IoThread {
 public:
  IoThread();
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;
  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::thread thread_;
};

/// What a hand-built client saw.
struct RawOutcome {
  bool tcp_connected = false;
  bool handshake_ok = false;
  std::string handshake_error;
  std::vector<std::string> frames;  ///< payloads received
  bool closed_by_server = false;    ///< the read ended in EOF or a TLS error
  std::string read_error;
};

/// TLS client context pieces for raw clients.
struct RawTlsOptions {
  std::string ca_pem;
  std::string cert_pem;  ///< empty: present no certificate
  std::string key_pem;
  bool tls12_only = false;
};

std::unique_ptr<boost::asio::ssl::context> make_raw_context(const RawTlsOptions& options);
RawTlsOptions raw_options_from(const DeviceBundle& bundle);

/// Connects to 127.0.0.1:port, does the TLS handshake (unless `plain_tcp`), writes `bytes`
/// verbatim, then reads frames until `want_frames` arrived, the server closed, or `timeout`.
RawOutcome raw_exchange(std::uint16_t port, boost::asio::ssl::context* tls, const std::string& bytes,
                        std::size_t want_frames, std::chrono::milliseconds timeout);

/// Starts a server on 127.0.0.1, any port. Fails the test (ADD_FAILURE) and returns null if
/// it cannot.
std::unique_ptr<Server> start_server(const ServerCredentials& credentials, DeviceAuthorizer& authorizer,
                                     FrameHandler& handler, ServerOptions options);

/// A frame header announcing `size` bytes.
std::string frame_header(std::uint32_t size);

/// A client for the server under test on loopback, retrying quickly so tests stay short.
ClientOptions client_options(std::uint16_t port);

}  // namespace bcma::transport::testing
