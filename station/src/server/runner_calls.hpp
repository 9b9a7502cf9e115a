#pragma once
// Private to the service runner: how a request reaches the service thread and how it is
// answered (service_runner.cpp for 1.0 requests, service_runner_v11.cpp for 1.1).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "bcma/station/server/service_runner.hpp"
#include "bcma/station/server/work_queue.hpp"
#include "bcma/transport/frame_handler.hpp"
#include "codec.hpp"

namespace bcma::station::server::detail {

/// A request on its way to the queue's thread (shared, because a Job must be copyable and a
/// Reply is not).
template <class Message>
struct Call {
  std::string device_id;
  std::uint64_t request_id = 0;
  Message message;
  transport::Reply reply;
};

inline void send_error(transport::Reply& reply, std::uint64_t request_id, std::string_view code,
                       std::string_view message) {
  reply.send(error_envelope(request_id, code, message));
  reply.finish();
}

inline void send_reply(transport::Reply& reply, const v1::Envelope& envelope) {
  reply.send(serialize(envelope));
  reply.finish();
}

inline constexpr std::string_view kNotSignedInMessage =
    "not signed in on this scanner (or the station restarted): sign in again";

inline constexpr std::string_view kStoppingMessage =
    "the station is shutting down: nothing was done; send it again when it is back";

/// Runs `fn(call)` on the service thread; answers station_stopping at once if the queue is
/// closed.
template <class Message, class Fn>
void dispatch(WorkQueue<PendingRecord>& queue, std::string device_id, std::uint64_t request_id,
              Message message, transport::Reply reply, Fn fn) {
  auto call = std::make_shared<Call<Message>>(
      Call<Message>{std::move(device_id), request_id, std::move(message), std::move(reply)});
  if (!queue.post([call, fn] { fn(*call); })) {
    send_error(call->reply, call->request_id, errc::kStationStopping, kStoppingMessage);
  }
}

}  // namespace bcma::station::server::detail
