// Recording outcomes: what is kept, idempotent delivery, refusals that write nothing,
// overrides, corrections and the history the rules engine is fed.
#include <gtest/gtest.h>

#include <functional>

#include "bcma/station/store/errors.hpp"
#include "store_fixture.hpp"

namespace bcma::station::store::testing {
namespace {

using namespace std::chrono_literals;
using domain::Decimal;
using domain::Outcome;

class Administrations : public StoreTest {
 protected:
  Decimal alice_stock() { return *store().stock_balance(kAmpParacetamol, seed_.alice); }
};

TEST_F(Administrations, AGivenDoseKeepsEverythingAndMovesStock) {
  clock_.set(test_now() + 25min);  // entered 25 minutes after the event: visible
  NewAdministration r = given_record(seed_, 1, test_now());
  r.verdict = RecordedVerdict{rules::Decision::kWarn,
                              {{rules::ReasonCode::kTooLate, "Given 25 minutes late.", seed_.alice_paracetamol}}};
  r.note = "resident was in the garden";
  auto ack = store().record_administration(r);
  ASSERT_TRUE(ack) << ack.error().code << ": " << ack.error().message;
  EXPECT_EQ(ack->record_id, r.record_id);
  EXPECT_EQ(ack->entered_at, test_now() + 25min);
  EXPECT_GT(ack->audit_seq, 0);

  auto back = store().administration(r.record_id);
  ASSERT_TRUE(back) << back.error().message;
  const NewAdministration& b = back->record;
  EXPECT_EQ(back->ack, *ack);
  EXPECT_EQ(b.event_time, test_now());
  EXPECT_EQ(b.slot, test_now());
  EXPECT_EQ(b.outcome, Outcome::kGiven);
  EXPECT_EQ(b.quantity, Decimal::from_int(2));
  EXPECT_EQ(b.ampp_id, kAmppParacetamol32);  // from the label
  EXPECT_EQ(back->amp_id, kAmpParacetamol);
  EXPECT_EQ(b.label_id, seed_.alice_label);
  EXPECT_EQ(b.wristband, r.wristband);
  EXPECT_EQ(b.items, r.items);
  EXPECT_EQ(b.verdict, r.verdict);
  EXPECT_EQ(b.staff_id, seed_.carer);
  EXPECT_EQ(b.device_id, "scanner-01");
  EXPECT_EQ(b.note, "resident was in the garden");
  EXPECT_EQ(back->prescription_version, 1);
  EXPECT_TRUE(b.code.empty());

  // 32 booked in, 2 given, from Alice's labelled stock (not the home's).
  EXPECT_EQ(alice_stock(), Decimal::from_int(30));
  EXPECT_EQ(*store().stock_balance(kAmpParacetamol, std::nullopt), Decimal{});
  auto entries = store().stock_entries(kAmpParacetamol, seed_.alice);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].kind, StockKind::kAdministration);
  EXPECT_EQ((*entries)[1].administration_record_id, r.record_id);

  // The audit entry of the record is the one the ack names.
  auto audit = store().audit_entries(ack->audit_seq, 1);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].kind, "administration");
  EXPECT_EQ((*audit)[0].subject, "record:" + r.record_id);
  EXPECT_EQ((*audit)[0].at, test_now() + 25min);
  EXPECT_NE((*audit)[0].payload.find("\"event_time\":\"2026-03-10T08:00:00Z\""), std::string::npos)
      << (*audit)[0].payload;
  EXPECT_NE((*audit)[0].payload.find("too_late"), std::string::npos);
}

