#include "bcma/transport/client_link.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>

#include "tls_context.hpp"

namespace bcma::transport {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string_view to_string(LinkState state) {
  switch (state) {
    case LinkState::idle: return "idle";
    case LinkState::connecting: return "connecting";
    case LinkState::connected: return "connected";
    case LinkState::waiting_to_retry: return "waiting_to_retry";
    case LinkState::refused: return "refused";
    case LinkState::stopped: return "stopped";
  }
  return "unknown";
}

namespace {

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

class ClientLink::Impl : public std::enable_shared_from_this<ClientLink::Impl> {
 public:
  using Strand = asio::strand<asio::io_context::executor_type>;

  /// One connection attempt and, if it succeeds, the connection. A fresh one per attempt: an
  /// SSL stream cannot be reused after it failed.
  struct Conn {
    Conn(const Strand& strand, asio::ssl::context& tls, std::size_t max_frame)
        : stream(strand, tls), decoder(max_frame) {}
    asio::ssl::stream<tcp::socket> stream;
    FrameDecoder decoder;
    std::array<char, 16 * 1024> buffer{};
    std::deque<std::string> writes;
    bool writing = false;
    bool established = false;
    bool timed_out = false;
    Clock::time_point last_rx;
    Clock::time_point last_tx;
  };

  Impl(asio::io_context& io, std::unique_ptr<asio::ssl::context> tls, std::string station_name,
       ClientOptions options, std::string heartbeat_frame)
      : strand_(asio::make_strand(io)),
        tls_(std::move(tls)),
        station_name_(std::move(station_name)),
        options_(std::move(options)),
        heartbeat_frame_(std::move(heartbeat_frame)),
        resolver_(strand_),
        connect_timer_(strand_),
        retry_timer_(strand_),
        watch_timer_(strand_),
        rng_(std::random_device{}()) {}

  void start() {
    if (stopped_.load()) return;
    asio::post(strand_, [self = shared_from_this()] {
      if (self->stopped_.load()) return;
      const LinkState s = self->state();
      if (s == LinkState::idle || s == LinkState::refused) {
        self->attempts_ = 0;
        self->connect();
      }
    });
  }

  void stop() {
    {
      // Waits for a running callback to return (unless it is this thread's: recursive).
      std::lock_guard lock(callback_mutex_);
      callbacks_enabled_ = false;
    }
    if (stopped_.exchange(true)) return;
    {
      std::lock_guard lock(state_mutex_);
      state_ = LinkState::stopped;
    }
    state_changed_.notify_all();
    asio::post(strand_, [self = shared_from_this()] {
      self->drop_connection();
      boost::system::error_code ignored;
      self->retry_timer_.cancel();
      self->resolver_.cancel();
    });
  }

  Result<void> send(std::string payload) {
    if (stopped_.load()) return fail(Errc::stopped, "link stopped");
    auto frame = encode_frame(payload, options_.max_frame_size);
    if (!frame) return Unexpected(std::move(frame).error());
    if (state() != LinkState::connected) {
      return fail(Errc::not_connected, "not connected to the station (" + std::string(to_string(state())) + ")");
    }
    asio::post(strand_, [self = shared_from_this(), f = std::move(*frame)]() mutable {
      if (self->conn_ && self->conn_->established) self->enqueue(self->conn_, std::move(f));
    });
    return {};
  }

  Result<std::string> receive(std::chrono::milliseconds timeout) {
    std::unique_lock lock(state_mutex_);
    state_changed_.wait_for(lock, timeout, [&] { return !inbox_.empty() || stopped_.load(); });
    if (!inbox_.empty()) {
      std::string frame = std::move(inbox_.front());
      inbox_.pop_front();
      return frame;
    }
    if (stopped_.load()) return fail(Errc::stopped, "link stopped");
    return fail(Errc::timeout, "no frame within " + ms_text(timeout));
  }

  LinkState state() const {
    std::lock_guard lock(state_mutex_);
    return state_;
  }

  bool wait_for(LinkState wanted, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_mutex_);
    return state_changed_.wait_for(lock, timeout, [&] { return state_ == wanted; });
  }

