#include "connection.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "bcma/transport/openssl_util.hpp"
#include "connection_manager.hpp"
#include "tls_context.hpp"

namespace bcma::transport::detail {

namespace {

// Far enough ahead to mean "no deadline" without risking overflow inside the timer.
constexpr std::chrono::hours kNoDeadline{24};

std::string endpoint_text(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

/// The Reply's view of a connection. Holds it weakly: a Reply kept by a slow handler must not
/// keep a closed connection (and its socket) alive.
class FrameReply final : public ReplySink {
 public:
  explicit FrameReply(std::weak_ptr<Connection> connection) : connection_(std::move(connection)) {}
  bool send(std::string payload) override {
    auto c = connection_.lock();
    return c != nullptr && c->queue_response(std::move(payload));
  }
  void finish(bool close_after) override {
    if (auto c = connection_.lock()) c->finish_frame(close_after);
  }

 private:
  std::weak_ptr<Connection> connection_;
};

}  // namespace

Connection::Connection(tcp::socket socket, ServerShared& shared, std::uint64_t id)
    : shared_(shared),
      stream_(std::move(socket), shared.tls),
      timer_(stream_.get_executor()),
      decoder_(shared.options.max_frame_size),
      started_(Clock::now()) {
  session_.id = id;
  session_.remote = endpoint_text(stream_.next_layer());
}

void Connection::start() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->stream_.set_verify_callback(
        [raw = self.get()](bool preverified, asio::ssl::verify_context& ctx) {
          return raw->verify_peer(preverified, ctx);
        },
        ec);
    if (ec) {
      self->shared_.emit(self->event(ServerEvent::Kind::handshake_failed, describe(ec)));
      self->finish_close();
      return;
    }
    self->arm_timer();
    self->stream_.async_handshake(asio::ssl::stream_base::server,
                                  [self](const boost::system::error_code& e) { self->on_handshake(e); });
  });
}

// Runs inside OpenSSL's certificate verification, once per certificate in the chain.
bool Connection::verify_peer(bool preverified, asio::ssl::verify_context& ctx) {
  X509_STORE_CTX* store = ctx.native_handle();
  if (claimed_device_id_.empty()) {
    if (const X509* leaf = X509_STORE_CTX_get0_cert(store)) {
      if (auto der = ossl::to_der(*leaf)) {
        if (auto info = inspect_certificate_der(*der)) claimed_device_id_ = info->device_id;
      }
    }
  }
  if (!preverified) {
    if (verify_error_.empty()) {
      verify_error_ = std::string("certificate not issued by this station: ") +
                      X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
    }
    return false;
  }
  if (X509_STORE_CTX_get_error_depth(store) != 0) return true;

  const X509* cert = X509_STORE_CTX_get_current_cert(store);
  auto der = cert != nullptr ? ossl::to_der(*cert) : Result<std::string>("");
  if (!der || der->empty()) {
    refusal_ = Refusal{RefusalKind::malformed, claimed_device_id_,
                       der ? std::string("no client certificate") : der.error().message};
  } else {
    try {
      auto verdict = shared_.authorizer.authorize(*der);
      if (verdict) {
        identity_ = std::move(verdict).value();
        return true;
      }
      refusal_ = std::move(verdict).error();
    } catch (const std::exception& e) {
      // An exception must not unwind through OpenSSL's C frames.
      refusal_ = Refusal{RefusalKind::malformed, claimed_device_id_,
                         std::string("device registry failed: ") + e.what()};
    }
  }
  X509_STORE_CTX_set_error(store, refusal_->kind == RefusalKind::revoked ? X509_V_ERR_CERT_REVOKED
                                                                         : X509_V_ERR_CERT_REJECTED);
  return false;
}

void Connection::on_handshake(const boost::system::error_code& ec) {
  if (phase_ != Phase::handshaking) return;  // timed out or drained meanwhile
  if (ec || !identity_) {
    if (refusal_) {
      auto e = event(ServerEvent::Kind::handshake_refused,
                     std::string(to_string(refusal_->kind)) + ": " + refusal_->reason);
      e.device_id = refusal_->device_id.empty() ? claimed_device_id_ : refusal_->device_id;
      shared_.emit(e);
    } else if (!verify_error_.empty()) {
      auto e = event(ServerEvent::Kind::handshake_refused, verify_error_);
      e.device_id = claimed_device_id_;
      shared_.emit(e);
    } else {
      shared_.emit(event(ServerEvent::Kind::handshake_failed,
                         ec ? describe(ec) : std::string("no device identity")));
    }
    finish_close();
    return;
  }
  session_.device = *identity_;
  {
    std::lock_guard lock(id_mutex_);
    device_id_ = identity_->device_id;
  }
  phase_ = Phase::open;
  last_frame_ = Clock::now();
  connected_ = true;
  shared_.emit(event(ServerEvent::Kind::connected, {}));
  try {
    shared_.handler.on_connect(session_);
  } catch (const std::exception& e) {
    close_detail_ = std::string("handler failed in on_connect: ") + e.what();
    close_reason_ = CloseReason::handler_closed;
    finish_close();
    return;
  }
  reevaluate_timer();
  do_read();
}

