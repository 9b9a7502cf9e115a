#include "bcma/fw/hal/tls_network_link.hpp"

#include <condition_variable>
#include <deque>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace bcma::fw::hal {

// The ClientLink cannot be restarted once stopped, so disabling destroys it and enabling makes
// a new one; the inbox and the epoch counter live here so that they span those lifetimes.
struct TlsNetworkLink::Impl {
  transport::DeviceBundle bundle;
  TlsLinkOptions options;
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread;

  mutable std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> inbox;
  std::uint64_t epoch = 0;
  LinkStatus status = LinkStatus::kDown;
  std::string last_error;
  bool enabled = false;
  std::unique_ptr<transport::ClientLink> link;  // guarded by `mutex` for replacement only

  Result<std::unique_ptr<transport::ClientLink>> make_link() {
    transport::ClientOptions o;
    o.host = options.host;
    o.port = options.port;
    o.connect_timeout = options.connect_timeout;
    o.retry_initial = options.retry_initial;
    o.retry_max = options.retry_max;
    o.heartbeat_interval = options.heartbeat_payload.empty() ? std::chrono::milliseconds(0)
                                                             : options.heartbeat_interval;
    o.heartbeat_payload = options.heartbeat_payload;
    o.dead_after = options.dead_after;
    o.on_frame = [this](std::string payload) {
      {
        const std::lock_guard lock(mutex);
        inbox.push_back(std::move(payload));
      }
      changed.notify_all();
    };
    o.on_state = [this](transport::LinkState s, const transport::TransportError* error) {
      {
        const std::lock_guard lock(mutex);
        switch (s) {
          case transport::LinkState::connected:
            ++epoch;
            status = LinkStatus::kUp;
            break;
          case transport::LinkState::connecting: status = LinkStatus::kConnecting; break;
          case transport::LinkState::refused: status = LinkStatus::kRefused; break;
          default: status = LinkStatus::kDown; break;
        }
        if (error != nullptr) {
          last_error = std::string(transport::to_string(error->code)) + ": " + error->message;
        }
      }
      changed.notify_all();
    };
    auto created = transport::ClientLink::create(io, bundle, std::move(o));
    if (!created) {
      return fail(Errc::invalid_argument, "cannot use the device bundle: " + created.error().message);
    }
    return std::move(*created);
  }
};

Result<std::unique_ptr<TlsNetworkLink>> TlsNetworkLink::create(transport::DeviceBundle bundle,
                                                               TlsLinkOptions options) {
  if (options.host.empty() || options.port == 0) {
    return fail(Errc::invalid_argument, "the station address needs a host and a port");
  }
  auto impl = std::make_unique<Impl>();
  impl->bundle = std::move(bundle);
  impl->options = std::move(options);
  auto probe = impl->make_link();  // checks the bundle before anything runs
  if (!probe) return Unexpected(std::move(probe).error());
  impl->link = std::move(*probe);
  impl->thread = std::thread([raw = impl.get()] { raw->io.run(); });
  impl->enabled = true;
  impl->link->start();
  return std::unique_ptr<TlsNetworkLink>(new TlsNetworkLink(std::move(impl)));
}

TlsNetworkLink::TlsNetworkLink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TlsNetworkLink::~TlsNetworkLink() {
  std::unique_ptr<transport::ClientLink> link;
  {
    const std::lock_guard lock(impl_->mutex);
    link = std::move(impl_->link);
  }
  link.reset();  // stops it: no callback runs after this
  impl_->work.reset();
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string TlsNetworkLink::last_error() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->last_error;
}

Result<void> TlsNetworkLink::DoSend(std::string payload) {
  transport::ClientLink* link = nullptr;
  {
    const std::lock_guard lock(impl_->mutex);
    if (!impl_->enabled || !impl_->link) return fail(Errc::unavailable, "the network link is disabled");
    link = impl_->link.get();
  }
  // The link is only replaced by DoSetEnabled, which the same (caller's) thread calls.
  auto sent = link->send(std::move(payload));
  if (sent) return {};
  switch (sent.error().code) {
    case transport::Errc::frame_empty:
    case transport::Errc::frame_too_large:
      return fail(Errc::invalid_argument, sent.error().message);
    case transport::Errc::stopped: return fail(Errc::unavailable, sent.error().message);
    default: return fail(Errc::not_connected, sent.error().message);
  }
}

Result<std::string> TlsNetworkLink::DoReceive(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  impl_->changed.wait_for(lock, timeout, [&] { return !impl_->inbox.empty(); });
  if (!impl_->inbox.empty()) {
    std::string frame = std::move(impl_->inbox.front());
    impl_->inbox.pop_front();
    return frame;
  }
  if (!impl_->enabled) return fail(Errc::unavailable, "the network link is disabled");
  return fail(Errc::timeout, "no frame from the station");
}

LinkStatus TlsNetworkLink::DoStatus() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->enabled ? impl_->status : LinkStatus::kDown;
}

std::uint64_t TlsNetworkLink::DoConnectionEpoch() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->epoch;
}

void TlsNetworkLink::DoSetEnabled(bool enabled) {
  std::unique_ptr<transport::ClientLink> old;
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->enabled == enabled) return;
    impl_->enabled = enabled;
    if (!enabled) {
      old = std::move(impl_->link);
      impl_->status = LinkStatus::kDown;
    }
  }
  if (old) {
    old.reset();  // stop() inside: after it no callback runs, so no stale frame arrives
    const std::lock_guard lock(impl_->mutex);
    impl_->inbox.clear();
    impl_->status = LinkStatus::kDown;
    return;
  }
  auto link = impl_->make_link();
  if (!link) {
    const std::lock_guard lock(impl_->mutex);
    impl_->last_error = link.error().message;
    impl_->enabled = false;
    return;
  }
  transport::ClientLink* raw = link->get();
  {
    const std::lock_guard lock(impl_->mutex);
    impl_->link = std::move(*link);
  }
  raw->start();
}

bool TlsNetworkLink::DoWaitUntilUp(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout,
                                 [&] { return impl_->enabled && impl_->status == LinkStatus::kUp; });
}

}  // namespace bcma::fw::hal