TEST_F(Administrations, EveryOutcomeIsRecordedWithItsCode) {
  struct Case {
    const char* name;
    Outcome outcome;
    std::string code;      // as sent
    std::string code_text;
    Decimal quantity;
    std::string stored_code;  // as kept
    Decimal stock_after;      // Alice's labelled paracetamol
  };
  const Decimal d32 = Decimal::from_int(32);
  const Case cases[] = {
      {"refused", Outcome::kRefused, "", "", Decimal{}, "refused", d32},
      {"refused and destroyed", Outcome::kRefusedAndDestroyed, "", "", Decimal::from_int(2),
       "refused_destroyed", Decimal::from_int(30)},
      {"omitted: asleep", Outcome::kOmitted, "asleep", "", Decimal{}, "asleep", Decimal::from_int(30)},
      {"omitted: other", Outcome::kOmitted, "other", "GP asked to pause", Decimal{}, "other",
       Decimal::from_int(30)},
      {"self-administered", Outcome::kSelfAdministered, "", "", Decimal::from_int(2),
       "self_administering", Decimal::from_int(30)},
  };
  std::uint64_t n = 100;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    NewAdministration r = given_record(seed_, ++n, test_now());
    r.outcome = c.outcome;
    r.code = c.code;
    r.code_text = c.code_text;
    r.quantity = c.quantity;
    auto ack = store().record_administration(r);
    ASSERT_TRUE(ack) << ack.error().code << ": " << ack.error().message;
    auto back = store().administration(r.record_id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->record.outcome, c.outcome);
    EXPECT_EQ(back->record.code, c.stored_code);
    EXPECT_EQ(back->record.code_text, c.code_text);
    EXPECT_EQ(alice_stock(), c.stock_after);
  }
  // PRN not required, on the co-codamol prescription, without a pack.
  NewAdministration prn = given_record(seed_, 200, test_now());
  prn.prescription_id = seed_.alice_cocodamol;
  prn.outcome = Outcome::kNotRequired;
  prn.quantity = Decimal{};
  prn.label_id.reset();
  prn.items.clear();
  auto ack = store().record_administration(prn);
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(store().administration(prn.record_id)->record.code, "not_required");
}

TEST_F(Administrations, UnableToScanIsKeptWithItsReason) {
  NewAdministration r = given_record(seed_, 1, test_now());
  r.wristband = ScanEvidence::unable_to_scan("wristband missing: identity confirmed by photo");
  r.items = {ScanEvidence::unable_to_scan("label torn")};
  ASSERT_TRUE(store().record_administration(r));
  auto back = store().administration(r.record_id);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->record.wristband.text);
  EXPECT_EQ(back->record.wristband.unable_reason, "wristband missing: identity confirmed by photo");
  ASSERT_EQ(back->record.items.size(), 1u);
  EXPECT_EQ(back->record.items[0].unable_reason, "label torn");
  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM audit_log WHERE payload LIKE '%label torn%'"), "1");
}

TEST_F(Administrations, TheSameRecordDeliveredTwiceIsRecordedOnce) {
  NewAdministration r = given_record(seed_, 7, test_now());
  auto first = store().record_administration(r);
  ASSERT_TRUE(first);
  const std::string after_first = dump_database(path_);
  clock_.advance(90s);  // the retry arrives later: still the original acknowledgement
  auto second = store().record_administration(r);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(*second, *first);
  // Upper-case hex is the same UUID.
  NewAdministration upper = r;
  for (char& c : upper.record_id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto third = store().record_administration(upper);
  ASSERT_TRUE(third);
  EXPECT_EQ(*third, *first);
  EXPECT_EQ(dump_database(path_), after_first);
  EXPECT_EQ(alice_stock(), Decimal::from_int(30));
}

TEST_F(Administrations, TheSameIdWithOtherContentIsAConflict) {
  NewAdministration r = given_record(seed_, 8, test_now());
  ASSERT_TRUE(store().record_administration(r));
  const std::string before = dump_database(path_);
  for (auto mutate : std::vector<std::function<void(NewAdministration&)>>{
           [](NewAdministration& x) { x.quantity = Decimal::from_int(1); },
           [](NewAdministration& x) { x.note = "changed my mind"; },
           [](NewAdministration& x) { x.items[0].text = "]C1OTHER"; },
           [](NewAdministration& x) { x.event_time += 1s; },
       }) {
    NewAdministration changed = r;
    mutate(changed);
    auto again = store().record_administration(changed);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, errc::kRecordConflict);
  }
  EXPECT_EQ(dump_database(path_), before);
}