bool Connection::read_paused() const {
  return phase_ == Phase::open && in_flight_ >= shared_.options.max_in_flight;
}

void Connection::do_read() {
  if (reading_ || phase_ == Phase::closed || phase_ == Phase::handshaking || read_paused()) return;
  reading_ = true;
  stream_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            self->on_read(ec, n);
                          });
}

void Connection::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (phase_ == Phase::closed) return;
  if (ec) {
    // In any phase a read error ends the connection: nothing more can be delivered.
    if (phase_ == Phase::open) close_reason_ = CloseReason::peer_closed;
    finish_close();
    return;
  }
  if (phase_ == Phase::open) {
    std::vector<std::string> frames;
    auto fed = decoder_.feed(std::string_view(read_buffer_.data(), n), frames);
    handle_frames(frames);
    if (!fed) {
      // The stream has no trustworthy frame boundary any more: nothing after this point is
      // handled. Frames before it were, and their responses are still written before the close.
      close_detail_ = fed.error().message;
      const CloseReason reason = fed.error().code == Errc::frame_too_large ? CloseReason::frame_too_large
                                                                           : CloseReason::malformed_frame;
      try {
        if (auto last = shared_.handler.on_framing_error(session_, reason, close_detail_); !last.empty()) {
          if (auto frame = encode_frame(last, shared_.options.max_frame_size)) farewell_ = std::move(*frame);
        }
      } catch (const std::exception& e) {
        close_detail_ += std::string("; handler failed in on_framing_error: ") + e.what();
      }
      begin_close(reason);
      return;
    }
  }
  // While closing, incoming bytes are read and discarded so that the peer's close is seen.
  do_read();
}

void Connection::handle_frames(std::vector<std::string>& frames) {
  for (auto& frame : frames) {
    if (phase_ != Phase::open) return;  // the handler may have closed us
    last_frame_ = Clock::now();
    ++in_flight_;
    try {
      shared_.handler.on_frame(session_, std::move(frame),
                               Reply(std::make_shared<FrameReply>(weak_from_this())));
    } catch (const std::exception& e) {
      close_detail_ = std::string("handler failed in on_frame: ") + e.what();
      begin_close(CloseReason::handler_closed);
      return;
    }
  }
}

bool Connection::queue_response(std::string payload) {
  if (closed_.load()) return false;
  auto frame = encode_frame(payload, shared_.options.max_frame_size);
  if (!frame) return false;
  asio::post(stream_.get_executor(), [self = shared_from_this(), f = std::move(*frame)]() mutable {
    self->enqueue(std::move(f));
  });
  return true;
}

void Connection::finish_frame(bool close_after) {
  asio::post(stream_.get_executor(), [self = shared_from_this(), close_after] {
    if (self->in_flight_ > 0) --self->in_flight_;
    if (self->phase_ == Phase::closed) return;
    if (close_after) self->begin_close(CloseReason::handler_closed);
    self->do_read();  // resumes if back-pressure had paused reading
    self->maybe_shutdown();
    self->reevaluate_timer();
  });
}

void Connection::enqueue(std::string frame) {
  if (phase_ != Phase::open && phase_ != Phase::closing) return;
  write_queue_.push_back(std::move(frame));
  do_write();
}

void Connection::do_write() {
  // One write in flight per stream: an SSL stream must never see two.
  if (writing_ || write_queue_.empty() || phase_ == Phase::closed) return;
  writing_ = true;
  asio::async_write(stream_, asio::buffer(write_queue_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->on_write(ec);
                    });
}

void Connection::on_write(const boost::system::error_code& ec) {
  writing_ = false;
  if (phase_ == Phase::closed) return;
  if (ec) {
    if (phase_ == Phase::open) close_reason_ = CloseReason::peer_closed;
    finish_close();
    return;
  }
  write_queue_.pop_front();
  do_write();
  maybe_shutdown();
}

