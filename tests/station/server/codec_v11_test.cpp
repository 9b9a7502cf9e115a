// Protocol 1.1 in the station's translation layer: the resident screen's new fields, the
// override flags, records that carry their own evidence (made offline, or after the station
// forgot the scans), witnesses named by confirmation, and the round snapshot split in parts.
#include <gtest/gtest.h>

#include <set>

#include "codec.hpp"
#include "round_snapshot_codec.hpp"
#include "session_book.hpp"

namespace bcma::station::server::detail {
namespace {

using namespace std::chrono_literals;

const domain::Instant kNoon{std::chrono::seconds(1'773'144'000)};  // 2026-03-10 12:00 UTC

/// A session that has scanned nothing: what a station holds for a scanner that worked offline.
struct EmptySession {
  SessionBook book;
  SessionMemo* memo = nullptr;
  std::map<std::string, domain::Outcome, std::less<>> codes{{"refused", domain::Outcome::kRefused}};
  EmptySession() {
    book.signed_in("s", "ward-a-01", 3, kNoon + 12h, kNoon);
    memo = book.find("s", "ward-a-01");
  }
  RecordContext context() { return RecordContext{memo, 3, &codes}; }
};

v1::RawDecode raw(const std::string& text) {
  v1::RawDecode d;
  d.set_format("DataMatrix");
  d.set_symbology("]d2");
  d.set_gs1(true);
  d.set_text(text);
  return d;
}

/// A dose given offline: no verdict id, the evidence in the record.
v1::RecordOutcome offline_record() {
  v1::RecordOutcome m;
  m.set_outcome_id("9b2e7c1d-4a5f-4e83-b6d0-2c8f1e3a5b7c");
  m.set_session_id("s");
  m.set_resident_id("7");
  m.set_scheduled_dose_id("12@1773129600");
  m.set_kind(v1::OUTCOME_KIND_GIVEN);
  m.mutable_quantity()->set_value("2");
  m.mutable_quantity()->set_unit("tablet");
  m.mutable_event_time()->set_seconds(1'773'130'000);
  *m.mutable_wristband() = raw("8018501234500001016");
  m.set_wristband_entry(v1::ENTRY_METHOD_SCANNED);
  *m.mutable_item() = raw("0105012345000018");
  m.set_item_entry(v1::ENTRY_METHOD_SCANNED);
  m.set_offline(true);
  return m;
}

TEST(RecordEvidence, AnOfflineRecordIsStoredFromTheScansItCarries) {
  EmptySession s;
  auto r = outcome_request(offline_record(), s.context());
  ASSERT_TRUE(r) << r.error().code << ": " << r.error().message;
  EXPECT_EQ(r->resident_id, 7);
  EXPECT_EQ(r->wristband.decode.text, "8018501234500001016");
  EXPECT_EQ(r->wristband.entry, service::ScanInput::Entry::kScanned);
  ASSERT_TRUE(r->item);
  EXPECT_EQ(r->item->decode.text, "0105012345000018");
  EXPECT_EQ(r->prescription_id, 12);
  ASSERT_TRUE(r->slot);
  EXPECT_EQ(r->slot->time_since_epoch().count(), 1'773'129'600);
}

TEST(RecordEvidence, AForgottenVerdictIsReplacedByTheEvidence) {
  EmptySession s;
  auto m = offline_record();
  m.set_verdict_id("41");  // given before a station restart
  m.set_offline(false);
  auto r = outcome_request(m, s.context());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->item);
  EXPECT_EQ(r->item->decode.text, "0105012345000018");
}

TEST(RecordEvidence, ATypedItemKeepsTheScannersReason) {
  EmptySession s;
  auto m = offline_record();
  m.set_item_entry(v1::ENTRY_METHOD_TYPED);
  m.set_item_manual_reason("pack_damaged");
  auto r = outcome_request(m, s.context());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->item);
  EXPECT_EQ(r->item->entry, service::ScanInput::Entry::kTyped);
  EXPECT_NE(r->item->reason.find("pack_damaged"), std::string::npos) << r->item->reason;
}

TEST(RecordEvidence, WithoutEvidenceTheScannerKeepsTheRecord) {
  EmptySession s;
  auto m = offline_record();
  m.clear_wristband();
  auto r = outcome_request(m, s.context());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "scan_context_lost");
  EXPECT_TRUE(is_transient(r.error().code));
}

TEST(RecordWitness, AConfirmationIdStandsForThePin) {
  EmptySession s;
  auto m = offline_record();
  m.set_offline(false);
  auto* w = m.mutable_override()->mutable_witness();
  w->set_badge_gsrn("501234500000000127");
  w->set_confirmation_id("wc-0123");
  auto r = outcome_request(m, s.context());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->override) << "a witness alone is no override";
  ASSERT_TRUE(r->witness);
  EXPECT_EQ(r->witness->badge_gsrn, "501234500000000127");
  EXPECT_EQ(r->witness->confirmation_id, "wc-0123");
  EXPECT_TRUE(r->witness->pin.empty());
}

TEST(RecordWitness, AnUncheckedOfflineWitnessIsRefusedForReviewNotRetried) {
  EmptySession s;
  auto m = offline_record();
  auto* w = m.mutable_override()->mutable_witness();
  w->set_badge_gsrn("501234500000000127");
  w->set_unverified(true);
  auto r = outcome_request(m, s.context());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::kWitnessUnverified);
  EXPECT_NE(r.error().message.find("controlled drugs register"), std::string::npos);
  EXPECT_FALSE(is_transient(r.error().code)) << "the scanner keeps it in its rejected journal";
}

TEST(ResidentScreen, CarriesPhotoBirthDateAllergiesAndTheDueList) {
  service::ResidentView view;
  view.status = service::ResidentScanStatus::kFound;
  domain::Resident r;
  r.id = 7;
  r.given_name = "Arthur";
  r.family_name = "Penn";
  r.date_of_birth = std::chrono::year(1941) / 11 / 2;
  r.photo_ref = "photos/arthur-penn.jpg";
  r.allergies = {{domain::Allergy::Level::kSubstance, "372687004", "Amoxicillin - rash"}};
  view.resident = r;
  service::DueLine given;
  given.prescription_id = 12;
  given.medication_name = "Amoxicillin 500mg capsules";
  given.dose = domain::DoseRange{domain::Decimal::from_int(1), domain::Decimal::from_int(1), "capsule"};
  given.slot = kNoon - 4h;  // 08:00 in London (GMT in March)
  given.recorded = domain::Outcome::kGiven;
  service::DueLine due = given;
  due.prescription_id = 13;
  due.medication_name = "Morphine 10mg tablets";
  due.dose.unit = "tablet";
  due.slot = kNoon;
  due.recorded.reset();
  due.due_now = true;
  view.doses = {given, due};

  v1::ResidentSummary out;
  fill_summary(view, out);
  EXPECT_EQ(out.status(), v1::ResidentSummary::STATUS_FOUND);
  EXPECT_EQ(out.photo_ref(), "photos/arthur-penn.jpg");
  EXPECT_EQ(out.date_of_birth(), "1941-11-02");
  ASSERT_EQ(out.allergies_size(), 1);
  EXPECT_EQ(out.allergies(0), "Amoxicillin - rash");
  EXPECT_EQ(out.due_count(), 1u);
  ASSERT_EQ(out.due_size(), 2);
  EXPECT_EQ(out.due(0).medicine_name(), "Amoxicillin 500mg capsules");
  EXPECT_EQ(out.due(0).time(), "08:00");
  EXPECT_EQ(out.due(0).recorded(), "given");
  EXPECT_FALSE(out.due(0).due_now());
  EXPECT_EQ(out.due(1).scheduled_dose_id(), scheduled_dose_id(13, kNoon));
  EXPECT_EQ(out.due(1).dose_text(), "1 tablet");
  EXPECT_EQ(out.due(1).time(), "12:00");
  EXPECT_TRUE(out.due(1).due_now());
  EXPECT_TRUE(out.due(1).recorded().empty());
}

TEST(VerdictFlags, TheOverrideTheStationWouldAcceptIsOffered) {
  service::ItemCheck check;
  check.verdict.decision = rules::Decision::kBlock;
  check.override_allowed = true;
  check.override_needs_witness = true;
  v1::Verdict out;
  fill_verdict(check, out);
  EXPECT_TRUE(out.override_allowed());
  EXPECT_TRUE(out.override_needs_witness());
  check.override_allowed = false;
  check.override_needs_witness = false;
  v1::Verdict none;
  fill_verdict(check, none);
  EXPECT_FALSE(none.override_allowed());
}

service::RoundSnapshotData snapshot_of(int residents) {
  service::RoundSnapshotData d;
  d.generated_at = kNoon;
  d.valid_until = kNoon + 4h;
  d.policy = rules::Policy::defaults();
  d.codes = store::default_non_administration_codes();
  d.staff_role = domain::Role::kSenior;
  for (int i = 1; i <= residents; ++i) {
    domain::Resident r;
    r.id = i;
    r.nhs_number = "9990000" + std::to_string(100 + i);
    r.given_name = "Resident";
    r.family_name = std::string(40, 'x') + std::to_string(i);
    r.date_of_birth = std::chrono::year(1940) / 1 / 1;
    d.residents.push_back(r);
    domain::Prescription p;
    p.id = i;
    p.resident_id = i;
    p.medication_id = "42109611000001109";
    p.medication_name = "Paracetamol 500mg tablets";
    p.dose = domain::DoseRange{domain::Decimal::from_int(2), domain::Decimal::from_int(2), "tablet"};
    p.times = {domain::DoseTime{"MORN", {}}};
    p.starts = kNoon - 24h * 30;
    d.prescriptions.push_back(p);
  }
  return d;
}

TEST(SnapshotParts, ALargeSnapshotIsSplitIntoPartsThatAllFitAndLoseNothing) {
  const auto data = snapshot_of(300);
  const auto parts = snapshot_parts(data, "snap-1", 8 * 1024);
  ASSERT_GT(parts.size(), 2u);
  std::set<std::int64_t> residents;
  int prescriptions = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& p = parts[i];
    EXPECT_EQ(p.snapshot_id(), "snap-1");
    EXPECT_EQ(p.part(), i);
    EXPECT_EQ(p.part_count(), parts.size());
    EXPECT_EQ(p.generated_at().seconds(), kNoon.time_since_epoch().count());
    EXPECT_EQ(p.valid_until().seconds(), (kNoon + 4h).time_since_epoch().count());
    EXPECT_LE(p.ByteSizeLong(), 8u * 1024 + 64) << "part " << i;
    EXPECT_EQ(p.has_policy(), i == 0) << "the policy travels in part 0 only";
    for (const auto& r : p.residents()) residents.insert(r.resident_id());
    prescriptions += p.prescriptions_size();
  }
  EXPECT_EQ(residents.size(), 300u);
  EXPECT_EQ(prescriptions, 300);
  EXPECT_EQ(parts[0].staff_role(), "senior");
  EXPECT_EQ(parts[0].codes_size(), static_cast<int>(data.codes.size()));
  EXPECT_GT(parts[0].policy().reasons_size(), 0);
}

TEST(SnapshotParts, ASmallHomeIsOnePart) {
  const auto parts = snapshot_parts(snapshot_of(3), "snap-2");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].part_count(), 1u);
  EXPECT_EQ(parts[0].residents_size(), 3);
  EXPECT_EQ(parts[0].prescriptions(0).dose_min(), "2");
  EXPECT_EQ(parts[0].prescriptions(0).times(0).round(), "MORN");
  EXPECT_EQ(parts[0].prescriptions(0).status(), "active");
}

}  // namespace
}  // namespace bcma::station::server::detail
