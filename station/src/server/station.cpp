#include "bcma/station/server/station.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <functional>
#include <sstream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "bcma/station/export/pseudonymiser.hpp"
#include "bcma/station/pki/certificate_authority.hpp"
#include "bcma/station/pki/device_registry.hpp"
#include "bcma/station/pki/layout.hpp"
#include "bcma/station/server/protocol_handler.hpp"
#include "bcma/station/server/revocation_watch.hpp"
#include "bcma/station/server/service_runner.hpp"
#include "bcma/station/service/service.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/web/server.hpp"
#include "bcma/transport/server.hpp"

namespace bcma::station::server {

namespace asio = boost::asio;

namespace {

Unexpected<Error> pki_error(const pki::PkiError& e) {
  return fail(std::string(pki::to_string(e.code)), e.message);
}

Unexpected<Error> transport_error(const transport::TransportError& e) {
  return fail(std::string(transport::to_string(e.code)), e.message);
}

std::vector<std::string> split_prefixes(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

void log_transport_event(Logger& log, const transport::ServerEvent& e) {
  using Kind = transport::ServerEvent::Kind;
  switch (e.kind) {
    case Kind::handshake_refused:
    case Kind::handshake_failed:
      log.warn(transport::to_string(e.kind), e.device_id,
               {{"connection", e.session_id}, {"remote", e.remote}, {"detail", e.detail}});
      return;
    case Kind::error:
      log.error("transport_error", e.device_id,
                {{"connection", e.session_id}, {"remote", e.remote}, {"detail", e.detail}});
      return;
    case Kind::listening:
    case Kind::connected:
    case Kind::closed:
    case Kind::stopping:
    case Kind::stopped:
      log.debug(std::string("transport_") + std::string(transport::to_string(e.kind)), e.device_id,
                {{"connection", e.session_id}, {"detail", e.detail}});
      return;
  }
}

}  // namespace

struct Station::Impl {
  StationConfig config;
  Logger& log;
  domain::ShiftedClock clock;  // the real clock unless config.clock_start (training, demos)
  std::unique_ptr<store::Store> store;
  std::unique_ptr<service::Service> service;
  std::unique_ptr<pki::DeviceRegistry> registry;
  std::unique_ptr<ServiceRunner> runner;
  std::unique_ptr<ProtocolHandler> handler;
  std::unique_ptr<transport::Server> server;
  std::unique_ptr<web::Server> web;  // the pages, on their own thread and connection
  RevocationWatch watch;

  asio::io_context io;  // signals and the revocation sweep, on the thread that calls run()
  std::atomic<bool> ran{false};
  std::atomic<bool> stop_requested{false};
  std::function<void()> begin_stop;  // set while run() is serving; called on `io`

  Impl(const StationConfig& c, Logger& l)
      : config(c), log(l), watch(pki::pki_paths(c.station_dir).device_index) {}

