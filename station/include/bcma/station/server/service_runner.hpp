#pragma once
/// \file
/// The service side of the station: runs the scan-handling service (one store, one SQLite
/// connection, one thread at a time) on a WorkQueue's thread, answers each request through
/// its transport Reply, and writes outcome records by group commit: one transaction (one
/// fsync) per batch, whichever sessions and scanners its records come from.
///
/// Requests arrive decoded from the network threads (ProtocolHandler); everything that touches
/// the service, the store or the per-session memory of scans happens on the queue's thread.

#include <cstdint>
#include <memory>
#include <string>

#include "bcma/domain/time.hpp"
#include "bcma/station/server/log.hpp"
#include "bcma/station/server/work_queue.hpp"
#include "bcma/station/service/service.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/transport/frame_handler.hpp"
#include "bcma/v1/envelope.pb.h"

namespace bcma::station::server {

namespace detail {
class SessionBook;
}  // namespace detail

/// One RecordOutcome waiting for its batch.
struct PendingRecord {
  std::string device_id;
  std::uint64_t request_id = 0;
  v1::RecordOutcome message;
  transport::Reply reply;
};

class ServiceRunner {
 public:
  /// `service`, `store` (the service's), `clock` and `log` must outlive the runner.
  ServiceRunner(service::Service& service, store::Store& store, const domain::Clock& clock,
                Logger& log, WorkQueueOptions options);
  ~ServiceRunner();  ///< stop()
  ServiceRunner(const ServiceRunner&) = delete;
  ServiceRunner& operator=(const ServiceRunner&) = delete;

  // Each answers `reply` later, from the queue's thread, with the request's response or an
  // Error envelope (codes: the service's and store's, `not_signed_in` for a session another
  // device opened, `invalid_request`, `station_stopping` once stop() has begun).
  void login(std::string device_id, std::uint64_t request_id, v1::StaffLogin message,
             transport::Reply reply);
  void scan_resident(std::string device_id, std::uint64_t request_id, v1::ScanResident message,
                     transport::Reply reply);
  void scan_item(std::string device_id, std::uint64_t request_id, v1::ScanItem message,
                 transport::Reply reply);
  /// Queued for group commit; answered with an Acknowledgement (RECORDED only once the batch's
  /// transaction has committed; REJECTED for a record that can never be stored as sent) or an
  /// Error for a refusal the scanner should retry (docs/station.md "Records").
  void record(PendingRecord record);

  // Protocol 1.1 (service_runner_v11.cpp). Answered like the ones above.
  /// A part of the session's round snapshot: part 0 makes a new snapshot; a later part must
  /// name it (Error `snapshot_expired` when another one has replaced it, `invalid_request` for
  /// a part it does not have).
  void round_snapshot(std::string device_id, std::uint64_t request_id,
                      v1::RoundSnapshotRequest message, transport::Reply reply);
  /// A witness's badge and PIN, checked now: a WitnessConfirmation (CONFIRMED, REJECTED,
  /// LOCKED_OUT) or an Error for a session or database problem.
  void confirm_witness(std::string device_id, std::uint64_t request_id,
                       v1::ConfirmWitness message, transport::Reply reply);

  /// Refuses new requests, finishes every queued request and batch, then returns.
  void stop();
  WorkQueueStats stats() const;

 private:
  void write_batch(std::vector<PendingRecord>& batch);

  service::Service& service_;
  store::Store& store_;
  const domain::Clock& clock_;
  Logger& log_;
  std::unique_ptr<detail::SessionBook> book_;  // only touched on the queue's thread
  std::unique_ptr<WorkQueue<PendingRecord>> queue_;  // last: its thread uses the members above
};

}  // namespace bcma::station::server