  std::optional<TransportError> last_error() const {
    std::lock_guard lock(state_mutex_);
    return last_error_;
  }

  std::uint64_t connections_established() const { return established_.load(); }

 private:
  // Everything below runs on strand_.

  void connect() {
    if (stopped_.load()) return;
    auto c = std::make_shared<Conn>(strand_, *tls_, options_.max_frame_size);
    conn_ = c;
    set_state(LinkState::connecting, nullptr);
    if (auto named = detail::set_expected_station_name(c->stream.native_handle(), station_name_); !named) {
      failed(c, named.error());
      return;
    }
    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([self = shared_from_this(), c](const boost::system::error_code& ec) {
      if (ec || c != self->conn_ || c->established) return;
      c->timed_out = true;
      boost::system::error_code ignored;
      self->resolver_.cancel();
      c->stream.next_layer().close(ignored);
    });
    resolver_.async_resolve(
        options_.host, std::to_string(options_.port),
        [self = shared_from_this(), c](const boost::system::error_code& ec, tcp::resolver::results_type results) {
          if (c != self->conn_) return;
          if (ec) {
            self->failed(c, self->attempt_error(c, ec, "cannot resolve " + self->options_.host));
            return;
          }
          asio::async_connect(c->stream.next_layer(), results,
                              [self, c](const boost::system::error_code& e, const tcp::endpoint&) {
                                self->on_connect(c, e);
                              });
        });
  }

  void on_connect(const std::shared_ptr<Conn>& c, const boost::system::error_code& ec) {
    if (c != conn_) return;
    if (ec) {
      failed(c, attempt_error(c, ec, "cannot connect to " + where()));
      return;
    }
    boost::system::error_code ignored;
    c->stream.next_layer().set_option(tcp::no_delay(true), ignored);
    c->stream.async_handshake(asio::ssl::stream_base::client,
                              [self = shared_from_this(), c](const boost::system::error_code& e) {
                                self->on_handshake(c, e);
                              });
  }

  void on_handshake(const std::shared_ptr<Conn>& c, const boost::system::error_code& ec) {
    if (c != conn_) return;
    if (ec) {
      if (detail::is_verification_failure(ec)) {
        const long result = SSL_get_verify_result(c->stream.native_handle());
        failed(c, TransportError{Errc::station_untrusted,
                                 "the station at " + where() + " failed verification as '" +
                                     station_name_ + "': " + X509_verify_cert_error_string(result)});
      } else if (detail::is_certificate_refusal(ec)) {
        failed(c, refusal_error(ec));
      } else {
        failed(c, attempt_error(c, ec, "TLS handshake with " + where() + " failed"));
      }
      return;
    }
    connect_timer_.cancel();
    c->established = true;
    c->last_rx = c->last_tx = Clock::now();
    attempts_ = 0;
    established_.fetch_add(1);
    set_state(LinkState::connected, nullptr);
    do_read(c);
    arm_watch(c);
  }

  void do_read(const std::shared_ptr<Conn>& c) {
    c->stream.async_read_some(asio::buffer(c->buffer), [self = shared_from_this(), c](
                                                            const boost::system::error_code& ec, std::size_t n) {
      self->on_read(c, ec, n);
    });
  }

  void on_read(const std::shared_ptr<Conn>& c, const boost::system::error_code& ec, std::size_t n) {
    if (c != conn_) return;
    if (ec) {
      if (detail::is_certificate_refusal(ec)) {
        // TLS 1.3: the client's handshake ends before the station has judged our
        // certificate, so a refusal arrives as an alert on the first read.
        failed(c, refusal_error(ec));
      } else if (c->timed_out) {
        failed(c, TransportError{Errc::timeout, "nothing received from the station for " +
                                                    ms_text(options_.dead_after)});
      } else {
        failed(c, TransportError{Errc::connection_lost, "connection to the station lost: " + detail::describe(ec)});
      }
      return;
    }
    c->last_rx = Clock::now();
    std::vector<std::string> frames;
    auto fed = c->decoder.feed(std::string_view(c->buffer.data(), n), frames);
    for (auto& f : frames) deliver(std::move(f));
    if (c != conn_) return;  // a callback stopped the link
    if (!fed) {
      failed(c, TransportError{Errc::connection_lost, "station sent a bad frame: " + fed.error().message});
      return;
    }
    do_read(c);
  }

