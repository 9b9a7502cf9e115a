#include "bcma/transport/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "connection.hpp"
#include "connection_manager.hpp"
#include "tls_context.hpp"

namespace bcma::transport {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string_view to_string(ServerEvent::Kind kind) {
  switch (kind) {
    case ServerEvent::Kind::listening: return "listening";
    case ServerEvent::Kind::handshake_refused: return "handshake_refused";
    case ServerEvent::Kind::handshake_failed: return "handshake_failed";
    case ServerEvent::Kind::connected: return "connected";
    case ServerEvent::Kind::closed: return "closed";
    case ServerEvent::Kind::stopping: return "stopping";
    case ServerEvent::Kind::stopped: return "stopped";
    case ServerEvent::Kind::error: return "error";
  }
  return "unknown";
}

std::string format_event(const ServerEvent& e) {
  std::string line = "bcma-transport: ";
  line += to_string(e.kind);
  if (e.session_id != 0) line += " session=" + std::to_string(e.session_id);
  if (!e.device_id.empty()) line += " device=" + e.device_id;
  if (!e.remote.empty()) line += " remote=" + e.remote;
  if (!e.detail.empty()) line += " " + e.detail;
  return line;
}

namespace {

std::size_t pool_size(std::size_t requested) {
  if (requested != 0) return requested;
  return std::max<std::size_t>(2, std::thread::hardware_concurrency());
}

}  // namespace

class Server::Impl {
 public:
  Impl(std::unique_ptr<asio::ssl::context> tls, DeviceAuthorizer& authorizer, FrameHandler& handler,
       ServerOptions options)
      : options_(std::move(options)),
        threads_wanted_(pool_size(options_.threads)),
        io_(static_cast<int>(threads_wanted_)),
        tls_(std::move(tls)),
        acceptor_(asio::make_strand(io_)),
        retry_timer_(acceptor_.get_executor()),
        shared_{*tls_, authorizer, handler, options_, manager_,
                [this](const ServerEvent& e) { emit(e); }} {}