TEST_F(Administrations, BadRecordsAreRefusedAndNothingIsWritten) {
  struct Case {
    const char* name;
    std::function<void(NewAdministration&, const Seed&)> mutate;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"record id not a UUID", [](auto& r, auto&) { r.record_id = "not-a-uuid"; }, errc::kInvalidRecordId},
      {"unknown resident", [](auto& r, auto&) { r.resident_id = 404; }, errc::kUnknownResident},
      {"unknown prescription", [](auto& r, auto&) { r.prescription_id = 404; }, errc::kUnknownPrescription},
      {"another resident's prescription",
       [](auto& r, auto& s) { r.prescription_id = s.bob_paracetamol; }, errc::kPrescriptionNotForResident},
      {"unknown product",
       [](auto& r, auto&) { r.label_id.reset(); r.ampp_id = "123456"; }, errc::kUnknownProduct},
      {"unknown label", [](auto& r, auto&) { r.label_id = "LBL-NOPE"; }, errc::kUnknownLabel},
      {"label of another resident",
       [](auto& r, auto& s) { r.resident_id = s.bob; r.prescription_id = s.bob_paracetamol; },
       errc::kLabelNotForResident},
      {"label and product disagree", [](auto& r, auto&) { r.ampp_id = kAmppCocodamol30; },
       errc::kProductMismatch},
      {"given without a product", [](auto& r, auto&) { r.label_id.reset(); }, errc::kMissingProduct},
      {"given quantity zero", [](auto& r, auto&) { r.quantity = Decimal{}; }, errc::kInvalidQuantity},
      {"negative quantity",
       [](auto& r, auto&) { r.outcome = Outcome::kRefusedAndDestroyed; r.quantity = Decimal::from_int(-1); },
       errc::kInvalidQuantity},
      {"refused with a quantity",
       [](auto& r, auto&) { r.outcome = Outcome::kRefused; }, errc::kInvalidQuantity},
      {"omitted without a code",
       [](auto& r, auto&) { r.outcome = Outcome::kOmitted; r.quantity = Decimal{}; }, errc::kMissingCode},
      {"omitted with an unknown code",
       [](auto& r, auto&) { r.outcome = Outcome::kOmitted; r.quantity = Decimal{}; r.code = "bored"; },
       errc::kUnknownCode},
      {"other without text",
       [](auto& r, auto&) { r.outcome = Outcome::kOmitted; r.quantity = Decimal{}; r.code = "other"; r.code_text = "  "; },
       errc::kMissingText},
      {"code of another outcome",
       [](auto& r, auto&) { r.outcome = Outcome::kOmitted; r.quantity = Decimal{}; r.code = "refused"; },
       errc::kCodeNotForOutcome},
      {"code on a dose given", [](auto& r, auto&) { r.code = "asleep"; }, errc::kUnexpectedCode},
      {"wristband neither scanned nor explained",
       [](auto& r, auto&) { r.wristband = ScanEvidence{}; }, errc::kInvalidScan},
      {"wristband both scanned and explained",
       [](auto& r, auto&) { r.wristband.unable_reason = "also missing"; }, errc::kInvalidScan},
      {"given without any item evidence", [](auto& r, auto&) { r.items.clear(); }, errc::kInvalidScan},
      {"unknown member of staff", [](auto& r, auto&) { r.staff_id = 404; }, errc::kUnknownStaff},
      {"giver as own witness", [](auto& r, auto& s) { r.witness = s.carer; }, errc::kInvalidWitness},
      {"override without a verdict to override",
       [](auto& r, auto& s) { r.override = Override{s.nurse, "needed", std::nullopt}; },
       errc::kInvalidOverride},
      {"override without a reason",
       [](auto& r, auto& s) {
         r.verdict = RecordedVerdict{rules::Decision::kBlock, {{rules::ReasonCode::kTooEarly, "early", {}}}};
         r.override = Override{s.nurse, " ", std::nullopt};
       },
       errc::kInvalidOverride},
      {"override witnessed by the overrider",
       [](auto& r, auto& s) {
         r.verdict = RecordedVerdict{rules::Decision::kBlock, {{rules::ReasonCode::kTooEarly, "early", {}}}};
         r.override = Override{s.nurse, "pain", s.nurse};
       },
       errc::kInvalidWitness},
      {"event in the future", [](auto& r, auto&) { r.event_time = test_now() + 1h; }, errc::kInvalidTime},
      {"no device id", [](auto& r, auto&) { r.device_id = ""; }, errc::kInvalidArgument},
      {"correction of a record that does not exist",
       [](auto& r, auto&) { r.corrects = uuid(999999); }, errc::kInvalidCorrection},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    NewAdministration r = given_record(seed_, 50, test_now());
    c.mutate(r, seed_);
    const std::string before = dump_database(path_);
    auto ack = store().record_administration(r);
    ASSERT_FALSE(ack);
    EXPECT_EQ(ack.error().code, c.code) << ack.error().message;
    EXPECT_FALSE(ack.error().message.empty());
    EXPECT_EQ(dump_database(path_), before);
  }
  // And the unmodified record is fine: the refusals were about the mutation.
  EXPECT_TRUE(store().record_administration(given_record(seed_, 50, test_now())));
}