  void enqueue(const std::shared_ptr<Conn>& c, std::string frame) {
    c->writes.push_back(std::move(frame));
    c->last_tx = Clock::now();
    do_write(c);
  }

  void do_write(const std::shared_ptr<Conn>& c) {
    if (c->writing || c->writes.empty()) return;
    c->writing = true;
    asio::async_write(c->stream, asio::buffer(c->writes.front()),
                      [self = shared_from_this(), c](const boost::system::error_code& ec, std::size_t) {
                        c->writing = false;
                        if (c != self->conn_) return;
                        if (ec) {
                          self->failed(c, TransportError{Errc::connection_lost,
                                                         "cannot write to the station: " + detail::describe(ec)});
                          return;
                        }
                        c->writes.pop_front();
                        self->do_write(c);
                      });
  }

  // Heartbeats and dead-station detection share one timer.
  void arm_watch(const std::shared_ptr<Conn>& c) {
    const bool heartbeat = options_.heartbeat_interval.count() > 0 && !heartbeat_frame_.empty();
    const bool watch_dead = options_.dead_after.count() > 0;
    if (!heartbeat && !watch_dead) return;
    auto next = Clock::time_point::max();
    if (heartbeat) next = std::min(next, c->last_tx + options_.heartbeat_interval);
    if (watch_dead) next = std::min(next, c->last_rx + options_.dead_after);
    watch_timer_.expires_at(next);
    watch_timer_.async_wait([self = shared_from_this(), c, heartbeat, watch_dead](const boost::system::error_code& ec) {
      if (ec || c != self->conn_) return;
      const auto now = Clock::now();
      if (watch_dead && now >= c->last_rx + self->options_.dead_after) {
        c->timed_out = true;
        self->failed(c, TransportError{Errc::timeout, "nothing received from the station for " +
                                                          ms_text(self->options_.dead_after)});
        return;
      }
      if (heartbeat && now >= c->last_tx + self->options_.heartbeat_interval && c->writes.empty()) {
        self->enqueue(c, self->heartbeat_frame_);
      }
      self->arm_watch(c);
    });
  }

  void deliver(std::string frame) {
    if (options_.on_frame) {
      std::lock_guard lock(callback_mutex_);
      if (!callbacks_enabled_) return;
      try {
        options_.on_frame(std::move(frame));
      } catch (...) {
        // A throwing callback must not break the link's io thread.
      }
      return;
    }
    {
      std::lock_guard lock(state_mutex_);
      inbox_.push_back(std::move(frame));
    }
    state_changed_.notify_all();
  }

  TransportError attempt_error(const std::shared_ptr<Conn>& c, const boost::system::error_code& ec,
                               const std::string& what) const {
    if (c->timed_out) {
      return TransportError{Errc::timeout, what + ": no answer within " + ms_text(options_.connect_timeout)};
    }
    return TransportError{Errc::connect_failed, what + ": " + detail::describe(ec)};
  }

  TransportError refusal_error(const boost::system::error_code& ec) const {
    return TransportError{Errc::refused, "the station at " + where() +
                                             " refused this scanner's certificate (" +
                                             detail::describe(ec) + "); pair it again"};
  }

  std::string where() const { return options_.host + ":" + std::to_string(options_.port); }

  void drop_connection() {
    if (!conn_) return;
    boost::system::error_code ignored;
    conn_->stream.next_layer().close(ignored);
    conn_.reset();
    connect_timer_.cancel();
    watch_timer_.cancel();
  }

