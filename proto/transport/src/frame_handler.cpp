#include "bcma/transport/frame_handler.hpp"

namespace bcma::transport {

std::string_view to_string(CloseReason reason) {
  switch (reason) {
    case CloseReason::peer_closed: return "peer_closed";
    case CloseReason::malformed_frame: return "malformed_frame";
    case CloseReason::frame_too_large: return "frame_too_large";
    case CloseReason::idle_timeout: return "idle_timeout";
    case CloseReason::server_stopping: return "server_stopping";
    case CloseReason::device_disconnected: return "device_disconnected";
    case CloseReason::handler_closed: return "handler_closed";
  }
  return "unknown";
}

Reply& Reply::operator=(Reply&& other) noexcept {
  if (this != &other) {
    finish();
    sink_ = std::move(other.sink_);
  }
  return *this;
}

Reply::~Reply() { finish(); }

bool Reply::send(std::string payload) {
  return sink_ != nullptr && sink_->send(std::move(payload));
}

void Reply::finish() {
  if (auto sink = std::exchange(sink_, nullptr)) sink->finish(false);
}

void Reply::close() {
  if (auto sink = std::exchange(sink_, nullptr)) sink->finish(true);
}

}  // namespace bcma::transport
