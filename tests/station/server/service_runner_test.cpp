// The ServiceRunner in this process, without sockets: the real service and store on a real
// SQLite file, requests handed in as the protocol handler hands them, answers caught from each
// transport Reply. A batch is made deterministic by its size: with a long wait, the runner
// writes records only once `batch_max` of them are queued.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bcma/station/server/service_runner.hpp"
#include "station_harness.hpp"

namespace bcma::station::server::testing {
namespace {

/// Catches what the runner sends through one Reply.
class Inbox final : public transport::detail::ReplySink {
 public:
  bool send(std::string payload) override {
    const std::lock_guard lock(mutex_);
    frames_.push_back(std::move(payload));
    return true;
  }
  void finish(bool /*close_after*/) override {
    {
      const std::lock_guard lock(mutex_);
      finished_ = true;
    }
    done_.notify_all();
  }
  /// The one answer, once the runner has finished the reply (nullopt after kPatience).
  std::optional<v1::Envelope> answer() {
    std::unique_lock lock(mutex_);
    if (!done_.wait_for(lock, kPatience, [&] { return finished_; })) return std::nullopt;
    if (frames_.size() != 1) return std::nullopt;
    v1::Envelope env;
    if (!env.ParseFromString(frames_.front())) return std::nullopt;
    return env;
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  std::vector<std::string> frames_;
  bool finished_ = false;
};

/// A signed-in scanner's view: its device, session and the verdict for Cara's pack.
struct SignedIn {
  std::string device;
  std::string session;
  std::string verdict_id;
};

class ServiceRunnerTest : public ::testing::Test {
 protected:
  static constexpr std::size_t kBatch = 6;

  void SetUp() override {
    store::StoreOptions options;
    options.pin_cost = store::PinHashCost::minimum();
    auto opened = store::Store::open(home_.database(), clock_, options);
    ASSERT_TRUE(opened) << opened.error().message;
    store_.emplace(std::move(*opened));
    auto created = service::Service::create(*store_, clock_);
    ASSERT_TRUE(created) << created.error().message;
    service_.emplace(std::move(*created));
    start(kBatch);
  }
  /// Records wait (up to ten minutes) until `batch` of them are queued: one batch, by size.
  void start(std::size_t batch) {
    if (runner_) runner_->stop();
    runner_ = std::make_unique<ServiceRunner>(*service_, *store_, clock_, log_,
                                              WorkQueueOptions{batch, std::chrono::minutes{10}});
  }
  void TearDown() override {
    if (runner_) runner_->stop();
  }

  template <class Fn>
  std::optional<v1::Envelope> call(Fn fn) {
    auto inbox = std::make_shared<Inbox>();
    fn(transport::Reply(inbox));
    return inbox->answer();
  }

  /// Signs in on `device`, scans Cara's wristband and her pack (fails the test otherwise).
  SignedIn sign_in_and_scan(const std::string& device) {
    SignedIn s{device, {}, {}};
    v1::StaffLogin login;
    login.set_badge_gsrn(home_.seed.carer_badge);
    login.set_pin("1234");
    auto signed_in = call([&](transport::Reply r) { runner_->login(device, 1, login, std::move(r)); });
    EXPECT_TRUE(signed_in && signed_in->has_staff_login_result());
    if (!signed_in) return s;
    s.session = signed_in->staff_login_result().session_id();

    v1::ScanResident band;
    band.set_session_id(s.session);
    set_datamatrix(*band.mutable_decode(), "8018" + home_.cara_gsrn);
    band.set_entry(v1::ENTRY_METHOD_SCANNED);
    auto summary = call([&](transport::Reply r) { runner_->scan_resident(device, 2, band, std::move(r)); });
    EXPECT_TRUE(summary && summary->has_resident_summary());

    v1::ScanItem item;
    item.set_session_id(s.session);
    item.set_resident_id(std::to_string(home_.cara));
    set_datamatrix(*item.mutable_decode(), pack_text(home_.pack_gtin));
    item.set_entry(v1::ENTRY_METHOD_SCANNED);
    auto verdict = call([&](transport::Reply r) { runner_->scan_item(device, 3, item, std::move(r)); });
    EXPECT_TRUE(verdict && verdict->has_verdict()) << (verdict ? verdict->DebugString() : "no answer");
    if (verdict) s.verdict_id = verdict->verdict().verdict_id();
    return s;
  }

  /// An outcome id (a UUID) made from a number.
  static std::string outcome(std::uint64_t n) { return store::testing::uuid(n); }

  static void set_datamatrix(v1::RawDecode& d, const std::string& text) {
    d.set_format("DataMatrix");
    d.set_symbology("]d2");
    d.set_gs1(true);
    d.set_text(text);
  }