TEST_F(Administrations, AnOverrideIsRecordedWithWhoWhyAndWitnessAndAudited) {
  NewAdministration r = given_record(seed_, 9, test_now());
  r.verdict = RecordedVerdict{rules::Decision::kBlock,
                              {{rules::ReasonCode::kAlreadyGiven, "Already given at 07:55.", seed_.alice_paracetamol}}};
  r.override = Override{seed_.nurse, "first dose was dropped and destroyed", seed_.senior};
  auto ack = store().record_administration(r);
  ASSERT_TRUE(ack) << ack.error().message;
  auto back = store().administration(r.record_id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->record.override, r.override);
  auto entries = store().audit_entries(ack->audit_seq - 1, 2);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].kind, "override");
  EXPECT_EQ((*entries)[0].staff_id, seed_.nurse);
  EXPECT_NE((*entries)[0].payload.find("already_given"), std::string::npos);
  EXPECT_NE((*entries)[0].payload.find("first dose was dropped"), std::string::npos);
  EXPECT_EQ((*entries)[1].kind, "administration");
  EXPECT_EQ((*entries)[1].staff_id, seed_.carer);
}

TEST_F(Administrations, ACorrectionIsANewRecordThatReplacesTheOldInHistoryAndStock) {
  NewAdministration wrong = given_record(seed_, 10, test_now());
  ASSERT_TRUE(store().record_administration(wrong));
  EXPECT_EQ(alice_stock(), Decimal::from_int(30));

  clock_.advance(10min);
  NewAdministration fix = given_record(seed_, 11, test_now());
  fix.outcome = Outcome::kRefused;
  fix.quantity = Decimal{};
  fix.corrects = wrong.record_id;
  fix.note = "recorded as given by mistake";
  auto ack = store().record_administration(fix);
  ASSERT_TRUE(ack) << ack.error().message;

  auto original = store().administration(wrong.record_id);
  ASSERT_TRUE(original);
  EXPECT_EQ(original->record.outcome, Outcome::kGiven);  // unchanged
  EXPECT_EQ(original->corrected_by, fix.record_id);
  EXPECT_EQ(store().administration(fix.record_id)->record.corrects, wrong.record_id);
  EXPECT_EQ(alice_stock(), Decimal::from_int(32));  // the 2 tablets went back

  auto history = store().history(seed_.alice, test_now() - 1h);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].record_id, fix.record_id);
  EXPECT_EQ((*history)[0].outcome, Outcome::kRefused);

  NewAdministration again = given_record(seed_, 12, test_now());
  again.corrects = wrong.record_id;
  auto twice = store().record_administration(again);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, errc::kInvalidCorrection);
  EXPECT_NE(twice.error().message.find(fix.record_id), std::string::npos);

  NewAdministration bobs = given_record(seed_, 13, test_now());
  bobs.resident_id = seed_.bob;
  bobs.prescription_id = seed_.bob_paracetamol;
  bobs.label_id.reset();
  bobs.ampp_id = kAmppParacetamol32;
  bobs.corrects = fix.record_id;
  EXPECT_EQ(store().record_administration(bobs).error().code, errc::kInvalidCorrection);
}

