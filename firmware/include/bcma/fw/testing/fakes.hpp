#pragma once
/// \file
/// Fakes of the HAL for tests (Pigweed's "fakes as targets": library bcma::fw_testing). Each
/// keeps what it was given so that a test can assert what a care worker would have seen and
/// heard.

#include <chrono>
#include <deque>
#include <memory>
#include <vector>

#include "bcma/domain/time.hpp"
#include "bcma/fw/hal/camera.hpp"
#include "bcma/fw/hal/clock.hpp"
#include "bcma/fw/hal/display.hpp"
#include "bcma/fw/hal/indicator.hpp"
#include "bcma/fw/hal/keys.hpp"
#include "bcma/fw/outbox/storage.hpp"

namespace bcma::fw::testing {

/// Time that moves only when told.
class FakeClock final : public hal::Clock {
 public:
  explicit FakeClock(domain::Instant wall) : wall_(wall) {}
  void advance(std::chrono::seconds d) {
    wall_ += d;
    mono_ += d;
  }
  void set_wall(domain::Instant t) { wall_ = t; }

 private:
  Monotonic DoMonotonic() const override { return mono_; }
  domain::Instant DoWall() const override { return wall_; }
  domain::Instant wall_;
  Monotonic mono_{std::chrono::hours(1000)};
};

/// Keeps every screen shown.
class FakeDisplay final : public hal::Display {
 public:
  const std::vector<hal::Screen>& screens() const { return screens_; }
  const hal::Screen& current() const { return screens_.back(); }
  void clear() { screens_.clear(); }

 private:
  hal::Result<void> DoShow(const hal::Screen& screen) override {
    screens_.push_back(screen);
    return {};
  }
  std::vector<hal::Screen> screens_;
};

/// Keeps every signal given.
class FakeIndicator final : public hal::Indicator {
 public:
  const std::vector<hal::Signal>& signals() const { return signals_; }
  void clear() { signals_.clear(); }

 private:
  hal::Result<void> DoSignal(hal::Signal s) override {
    signals_.push_back(s);
    return {};
  }
  std::vector<hal::Signal> signals_;
};

/// Keys pressed by the test, in order; `end_of_input` when none are left.
class FakeKeypad final : public hal::Keypad {
 public:
  void press(hal::Key k) { keys_.push_back(k); }

 private:
  hal::Result<hal::Key> DoNextKey(std::chrono::milliseconds) override {
    if (keys_.empty()) return hal::fail(hal::Errc::end_of_input, "no more keys");
    const hal::Key k = keys_.front();
    keys_.pop_front();
    return k;
  }
  std::deque<hal::Key> keys_;
};

/// Storage that forwards to another one until told to fail: appends and replacements then
/// fail with `fail_code` (e.g. storage_full), as a full or broken eMMC would.
class FailingStorage final : public outbox::Storage {
 public:
  explicit FailingStorage(std::unique_ptr<outbox::Storage> inner) : inner_(std::move(inner)) {}
  /// Shared with the test after the storage moved into an Outbox.
  struct Control {
    bool fail_writes = false;
    outbox::Errc fail_code = outbox::Errc::storage_full;
  };
  std::shared_ptr<Control> control() const { return control_; }

 private:
  outbox::Result<std::optional<outbox::Bytes>> do_read(std::string_view name) override {
    return inner_->read(name);
  }
  outbox::Result<void> do_append(std::string_view name, std::span<const std::uint8_t> data) override;
  outbox::Result<void> do_truncate(std::string_view name, std::uint64_t size) override {
    return inner_->truncate(name, size);
  }
  outbox::Result<void> do_replace(std::string_view name, std::span<const std::uint8_t> data) override;
  outbox::Result<void> do_remove(std::string_view name) override { return inner_->remove(name); }
  outbox::Result<std::vector<std::string>> do_list() override { return inner_->list(); }
  std::string do_describe(std::string_view name) const override { return inner_->describe(name); }

  std::unique_ptr<outbox::Storage> inner_;
  std::shared_ptr<Control> control_ = std::make_shared<Control>();
};

}  // namespace bcma::fw::testing
