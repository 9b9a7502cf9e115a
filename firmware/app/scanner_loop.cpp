#include "scanner_loop.hpp"

#include <chrono>

namespace bcma::fw::app {

namespace {

int year_of(domain::Instant t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  return static_cast<int>(ymd.year());
}

bcma::scan::Context context_for(const hal::Clock& clock, const round::RoundOptions& options) {
  bcma::scan::Context context(year_of(clock.wall()));
  // The round refuses a malformed prefix in its own context; here it is only skipped.
  for (const auto& prefix : options.nhs_gsrn_prefixes) (void)context.add_nhs_gsrn_prefix(prefix);
  return context;
}

Unexpected<Error> outbox_failure(const std::filesystem::path& dir, const outbox::OutboxError& e) {
  return fail(std::string(outbox::to_string(e.code)), "outbox " + dir.string() + ": " + e.message);
}

}  // namespace

ScannerLoop::ScannerLoop(Devices devices, LoopOptions options)
    : devices_(devices), options_(std::move(options)),
      pipeline_(context_for(devices.clock, options_.round)) {}

ScannerLoop::~ScannerLoop() = default;

Result<std::unique_ptr<ScannerLoop>> ScannerLoop::create(Devices devices,
                                                         const std::filesystem::path& data_dir,
                                                         LoopOptions options) {
  std::unique_ptr<ScannerLoop> loop(new ScannerLoop(devices, std::move(options)));
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return fail("io", "cannot create " + data_dir.string() + ": " + ec.message());
  auto box = outbox::Outbox::open_directory(data_dir / "outbox");
  if (!box) return outbox_failure(data_dir / "outbox", box.error());
  loop->outbox_ = std::move(*box);
  auto rejected = outbox::Outbox::open_directory(data_dir / "rejected");
  if (!rejected) return outbox_failure(data_dir / "rejected", rejected.error());
  loop->rejected_ = std::move(*rejected);
  loop->client_ = std::make_unique<round::StationClient>(
      devices.link, devices.clock,
      round::ClientOptions{loop->options_.device_id, "0.1.0", loop->options_.request_timeout});
  loop->sender_ = std::make_unique<round::OutboxSender>(*loop->outbox_, loop->rejected_.get(),
                                                        *loop->client_, devices.clock);
  loop->round_ = std::make_unique<round::Round>(
      round::RoundDeps{*loop->client_, *loop->sender_, *loop->outbox_, devices.display,
                       devices.indicator, devices.clock, loop->random_},
      loop->options_.round);
  return loop;
}

Result<void> ScannerLoop::start() {
  if (auto r = devices_.camera.start(); !r) {
    return fail(std::string(hal::to_string(r.error().code)), "camera: " + r.error().message);
  }
  round_->start();
  return {};
}

bool ScannerLoop::turn(std::chrono::milliseconds wait) {
  // Keys first: a key pressed before a frame was taken was pressed before the scan.
  for (bool first = true;; first = false) {
    auto key = devices_.keypad.next_key(first ? wait : std::chrono::milliseconds(0));
    if (!key) {
      if (key.error().code == hal::Errc::end_of_input) keys_ended_ = true;
      break;
    }
    round_->on_key(*key);
  }
  for (;;) {
    auto frame = devices_.camera.capture(std::chrono::milliseconds(0));
    if (!frame) {
      if (frame.error().code == hal::Errc::end_of_input) camera_ended_ = true;
      break;
    }
    auto readings = pipeline_.process(frame->view, frame->captured_at);
    if (!readings) {
      camera_error_ = readings.error().code + ": " + readings.error().message;
      continue;
    }
    for (const auto& reading : *readings) {
      round_->on_scan(round::ScanEvent{scan::to_decode(reading.barcode), reading.scan});
    }
  }
  sender_->pump();
  round_->tick();
  return !(keys_ended_ && camera_ended_);
}

}  // namespace bcma::fw::app