  Result<void> bind() {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options_.address, ec);
    if (ec) return fail(Errc::bind_failed, "invalid listen address '" + options_.address + "'");
    const tcp::endpoint endpoint(address, options_.port);
    const std::string where = options_.address + ":" + std::to_string(options_.port);
    if (acceptor_.open(endpoint.protocol(), ec); ec) {
      return fail(Errc::bind_failed, "cannot open socket for " + where + ": " + ec.message());
    }
    // Lets the station restart at once while old connections sit in TIME_WAIT.
    if (acceptor_.set_option(tcp::acceptor::reuse_address(true), ec); ec) {
      return fail(Errc::bind_failed, "cannot set SO_REUSEADDR: " + ec.message());
    }
    if (acceptor_.bind(endpoint, ec); ec) {
      return fail(Errc::bind_failed, "cannot bind " + where + ": " + ec.message());
    }
    if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) {
      return fail(Errc::bind_failed, "cannot listen on " + where + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint(ec).port();
    return {};
  }

  Result<void> start() {
    std::lock_guard lock(state_mutex_);
    if (stop_requested_ || started_) return fail(Errc::stopped, "server already started or stopped");
    started_ = true;
    emit(ServerEvent{ServerEvent::Kind::listening, 0, {}, {},
                     options_.address + ":" + std::to_string(port_)});
    asio::post(acceptor_.get_executor(), [this] { do_accept(); });
    threads_.reserve(threads_wanted_);
    for (std::size_t i = 0; i < threads_wanted_; ++i) {
      threads_.emplace_back([this] { run(); });
    }
    return {};
  }

  void stop() {
    {
      std::lock_guard lock(state_mutex_);
      if (stop_requested_) return;
      stop_requested_ = true;
    }
    emit(ServerEvent{ServerEvent::Kind::stopping, 0, {}, {}, {}});
    // On the acceptor's strand, after which no accept can add a connection that the drain
    // would miss.
    asio::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      retry_timer_.cancel();
      manager_.drain_all(CloseReason::server_stopping);
    });
  }

  void join() {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(state_mutex_);
      threads.swap(threads_);
    }
    if (threads.empty()) return;
    for (auto& t : threads) t.join();
    emit(ServerEvent{ServerEvent::Kind::stopped, 0, {}, {}, {}});
  }

  std::uint16_t port() const { return port_; }
  std::size_t disconnect_device(std::string_view id) {
    return manager_.drain_device(id, CloseReason::device_disconnected);
  }
  std::size_t connection_count() const { return manager_.size(); }

 private:
  void run() {
    // The pool runs until stop() leaves no work: no acceptor, no connections, no timers.
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        emit(ServerEvent{ServerEvent::Kind::error, 0, {}, {},
                         std::string("unexpected exception on a server thread: ") + e.what()});
      }
    }
  }

  void do_accept() {
    acceptor_.async_accept(asio::make_strand(io_), [this](const boost::system::error_code& ec,
                                                          tcp::socket socket) {
      if (!acceptor_.is_open()) return;
      if (ec) {
        // E.g. out of file descriptors: back off briefly instead of spinning.
        emit(ServerEvent{ServerEvent::Kind::error, 0, {}, {}, "accept failed: " + ec.message()});
        retry_timer_.expires_after(std::chrono::milliseconds(100));
        retry_timer_.async_wait([this](const boost::system::error_code& e) {
          if (!e && acceptor_.is_open()) do_accept();
        });
        return;
      }
      if (manager_.size() >= options_.max_connections) {
        boost::system::error_code ignored;
        const auto ep = socket.remote_endpoint(ignored);
        emit(ServerEvent{ServerEvent::Kind::error, 0,
                         ep.address().to_string() + ":" + std::to_string(ep.port()), {},
                         "too many connections (" + std::to_string(options_.max_connections) + ")"});
        socket.close(ignored);
      } else {
        manager_.start(std::make_shared<detail::Connection>(std::move(socket), shared_, ++next_id_));
      }
      do_accept();
    });
  }

  void emit(const ServerEvent& e) {
    if (options_.on_event) {
      try {
        options_.on_event(e);
      } catch (...) {
        // A logging failure must not take a connection down.
      }
      return;
    }
    static std::mutex stderr_mutex;
    std::lock_guard lock(stderr_mutex);
    std::cerr << format_event(e) << '\n';
  }

  ServerOptions options_;
  std::size_t threads_wanted_;
  asio::io_context io_;
  std::unique_ptr<asio::ssl::context> tls_;
  detail::ConnectionManager manager_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  detail::ServerShared shared_;
  std::uint16_t port_ = 0;
  std::uint64_t next_id_ = 0;  // touched only on the acceptor's strand

  std::mutex state_mutex_;
  bool started_ = false;
  bool stop_requested_ = false;
  std::vector<std::thread> threads_;
};

Result<std::unique_ptr<Server>> Server::create(const ServerCredentials& credentials,
                                               DeviceAuthorizer& authorizer, FrameHandler& handler,
                                               ServerOptions options) {
  auto tls = detail::make_server_context(credentials);
  if (!tls) return Unexpected(std::move(tls).error());
  auto impl = std::make_unique<Impl>(std::move(*tls), authorizer, handler, std::move(options));
  if (auto bound = impl->bind(); !bound) return Unexpected(std::move(bound).error());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  stop();
  join();
}

std::uint16_t Server::port() const { return impl_->port(); }
Result<void> Server::start() { return impl_->start(); }
void Server::stop() { impl_->stop(); }
void Server::join() { impl_->join(); }
std::size_t Server::disconnect_device(std::string_view device_id) {
  return impl_->disconnect_device(device_id);
}
std::size_t Server::connection_count() const { return impl_->connection_count(); }

}  // namespace bcma::transport
