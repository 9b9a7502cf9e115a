#include "station_link.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "bcma/station/store/pin_hash.hpp"
#include "bcma/transport/frame_handler.hpp"

namespace bcma::fw::testing {

namespace server = station::server;
namespace store = station::store;

struct StationLink::Inbox {
  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<std::string> frames;
  std::uint64_t connection = 0;  ///< the session id answers are delivered for; 0: none
  bool closed_by_station = false;
  bool lose_acks = false;
};

namespace {

/// Where the station's answers to one frame go: into the scanner's inbox, as long as the
/// connection the frame came on is still the current one (answers to a dropped connection
/// are lost, as on a real network).
class InboxSink final : public transport::detail::ReplySink {
 public:
  InboxSink(std::shared_ptr<StationLink::Inbox> inbox, std::uint64_t connection)
      : inbox_(std::move(inbox)), connection_(connection) {}

  bool send(std::string payload) override {
    const std::lock_guard lock(inbox_->mutex);
    if (finished_ || inbox_->connection != connection_ || inbox_->closed_by_station) return false;
    if (inbox_->lose_acks) {
      v1::Envelope env;
      if (env.ParseFromString(payload) && env.has_acknowledgement()) return true;
    }
    inbox_->frames.push_back(std::move(payload));
    inbox_->arrived.notify_all();
    return true;
  }
  void finish(bool close_after) override {
    const std::lock_guard lock(inbox_->mutex);
    finished_ = true;
    if (close_after && inbox_->connection == connection_) inbox_->closed_by_station = true;
  }

