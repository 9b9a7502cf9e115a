#pragma once
/// \file
/// Requests to the station over a `hal::NetworkLink`: numbering, the DeviceHello on every new
/// connection, waiting for the response with the same request id, and keeping the responses
/// nobody is waiting for (acknowledgements of records) for the outbox sender. No threads: the
/// round and the sender call it from the main loop.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/fw/hal/clock.hpp"
#include "bcma/fw/hal/network_link.hpp"
#include "bcma/v1/envelope.pb.h"

namespace bcma::fw::round {

/// The protocol version this firmware speaks (docs/protocol.md).
inline constexpr std::uint32_t kProtocolMajor = 1;
inline constexpr std::uint32_t kProtocolMinor = 1;
/// Request id of the link's heartbeats; their answers are read and dropped.
inline constexpr std::uint64_t kHeartbeatRequestId = 0xFFFF'FFFF'FFFF'0001ULL;

/// Why a request got no usable response.
struct CallError {
  enum class Kind : std::uint8_t {
    kUnreachable,   ///< no connection, the send failed, or no answer in time: try offline
    kStationError,  ///< the station answered with an Error envelope (`code`, `message`)
    kRefused,       ///< the station did not accept this scanner's DeviceHello
    kProtocol,      ///< an answer of the wrong type, or one that does not parse
  };
  Kind kind = Kind::kUnreachable;
  std::string code;
  std::string message;
};

struct ClientOptions {
  std::string device_id;
  std::string firmware_version = "0.1.0";
  std::chrono::milliseconds timeout{4'000};  ///< per request, the hello included
};

class StationClient {
 public:
  /// `link` and `clock` must outlive the client.
  StationClient(hal::NetworkLink& link, const hal::Clock& clock, ClientOptions options);

  /// Sends `request` (its request_id is assigned here) and waits for the response carrying the
  /// same id, greeting the station first if the connection is new. Frames for other requests
  /// that arrive meanwhile are kept for `take_responses`.
  /// Errors: kUnreachable, kStationError (an Error envelope: the code says why), kRefused,
  /// kProtocol.
  Result<v1::Envelope, CallError> call(v1::Envelope request);

  /// Sends `request` without waiting; its response comes through `take_responses`. Returns the
  /// request id. Errors: kUnreachable, kRefused (the hello was refused).
  Result<std::uint64_t, CallError> post(v1::Envelope request);

  /// Reads what has arrived, waiting at most `timeout` for the first frame.
  void poll(std::chrono::milliseconds timeout);

  /// Responses to `post`ed requests received so far (and forgets them).
  std::vector<v1::Envelope> take_responses();

  /// Connected, greeted and accepted.
  bool online() const;
  /// Greets the station now if the link is up and the connection new. Errors: as `post`.
  Result<void, CallError> ensure_greeted();
  /// The connection the last greeting was on; changes with every reconnection.
  std::uint64_t greeted_epoch() const { return greeted_epoch_; }
  const std::string& station_id() const { return station_id_; }
  /// Station clock minus ours at the last greeting, in seconds.
  std::int64_t clock_offset_seconds() const { return clock_offset_; }
  hal::NetworkLink& link() { return link_; }

 private:
  void accept(std::string frame);
  std::optional<v1::Envelope> take(std::uint64_t request_id);
  Result<v1::Envelope, CallError> wait_for(std::uint64_t request_id);

  hal::NetworkLink& link_;
  const hal::Clock& clock_;
  ClientOptions options_;
  std::uint64_t next_request_id_ = 1;
  std::uint64_t greeted_epoch_ = 0;
  bool greeted_ = false;
  std::string station_id_;
  std::int64_t clock_offset_ = 0;
  std::map<std::uint64_t, v1::Envelope> arrived_;
  std::vector<std::uint64_t> posted_;  ///< ids sent with post() not yet answered
};

}  // namespace bcma::fw::round
