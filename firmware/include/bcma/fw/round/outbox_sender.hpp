#pragma once
/// \file
/// Delivers the outbox to the station. Each pending record is sent once per connection (and
/// again only after a transient refusal, after `retry_after`), and leaves the outbox only when
/// the station acknowledges its outcome_id: RECORDED, or REJECTED (it will never be accepted
/// as sent; the record and the station's reasons are kept in the rejected journal, and the
/// round tells the care worker). The station deduplicates by outcome_id, so a resend after a
/// lost acknowledgement records nothing twice.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bcma/fw/hal/clock.hpp"
#include "bcma/fw/outbox/outbox.hpp"
#include "bcma/fw/round/station_client.hpp"
#include "bcma/v1/envelope.pb.h"

namespace bcma::fw::round {

struct SenderOptions {
  /// After the station refused a record with a transient error (e.g. `database_busy`), wait
  /// this long before sending it again on the same connection.
  std::chrono::milliseconds retry_after{30'000};
  std::size_t max_in_flight = 16;
};

/// A record the station will never accept as sent.
struct Rejection {
  std::string outcome_id;
  std::vector<std::pair<std::string, std::string>> reasons;  ///< code, message
};

struct SenderStats {
  std::size_t pending = 0;           ///< in the outbox
  std::size_t in_flight = 0;
  std::uint64_t sent = 0;            ///< frames sent, resends included
  std::uint64_t recorded = 0;        ///< acknowledged RECORDED
  std::uint64_t rejected = 0;        ///< acknowledged REJECTED
  std::size_t waiting_for_signin = 0;  ///< their session ended; they wait for the recorder
  std::string last_error;            ///< the station's last transient refusal, "code: message"
};

/// The signed-in member of staff, for records whose own session the station no longer knows.
struct SenderSession {
  std::string session_id;
  std::string badge_gsrn;
};

class OutboxSender {
 public:
  /// `outbox`, `client` and `clock` must outlive the sender; `rejected` (may be null) is the
  /// durable journal of rejected records.
  OutboxSender(outbox::Outbox& outbox, outbox::Outbox* rejected, StationClient& client,
               const hal::Clock& clock, SenderOptions options = {});

  /// Handles the responses that arrived, then sends what is pending and not in flight. Call it
  /// from the main loop whenever nothing else is going on; it never blocks for long.
  void pump();

  /// Sets (or clears) the signed-in session. A record whose session the station reports as
  /// ended is sent again under the current session only when the same badge recorded it:
  /// nobody else's session may carry it.
  void set_session(std::optional<SenderSession> session);

  SenderStats stats() const;
  /// Rejections since the last call, for the round to show.
  std::vector<Rejection> take_rejections();

 private:
  void handle(const v1::Envelope& response);
  void send_pending();

  outbox::Outbox& outbox_;
  outbox::Outbox* rejected_;
  StationClient& client_;
  const hal::Clock& clock_;
  SenderOptions options_;
  std::optional<SenderSession> session_;

  std::uint64_t epoch_ = 0;                            ///< connection of in_flight_
  std::map<std::uint64_t, outbox::Uuid> by_request_;   ///< request id -> record (any epoch)
  std::set<outbox::Uuid> in_flight_;                   ///< sent on this connection, unanswered
  std::set<outbox::Uuid> sent_this_epoch_;             ///< sent at least once on this connection
  std::map<outbox::Uuid, hal::Clock::Monotonic> retry_at_;
  std::set<std::string> ended_sessions_;
  std::vector<Rejection> new_rejections_;
  SenderStats stats_;
};

}  // namespace bcma::fw::round