 private:
  std::shared_ptr<StationLink::Inbox> inbox_;
  std::uint64_t connection_;
  bool finished_ = false;  // guarded by inbox_->mutex
};

}  // namespace

// --- InProcessStation ----------------------------------------------------------------------

InProcessStation::InProcessStation(const std::filesystem::path& dir, const domain::Clock& clock,
                                   domain::Instant now)
    : db_(dir / "station.db"), log_path_(dir / "station.log"), clock_(clock) {
  std::filesystem::create_directories(dir);
  {
    store::StoreOptions options;
    options.pin_cost = store::PinHashCost::minimum();
    auto s = store::Store::open(db_, clock_, options);
    if (!s) throw std::runtime_error("station store: " + s.error().message);
    auto home = seed_station_home(*s, now);
    if (!home) throw std::runtime_error("seeding the station: " + home.error().message);
    home_ = std::move(*home);
  }
  auto log = server::Logger::open_file(log_path_.string(), server::LogLevel::info);
  if (!log) throw std::runtime_error(log.error().message);
  log_ = std::move(*log);
  start();
}

InProcessStation::~InProcessStation() {
  for (auto* link : links_) link->disconnect();
  stop();
}

void InProcessStation::start() {
  // The PINs were hashed at the cheapest cost; at the default cost the store would re-hash
  // each at sign-in (64 MiB of Argon2id), which only slows the tests down.
  store::StoreOptions options;
  options.pin_cost = store::PinHashCost::minimum();
  auto s = store::Store::open(db_, clock_, options);
  if (!s) throw std::runtime_error("station store: " + s.error().message);
  store_ = std::make_unique<store::Store>(std::move(*s));
  auto service = station::service::Service::create(*store_, clock_);
  if (!service) throw std::runtime_error("station service: " + service.error().message);
  service_ = std::make_unique<station::service::Service>(std::move(*service));
  runner_ = std::make_unique<server::ServiceRunner>(*service_, *store_, clock_, *log_,
                                                    server::WorkQueueOptions{});
  handler_ = std::make_unique<server::ProtocolHandler>(*runner_, clock_, *log_,
                                                       server::HandlerOptions{"test-station"});
}

void InProcessStation::stop() {
  if (runner_) runner_->stop();
  handler_.reset();
  runner_.reset();
  service_.reset();
  store_.reset();
}

void InProcessStation::restart() {
  for (auto* link : links_) link->disconnect();
  stop();
  start();
  for (auto* link : links_) link->ensure_connected();  // a real link reconnects by itself
}

std::optional<store::AdministrationRecord> InProcessStation::administration(
    const std::string& record_id) const {
  auto s = store::Store::open(db_, clock_);
  if (!s) throw std::runtime_error("reading the station database: " + s.error().message);
  auto record = s->administration(record_id);
  if (!record) return std::nullopt;
  return std::move(*record);
}

std::string InProcessStation::log_text() const {
  std::ifstream in(log_path_);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// --- StationLink ---------------------------------------------------------------------------

StationLink::StationLink(InProcessStation& station, std::string device_id)
    : station_(station), device_id_(std::move(device_id)), inbox_(std::make_shared<Inbox>()) {
  station_.links_.push_back(this);
  ensure_connected();
}

StationLink::~StationLink() {
  disconnect();
  std::erase(station_.links_, this);
}

void StationLink::ensure_connected() {
  bool closed = false;
  {
    const std::lock_guard lock(inbox_->mutex);
    closed = inbox_->closed_by_station;
  }
  if (closed) disconnect();  // the station closed it: a real link reconnects
  if (session_ || !enabled_ || !reachable_) return;
  transport::Session s;
  s.id = next_session_id_++;
  s.device = transport::DeviceIdentity{device_id_, "01", "test-fingerprint"};
  s.remote = "in-process";
  {
    const std::lock_guard lock(inbox_->mutex);
    inbox_->connection = s.id;
    inbox_->closed_by_station = false;
    inbox_->frames.clear();
  }
  session_ = s;
  ++epoch_;
  station_.handler().on_connect(*session_);
}

void StationLink::disconnect() {
  if (!session_) return;
  bool by_station = false;
  {
    const std::lock_guard lock(inbox_->mutex);
    by_station = inbox_->closed_by_station;
    inbox_->connection = 0;
    inbox_->closed_by_station = false;
    inbox_->frames.clear();
  }
  station_.handler().on_close(*session_, by_station ? transport::CloseReason::handler_closed
                                                    : transport::CloseReason::peer_closed);
  session_.reset();
}

void StationLink::set_reachable(bool reachable) {
  reachable_ = reachable;
  if (!reachable) disconnect();
  ensure_connected();
}


hal::Result<void> StationLink::DoSend(std::string payload) {
  if (!enabled_) return hal::fail(hal::Errc::unavailable, "the link is disabled");
  ensure_connected();
  if (!session_) return hal::fail(hal::Errc::not_connected, "the station is out of reach");
  if (payload.empty()) return hal::fail(hal::Errc::invalid_argument, "empty frame");
  {
    const std::lock_guard lock(inbox_->mutex);
    inbox_->lose_acks = lose_acks_;
  }
  v1::Envelope env;
  if (env.ParseFromString(payload)) {
    requests_.push_back(env);
    if (env.has_record_outcome()) {
      ++receipts_[env.record_outcome().outcome_id()];
      if (on_record) on_record(env.record_outcome());
    }
  }
  station_.handler().on_frame(*session_, std::move(payload),
                              transport::Reply(std::make_shared<InboxSink>(inbox_, session_->id)));
  return {};
}

hal::Result<std::string> StationLink::DoReceive(std::chrono::milliseconds timeout) {
  std::unique_lock lock(inbox_->mutex);
  inbox_->arrived.wait_for(lock, timeout, [&] { return !inbox_->frames.empty(); });
  if (inbox_->frames.empty()) {
    if (!enabled_) return hal::fail(hal::Errc::unavailable, "the link is disabled");
    return hal::fail(hal::Errc::timeout, "nothing from the station");
  }
  std::string frame = std::move(inbox_->frames.front());
  inbox_->frames.pop_front();
  return frame;
}

hal::LinkStatus StationLink::DoStatus() const {
  return session_ ? hal::LinkStatus::kUp : hal::LinkStatus::kDown;
}

std::uint64_t StationLink::DoConnectionEpoch() const { return epoch_; }

void StationLink::DoSetEnabled(bool enabled) {
  enabled_ = enabled;
  if (!enabled) disconnect();
  ensure_connected();
}

bool StationLink::DoWaitUntilUp(std::chrono::milliseconds) {
  ensure_connected();
  return session_.has_value();
}

}  // namespace bcma::fw::testing
