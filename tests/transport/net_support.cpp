#include "net_support.hpp"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "bcma/transport/frame_codec.hpp"

namespace bcma::transport::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

void RecordingHandler::on_connect(const Session& session) {
  {
    std::lock_guard lock(mutex_);
    connects_.push_back(session);
  }
  changed_.notify_all();
}

void RecordingHandler::on_frame(const Session&, std::string payload, Reply reply) {
  {
    std::lock_guard lock(mutex_);
    frames_.push_back(payload);
    if (hold_replies.load()) {
      held_.emplace_back(std::move(payload), std::move(reply));
    }
  }
  if (!hold_replies.load()) {
    reply.send("echo:" + payload);
    reply.finish();
  }
  changed_.notify_all();
}

void RecordingHandler::on_close(const Session& session, CloseReason reason) {
  {
    std::lock_guard lock(mutex_);
    closes_.push_back({session.device.device_id, reason});
  }
  changed_.notify_all();
}

std::string RecordingHandler::on_framing_error(const Session&, CloseReason reason, std::string_view) {
  return "error:" + std::string(to_string(reason));
}

void RecordingHandler::answer_held() {
  std::vector<std::pair<std::string, Reply>> held;
  {
    std::lock_guard lock(mutex_);
    held.swap(held_);
  }
  for (auto& [payload, reply] : held) {
    reply.send("echo:" + payload);
    reply.finish();
  }
}

bool RecordingHandler::wait(const std::function<bool()>& pred) {
  // `pred` uses the locking accessors, so it runs unlocked; the short wait bounds a missed
  // notification between the check and the wait.
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 20ms);
  }
  return true;
}

std::vector<Session> RecordingHandler::connects() const {
  std::lock_guard lock(mutex_);
  return connects_;
}
std::vector<std::string> RecordingHandler::frames() const {
  std::lock_guard lock(mutex_);
  return frames_;
}
std::vector<RecordingHandler::Closed> RecordingHandler::closes() const {
  std::lock_guard lock(mutex_);
  return closes_;
}
std::size_t RecordingHandler::held() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

std::function<void(const ServerEvent&)> EventLog::sink() {
  return [this](const ServerEvent& e) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(e);
    }
    changed_.notify_all();
  };
}

std::optional<ServerEvent> EventLog::wait_for(ServerEvent::Kind kind, const std::string& device_id) {
  std::unique_lock lock(mutex_);
  std::optional<ServerEvent> found;
  changed_.wait_for(lock, kPatience, [&] {
    for (const auto& e : events_) {
      if (e.kind == kind && (device_id.empty() || e.device_id == device_id)) {
        found = e;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::vector<ServerEvent> EventLog::all() const {
  std::lock_guard lock(mutex_);
  return events_;
}

IoThread::IoThread() : guard_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}

IoThread::~IoThread() {
  guard_.reset();
  io_.stop();
  thread_.join();
}

std::unique_ptr<asio::ssl::context> make_raw_context(const RawTlsOptions& options) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX* h = ctx->native_handle();
  SSL_CTX_set_min_proto_version(h, options.tls12_only ? TLS1_2_VERSION : TLS1_3_VERSION);
  SSL_CTX_set_max_proto_version(h, options.tls12_only ? TLS1_2_VERSION : TLS1_3_VERSION);
  ctx->add_certificate_authority(asio::buffer(options.ca_pem));
  ctx->set_verify_mode(asio::ssl::verify_peer);
  if (!options.cert_pem.empty()) {
    ctx->use_certificate_chain(asio::buffer(options.cert_pem));
    ctx->use_private_key(asio::buffer(options.key_pem), asio::ssl::context::pem);
  }
  return ctx;
}

RawTlsOptions raw_options_from(const DeviceBundle& bundle) {
  return RawTlsOptions{bundle.ca_cert_pem, bundle.device_cert_pem, bundle.device_key_pem, false};
}

RawOutcome raw_exchange(std::uint16_t port, asio::ssl::context* tls, const std::string& bytes,
                        std::size_t want_frames, std::chrono::milliseconds timeout) {
  asio::io_context io;
  RawOutcome out;
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  FrameDecoder decoder(kAbsoluteMaxFrameSize);
  std::array<char, 16384> buffer{};

  if (tls == nullptr) {
    tcp::socket socket(io);
    std::function<void()> read_loop = [&] {
      socket.async_read_some(asio::buffer(buffer), [&](const boost::system::error_code& ec, std::size_t) {
        if (ec) {
          out.closed_by_server = true;
          out.read_error = ec.message();
          return;
        }
        read_loop();
      });
    };
    socket.async_connect(endpoint, [&](const boost::system::error_code& ec) {
      if (ec) return;
      out.tcp_connected = true;
      if (!bytes.empty()) asio::write(socket, asio::buffer(bytes));
      read_loop();
    });
    io.run_for(timeout);
    return out;
  }

  asio::ssl::stream<tcp::socket> stream(io, *tls);
  std::function<void()> read_loop = [&] {
    stream.async_read_some(asio::buffer(buffer), [&](const boost::system::error_code& ec, std::size_t n) {
      if (ec) {
        out.closed_by_server = true;
        out.read_error = ec.message();
        return;
      }
      std::vector<std::string> frames;
      (void)decoder.feed(std::string_view(buffer.data(), n), frames);
      for (auto& f : frames) out.frames.push_back(std::move(f));
      if (out.frames.size() >= want_frames && want_frames > 0) {
        io.stop();
        return;
      }
      read_loop();
    });
  };
  stream.next_layer().async_connect(endpoint, [&](const boost::system::error_code& ec) {
    if (ec) return;
    out.tcp_connected = true;
    stream.async_handshake(asio::ssl::stream_base::client, [&](const boost::system::error_code& e) {
      if (e) {
        out.handshake_error = e.message();
        return;
      }
      out.handshake_ok = true;
      asio::async_write(stream, asio::buffer(bytes), [&](const boost::system::error_code& we, std::size_t) {
        if (we) {
          out.closed_by_server = true;
          out.read_error = we.message();
          return;
        }
        read_loop();
      });
    });
  });
  io.run_for(timeout);
  return out;
}

std::unique_ptr<Server> start_server(const ServerCredentials& credentials, DeviceAuthorizer& authorizer,
                                     FrameHandler& handler, ServerOptions options) {
  options.address = "127.0.0.1";
  auto server = Server::create(credentials, authorizer, handler, std::move(options));
  if (!server) {
    ADD_FAILURE() << "server create failed: " << server.error().message;
    return nullptr;
  }
  if (auto started = (*server)->start(); !started) {
    ADD_FAILURE() << "server start failed: " << started.error().message;
    return nullptr;
  }
  return std::move(*server);
}

std::string frame_header(std::uint32_t size) {
  std::string h(4, '\0');
  h[0] = static_cast<char>((size >> 24) & 0xFFu);
  h[1] = static_cast<char>((size >> 16) & 0xFFu);
  h[2] = static_cast<char>((size >> 8) & 0xFFu);
  h[3] = static_cast<char>(size & 0xFFu);
  return h;
}

ClientOptions client_options(std::uint16_t port) {
  ClientOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.connect_timeout = 5s;
  o.retry_initial = 50ms;
  o.retry_max = 200ms;
  return o;
}

}  // namespace bcma::transport::testing
