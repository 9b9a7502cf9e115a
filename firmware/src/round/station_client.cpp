#include "bcma/fw/round/station_client.hpp"

#include <algorithm>

namespace bcma::fw::round {

namespace {

Unexpected<CallError> unreachable(std::string message) {
  return Unexpected(CallError{CallError::Kind::kUnreachable, "unreachable", std::move(message)});
}

}  // namespace

StationClient::StationClient(hal::NetworkLink& link, const hal::Clock& clock, ClientOptions options)
    : link_(link), clock_(clock), options_(std::move(options)) {}

bool StationClient::online() const {
  return greeted_ && link_.status() == hal::LinkStatus::kUp &&
         link_.connection_epoch() == greeted_epoch_;
}

void StationClient::accept(std::string frame) {
  v1::Envelope env;
  if (!env.ParseFromString(frame)) return;  // a station never sends this; nothing to answer
  if (env.request_id() == kHeartbeatRequestId || env.request_id() == 0) return;
  arrived_[env.request_id()] = std::move(env);
}

std::optional<v1::Envelope> StationClient::take(std::uint64_t request_id) {
  auto it = arrived_.find(request_id);
  if (it == arrived_.end()) return std::nullopt;
  v1::Envelope env = std::move(it->second);
  arrived_.erase(it);
  return env;
}

void StationClient::poll(std::chrono::milliseconds timeout) {
  auto first = link_.receive(timeout);
  if (!first) return;
  accept(std::move(*first));
  for (;;) {
    auto more = link_.receive(std::chrono::milliseconds(0));
    if (!more) return;
    accept(std::move(*more));
  }
}

Result<v1::Envelope, CallError> StationClient::wait_for(std::uint64_t request_id) {
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  for (;;) {
    if (auto got = take(request_id)) {
      if (got->has_error()) {
        return Unexpected(CallError{CallError::Kind::kStationError, got->error().code(),
                                    got->error().message()});
      }
      return std::move(*got);
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return unreachable("the station did not answer in time");
    if (link_.status() != hal::LinkStatus::kUp) return unreachable("the connection dropped");
    auto frame = link_.receive(std::min<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now),
        std::chrono::milliseconds(200)));
    if (frame) accept(std::move(*frame));
  }
}

Result<void, CallError> StationClient::ensure_greeted() {
  if (link_.status() != hal::LinkStatus::kUp) return unreachable("not connected to the station");
  const std::uint64_t epoch = link_.connection_epoch();
  if (greeted_ && epoch == greeted_epoch_) return {};
  greeted_ = false;
  v1::Envelope hello;
  const std::uint64_t id = next_request_id_++;
  hello.set_request_id(id);
  auto* h = hello.mutable_device_hello();
  h->set_protocol_major(kProtocolMajor);
  h->set_protocol_minor(kProtocolMinor);
  h->set_device_id(options_.device_id);
  h->set_firmware_version(options_.firmware_version);
  if (auto sent = link_.send(hello.SerializeAsString()); !sent) return unreachable(sent.error().message);
  auto answer = wait_for(id);
  if (!answer) {
    if (answer.error().kind == CallError::Kind::kStationError) {
      return Unexpected(CallError{CallError::Kind::kRefused, answer.error().code, answer.error().message});
    }
    return Unexpected(answer.error());
  }
  if (!answer->has_hello_response()) {
    return Unexpected(CallError{CallError::Kind::kProtocol, "unexpected_message",
                                "the station answered the hello with something else"});
  }
  const auto& r = answer->hello_response();
  if (!r.accepted()) {
    return Unexpected(CallError{CallError::Kind::kRefused, "hello_refused",
                                r.message().empty() ? "the station refused this scanner" : r.message()});
  }
  station_id_ = r.station_id();
  if (r.has_station_time()) {
    clock_offset_ = r.station_time().seconds() - clock_.wall().time_since_epoch().count();
  }
  greeted_ = true;
  greeted_epoch_ = epoch;
  // Anything posted on the old connection will never be answered on this one.
  posted_.clear();
  std::erase_if(arrived_, [&](const auto& entry) { return entry.first < id; });
  return {};
}

Result<std::uint64_t, CallError> StationClient::post(v1::Envelope request) {
  if (auto g = ensure_greeted(); !g) return Unexpected(g.error());
  const std::uint64_t id = next_request_id_++;
  request.set_request_id(id);
  if (auto sent = link_.send(request.SerializeAsString()); !sent) {
    if (sent.error().code == hal::Errc::invalid_argument) {
      return Unexpected(CallError{CallError::Kind::kProtocol, "frame_too_large", sent.error().message});
    }
    return unreachable(sent.error().message);
  }
  posted_.push_back(id);
  return id;
}

Result<v1::Envelope, CallError> StationClient::call(v1::Envelope request) {
  auto id = post(std::move(request));
  if (!id) return Unexpected(id.error());
  std::erase(posted_, *id);
  return wait_for(*id);
}

std::vector<v1::Envelope> StationClient::take_responses() {
  std::vector<v1::Envelope> out;
  for (auto it = posted_.begin(); it != posted_.end();) {
    if (auto got = take(*it)) {
      out.push_back(std::move(*got));
      it = posted_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

}  // namespace bcma::fw::round