void Connection::drain(CloseReason reason) {
  asio::post(stream_.get_executor(), [self = shared_from_this(), reason] { self->begin_close(reason); });
}

void Connection::begin_close(CloseReason reason) {
  if (phase_ == Phase::handshaking) {
    finish_close();  // nothing to flush yet
    return;
  }
  if (phase_ != Phase::open) return;
  phase_ = Phase::closing;
  close_reason_ = reason;
  drain_deadline_ = Clock::now() + shared_.options.drain_timeout;
  do_read();
  maybe_shutdown();
  reevaluate_timer();
}

void Connection::maybe_shutdown() {
  if (phase_ != Phase::closing || in_flight_ > 0 || writing_ || !write_queue_.empty()) return;
  if (!farewell_.empty()) {
    // Last of all, after every earlier response.
    write_queue_.push_back(std::exchange(farewell_, std::string()));
    do_write();
    return;
  }
  // Everything is written: send FIN after it. The peer reads every response, then sees the
  // end of the stream; we wait (linger) for its close so our close cannot reset the
  // connection and destroy responses still in its receive buffer.
  boost::system::error_code ignored;
  stream_.next_layer().shutdown(tcp::socket::shutdown_send, ignored);
  phase_ = Phase::shutdown_sent;
  linger_deadline_ = Clock::now() + shared_.options.linger_timeout;
  reevaluate_timer();
}

void Connection::finish_close() {
  if (phase_ == Phase::closed) return;
  phase_ = Phase::closed;
  closed_.store(true);
  boost::system::error_code ignored;
  timer_.cancel();
  stream_.next_layer().close(ignored);
  write_queue_.clear();
  auto self = shared_from_this();
  shared_.manager.remove(self);
  if (connected_) {
    connected_ = false;
    std::string detail(to_string(close_reason_));
    if (!close_detail_.empty()) detail += ": " + close_detail_;
    shared_.emit(event(ServerEvent::Kind::closed, std::move(detail)));
    try {
      shared_.handler.on_close(session_, close_reason_);
    } catch (const std::exception& e) {
      shared_.emit(event(ServerEvent::Kind::closed, std::string("handler failed in on_close: ") + e.what()));
    }
  }
}

// One timer per connection. Only on_timer() (and start) arms it; anything that moves a
// deadline cancels it, and on_timer re-arms for the current deadline.
void Connection::arm_timer() {
  timer_.expires_at(current_deadline());
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) { self->on_timer(); });
}

void Connection::reevaluate_timer() { timer_.cancel(); }

Connection::Clock::time_point Connection::current_deadline() const {
  const auto now = Clock::now();
  switch (phase_) {
    case Phase::handshaking:
      return started_ + shared_.options.handshake_timeout;
    case Phase::open:
      // Idle means the peer sent nothing; a busy handler or a pending write is our own doing.
      if (shared_.options.idle_timeout.count() <= 0) return now + kNoDeadline;
      if (in_flight_ > 0 || writing_) return now + shared_.options.idle_timeout;
      return last_frame_ + shared_.options.idle_timeout;
    case Phase::closing:
      return drain_deadline_;
    case Phase::shutdown_sent:
      return linger_deadline_;
    case Phase::closed:
      break;
  }
  return now + kNoDeadline;
}

void Connection::on_timer() {
  if (phase_ == Phase::closed) return;
  if (Clock::now() < current_deadline()) {
    arm_timer();
    return;
  }
  switch (phase_) {
    case Phase::handshaking:
      shared_.emit(event(ServerEvent::Kind::handshake_failed, "handshake timed out"));
      finish_close();
      return;
    case Phase::open:
      close_reason_ = CloseReason::idle_timeout;
      finish_close();  // the peer is presumed gone: nothing to flush, nobody to linger for
      return;
    case Phase::closing:  // drain timeout: in-flight responses did not come in time
    case Phase::shutdown_sent:  // the peer did not close after our FIN
    case Phase::closed:
      finish_close();
      return;
  }
}

std::string Connection::device_id() const {
  std::lock_guard lock(id_mutex_);
  return device_id_;
}

ServerEvent Connection::event(ServerEvent::Kind kind, std::string detail) const {
  ServerEvent e{kind, session_.id, session_.remote, session_.device.device_id, std::move(detail)};
  return e;
}

}  // namespace bcma::transport::detail
