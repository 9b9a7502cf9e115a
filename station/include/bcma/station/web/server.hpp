#pragma once
/// \file
/// The station's web pages over HTTPS (Boost.Beast), on a thread of their own with their own
/// connection to the station database, so that a slow page never delays a scanner.
/// `bcma-station` starts one beside the scanner server (docs/web.md, "Wiring").

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "bcma/core/result.hpp"
#include "bcma/station/store/pin_hash.hpp"
#include "bcma/station/web/handler.hpp"

namespace bcma::station::web {

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 8443;     ///< 0: any free port (tests)
  std::string cert_pem;          ///< the station's TLS certificate (and chain)
  std::string key_pem;           ///< its private key
  std::filesystem::path database;  ///< the station database (must exist)
  store::PinHashCost pin_cost = store::PinHashCost::interactive();
  HandlerOptions handler;
};

class Server {
 public:
  /// Opens the database, sets up TLS, binds, and starts serving on its own thread.
  /// Errors: `database_missing`, the store's open errors, `bad_credentials` (certificate or
  /// key unusable), `bind_failed`.
  static Result<std::unique_ptr<Server>> start(ServerOptions options);
  /// Stops accepting, closes connections and joins the thread.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  void stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bcma::station::web
