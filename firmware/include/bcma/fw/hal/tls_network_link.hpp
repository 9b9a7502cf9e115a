#pragma once
/// \file
/// `NetworkLink` over the transport's `ClientLink` (TLS 1.3, mutual authentication, reconnect
/// with backoff): the link of the simulator and of the handheld alike. It owns an io_context
/// and the one thread that runs it; frames are queued for `receive`.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "bcma/fw/hal/network_link.hpp"
#include "bcma/transport/client_link.hpp"
#include "bcma/transport/credentials.hpp"

namespace bcma::fw::hal {

struct TlsLinkOptions {
  std::string host;
  std::uint16_t port = 0;
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds retry_initial{500};
  std::chrono::milliseconds retry_max{10'000};
  /// Send `heartbeat_payload` when nothing was sent for this long (0: never); keeps the
  /// station's idle timeout (60 s) from closing a quiet scanner.
  std::chrono::milliseconds heartbeat_interval{20'000};
  std::string heartbeat_payload;
  /// Nothing received for this long: presume the station gone and reconnect (0: never).
  std::chrono::milliseconds dead_after{45'000};
};

class TlsNetworkLink final : public NetworkLink {
 public:
  /// Checks the bundle and starts connecting (enabled).
  /// Errors: `invalid_argument` (no host or port, or the bundle's keys are unusable).
  static Result<std::unique_ptr<TlsNetworkLink>> create(transport::DeviceBundle bundle,
                                                        TlsLinkOptions options);
  ~TlsNetworkLink() override;

  /// Why the last attempt failed, for the status line ("station_untrusted: ..."); empty if none.
  std::string last_error() const;

  struct Impl;

 private:
  explicit TlsNetworkLink(std::unique_ptr<Impl> impl);

  Result<void> DoSend(std::string payload) override;
  Result<std::string> DoReceive(std::chrono::milliseconds timeout) override;
  LinkStatus DoStatus() const override;
  std::uint64_t DoConnectionEpoch() const override;
  void DoSetEnabled(bool enabled) override;
  bool DoWaitUntilUp(std::chrono::milliseconds timeout) override;

  std::unique_ptr<Impl> impl_;
};

}  // namespace bcma::fw::hal