  void sweep() {
    if (auto r = watch.refresh(); !r) {
      log.error("device_index_unreadable", "", {{"detail", r.error().message}});
      return;
    }
    std::set<std::string> cut;
    for (const auto& c : watch.untrusted(handler->connections())) {
      if (!cut.insert(c.device_id).second) continue;
      const std::size_t n = server->disconnect_device(c.device_id);
      log.warn("device_disconnected", c.device_id,
               {{"reason", "certificate no longer paired (revoked)"}, {"connections", n}});
    }
  }
};

Station::Station(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Station::~Station() {
  if (!impl_) return;
  // Order matters: no connection may call into the handler, and no Reply may be answered,
  // after the objects they use are gone.
  if (impl_->server) {
    impl_->server->stop();
    impl_->server->join();
  }
  if (impl_->runner) impl_->runner->stop();
}

Result<std::unique_ptr<Station>> Station::open(const StationConfig& config, Logger& log) {
  if (auto v = validate(config); !v) return Unexpected(v.error());
  auto impl = std::make_unique<Impl>(config, log);

  auto ca = pki::CertificateAuthority::open(config.station_dir);
  if (!ca) return pki_error(ca.error());
  auto credentials = ca->server_credentials();
  if (!credentials) return pki_error(credentials.error());
  auto registry = pki::DeviceRegistry::open(config.station_dir);
  if (!registry) return pki_error(registry.error());
  impl->registry = std::move(*registry);

  const auto db_path = config.database_path();
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) {
    return fail("database_missing", "no station database at " + db_path.string() +
                                        ": create it with `bcma station init --dir " +
                                        config.station_dir.string() + "`");
  }
  if (config.clock_start) {
    impl->clock.start_at(*config.clock_start);
    log.warn("simulated_clock", "", {{"clock_start", domain::to_string(*config.clock_start)},
                                     {"detail", "training or demo station: not the real time"}});
  }
  auto store = store::Store::open(db_path, impl->clock);
  if (!store) return Unexpected(store.error());
  impl->store = std::make_unique<store::Store>(std::move(*store));

  service::ServiceOptions service_options;
  service_options.nhs_gsrn_prefixes = split_prefixes(config.nhs_gsrn_prefixes);
  auto service = service::Service::create(*impl->store, impl->clock, service_options);
  if (!service) return Unexpected(service.error());
  impl->service = std::make_unique<service::Service>(std::move(*service));

  WorkQueueOptions queue_options;
  queue_options.batch_max = config.commit_batch_max;
  queue_options.wait_max = config.commit_wait_max;
  impl->runner = std::make_unique<ServiceRunner>(*impl->service, *impl->store, impl->clock, log,
                                                 queue_options);
  HandlerOptions handler_options;
  handler_options.station_id = config.station_id.empty() ? ca->station_name() : config.station_id;
  impl->handler = std::make_unique<ProtocolHandler>(*impl->runner, impl->clock, log, handler_options);

  transport::ServerOptions options;
  options.address = config.listen_address;
  options.port = config.port;
  options.threads = config.threads;
  options.max_frame_size = config.max_frame_size;
  options.max_in_flight = config.max_in_flight;
  options.max_connections = config.max_connections;
  options.handshake_timeout = config.handshake_timeout;
  options.idle_timeout = config.idle_timeout;
  options.drain_timeout = config.drain_timeout;
  options.linger_timeout = config.linger_timeout;
  options.on_event = [&log](const transport::ServerEvent& e) { log_transport_event(log, e); };
  auto server = transport::Server::create(*credentials, *impl->registry, *impl->handler, options);
  if (!server) return transport_error(server.error());
  impl->server = std::move(*server);

  if (config.web_port != 0) {
    web::ServerOptions web_options;
    web_options.address = config.listen_address;
    web_options.port = config.web_port;
    web_options.cert_pem = credentials->cert_pem;
    web_options.key_pem = credentials->key_pem;
    web_options.database = db_path;
    bool key_created = false;
    const auto key_file = config.pseudonym_key_path();
    auto key = exporting::PseudonymKey::load_or_create(key_file, &key_created);
    if (!key) return Unexpected(std::move(key).error());
    // The key id names the key without revealing it; the key itself is never logged.
    log.info("pseudonym_key", "", {{"file", key_file.string()}, {"key_id", key->key_id()},
                                   {"created", key_created}});
    web_options.handler.pseudonym_key = std::move(*key);
    auto pages = web::Server::start(std::move(web_options));
    if (!pages) return Unexpected(std::move(pages).error());
    impl->web = std::move(*pages);
    log.info("web_listening", "", {{"address", config.listen_address},
                                   {"port", static_cast<std::uint64_t>(impl->web->port())}});
  }

  // Start from the index as it is now, so that the first sweep has something to compare.
  if (auto r = impl->watch.refresh(); !r) return Unexpected(r.error());
  return std::unique_ptr<Station>(new Station(std::move(impl)));
}

std::uint16_t Station::port() const { return impl_->server->port(); }

WorkQueueStats Station::stats() const { return impl_->runner->stats(); }

void Station::stop() {
  impl_->stop_requested = true;
  asio::post(impl_->io, [impl = impl_.get()] {
    if (impl->begin_stop) impl->begin_stop();
  });
}

Result<void> Station::run(bool handle_signals) {
  Impl& m = *impl_;
  if (m.ran.exchange(true)) return fail("stopped", "run() was already called");
  Logger& log = m.log;

  asio::signal_set signals(m.io);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
  }
  asio::steady_timer sweep_timer(m.io);
  bool stopping = false;
  m.begin_stop = [&] {
    if (stopping) return;
    stopping = true;
    log.info("stopping", "", {{"connections", m.server->connection_count()}});
    m.server->stop();  // returns at once; connections drain on the server's threads
    boost::system::error_code ignored;
    signals.cancel(ignored);
    sweep_timer.cancel();
  };
  if (handle_signals) {
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
      if (ec) return;
      log.info("signal", "", {{"signal", signo == SIGTERM ? "SIGTERM" : "SIGINT"}});
      m.begin_stop();
    });
  }
  std::function<void()> arm_sweep = [&] {
    sweep_timer.expires_after(m.config.revocation_sweep);
    sweep_timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec || stopping) return;
      m.sweep();
      arm_sweep();
    });
  };

  if (auto started = m.server->start(); !started) {
    m.begin_stop = nullptr;
    return transport_error(started.error());
  }
  arm_sweep();
  const std::uint16_t port = m.server->port();
  log.info("listening", "", {{"address", m.config.listen_address}, {"port", port}});
  {
    nlohmann::ordered_json line{{"event", "listening"}, {"address", m.config.listen_address},
                                {"port", port}};
    const std::string text = line.dump() + "\n";
    // stdout too, whatever the log's destination: it is how tests and supervisors learn the port.
    [[maybe_unused]] const auto n = ::write(STDOUT_FILENO, text.data(), text.size());
  }
  if (m.stop_requested) m.begin_stop();

  m.io.run();
  m.server->join();   // every connection has answered what it received, or timed out
  m.runner->stop();   // and anything still queued is finished
  m.begin_stop = nullptr;

  const WorkQueueStats s = m.runner->stats();
  log.info("stopped", "",
           {{"jobs", s.jobs}, {"batches", s.batches}, {"records", s.records},
            {"largest_batch", s.largest_batch}, {"failures", s.failures}});
  return {};
}

}  // namespace bcma::station::server
