// Protocol 1.1 on the station, message by message: the real ProtocolHandler, ServiceRunner and
// Service over a real SQLite file (tests/firmware/support), driven with raw envelopes through
// the in-process link. The snapshot is decoded with the scanner's own decoder, so that what
// the station sends is what the scanner can use.
#include <gtest/gtest.h>

#include <set>

#include "../support/station_link.hpp"
#include "bcma/fw/round/snapshot_codec.hpp"

namespace bcma::fw::testing {
namespace {

using namespace std::chrono_literals;

/// 2026-03-10 at 08:05 GMT: the morning round's doses are due.
domain::Instant round_time() {
  return domain::Instant(std::chrono::sys_days(std::chrono::year(2026) / 3 / 10)) + 8h + 5min;
}

class TempStationDir {
 public:
  TempStationDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "bcma-v11-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempStationDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempStationDir(const TempStationDir&) = delete;
  TempStationDir& operator=(const TempStationDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

v1::RawDecode gs1_decode(const std::string& text) {
  v1::RawDecode d;
  d.set_format("DataMatrix");
  d.set_symbology("]d2");
  d.set_gs1(true);
  d.set_text(text);
  return d;
}

class StationV11Test : public ::testing::Test {
 protected:
  StationV11Test() : station_(dir_.path() / "station", clock_, round_time()), link_(station_, "ward-a-01") {}

  const StationHome& home() const { return station_.home(); }

  /// Sends `req` with a fresh request id; the station's answer (an empty envelope if none came).
  v1::Envelope call(v1::Envelope req) {
    req.set_request_id(next_id_++);
    EXPECT_TRUE(link_.send(req.SerializeAsString()));
    return receive(req.request_id());
  }
  v1::Envelope send_raw(const std::string& payload, std::uint64_t request_id) {
    EXPECT_TRUE(link_.send(payload));
    return receive(request_id);
  }
  v1::Envelope receive(std::uint64_t request_id) {
    auto frame = link_.receive(20s);
    if (!frame) {
      ADD_FAILURE() << "no answer to request " << request_id;
      return {};
    }
    v1::Envelope env;
    EXPECT_TRUE(env.ParseFromString(*frame));
    EXPECT_EQ(env.request_id(), request_id);
    return env;
  }

  v1::Envelope hello(std::uint32_t minor) {
    v1::Envelope e;
    auto* h = e.mutable_device_hello();
    h->set_protocol_major(1);
    h->set_protocol_minor(minor);
    h->set_device_id("ward-a-01");
    return call(e);
  }
  std::string login(const std::string& badge, const std::string& pin) {
    v1::Envelope e;
    e.mutable_staff_login()->set_badge_gsrn(badge);
    e.mutable_staff_login()->set_pin(pin);
    const auto r = call(e);
    EXPECT_EQ(r.staff_login_result().status(), v1::StaffLoginResult::STATUS_OK) << r.DebugString();
    return r.staff_login_result().session_id();
  }
  v1::ResidentSummary scan_resident(const std::string& session, const std::string& gsrn) {
    v1::Envelope e;
    e.mutable_scan_resident()->set_session_id(session);
    *e.mutable_scan_resident()->mutable_decode() = gs1_decode("8018" + gsrn);
    e.mutable_scan_resident()->set_entry(v1::ENTRY_METHOD_SCANNED);
    return call(e).resident_summary();
  }
  v1::Verdict scan_item(const std::string& session, const v1::ResidentSummary& resident,
                        const std::string& gtin) {
    v1::Envelope e;
    e.mutable_scan_item()->set_session_id(session);
    e.mutable_scan_item()->set_resident_id(resident.resident_id());
    *e.mutable_scan_item()->mutable_decode() = gs1_decode("01" + gtin + "17271231" + "10B123");
    e.mutable_scan_item()->set_entry(v1::ENTRY_METHOD_SCANNED);
    const auto r = call(e);
    EXPECT_TRUE(r.has_verdict()) << r.DebugString();
    return r.verdict();
  }
  v1::Envelope snapshot_part(const std::string& session, std::uint32_t part, const std::string& id) {
    v1::Envelope e;
    auto* m = e.mutable_round_snapshot_request();
    m->set_session_id(session);
    m->set_part(part);
    m->set_snapshot_id(id);
    return call(e);
  }
  v1::Envelope confirm(const std::string& session, const std::string& badge, const std::string& pin,
                       const std::string& verdict_id) {
    v1::Envelope e;
    auto* m = e.mutable_confirm_witness();
    m->set_session_id(session);
    m->set_badge_gsrn(badge);
    m->set_pin(pin);
    m->set_verdict_id(verdict_id);
    return call(e);
  }
  v1::Envelope record_given(const std::string& session, const v1::ResidentSummary& resident,
                            const v1::Verdict& verdict, const std::string& outcome_id,
                            const v1::Witness* witness) {
    v1::Envelope e;
    auto* m = e.mutable_record_outcome();
    m->set_outcome_id(outcome_id);
    m->set_session_id(session);
    m->set_resident_id(resident.resident_id());
    m->set_verdict_id(verdict.verdict_id());
    m->set_scheduled_dose_id(verdict.scheduled_dose_id());
    m->set_kind(v1::OUTCOME_KIND_GIVEN);
    m->mutable_quantity()->set_value("1");
    m->mutable_quantity()->set_unit("tablet");
    m->mutable_event_time()->set_seconds(round_time().time_since_epoch().count());
    if (witness != nullptr) *m->mutable_override()->mutable_witness() = *witness;
    return call(e);
  }

  TempStationDir dir_;
  domain::FixedClock clock_{round_time()};
  InProcessStation station_;
  StationLink link_;
  std::uint64_t next_id_ = 1;
};

TEST_F(StationV11Test, AOneZeroScannerIsAnsweredAsBeforeAndAOneOneScannerIsServed) {
  const auto old = hello(0);
  ASSERT_TRUE(old.hello_response().accepted());
  EXPECT_EQ(old.hello_response().protocol_minor(), 1u) << "the station says what it speaks";
  const std::string session = login(home().care_worker_badge, "1234");
  const auto refused = snapshot_part(session, 0, "");
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(refused.error().code(), "unsupported_message");
  v1::Envelope beat;
  beat.mutable_heartbeat();
  EXPECT_TRUE(call(beat).has_heartbeat()) << "the connection goes on";

  ASSERT_TRUE(hello(1).hello_response().accepted());
  const auto served = snapshot_part(session, 0, "");
  EXPECT_TRUE(served.has_round_snapshot()) << served.DebugString();
}

TEST_F(StationV11Test, TheSnapshotHoldsTheRoundAndTheScannerCanReadIt) {
  hello(1);
  const std::string session = login(home().care_worker_badge, "1234");
  const auto first = snapshot_part(session, 0, "");
  ASSERT_TRUE(first.has_round_snapshot()) << first.DebugString();
  const auto& part0 = first.round_snapshot();
  ASSERT_GE(part0.part_count(), 1u);
  EXPECT_FALSE(part0.snapshot_id().empty());
  round::OfflineData data;
  ASSERT_TRUE(round::merge_snapshot_part(part0, data));
  for (std::uint32_t i = 1; i < part0.part_count(); ++i) {
    const auto more = snapshot_part(session, i, part0.snapshot_id());
    ASSERT_TRUE(more.has_round_snapshot()) << more.DebugString();
    ASSERT_TRUE(round::merge_snapshot_part(more.round_snapshot(), data));
  }
  EXPECT_EQ(data.generated_at, round_time());
  EXPECT_GT(data.valid_until, round_time());
  ASSERT_TRUE(data.staff_role);
  EXPECT_EQ(*data.staff_role, domain::Role::kCareWorker);
  std::set<std::string> names;
  for (const auto& r : data.residents) names.insert(r.given_name);
  EXPECT_EQ(names, (std::set<std::string>{"Arthur", "Edith"}));
  EXPECT_EQ(data.prescriptions.size(), 4u);
  EXPECT_TRUE(data.products.contains(home().paracetamol_gtin));
  EXPECT_TRUE(data.products.contains(home().morphine_gtin));
  EXPECT_EQ(data.products.at(home().morphine_gtin).vmp.controlled_drug,
            domain::ControlledDrugCategory::kSchedule2);
  EXPECT_FALSE(data.products.contains(home().ibuprofen_gtin)) << "prescribed to nobody";
  EXPECT_FALSE(data.codes.empty());
  EXPECT_TRUE(data.policy.may_override(rules::ReasonCode::kAllergy, domain::Role::kNurse));

  // A part of a snapshot the session no longer holds is refused, not mixed in.
  const auto stale = snapshot_part(session, 1, "not-" + part0.snapshot_id());
  ASSERT_TRUE(stale.has_error());
  EXPECT_EQ(stale.error().code(), "snapshot_expired");
  const auto beyond = snapshot_part(session, part0.part_count(), part0.snapshot_id());
  ASSERT_TRUE(beyond.has_error());
  EXPECT_EQ(beyond.error().code(), "invalid_request");
}

TEST_F(StationV11Test, TheResidentScreenShowsWhoAndWhatIsDue) {
  hello(1);
  const std::string session = login(home().care_worker_badge, "1234");
  const auto edith = scan_resident(session, home().edith_gsrn);
  EXPECT_EQ(edith.display_name(), "Edith Clarke");
  EXPECT_EQ(edith.photo_ref(), "photos/edith-clarke.jpg");
  EXPECT_EQ(edith.date_of_birth(), "1938-04-17");
  const auto arthur = scan_resident(session, home().arthur_gsrn);
  ASSERT_EQ(arthur.allergies_size(), 1);
  EXPECT_EQ(arthur.allergies(0), "Amoxicillin - rash");
  ASSERT_EQ(arthur.due_size(), 2);
  std::set<std::string> due;
  for (const auto& d : arthur.due()) {
    EXPECT_TRUE(d.due_now()) << d.medicine_name();
    EXPECT_EQ(d.time(), "08:00");
    due.insert(d.medicine_name());
  }
  EXPECT_EQ(due, (std::set<std::string>{"Amoxicillin 500mg capsules", "Morphine 10mg tablets"}));
  EXPECT_EQ(arthur.due_count(), 2u);
}

TEST_F(StationV11Test, AnOverrideIsOfferedOnlyToWhomTheHomeAllows) {
  hello(1);
  const std::string carer = login(home().care_worker_badge, "1234");
  auto arthur = scan_resident(carer, home().arthur_gsrn);
  const auto for_carer = scan_item(carer, arthur, home().amoxicillin_gtin);
  EXPECT_EQ(for_carer.decision(), v1::Verdict::DECISION_BLOCK);
  EXPECT_FALSE(for_carer.override_allowed()) << "an allergy is for a nurse or pharmacist";

  const std::string nurse = login(home().nurse_badge, "5678");
  arthur = scan_resident(nurse, home().arthur_gsrn);
  const auto for_nurse = scan_item(nurse, arthur, home().amoxicillin_gtin);
  EXPECT_EQ(for_nurse.decision(), v1::Verdict::DECISION_BLOCK);
  EXPECT_TRUE(for_nurse.override_allowed());
  EXPECT_TRUE(for_nurse.override_needs_witness());
}

TEST_F(StationV11Test, AControlledDrugIsWitnessedByASecondPersonAndBothAreRecorded) {
  hello(1);
  const std::string session = login(home().care_worker_badge, "1234");
  const auto arthur = scan_resident(session, home().arthur_gsrn);
  const auto verdict = scan_item(session, arthur, home().morphine_gtin);
  ASSERT_TRUE(verdict.witness_required()) << verdict.DebugString();

  const auto self = confirm(session, home().care_worker_badge, "1234", verdict.verdict_id());
  ASSERT_TRUE(self.has_witness_confirmation()) << self.DebugString();
  EXPECT_EQ(self.witness_confirmation().status(), v1::WitnessConfirmation::STATUS_REJECTED);
  EXPECT_NE(self.witness_confirmation().message().find("second person"), std::string::npos);
  const auto wrong = confirm(session, home().senior_badge, "9999", verdict.verdict_id());
  EXPECT_EQ(wrong.witness_confirmation().status(), v1::WitnessConfirmation::STATUS_REJECTED);
  EXPECT_TRUE(wrong.witness_confirmation().confirmation_id().empty());

  const auto ok = confirm(session, home().senior_badge, "2468", verdict.verdict_id());
  ASSERT_EQ(ok.witness_confirmation().status(), v1::WitnessConfirmation::STATUS_CONFIRMED)
      << ok.DebugString();
  EXPECT_EQ(ok.witness_confirmation().witness_name(), "Sam Senior");
  v1::Witness witness;
  witness.set_badge_gsrn(home().senior_badge);
  witness.set_confirmation_id(ok.witness_confirmation().confirmation_id());
  const std::string id = "5d0c7a31-2b4e-4f6a-9c8d-1e2f3a4b5c6d";
  const auto ack = record_given(session, arthur, verdict, id, &witness);
  ASSERT_EQ(ack.acknowledgement().status(), v1::Acknowledgement::STATUS_RECORDED) << ack.DebugString();
  const auto stored = station_.administration(id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->record.staff_id, home().care_worker);
  ASSERT_TRUE(stored->record.witness);
  EXPECT_EQ(*stored->record.witness, home().senior);
}

TEST_F(StationV11Test, AConfirmationTheStationNeverGaveIsNotAWitness) {
  hello(1);
  const std::string session = login(home().care_worker_badge, "1234");
  const auto arthur = scan_resident(session, home().arthur_gsrn);
  const auto verdict = scan_item(session, arthur, home().morphine_gtin);
  v1::Witness witness;
  witness.set_badge_gsrn(home().senior_badge);
  witness.set_confirmation_id("wc-made-up");
  const auto ack = record_given(session, arthur, verdict, "6e1d8b42-3c5f-4a7b-8d9e-2f3a4b5c6d7e", &witness);
  ASSERT_EQ(ack.acknowledgement().status(), v1::Acknowledgement::STATUS_REJECTED) << ack.DebugString();
  EXPECT_EQ(ack.acknowledgement().reasons(0).code(), "unknown_confirmation");
}

TEST_F(StationV11Test, AMalformedOneOneRequestClosesThatConnectionOnly) {
  hello(1);
  const std::string session = login(home().care_worker_badge, "1234");
  const std::uint64_t epoch = link_.connection_epoch();
  const auto no_pin = confirm(session, home().senior_badge, "", "1");
  ASSERT_TRUE(no_pin.has_error());
  EXPECT_EQ(no_pin.error().code(), "invalid_request");
  EXPECT_NE(no_pin.error().message().find("no PIN; the connection is closed"), std::string::npos)
      << no_pin.error().message();

  // The next frame goes on a new connection, which must greet again; the station still serves.
  v1::Envelope beat;
  beat.mutable_heartbeat();
  (void)call(beat);
  EXPECT_GT(link_.connection_epoch(), epoch) << "the station closed the old connection";
  const auto again = snapshot_part(session, 0, "");
  ASSERT_TRUE(again.has_error());
  EXPECT_EQ(again.error().code(), "hello_required");
  hello(1);
  EXPECT_TRUE(snapshot_part(session, 0, "").has_round_snapshot());

  // Bytes in the snapshot request's field that are not a message: the frame itself is broken.
  const std::uint64_t before = link_.connection_epoch();
  std::string garbage = v1::Envelope().SerializeAsString();
  garbage += std::string("\x08\x63", 2);            // request_id 99
  garbage += std::string("\xb2\x01\x03\xff\xff\xff", 6);  // field 22, 3 bytes of nonsense
  const auto broken = send_raw(garbage, 0);
  ASSERT_TRUE(broken.has_error());
  EXPECT_EQ(broken.error().code(), "malformed_frame");
  (void)call(beat);
  EXPECT_GT(link_.connection_epoch(), before);
  const auto parts = snapshot_part(session, 1, "");
  ASSERT_TRUE(parts.has_error()) << "the new connection must greet first";
  hello(1);
  const auto no_id = snapshot_part(session, 1, "");
  ASSERT_TRUE(no_id.has_error());
  EXPECT_EQ(no_id.error().code(), "invalid_request");
}

}  // namespace
}  // namespace bcma::fw::testing
