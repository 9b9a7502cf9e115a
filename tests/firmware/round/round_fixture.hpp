#pragma once
// The round under test: real StationClient, OutboxSender, Outbox (real files in a temporary
// directory) and OfflineChecker; fake clock, display and indicator; the real station (its
// protocol handler and service over a SQLite file) behind an in-process network link.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "bcma/fw/round/round.hpp"
#include "bcma/fw/testing/fakes.hpp"
#include "../support/station_link.hpp"

namespace bcma::fw::round::testing {

using namespace fw::testing;
using namespace std::chrono_literals;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "bcma-round-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// 2026-03-10 (a Tuesday, GMT) at 08:05: Edith's 08:00 paracetamol is due.
inline domain::Instant morning() {
  return domain::Instant(std::chrono::sys_days(std::chrono::year(2026) / 3 / 10)) + 8h + 5min;
}

inline std::unique_ptr<outbox::Outbox> open_outbox(const std::filesystem::path& dir) {
  auto box = outbox::Outbox::open_directory(dir);
  if (!box) throw std::runtime_error("cannot open outbox: " + box.error().message);
  return std::move(*box);
}

/// A GS1 DataMatrix scan as the decoder reports it.
inline ScanEvent gs1_scan(const std::string& text, int year = 2026) {
  ScanEvent e;
  e.decode = bcma::scan::Decode{"DataMatrix", "]d2", true, text};
  e.scan = bcma::scan::classify(e.decode, bcma::scan::Context(year));
  return e;
}
inline ScanEvent badge(const std::string& gsrn) { return gs1_scan("8017" + gsrn); }
inline ScanEvent wristband(const std::string& gsrn) { return gs1_scan("8018" + gsrn); }
inline ScanEvent pack(const std::string& gtin, const std::string& batch = "B123") {
  return gs1_scan("01" + gtin + "17271231" + "10" + batch);
}

/// The station's clock: the scanner's wall clock, unless a test puts the two apart.
class StationClock final : public domain::Clock {
 public:
  explicit StationClock(const hal::Clock& scanner) : scanner_(scanner) {}
  domain::Instant now() const override { return scanner_.wall() + std::chrono::seconds(offset_.load()); }
  void set_offset(std::chrono::seconds d) { offset_ = d.count(); }

 private:
  const hal::Clock& scanner_;
  std::atomic<std::int64_t> offset_{0};  // read on the station's thread
};

class RoundTest : public ::testing::Test {
 protected:
  RoundTest() { rebuild(); }

  /// (Re)creates everything on the scanner side, as a restart of the handheld would; the
  /// station and the files stay.
  void rebuild(RoundOptions options = {}) {
    round_.reset();
    sender_.reset();
    client_.reset();
    outbox_.reset();
    rejected_.reset();
    outbox_ = open_outbox(dir_.path() / "outbox");
    rejected_ = open_outbox(dir_.path() / "rejected");
    client_ = std::make_unique<StationClient>(link_, clock_, ClientOptions{"scanner-01", "test", 10s});
    sender_ = std::make_unique<OutboxSender>(*outbox_, rejected_.get(), *client_, clock_);
    round_ = std::make_unique<Round>(
        RoundDeps{*client_, *sender_, *outbox_, display_, indicator_, clock_, random_}, options);
    round_->start();
  }

  const hal::Screen& screen() const { return round_->screen(); }
  std::string text() const {
    const auto& s = screen();
    std::string out = s.title + "\n";
    for (const auto& l : s.lines) out += l + "\n";
    for (const auto& r : s.reasons) out += r.code + ": " + r.message + "\n";
    for (const auto& m : s.menu) out += "[" + m.id + "] " + m.label + "\n";
    return out + s.notice + "\n" + s.status;
  }
  std::string state() const { return std::string(to_string(round_->state())); }
  std::optional<hal::Signal> last_signal() const {
    if (indicator_.signals().empty()) return std::nullopt;
    return indicator_.signals().back();
  }
  void choose(std::string_view id) {
    auto r = round_->choose(id);
    ASSERT_TRUE(r) << r.error().message;
  }
  void type_and_confirm(const std::string& digits) {
    auto r = round_->type(digits);
    ASSERT_TRUE(r) << r.error().message;
    round_->on_key(hal::Key::kConfirm);
  }
  void sign_in(const std::string& badge_gsrn, const std::string& pin) {
    round_->on_scan(badge(badge_gsrn));
    ASSERT_EQ(state(), "pin") << text();
    type_and_confirm(pin);
    ASSERT_EQ(state(), "scan_wristband") << text();
  }
  void identify(const std::string& gsrn) {
    round_->on_scan(wristband(gsrn));
    ASSERT_EQ(state(), "resident") << text();
    choose("confirm");
    ASSERT_EQ(state(), "scan_item") << text();
  }
  void give_prescribed() {
    choose("give");
    ASSERT_EQ(state(), "quantity") << text();
    round_->on_key(hal::Key::kConfirm);
    ASSERT_EQ(state(), "recorded") << text();
  }
  /// The RecordOutcome messages in the outbox, oldest first.
  std::vector<v1::RecordOutcome> pending_records() const {
    std::vector<v1::RecordOutcome> out;
    for (const auto& p : outbox_->pending()) {
      v1::RecordOutcome m;
      m.ParseFromArray(p.payload.data(), static_cast<int>(p.payload.size()));
      out.push_back(m);
    }
    return out;
  }

  /// Pumps the outbox until the station has answered everything sent (it answers from its own
  /// thread, after its group commit).
  void settle() {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
      sender_->pump();
      if (sender_->stats().in_flight == 0) return;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "the station did not answer within 10 s";
        return;
      }
      std::this_thread::sleep_for(5ms);
    }
  }
  /// Pumps for a while without expecting answers (acknowledgements being lost).
  void pump_for(std::chrono::milliseconds d) {
    const auto end = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < end) {
      sender_->pump();
      std::this_thread::sleep_for(5ms);
    }
  }

  /// Pumps until the station has stored `n` administrations (their acknowledgements may be
  /// lost on the way back); fails the test after 10 s.
  void wait_stored(std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (stored().size() < n) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "the station stored " << stored().size() << " of " << n << " within 10 s";
        return;
      }
      pump_for(20ms);
    }
  }

  /// The administrations the station stored for the outcomes the scanner sent, read from its
  /// database.
  std::vector<station::store::AdministrationRecord> stored() const {
    std::vector<station::store::AdministrationRecord> out;
    for (const auto& [id, n] : link_.receipts()) {
      if (auto r = station_.administration(id)) out.push_back(std::move(*r));
    }
    return out;
  }

  TempDir dir_;
  FakeClock clock_{morning()};
  StationClock station_clock_{clock_};
  InProcessStation station_{dir_.path() / "station", station_clock_, morning()};
  const StationHome& home_ = station_.home();
  StationLink link_{station_, "scanner-01"};
  FakeDisplay display_;
  FakeIndicator indicator_;
  outbox::SystemRandom random_;
  std::unique_ptr<outbox::Outbox> outbox_;
  std::unique_ptr<outbox::Outbox> rejected_;
  std::unique_ptr<StationClient> client_;
  std::unique_ptr<OutboxSender> sender_;
  std::unique_ptr<Round> round_;
};

}  // namespace bcma::fw::round::testing