  /// A refusal of Cara's dose, as the scanner's outbox holds it.
  static v1::RecordOutcome refusal(const SignedIn& s, const std::string& outcome_id,
                                   std::string code = "refused") {
    auto env = record_envelope(s.session, outcome_id, "", s.verdict_id, false);
    env.mutable_record_outcome()->set_non_administration_code(std::move(code));
    return env.record_outcome();
  }

  /// Queues each record and waits for every answer (in input order).
  std::vector<std::optional<v1::Envelope>> record_all(
      const std::vector<std::pair<const SignedIn*, v1::RecordOutcome>>& records) {
    std::vector<std::shared_ptr<Inbox>> inboxes;
    std::uint64_t request_id = 100;
    for (const auto& [scanner, message] : records) {
      inboxes.push_back(std::make_shared<Inbox>());
      runner_->record(PendingRecord{scanner->device, ++request_id, message,
                                    transport::Reply(inboxes.back())});
    }
    std::vector<std::optional<v1::Envelope>> answers;
    for (auto& inbox : inboxes) answers.push_back(inbox->answer());
    return answers;
  }

  std::string count_records(const std::string& outcome_id) {
    return query(home_.database(),
                 "SELECT COUNT(*) FROM administrations WHERE record_id = '" + outcome_id + "'");
  }

