// Outcomes go into the outbox first and are delivered exactly once per connection: storage
// failures, a crash between writing and sending, lost acknowledgements, reconnection,
// transient refusals, rejections, and a station that forgot the session.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "bcma/fw/outbox/posix_storage.hpp"
#include "round_fixture.hpp"

namespace bcma::fw::round::testing {
namespace {

class OutboxTest : public RoundTest {
 protected:
  /// Records one paracetamol dose for Edith (signed in as the care worker).
  void record_one() {
    if (!round_->signed_in()) sign_in(home_.care_worker_badge, "1234");
    if (state() != "scan_item") identify(home_.edith_gsrn);
    round_->on_scan(pack(home_.paracetamol_gtin));
    ASSERT_EQ(state(), "verdict") << text();
    if (screen().title.rfind("PROCEED", 0) == 0) {
      give_prescribed();
    } else {
      choose("not_given");
      choose("asleep");
    }
    ASSERT_EQ(state(), "recorded") << text();
    choose("next_item");
  }
};

TEST_F(OutboxTest, TheRecordIsDurableBeforeTheStationSeesIt) {
  int checked = 0;
  link_.on_record = [&](const v1::RecordOutcome& m) {
    // The scanner must have stored it before sending: look in the files, not in memory.
    auto storage = outbox::PosixStorage::open(dir_.path() / "outbox");
    ASSERT_FALSE(storage) << "the outbox directory is locked by the scanner (it is in use)";
    auto log = std::filesystem::path(dir_.path() / "outbox" / "outbox.log");
    std::ifstream in(log, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto id = outbox::Uuid::parse(m.outcome_id());
    ASSERT_TRUE(id);
    const std::string raw(reinterpret_cast<const char*>(id->bytes.data()), id->bytes.size());
    EXPECT_NE(bytes.find(raw), std::string::npos) << "record " << m.outcome_id() << " not in the log yet";
    ++checked;
  };
  record_one();
  EXPECT_EQ(checked, 1);
}

TEST_F(OutboxTest, WhenStorageFailsTheScreenNeverSaysRecorded) {
  // Rebuild the round on an outbox whose storage can be made to fail.
  auto posix = outbox::PosixStorage::open(dir_.path() / "failing");
  ASSERT_TRUE(posix);
  auto failing = std::make_unique<FailingStorage>(std::move(*posix));
  auto control = failing->control();
  auto box = outbox::Outbox::open(std::move(failing));
  ASSERT_TRUE(box);
  outbox_ = std::move(*box);
  sender_ = std::make_unique<OutboxSender>(*outbox_, rejected_.get(), *client_, clock_);
  round_ = std::make_unique<Round>(RoundDeps{*client_, *sender_, *outbox_, display_, indicator_, clock_, random_});
  round_->start();
  sign_in(home_.care_worker_badge, "1234");
  identify(home_.edith_gsrn);
  round_->on_scan(pack(home_.paracetamol_gtin));
  choose("give");
  control->fail_writes = true;
  round_->on_key(hal::Key::kConfirm);
  ASSERT_EQ(state(), "record_failed");
  EXPECT_EQ(screen().title, "NOT RECORDED");
  EXPECT_EQ(screen().tone, hal::Tone::kError);
  EXPECT_EQ(last_signal(), hal::Signal::kError);
  for (const auto& s : display_.screens()) EXPECT_NE(s.title, "RECORDED");
  EXPECT_TRUE(link_.receipts().empty()) << "nothing is sent that is not stored";
  choose("retry");
  EXPECT_EQ(state(), "record_failed");
  control->fail_writes = false;
  choose("retry");
  ASSERT_EQ(state(), "recorded");
  settle();
  ASSERT_EQ(stored().size(), 1u);
  EXPECT_EQ(link_.receipts().size(), 1u);
}

TEST_F(OutboxTest, GivingUpAfterAStorageFailureSaysPaper) {
  auto posix = outbox::PosixStorage::open(dir_.path() / "failing");
  ASSERT_TRUE(posix);
  auto failing = std::make_unique<FailingStorage>(std::move(*posix));
  auto control = failing->control();
  auto box = outbox::Outbox::open(std::move(failing));
  ASSERT_TRUE(box) << box.error().message;
  round_.reset();
  sender_.reset();
  outbox_ = std::move(*box);
  sender_ = std::make_unique<OutboxSender>(*outbox_, rejected_.get(), *client_, clock_);
  round_ = std::make_unique<Round>(RoundDeps{*client_, *sender_, *outbox_, display_, indicator_, clock_, random_});
  round_->start();
  control->fail_writes = true;  // the eMMC fails from now on
  sign_in(home_.care_worker_badge, "1234");
  identify(home_.edith_gsrn);
  round_->on_scan(pack(home_.paracetamol_gtin));
  choose("give");
  round_->on_key(hal::Key::kConfirm);
  choose("abandon");
  EXPECT_EQ(state(), "scan_item");
  EXPECT_NE(screen().notice.find("Record it on paper"), std::string::npos) << screen().notice;
}

TEST_F(OutboxTest, AKillBetweenWritingAndSendingLosesNothing) {
  sign_in(home_.care_worker_badge, "1234");
  identify(home_.edith_gsrn);
  round_->on_scan(pack(home_.paracetamol_gtin));
  choose("give");
  std::fflush(nullptr);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // In the child: the radio is gone, so the record reaches the outbox but is never sent;
    // then the process dies without any clean-up, as on a power cut.
    link_.set_reachable(false);
    round_->on_key(hal::Key::kConfirm);
    if (round_->state() != State::kRecorded) ::_exit(3);
    ::kill(::getpid(), SIGKILL);
    ::_exit(4);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;
  EXPECT_TRUE(link_.receipts().empty());
  // The scanner restarts: a new process opens the same outbox and sends what is there.
  round_.reset();
  sender_.reset();
  outbox_.reset();
  rebuild();
  ASSERT_EQ(outbox_->size(), 1u);
  EXPECT_EQ(pending_records().front().outcome(), "given");
  settle();
  ASSERT_EQ(stored().size(), 1u);
  EXPECT_EQ(stored().front().record.quantity.to_string(), "2");
  EXPECT_EQ(outbox_->size(), 0u);
}

TEST_F(OutboxTest, RecordsMadeOfflineAreDeliveredExactlyOnceAfterReconnection) {
  // Three doses, each checked by the station; the Wi-Fi goes before each outcome is recorded.
  sign_in(home_.care_worker_badge, "1234");
  struct Dose {
    std::string wristband, gtin;
    const char* why;
  };
  for (const Dose& d : {Dose{home_.edith_gsrn, home_.paracetamol_gtin, "asleep"},
                        Dose{home_.arthur_gsrn, home_.amoxicillin_gtin, "refused"},
                        Dose{home_.arthur_gsrn, home_.morphine_gtin, "refused"}}) {
    link_.set_reachable(true);
    if (state() != "scan_item") identify(d.wristband);
    round_->on_scan(pack(d.gtin));
    ASSERT_EQ(state(), "verdict") << text();
    link_.set_reachable(false);
    choose("not_given");
    choose(d.why);
    ASSERT_EQ(state(), "recorded") << text();
    choose(d.wristband == home_.edith_gsrn ? "next_resident" : "next_item");
  }
  EXPECT_EQ(outbox_->size(), 3u);
  EXPECT_NE(screen().status.find("3 to send"), std::string::npos) << screen().status;
  sender_->pump();
  EXPECT_TRUE(link_.receipts().empty()) << "nothing can be sent without the network";
  link_.set_reachable(true);
  settle();
  ASSERT_EQ(link_.receipts().size(), 3u);
  for (const auto& [id, n] : link_.receipts()) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(stored().size(), 3u);
  EXPECT_EQ(outbox_->size(), 0u);
  for (int i = 0; i < 3; ++i) settle();
  for (const auto& [id, n] : link_.receipts()) EXPECT_EQ(n, 1) << "sent again after its acknowledgement: " << id;
}

TEST_F(OutboxTest, LostAcknowledgementsAreResentOncePerConnectionAndRecordedOnce) {
  link_.set_lose_acknowledgements(true);
  record_one();  // Edith's paracetamol, given
  choose("next_resident");
  identify(home_.arthur_gsrn);
  round_->on_scan(pack(home_.amoxicillin_gtin));
  ASSERT_EQ(state(), "verdict") << text();
  choose("not_given");
  choose("refused");
  ASSERT_EQ(state(), "recorded") << text();
  wait_stored(2);
  pump_for(100ms);
  EXPECT_EQ(outbox_->size(), 2u) << "no acknowledgement arrived";
  EXPECT_EQ(stored().size(), 2u) << "but the station stored both";
  for (const auto& [id, n] : link_.receipts()) EXPECT_EQ(n, 1) << "resent on the same connection: " << id;
  link_.set_reachable(false);
  link_.set_lose_acknowledgements(false);
  link_.set_reachable(true);
  settle();
  ASSERT_EQ(link_.receipts().size(), 2u);
  for (const auto& [id, n] : link_.receipts()) EXPECT_EQ(n, 2) << id;
  EXPECT_EQ(stored().size(), 2u) << "the station recorded each once";
  EXPECT_EQ(outbox_->size(), 0u);
}

TEST_F(OutboxTest, ARecordTheStationWillNeverAcceptLeavesTheOutboxIsKeptAndIsShown) {
  sign_in(home_.care_worker_badge, "1234");
  identify(home_.edith_gsrn);
  round_->on_scan(pack(home_.paracetamol_gtin));
  ASSERT_EQ(state(), "verdict");
  // The scanner's clock runs an hour ahead of the station's: the station refuses a record
  // dated in its future, for good.
  station_clock_.set_offset(-1h);
  give_prescribed();
  settle();
  EXPECT_EQ(outbox_->size(), 0u);
  EXPECT_EQ(rejected_->size(), 1u) << "kept in the rejected journal";
  EXPECT_TRUE(stored().empty());
  round_->tick();
  EXPECT_NE(screen().notice.find("did NOT record an outcome"), std::string::npos) << screen().notice;
  EXPECT_NE(screen().status.find("1 REJECTED"), std::string::npos) << screen().status;
  EXPECT_EQ(last_signal(), hal::Signal::kError);
}

TEST_F(OutboxTest, AfterAStationRestartRecordsNeverTravelUnderSomeoneElsesName) {
  link_.set_lose_acknowledgements(true);
  record_one();
  wait_stored(1);
  link_.set_lose_acknowledgements(false);
  ASSERT_EQ(stored().size(), 1u);
  station_.restart();  // sessions and scans forgotten, records kept; the connection drops
  pump_for(300ms);
  EXPECT_EQ(outbox_->size(), 1u) << "the station no longer knows the session: the record waits";
  // Someone else signs in: the record must not travel under their name.
  round_->tick();
  if (round_->signed_in()) choose("sign_out");
  sign_in(home_.nurse_badge, "5678");
  const int sent_before = link_.receipts().begin()->second;
  pump_for(300ms);
  EXPECT_EQ(link_.receipts().begin()->second, sent_before) << "not sent under the nurse's session";
  EXPECT_EQ(sender_->stats().waiting_for_signin, 1u);
  EXPECT_EQ(outbox_->size(), 1u);
  ASSERT_EQ(stored().size(), 1u) << "stored exactly once";
  EXPECT_EQ(stored().front().record.staff_id, home_.care_worker) << "under the person who gave it";
  // The person who gave it signs in again: the record is sent under their new session; the
  // station already holds it (by its id) and never stores it twice.
  choose("sign_out");
  sign_in(home_.care_worker_badge, "1234");
  for (int i = 0; i < 500 && link_.receipts().begin()->second == sent_before; ++i) pump_for(20ms);
  EXPECT_GT(link_.receipts().begin()->second, sent_before) << "sent again under their session";
  pump_for(100ms);
  EXPECT_EQ(stored().size(), 1u) << "never stored twice";
}

}  // namespace
}  // namespace bcma::fw::round::testing
