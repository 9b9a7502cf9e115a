#pragma once
/// \file
/// The bcma.v1 protocol on one station: the transport's FrameHandler. It decodes envelopes,
/// insists on a DeviceHello of a supported major version before anything else, answers
/// heartbeats, echoes request ids, and hands every round request to the ServiceRunner, which
/// answers it later. Runs on the server's network threads; never touches the store.
///
/// The minor version is negotiated in the hello: the connection speaks the lower of the
/// scanner's and the station's. A 1.0 scanner gets the 1.0 answers (its 1.1 requests,
/// were it to send any, get `unsupported_message`); a 1.1 scanner is also served the round
/// snapshot and witness confirmations.
///
/// A frame that is not an Envelope (or an Envelope with no payload) gets an Error
/// (`malformed_frame`) and closes that connection only; so does a 1.1 request whose content
/// cannot be a request at all (`invalid_request`: no session, no badge...). A payload type
/// this station does not know (a newer minor version) gets an Error (`unsupported_message`)
/// and the connection goes on. docs/station.md "Protocol handling" has the whole table.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/domain/time.hpp"
#include "bcma/station/server/log.hpp"
#include "bcma/station/server/service_runner.hpp"
#include "bcma/transport/frame_handler.hpp"
#include "bcma/v1/envelope.pb.h"

namespace bcma::station::server {

struct HandlerOptions {
  std::string station_id;  ///< sent in HelloResponse
};

class ProtocolHandler final : public transport::FrameHandler {
 public:
  /// `runner`, `clock` and `log` must outlive the handler.
  ProtocolHandler(ServiceRunner& runner, const domain::Clock& clock, Logger& log,
                  HandlerOptions options);

  void on_connect(const transport::Session& session) override;
  void on_frame(const transport::Session& session, std::string payload,
                transport::Reply reply) override;
  void on_close(const transport::Session& session, transport::CloseReason reason) override;
  std::string on_framing_error(const transport::Session& session, transport::CloseReason reason,
                               std::string_view detail) override;

  /// An open connection, as the revocation sweep needs it.
  struct Connection {
    std::uint64_t session_id = 0;
    std::string device_id;
    std::string fingerprint_sha256;  ///< of the certificate it authenticated with
  };
  /// Thread-safe snapshot.
  std::vector<Connection> connections() const;

 private:
  struct State {
    std::string device_id;
    std::string fingerprint_sha256;
    bool greeted = false;
    std::uint32_t minor = 0;  ///< the negotiated minor version, once greeted
    bool closing = false;  ///< frames that arrive after a close was decided are dropped
  };

  void hello(const transport::Session& session, std::uint64_t request_id,
             const v1::DeviceHello& hello, transport::Reply reply);
  /// Sends an Error and closes this connection.
  void refuse_and_close(const transport::Session& session, std::uint64_t request_id,
                        std::string_view code, std::string_view message, transport::Reply reply);
  void set_greeted(std::uint64_t session_id, std::uint32_t minor);
  /// A protocol 1.1 request on a connection that negotiated 1.1.
  void serve_v11(const transport::Session& session, v1::Envelope& env, transport::Reply reply);

  ServiceRunner& runner_;
  const domain::Clock& clock_;
  Logger& log_;
  HandlerOptions options_;
  mutable std::mutex mutex_;
  std::map<std::uint64_t, State> states_;
};

}  // namespace bcma::station::server
