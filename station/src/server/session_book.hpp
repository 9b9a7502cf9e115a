#pragma once
// What the station remembers about each signed-in session between requests: which device it
// belongs to, the wristband scans of the residents it served, and the item scans behind the
// verdicts it gave. Protocol v1's RecordOutcome names a verdict and a resident but does not
// repeat the scans, so the record's evidence (docs/station.md "Records") comes from here.
//
// Used only on the service thread (ServiceRunner): no locking.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/domain/time.hpp"
#include "bcma/station/service/requests.hpp"

namespace bcma::station::server::detail {

/// An item scan and what the verdict about it said.
struct VerdictMemo {
  service::ScanInput item;
  std::optional<domain::ResidentId> resident_id;
  std::optional<domain::PrescriptionId> prescription_id;
  std::optional<domain::Instant> slot;
  std::string dose_unit;  ///< of the prescribed dose; empty when the verdict had none
  bool witness_required = false;
};

struct SessionMemo {
  std::string device_id;
  domain::StaffId staff_id = 0;
  domain::Instant expires_at{};
  std::optional<domain::ResidentId> current_resident;
  std::map<domain::ResidentId, service::ScanInput> wristbands;  ///< the latest scan of each
  std::map<std::int64_t, VerdictMemo> verdicts;                 ///< by verdict id
  std::deque<std::int64_t> verdict_order;                       ///< oldest first, for eviction
  /// The round snapshot last served (protocol 1.1), kept so that every part the scanner asks
  /// for belongs to one snapshot: serialized RoundSnapshot parts, in order.
  std::string snapshot_id;
  std::vector<std::string> snapshot_parts;
};

class SessionBook {
 public:
  /// Verdicts remembered per session: far more than a round has items, few enough to bound
  /// memory on a station that runs for months.
  static constexpr std::size_t kMaxVerdictsPerSession = 1024;

  /// A new session from a sign-in. Forgets sessions that expired before `now`.
  void signed_in(const std::string& session_id, std::string_view device_id,
                 domain::StaffId staff_id, domain::Instant expires_at, domain::Instant now);
  /// The session if it exists and was opened by `device_id`; a session id presented by another
  /// device is treated as unknown.
  SessionMemo* find(std::string_view session_id, std::string_view device_id);
  /// A wristband scan: `resident` found (or nullopt: nobody, which clears the current one).
  void resident_scanned(SessionMemo& memo, std::optional<domain::ResidentId> resident,
                        const service::ScanInput& wristband);
  void verdict_given(SessionMemo& memo, std::int64_t verdict_id, VerdictMemo verdict);
  std::size_t size() const { return sessions_.size(); }

 private:
  std::map<std::string, SessionMemo, std::less<>> sessions_;
};

}  // namespace bcma::station::server::detail