TEST_F(Administrations, HistoryFeedsTheEngineWithIngredientsAndOnlyWhatWentIn) {
  NewAdministration morning = given_record(seed_, 20, test_now());
  ASSERT_TRUE(store().record_administration(morning));
  clock_.advance(2h);
  NewAdministration prn = given_record(seed_, 21, test_now() + 2h);
  prn.prescription_id = seed_.alice_cocodamol;
  prn.slot.reset();
  prn.label_id.reset();
  prn.ampp_id = kAmppCocodamol30;
  prn.quantity = Decimal::from_int(1);
  prn.items = {ScanEvidence::scanned("]d201" + gtin("0501234588888"), "]d2")};
  ASSERT_TRUE(store().record_administration(prn));
  clock_.advance(2h);
  NewAdministration refused = given_record(seed_, 22, test_now() + 4h);
  refused.outcome = Outcome::kRefused;
  refused.quantity = Decimal{};
  ASSERT_TRUE(store().record_administration(refused));
  NewAdministration bobs = given_record(seed_, 23, test_now() + 4h);
  bobs.resident_id = seed_.bob;
  bobs.prescription_id = seed_.bob_paracetamol;
  bobs.label_id.reset();
  bobs.ampp_id = kAmppParacetamol32;
  ASSERT_TRUE(store().record_administration(bobs));

  auto h = store().history(seed_.alice, test_now() - 48h);
  ASSERT_TRUE(h) << h.error().message;
  ASSERT_EQ(h->size(), 3u);
  EXPECT_EQ((*h)[0].record_id, morning.record_id);
  EXPECT_EQ((*h)[0].slot, test_now());
  EXPECT_EQ((*h)[0].quantity, Decimal::from_int(2));
  ASSERT_EQ((*h)[0].ingredients.size(), 1u);
  EXPECT_EQ((*h)[0].ingredients[0].substance_id, kSubstanceParacetamol);
  EXPECT_EQ((*h)[1].prescription_id, seed_.alice_cocodamol);
  EXPECT_FALSE((*h)[1].slot);
  ASSERT_EQ((*h)[1].ingredients.size(), 2u);  // codeine and paracetamol: PRN maxima per ingredient
  EXPECT_EQ((*h)[2].outcome, Outcome::kRefused);
  EXPECT_EQ((*h)[2].quantity, Decimal{});

  auto since = store().history(seed_.alice, test_now() + 1h);
  ASSERT_TRUE(since);
  EXPECT_EQ(since->size(), 2u);
  // Home stock (no label) went negative: recorded, never blocking a dose.
  EXPECT_EQ(*store().stock_balance(kAmpParacetamol, std::nullopt), Decimal::from_int(-2));
}

TEST_F(Administrations, RecordsKeepThePrescriptionVersionInForceAtTheEvent) {
  domain::Prescription change = *store().prescription_at(seed_.alice_paracetamol, test_now());
  change.dose = {Decimal::from_int(1), Decimal::from_int(1), "tablet"};
  ASSERT_TRUE(store().put_prescription(change, test_now() - 1h, setup_actor()));
  NewAdministration late_entry = given_record(seed_, 30, test_now() - 2h);  // backdated
  ASSERT_TRUE(store().record_administration(late_entry));
  NewAdministration now = given_record(seed_, 31, test_now());
  now.quantity = Decimal::from_int(1);
  ASSERT_TRUE(store().record_administration(now));
  EXPECT_EQ(store().administration(late_entry.record_id)->prescription_version, 1);
  EXPECT_EQ(store().administration(now.record_id)->prescription_version, 2);
}

}  // namespace
}  // namespace bcma::station::store::testing
