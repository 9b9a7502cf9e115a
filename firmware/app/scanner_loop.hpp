#pragma once
// The handheld's main loop, over the HAL only (so the simulator and the device run the same
// code): keys to the round, camera frames through the scan pipeline to the round, the outbox
// to the station, and the round's clock. Owned by bcma-scanner (main.cpp).

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "bcma/core/result.hpp"
#include "bcma/fw/hal/camera.hpp"
#include "bcma/fw/hal/clock.hpp"
#include "bcma/fw/hal/display.hpp"
#include "bcma/fw/hal/indicator.hpp"
#include "bcma/fw/hal/keys.hpp"
#include "bcma/fw/hal/network_link.hpp"
#include "bcma/fw/outbox/outbox.hpp"
#include "bcma/fw/round/outbox_sender.hpp"
#include "bcma/fw/round/round.hpp"
#include "bcma/fw/round/station_client.hpp"
#include "bcma/fw/scan/pipeline.hpp"

namespace bcma::fw::app {

/// The devices of one handheld. All must outlive the loop.
struct Devices {
  hal::Camera& camera;
  hal::Keypad& keypad;
  hal::Display& display;
  hal::Indicator& indicator;
  const hal::Clock& clock;
  hal::NetworkLink& link;
};

struct LoopOptions {
  std::string device_id;
  round::RoundOptions round;
  std::chrono::milliseconds request_timeout{4'000};
};

class ScannerLoop {
 public:
  /// Opens the outbox (`data_dir`/outbox) and the rejected journal (`data_dir`/rejected).
  /// Errors: the outbox's (`locked`: another bcma-scanner uses this folder, `corrupt`, `io`, ...).
  static Result<std::unique_ptr<ScannerLoop>> create(Devices devices,
                                                     const std::filesystem::path& data_dir,
                                                     LoopOptions options);
  ~ScannerLoop();
  ScannerLoop(const ScannerLoop&) = delete;
  ScannerLoop& operator=(const ScannerLoop&) = delete;

  /// Starts the camera and shows the first screen. Errors: the camera's.
  Result<void> start();

  /// One turn of the loop: every key already pressed, every frame the camera has (each code
  /// read is handed to the round once), then the outbox and the round's timers. Waits at most
  /// `wait` for the first key or frame. Returns false once both the keypad and the camera
  /// report `end_of_input`.
  bool turn(std::chrono::milliseconds wait);

  /// Forgets the codes already reported, so that the next sighting of the same code is a new
  /// scan (a script step presenting the same pack again).
  void forget_reported() { pipeline_.forget_reported(); }

  round::Round& round() { return *round_; }
  round::OutboxSender& sender() { return *sender_; }
  outbox::Outbox& outbox() { return *outbox_; }
  /// What the last frames' decoding found wrong (a frame in which nothing was read is not an
  /// error); empty if nothing.
  const std::string& last_camera_error() const { return camera_error_; }

 private:
  ScannerLoop(Devices devices, LoopOptions options);

  Devices devices_;
  LoopOptions options_;
  scan::ScanPipeline pipeline_;
  std::unique_ptr<outbox::Outbox> outbox_;
  std::unique_ptr<outbox::Outbox> rejected_;
  std::unique_ptr<round::StationClient> client_;
  std::unique_ptr<round::OutboxSender> sender_;
  outbox::SystemRandom random_;
  std::unique_ptr<round::Round> round_;
  std::string camera_error_;
  bool keys_ended_ = false;
  bool camera_ended_ = false;
};

}  // namespace bcma::fw::app
