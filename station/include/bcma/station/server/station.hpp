#pragma once
/// \file
/// The whole station process, wired: the store and the scan-handling service on their thread,
/// the protocol handler, the TLS server, the revocation sweep, and graceful shutdown.
/// `bcma-station` is a thin main() around this; the benchmark runs it in-process.

#include <cstdint>
#include <memory>

#include "bcma/core/result.hpp"
#include "bcma/station/server/config.hpp"
#include "bcma/station/server/log.hpp"
#include "bcma/station/server/work_queue.hpp"

namespace bcma::station::server {

class Station {
 public:
  /// Opens the PKI, the device registry, the database (which must exist: `bcma station
  /// init` creates it, so that a mistyped path never starts an empty station) and the
  /// service, and binds the listening socket. Nothing is accepted until run().
  /// Errors: `config_invalid`, `database_missing`, the PKI's codes (`not_initialised`,
  /// `insecure_permissions`, `corrupt`, `io`), the store's (`cannot_open`, `schema_too_new`,
  /// `migration_failed`), the service's (`invalid_argument`), the transport's (`bind_failed`,
  /// `bad_credentials`).
  static Result<std::unique_ptr<Station>> open(const StationConfig& config, Logger& log);
  ~Station();
  Station(const Station&) = delete;
  Station& operator=(const Station&) = delete;

  /// The bound port (the real one when the configuration said 0).
  std::uint16_t port() const;

  /// Accepts scanners and serves them until stop() is called or, with `handle_signals`, until
  /// SIGTERM or SIGINT. Logs (and prints on stdout) one line
  /// `{"event":"listening","address":...,"port":...}` once scanners can connect. On stop:
  /// accepting ends, each connection answers what it already received (records are committed
  /// and acknowledged, or not acknowledged at all), the queue is finished, and run() returns.
  /// Errors: `stopped` (run() was already called).
  Result<void> run(bool handle_signals);
  /// Begins the graceful stop from any thread (or before run(): run() then returns at once).
  void stop();

  WorkQueueStats stats() const;

  struct Impl;

 private:
  explicit Station(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bcma::station::server