  TestHome home_;
  domain::SystemClock clock_;  // TestHome's prescription is due at the real time of day
  Logger log_{LogLevel::error};
  std::optional<store::Store> store_;
  std::optional<service::Service> service_;
  std::unique_ptr<ServiceRunner> runner_;
};

TEST_F(ServiceRunnerTest, RecordsOfManySessionsAreCommittedInOneTransaction) {
  const SignedIn a = sign_in_and_scan("ward-r-01");
  const SignedIn b = sign_in_and_scan("ward-r-02");
  const SignedIn c = sign_in_and_scan("ward-r-03");
  ASSERT_FALSE(a.verdict_id.empty() || b.verdict_id.empty() || c.verdict_id.empty());

  // Six records from three sessions in one batch; the fourth names a code this home does not
  // have, which the store refuses for good.
  const std::vector<std::pair<const SignedIn*, v1::RecordOutcome>> records{
      {&a, refusal(a, outcome(0xB01))}, {&b, refusal(b, outcome(0xB02))},
      {&c, refusal(c, outcome(0xB03))}, {&a, refusal(a, outcome(0xB04), "no_such_code")},
      {&b, refusal(b, outcome(0xB05))}, {&c, refusal(c, outcome(0xB06))}};
  ASSERT_EQ(records.size(), kBatch);
  const std::uint64_t commits_before = store_->database().commits();
  const auto answers = record_all(records);
  // Read after every answer arrived: the runner's thread has finished with the store.
  const std::uint64_t commits = store_->database().commits() - commits_before;

  for (std::size_t i = 0; i < answers.size(); ++i) {
    const std::string outcome = records[i].second.outcome_id();
    ASSERT_TRUE(answers[i] && answers[i]->has_acknowledgement())
        << i << ": " << (answers[i] ? answers[i]->DebugString() : "no answer");
    const auto& ack = answers[i]->acknowledgement();
    EXPECT_EQ(ack.outcome_id(), outcome);
    if (i == 3) {
      EXPECT_EQ(ack.status(), v1::Acknowledgement::STATUS_REJECTED) << ack.DebugString();
      ASSERT_GT(ack.reasons_size(), 0);
      EXPECT_EQ(ack.reasons(0).code(), "unknown_code");
      EXPECT_EQ(count_records(outcome), "0");
    } else {
      EXPECT_EQ(ack.status(), v1::Acknowledgement::STATUS_RECORDED) << ack.DebugString();
      EXPECT_EQ(count_records(outcome), "1");
    }
  }
  EXPECT_EQ(commits, 1u) << "one durable commit for the whole batch, not one per session";
  runner_->stop();  // the queue counts a batch after its answers are sent
  const auto stats = runner_->stats();
  EXPECT_EQ(stats.batches, 1u);
  EXPECT_EQ(stats.largest_batch, kBatch);
  // The audit chain holds the five records in batch order and still verifies.
  EXPECT_EQ(query(home_.database(),
                  "SELECT group_concat(record_id, ',') FROM (SELECT record_id FROM administrations"
                  " ORDER BY audit_seq)"),
            outcome(0xB01) + "," + outcome(0xB02) + "," + outcome(0xB03) + "," + outcome(0xB05) + "," +
                outcome(0xB06));
  auto verified = store_->verify_audit();
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(verified->intact());
}

TEST_F(ServiceRunnerTest, CopiesInOneBatchGetTheFirstAcknowledgementByteForByte) {
  const SignedIn a = sign_in_and_scan("ward-r-04");
  const SignedIn b = sign_in_and_scan("ward-r-05");
  ASSERT_FALSE(a.verdict_id.empty() || b.verdict_id.empty());
  const v1::RecordOutcome copy = refusal(a, outcome(0xC0C0));
  // The same record built again a second later: same id, another event time.
  v1::RecordOutcome rebuilt = copy;
  rebuilt.mutable_event_time()->set_seconds(copy.event_time().seconds() - 1);

  // Four copies among another scanner's records, all in one batch, then a fifth copy later.
  const std::vector<std::pair<const SignedIn*, v1::RecordOutcome>> records{
      {&a, copy}, {&b, refusal(b, outcome(0xC0C1))}, {&a, copy},
      {&a, copy}, {&a, rebuilt},                  {&a, copy}};
  ASSERT_EQ(records.size(), kBatch);
  const auto answers = record_all(records);
  std::set<std::string> acks;
  for (std::size_t i : {0U, 2U, 3U, 5U}) {
    ASSERT_TRUE(answers[i] && answers[i]->has_acknowledgement()) << i;
    EXPECT_EQ(answers[i]->acknowledgement().status(), v1::Acknowledgement::STATUS_RECORDED) << i;
    acks.insert(answers[i]->acknowledgement().SerializeAsString());
  }
  // Other content under a stored id is refused for good, and stores nothing: this is what a
  // copy built twice gets, and why a scanner resends the bytes it stored.
  ASSERT_TRUE(answers[4] && answers[4]->has_acknowledgement());
  EXPECT_EQ(answers[4]->acknowledgement().status(), v1::Acknowledgement::STATUS_REJECTED);
  ASSERT_GT(answers[4]->acknowledgement().reasons_size(), 0);
  EXPECT_EQ(answers[4]->acknowledgement().reasons(0).code(), "record_conflict");

  // A later batch: the fifth copy, and five new records to fill it.
  std::vector<std::pair<const SignedIn*, v1::RecordOutcome>> later{{&a, copy}};
  for (std::uint64_t n = 1; n < kBatch; ++n) later.emplace_back(&b, refusal(b, outcome(0xC100 + n)));
  const auto late = record_all(later);
  ASSERT_TRUE(late[0] && late[0]->has_acknowledgement());
  acks.insert(late[0]->acknowledgement().SerializeAsString());

  EXPECT_EQ(acks.size(), 1u) << "every copy must get the first acknowledgement";
  EXPECT_EQ(count_records(copy.outcome_id()), "1");
  runner_->stop();  // the queue counts a batch after its answers are sent
  EXPECT_EQ(runner_->stats().batches, 2u);
}

// A record the store refuses must not count against the others: here a refusal with a code
// the home does not have would otherwise close Cara's dose, and block the real dose given on
// another scanner in the same batch as a second dose.
TEST_F(ServiceRunnerTest, ARecordTheStoreRefusesDoesNotBlockTheRestOfItsBatch) {
  start(2);
  const SignedIn a = sign_in_and_scan("ward-r-06");
  const SignedIn b = sign_in_and_scan("ward-r-07");
  ASSERT_FALSE(a.verdict_id.empty() || b.verdict_id.empty());
  const std::string given = outcome(0xD02);
  const auto given_message =
      record_envelope(b.session, given, "", b.verdict_id, true).record_outcome();
  const std::uint64_t commits_before = store_->database().commits();
  const auto answers =
      record_all({{&a, refusal(a, outcome(0xD01), "no_such_code")}, {&b, given_message}});
  const std::uint64_t commits = store_->database().commits() - commits_before;

  ASSERT_TRUE(answers[0] && answers[0]->has_acknowledgement());
  EXPECT_EQ(answers[0]->acknowledgement().status(), v1::Acknowledgement::STATUS_REJECTED);
  ASSERT_GT(answers[0]->acknowledgement().reasons_size(), 0);
  EXPECT_EQ(answers[0]->acknowledgement().reasons(0).code(), "unknown_code");
  ASSERT_TRUE(answers[1] && answers[1]->has_acknowledgement());
  EXPECT_EQ(answers[1]->acknowledgement().status(), v1::Acknowledgement::STATUS_RECORDED)
      << answers[1]->DebugString();
  EXPECT_EQ(query(home_.database(),
                  "SELECT outcome || '/' || decision FROM administrations WHERE record_id = '" +
                      given + "'"),
            "given/proceed");
  EXPECT_EQ(count_records(outcome(0xD01)), "0");
  EXPECT_EQ(commits, 1u);
}

}  // namespace
}  // namespace bcma::station::server::testing
