#include "bcma/station/web/server.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "bcma/station/store/store.hpp"

namespace bcma::station::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kBodyLimit = 64 * 1024;       // a sign-in form is tiny
constexpr auto kTimeout = std::chrono::seconds(30);  // a slow client cannot hold a socket

Request to_request(const http::request<http::string_body>& in, const std::string& remote) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  if (auto it = in.find(http::field::cookie); it != in.end()) r.cookie = std::string(it->value());
  if (auto it = in.find(http::field::content_type); it != in.end()) {
    r.content_type = std::string(it->value());
  }
  r.body = in.body();
  r.remote = remote;
  return r;
}

http::response<http::string_body> to_beast(Response&& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(r.status), version};
  out.set(http::field::server, "bcma-station");
  out.set(http::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) out.insert(k, v);
  out.body() = std::move(r.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket&& socket, asio::ssl::context& tls, Handler& handler)
      : stream_(std::move(socket), tls), handler_(handler) {
    boost::system::error_code ec;
    const auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      beast::get_lowest_layer(self->stream_).expires_after(kTimeout);
      self->stream_.async_handshake(asio::ssl::stream_base::server,
                                    [self](beast::error_code ec) {
                                      if (!ec) self->read();
                                    });
    });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    beast::get_lowest_layer(stream_).expires_after(kTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->close();
                       self->answer();
                     });
  }

  void answer() {
    const auto& req = parser_->get();
    Response r = handler_.handle(to_request(req, remote_));
    response_ = std::make_shared<http::response<http::string_body>>(
        to_beast(std::move(r), req.version(), req.keep_alive()));
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->close();
                        if (!self->response_->keep_alive()) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::get_lowest_layer(stream_).expires_after(kTimeout);
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      boost::system::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  Handler& handler_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  std::string remote_;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  domain::SystemClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Handler> handler;
  asio::io_context io{1};
  asio::ssl::context tls{asio::ssl::context::tls_server};
  tcp::acceptor acceptor{io};
  std::thread thread;
  std::atomic<bool> stopped{false};

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      } else {
        std::make_shared<Connection>(std::move(socket), tls, *handler)->start();
      }
      accept();
    });
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::stop() {
  if (!impl_ || impl_->stopped.exchange(true)) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    impl->io.stop();
  });
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<std::unique_ptr<Server>> Server::start(ServerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const ServerOptions& o = impl->options;
  std::error_code fs_ec;
  if (!std::filesystem::exists(o.database, fs_ec)) {
    return fail("database_missing", "no station database at " + o.database.string());
  }
  store::StoreOptions store_options;
  store_options.pin_cost = o.pin_cost;
  auto store = store::Store::open(o.database, impl->clock, store_options);
  if (!store) return Unexpected(store.error());
  impl->store = std::make_unique<store::Store>(std::move(*store));
  impl->handler = std::make_unique<Handler>(*impl->store, impl->clock, o.handler);

  try {
    SSL_CTX_set_min_proto_version(impl->tls.native_handle(), TLS1_2_VERSION);
    impl->tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                          asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                          asio::ssl::context::no_tlsv1_1);
    impl->tls.use_certificate_chain(asio::buffer(o.cert_pem));
    impl->tls.use_private_key(asio::buffer(o.key_pem), asio::ssl::context::pem);
  } catch (const boost::system::system_error& e) {
    return fail("bad_credentials", std::string("the web certificate or key is unusable: ") + e.what());
  }

  boost::system::error_code ec;
  const auto address = asio::ip::make_address(o.address, ec);
  if (ec) return fail("bind_failed", "not an IP address: " + o.address);
  const tcp::endpoint endpoint(address, o.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail("bind_failed", "cannot listen on " + o.address + ":" + std::to_string(o.port) +
                                   ": " + ec.message());
  }
  impl->accept();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

}  // namespace bcma::station::web
