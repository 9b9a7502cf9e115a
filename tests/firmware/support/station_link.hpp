#pragma once
// The real station in the test's process: the station's ProtocolHandler, ServiceRunner and
// Service over a real SQLite file, reached through `StationLink`, a `hal::NetworkLink` that
// hands each frame the scanner sends to the handler and queues the handler's answers for the
// scanner. Only link-level switches exist: the network can be taken away, acknowledgements
// can be lost on the way back, and the station can restart (a new handler over the same
// database file, so every session and scan it held is forgotten and every record kept).

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bcma/domain/time.hpp"
#include "bcma/fw/hal/network_link.hpp"
#include "bcma/station/server/log.hpp"
#include "bcma/station/server/protocol_handler.hpp"
#include "bcma/station/server/service_runner.hpp"
#include "bcma/station/service/service.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/v1/envelope.pb.h"
#include "station_home.hpp"

namespace bcma::fw::testing {

class StationLink;

class InProcessStation {
 public:
  /// Creates `dir`/station.db, seeds it with the test home and starts the station. `clock`
  /// must outlive the station. Throws std::runtime_error if the station cannot start (a test
  /// set-up failure, not a behaviour under test).
  InProcessStation(const std::filesystem::path& dir, const domain::Clock& clock, domain::Instant now);
  ~InProcessStation();
  InProcessStation(const InProcessStation&) = delete;
  InProcessStation& operator=(const InProcessStation&) = delete;

  /// Drops every link's connection, stops the station (finishing queued work) and starts a new
  /// one over the same database.
  void restart();

  const StationHome& home() const { return home_; }
  const std::filesystem::path& database() const { return db_; }
  /// The administration stored under `record_id` (the scanner's outcome id), read through a
  /// second connection to the database; nullopt if none.
  std::optional<station::store::AdministrationRecord> administration(const std::string& record_id) const;
  /// The station's JSON log so far.
  std::string log_text() const;

  station::server::ProtocolHandler& handler() { return *handler_; }

 private:
  friend class StationLink;
  void start();
  void stop();

  std::filesystem::path db_;
  std::filesystem::path log_path_;
  const domain::Clock& clock_;
  StationHome home_;
  std::unique_ptr<station::server::Logger> log_;
  std::unique_ptr<station::store::Store> store_;
  std::unique_ptr<station::service::Service> service_;
  std::unique_ptr<station::server::ServiceRunner> runner_;
  std::unique_ptr<station::server::ProtocolHandler> handler_;
  std::vector<StationLink*> links_;
};

class StationLink final : public hal::NetworkLink {
 public:
  StationLink(InProcessStation& station, std::string device_id);
  ~StationLink() override;

  /// false: the Wi-Fi is gone (the connection drops); true: it is back (a new connection).
  void set_reachable(bool reachable);
  /// Acknowledgements the station sends are dropped on the way back (it still stores).
  void set_lose_acknowledgements(bool lose) { lose_acks_ = lose; }
  /// Called with each RecordOutcome just before the station gets it.
  std::function<void(const v1::RecordOutcome&)> on_record;

  /// Every request the scanner sent, in order.
  const std::vector<v1::Envelope>& requests() const { return requests_; }
  /// How many times each outcome_id was sent.
  const std::map<std::string, int>& receipts() const { return receipts_; }

  struct Inbox;

 private:
  friend class InProcessStation;
  hal::Result<void> DoSend(std::string payload) override;
  hal::Result<std::string> DoReceive(std::chrono::milliseconds timeout) override;
  hal::LinkStatus DoStatus() const override;
  std::uint64_t DoConnectionEpoch() const override;
  void DoSetEnabled(bool enabled) override;
  bool DoWaitUntilUp(std::chrono::milliseconds timeout) override;

  /// Opens a connection if the link should have one and has none.
  void ensure_connected();
  void disconnect();

  InProcessStation& station_;
  std::string device_id_;
  bool enabled_ = true;
  bool reachable_ = true;
  bool lose_acks_ = false;
  std::optional<transport::Session> session_;
  std::uint64_t epoch_ = 0;
  std::uint64_t next_session_id_ = 1;
  std::shared_ptr<Inbox> inbox_;
  std::vector<v1::Envelope> requests_;
  std::map<std::string, int> receipts_;
};

}  // namespace bcma::fw::testing