  void failed(const std::shared_ptr<Conn>& c, const TransportError& error) {
    if (c != conn_) return;
    drop_connection();
    if (stopped_.load()) return;
    if (error.code == Errc::refused) {
      set_state(LinkState::refused, &error);
      return;
    }
    set_state(LinkState::waiting_to_retry, &error);
    retry_timer_.expires_after(next_backoff());
    retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec && !self->stopped_.load() && self->state() == LinkState::waiting_to_retry) self->connect();
    });
  }

  // Exponential backoff with jitter (between half and all of the doubled delay), so that a
  // ward of scanners does not reconnect in lockstep after a station restart.
  std::chrono::milliseconds next_backoff() {
    const auto base = std::max<std::int64_t>(1, options_.retry_initial.count());
    const auto ceiling = std::max<std::int64_t>(base, options_.retry_max.count());
    std::int64_t d = base;
    for (unsigned i = 0; i < attempts_ && d < ceiling; ++i) d *= 2;
    d = std::min(d, ceiling);
    ++attempts_;
    std::uniform_int_distribution<std::int64_t> jitter(d / 2, d);
    return std::chrono::milliseconds(jitter(rng_));
  }

  void set_state(LinkState s, const TransportError* error) {
    {
      std::lock_guard lock(state_mutex_);
      if (stopped_.load()) return;
      state_ = s;
      if (error != nullptr) last_error_ = *error;
    }
    state_changed_.notify_all();
    if (options_.on_state) {
      std::lock_guard lock(callback_mutex_);
      if (!callbacks_enabled_) return;
      try {
        options_.on_state(s, error);
      } catch (...) {
        // As in deliver().
      }
    }
  }

  Strand strand_;
  std::unique_ptr<asio::ssl::context> tls_;
  std::string station_name_;
  ClientOptions options_;
  std::string heartbeat_frame_;
  tcp::resolver resolver_;
  asio::steady_timer connect_timer_;
  asio::steady_timer retry_timer_;
  asio::steady_timer watch_timer_;
  std::shared_ptr<Conn> conn_;
  unsigned attempts_ = 0;
  std::minstd_rand rng_;

  std::atomic<bool> stopped_{false};
  std::atomic<std::uint64_t> established_{0};
  std::recursive_mutex callback_mutex_;
  bool callbacks_enabled_ = true;  // guarded by callback_mutex_

  mutable std::mutex state_mutex_;
  mutable std::condition_variable state_changed_;
  LinkState state_ = LinkState::idle;
  std::optional<TransportError> last_error_;
  std::deque<std::string> inbox_;
};

Result<std::unique_ptr<ClientLink>> ClientLink::create(asio::io_context& io, const DeviceBundle& bundle,
                                                       ClientOptions options) {
  if (bundle.station_name.empty()) return fail(Errc::bad_bundle, "device bundle has no station name");
  auto tls = detail::make_client_context(bundle);
  if (!tls) return Unexpected(std::move(tls).error());
  std::string heartbeat;
  if (!options.heartbeat_payload.empty()) {
    auto frame = encode_frame(options.heartbeat_payload, options.max_frame_size);
    if (!frame) return Unexpected(std::move(frame).error());
    heartbeat = std::move(*frame);
  }
  auto impl = std::make_shared<Impl>(io, std::move(*tls), bundle.station_name, std::move(options),
                                     std::move(heartbeat));
  return std::unique_ptr<ClientLink>(new ClientLink(std::move(impl)));
}

ClientLink::ClientLink(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClientLink::~ClientLink() { impl_->stop(); }
void ClientLink::start() { impl_->start(); }
void ClientLink::stop() { impl_->stop(); }
Result<void> ClientLink::send(std::string payload) { return impl_->send(std::move(payload)); }
Result<std::string> ClientLink::receive(std::chrono::milliseconds timeout) { return impl_->receive(timeout); }
LinkState ClientLink::state() const { return impl_->state(); }
bool ClientLink::wait_for(LinkState state, std::chrono::milliseconds timeout) const {
  return impl_->wait_for(state, timeout);
}
std::optional<TransportError> ClientLink::last_error() const { return impl_->last_error(); }
std::uint64_t ClientLink::connections_established() const { return impl_->connections_established(); }

}  // namespace bcma::transport
