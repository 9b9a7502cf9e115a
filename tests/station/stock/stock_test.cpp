// Stock keeping on a real SQLite file: cycles, booking in, counts, waste, returns notes, the
// controlled drugs register and the reorder proposal. Expected figures are worked out by hand
// in the comments beside them.
#include <gtest/gtest.h>

#include <algorithm>

#include "bcma/station/stock/cd_register.hpp"
#include "bcma/station/stock/cycle.hpp"
#include "bcma/station/stock/reorder.hpp"
#include "bcma/station/stock/stock.hpp"
#include "stock_fixture.hpp"

namespace bcma::station::stock {
namespace {

using namespace std::chrono;
using domain::Decimal;
using testing::at;
using testing::Home;

Decimal n(std::int64_t v) { return Decimal::from_int(v); }

Decimal balance(Home& h, const char* amp, std::optional<domain::ResidentId> r) {
  auto b = h.s().stock_balance(amp, r);
  EXPECT_TRUE(b);
  return b ? *b : Decimal{};
}

class StockTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::build_home(h); }
  Home h;
};

TEST(CycleCalendarTest, CyclesAre28DaysFromTheAnchorInBothDirections) {
  const CycleCalendar cal{year{2026} / 3 / 2};
  EXPECT_EQ(cal.containing(domain::Date{year{2026} / 3 / 2}).first_day, (domain::Date{year{2026} / 3 / 2}));
  EXPECT_EQ(cal.containing(domain::Date{year{2026} / 3 / 29}).first_day, (domain::Date{year{2026} / 3 / 2}));
  EXPECT_EQ(cal.containing(domain::Date{year{2026} / 3 / 30}).first_day, (domain::Date{year{2026} / 3 / 30}));
  // 2026-03-01 is the day before the anchor: it belongs to the cycle 2026-02-02..03-01.
  const Cycle before = cal.containing(domain::Date{year{2026} / 3 / 1});
  EXPECT_EQ(before.first_day, (domain::Date{year{2026} / 2 / 2}));
  EXPECT_EQ(before.last_day, (domain::Date{year{2026} / 3 / 1}));
  // The cycle 03-30..04-26 spans the clocks going forward (29 March): it starts at 00:00 BST
  // on 30 March (23:00 UTC on the 29th) and ends at 00:00 BST on 27 April.
  const Cycle spring = cal.containing(domain::Date{year{2026} / 4 / 1});
  EXPECT_EQ(domain::to_string(spring.starts), "2026-03-29T23:00:00Z");
  EXPECT_EQ(domain::to_string(spring.ends), "2026-04-26T23:00:00Z");
  const auto cycles = cal.overlapping(at(0, 0) + days{10}, at(0, 0) + days{60});
  ASSERT_EQ(cycles.size(), 3U);  // 03-02.., 03-30.., 04-27..
  EXPECT_EQ(cycles[2].first_day, (domain::Date{year{2026} / 4 / 27}));
}

TEST_F(StockTest, TheAnchorIsStoredAndTheLatestWins) {
  auto none = cycle_calendar(h.s());
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(set_cycle_anchor(h.s(), year{2026} / 1 / 5, h.as(h.manager)));
  ASSERT_TRUE(set_cycle_anchor(h.s(), year{2026} / 3 / 2, h.as(h.manager)));
  auto cal = cycle_calendar(h.s());
  ASSERT_TRUE(cal && cal->has_value());
  EXPECT_EQ((*cal)->anchor(), (domain::Date{year{2026} / 3 / 2}));
}

TEST_F(StockTest, BookingInFlagsOverShortWrongItemWrongResidentAndUnexpected) {
  h.label("L1", h.alice, testing::kParaAmpp, n(32));
  h.label("L2", h.bob, testing::kParaAmpp, n(32));
  h.label("L3", h.alice, testing::kOxyAmpp, n(56));
  h.label("L4", h.bob, testing::kAmloAmpp, n(28));
  h.label("L5", h.carol, testing::kCocoAmpp, n(30));
  h.label("L6", h.alice, testing::kParaAmpp, n(32));
  BookingRequest req;
  req.delivery_reference = "DN-1001";
  req.expected_labels = {"L1", "L2", "L3", "L4", "L6"};
  req.at = at(0, 10);
  req.received = {
      {"L1", h.alice, testing::kParaAmpp, n(32), "B1", year{2027} / 1 / 31},  // matched
      {"L2", h.bob, testing::kParaAmpp, n(30), "B2", std::nullopt},          // short: 30 of 32
      {"L3", h.bob, testing::kOxyAmpp, n(56), "B3", std::nullopt},           // alice's, in bob's bag
      {"L5", h.carol, testing::kCocoAmpp, n(30), "B5", std::nullopt},        // not on the list
      {"L1", h.alice, testing::kParaAmpp, n(32), "B1", std::nullopt},        // scanned again
      {"L6", h.alice, testing::kAmloAmpp, n(28), "B6", std::nullopt},        // amlodipine, label says paracetamol
      {std::nullopt, 0, testing::kAmloAmpp, n(28), "B7", std::nullopt},      // no label
  };
  h.advance_to(req.at);
  auto booking = book_in(h.s(), req, h.as(h.carer));
  ASSERT_TRUE(booking) << booking.error().message;
  std::vector<std::string> statuses;
  for (const auto& l : booking->lines) statuses.emplace_back(to_string(l.status));
  // received in scan order, then L4 (never arrived) and L6 (its pack was the wrong item)
  EXPECT_EQ(statuses, (std::vector<std::string>{"matched", "short", "wrong_resident", "over", "over",
                                                "wrong_item", "unexpected", "short", "short"}));
  EXPECT_EQ(booking->flagged(), 8U);
  EXPECT_EQ(*booking->lines[7].label_id, "L4");
  EXPECT_EQ(*booking->lines[8].label_id, "L6");
  // Only matched, short and over (first scan) enter stock, as received.
  EXPECT_EQ(balance(h, testing::kParaAmp, h.alice), n(32));
  EXPECT_EQ(balance(h, testing::kParaAmp, h.bob), n(30));
  EXPECT_EQ(balance(h, testing::kOxyAmp, h.alice), n(0));
  EXPECT_EQ(balance(h, testing::kOxyAmp, h.bob), n(0));
  EXPECT_EQ(balance(h, testing::kCocoAmp, h.carol), n(30));
  EXPECT_EQ(balance(h, testing::kAmloAmp, std::nullopt), n(0));
  EXPECT_TRUE(booking->lines[0].stock_entry_id.has_value());
  EXPECT_FALSE(booking->lines[2].stock_entry_id.has_value());
  auto audit = h.s().verify_audit();
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->intact());
}

TEST_F(StockTest, BookingRefusesNonsense) {
  BookingRequest req;
  req.at = at(0, 10);
  req.expected_labels = {"L1"};
  auto future = book_in(h.s(), BookingRequest{"DN-0", {"L1"}, {}, std::nullopt, at(0, 10)}, h.as(h.carer));
  ASSERT_FALSE(future);  // the station clock is at 00:00: ten hours ahead is refused
  EXPECT_EQ(future.error().code, "invalid_time");
  h.advance_to(req.at);
  auto no_ref = book_in(h.s(), req, h.as(h.carer));
  ASSERT_FALSE(no_ref);
  EXPECT_EQ(no_ref.error().code, "invalid_argument");
  req.delivery_reference = "DN-1";
  auto system = book_in(h.s(), req, store::Actor{std::nullopt, "station"});
  ASSERT_FALSE(system);
  EXPECT_EQ(system.error().code, "invalid_witness");
}

TEST_F(StockTest, ACountCorrectsTheLedgerAndAControlledDrugDiscrepancyIsAnIncident) {
  h.label("L1", h.alice, testing::kParaAmpp, n(32));
  h.label("L3", h.alice, testing::kOxyAmpp, n(56));
  BookingRequest req{"DN-1", {"L1", "L3"},
                     {{"L1", h.alice, testing::kParaAmpp, n(32), "B1", std::nullopt},
                      {"L3", h.alice, testing::kOxyAmpp, n(56), "B3", std::nullopt}},
                     h.nurse, at(0, 9)};
  h.advance_to(at(0, 12));
  ASSERT_TRUE(book_in(h.s(), req, h.as(h.carer)));

  // The carried-forward sheet lists what the ledger holds, controlled drugs marked.
  auto sheet = count_sheet(h.s(), at(0, 11));
  ASSERT_TRUE(sheet) << sheet.error().message;
  ASSERT_EQ(sheet->size(), 2U);
  EXPECT_EQ((*sheet)[0].product, "Paracetamol 500mg tablets (Accord)");
  EXPECT_EQ((*sheet)[0].balance, n(32));
  EXPECT_FALSE((*sheet)[0].controlled_drug);
  EXPECT_EQ((*sheet)[1].product, "Shortec 5mg capsules");
  EXPECT_EQ((*sheet)[1].balance, n(56));
  EXPECT_TRUE((*sheet)[1].controlled_drug);

  CountRequest count{CountKind::kCarriedForward, testing::kParaAmp, h.alice, n(30), std::nullopt, at(0, 11), ""};
  auto c = record_count(h.s(), count, h.as(h.carer));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->balance, n(32));
  EXPECT_EQ(c->discrepancy, n(-2));
  EXPECT_TRUE(c->adjustment_id.has_value());
  EXPECT_FALSE(c->incident);  // paracetamol is not a controlled drug
  EXPECT_EQ(balance(h, testing::kParaAmp, h.alice), n(30));

  CountRequest same{CountKind::kPeriodic, testing::kParaAmp, h.alice, n(30), std::nullopt, at(0, 11, 30), ""};
  auto c2 = record_count(h.s(), same, h.as(h.carer));
  ASSERT_TRUE(c2);
  EXPECT_TRUE(c2->discrepancy.is_zero());
  EXPECT_FALSE(c2->adjustment_id.has_value());

  CountRequest cd{CountKind::kControlledDrug, testing::kOxyAmp, h.alice, n(55), std::nullopt, at(0, 11, 45), ""};
  auto unwitnessed = record_count(h.s(), cd, h.as(h.carer));
  ASSERT_FALSE(unwitnessed);
  EXPECT_EQ(unwitnessed.error().code, "witness_required");
  cd.witness = h.carer;
  auto self = record_count(h.s(), cd, h.as(h.carer));
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, "invalid_witness");
  cd.witness = h.nurse;
  auto incident = record_count(h.s(), cd, h.as(h.carer));
  ASSERT_TRUE(incident);
  EXPECT_TRUE(incident->controlled_drug);
  EXPECT_TRUE(incident->incident);
  EXPECT_EQ(incident->discrepancy, n(-1));
  EXPECT_EQ(balance(h, testing::kOxyAmp, h.alice), n(55));
}

TEST_F(StockTest, WasteAndReturnsMoveStockOutWithReasonAndWitness) {
  h.label("L1", h.alice, testing::kParaAmpp, n(32));
  h.label("L3", h.alice, testing::kOxyAmpp, n(56));
  h.advance_to(at(1, 12));
  ASSERT_TRUE(book_in(h.s(), BookingRequest{"DN-1", {"L1", "L3"},
                                            {{"L1", h.alice, testing::kParaAmpp, n(32), "B1", std::nullopt},
                                             {"L3", h.alice, testing::kOxyAmpp, n(56), "B3", std::nullopt}},
                                            h.nurse, at(0, 9)},
                      h.as(h.carer)));
  WasteRequest dropped{WasteReason::kDropped, "", std::nullopt, std::string("L1"), n(2), std::nullopt, at(1, 8)};
  auto w = record_waste(h.s(), dropped, h.as(h.carer));
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(balance(h, testing::kParaAmp, h.alice), n(30));
  auto entries = h.s().stock_entries(testing::kParaAmp, h.alice);
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->back().reason, "dropped");
  EXPECT_EQ(entries->back().quantity, n(-2));

  WasteRequest cd{WasteReason::kContaminated, testing::kOxyAmpp, h.alice, std::nullopt, n(1), std::nullopt, at(1, 9)};
  auto unwitnessed = record_waste(h.s(), cd, h.as(h.carer));
  ASSERT_FALSE(unwitnessed);
  EXPECT_EQ(unwitnessed.error().code, "witness_required");
  cd.witness = h.nurse;
  ASSERT_TRUE(record_waste(h.s(), cd, h.as(h.carer)));
  EXPECT_EQ(balance(h, testing::kOxyAmp, h.alice), n(55));

  ReturnsNoteRequest ret{"Main St Pharmacy",
                         {{"", std::nullopt, std::string("L1"), n(30), "discontinued"},
                          {testing::kOxyAmpp, h.alice, std::nullopt, n(55), "resident in hospital"}},
                         h.nurse, at(1, 10)};
  auto note = create_returns_note(h.s(), ret, h.as(h.carer));
  ASSERT_TRUE(note) << note.error().message;
  ASSERT_EQ(note->lines.size(), 2U);
  EXPECT_EQ(note->lines[0].quantity, n(30));
  EXPECT_EQ(note->lines[1].reason, "resident in hospital");
  EXPECT_EQ(note->staff, "Cara Carer");
  EXPECT_EQ(note->witness, "Nina Nurse");
  EXPECT_EQ(balance(h, testing::kParaAmp, h.alice), n(0));
  EXPECT_EQ(balance(h, testing::kOxyAmp, h.alice), n(0));
  const std::string text = format_returns_note(*note);
  EXPECT_NE(text.find("To: Main St Pharmacy"), std::string::npos);
  EXPECT_NE(text.find("Shortec 5mg capsules 56 capsule  x 55  for Alice Archer"), std::string::npos) << text;
  auto again = returns_note(h.s(), note->id);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->lines.size(), 2U);
  auto missing = returns_note(h.s(), 999);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "not_found");
}

TEST_F(StockTest, TheControlledDrugsRegisterCarriesARunningBalanceAndFlagsMissingSignatures) {
  const auto oxy = h.prn(h.alice, testing::kOxyVmp, n(1), n(4));
  h.label("L3", h.alice, testing::kOxyAmpp, n(56), oxy);
  h.advance_to(at(0, 9));
  ASSERT_TRUE(book_in(h.s(), BookingRequest{"DN-1", {"L3"},
                                            {{"L3", h.alice, testing::kOxyAmpp, n(56), "B3", std::nullopt}},
                                            h.nurse, at(0, 9)},
                      h.as(h.carer)));
  // 56 in; 1 given (witnessed) -> 55; 1 given without a witness -> 54 (flagged); count 53 ->
  // incident, adjusted to 53.
  h.record(h.alice, oxy, domain::Outcome::kGiven, n(1), at(0, 14), std::nullopt, "L3", {}, h.nurse);
  h.record(h.alice, oxy, domain::Outcome::kGiven, n(1), at(0, 20), std::nullopt, "L3");
  h.advance_to(at(0, 21));
  ASSERT_TRUE(record_count(h.s(), {CountKind::kControlledDrug, testing::kOxyAmp, h.alice, n(53), h.nurse, at(0, 21), ""},
                           h.as(h.carer)));
  auto pages = cd_register(h.s(), at(0, 0), at(1, 0));
  ASSERT_TRUE(pages) << pages.error().message;
  ASSERT_EQ(pages->size(), 1U);
  const auto& page = pages->front();
  EXPECT_EQ(page.resident, "Alice Archer");
  EXPECT_EQ(page.opening_balance, n(0));
  EXPECT_EQ(page.closing_balance, n(53));
  ASSERT_EQ(page.entries.size(), 5U);  // receipt, dose, dose, count, adjustment
  EXPECT_EQ(page.entries[0].kind, "receipt");
  EXPECT_EQ(page.entries[0].balance, n(56));
  EXPECT_EQ(page.entries[1].balance, n(55));
  EXPECT_EQ(page.entries[1].witness, "Nina Nurse");
  EXPECT_EQ(page.entries[2].problem, "no second signature");
  EXPECT_EQ(page.entries[3].kind, "count");
  EXPECT_EQ(page.entries[3].problem, "count disagrees with balance (counted 53, balance 54)");
  EXPECT_EQ(page.entries[4].kind, "adjustment");
  EXPECT_EQ(page.entries[4].balance, n(53));
  EXPECT_EQ(page.unsigned_entries, 1);
  EXPECT_EQ(page.incidents, 1);
  // A later range opens with the balance carried.
  auto later = cd_register(h.s(), at(1, 0), at(2, 0));
  ASSERT_TRUE(later && later->size() == 1U);
  EXPECT_EQ(later->front().opening_balance, n(53));
  EXPECT_TRUE(later->front().entries.empty());
}

TEST_F(StockTest, ReorderCountsOnlyUsableStock) {
  // Alice: paracetamol 2 tablets MORN and NIGHT -> 4 a day x 28 = 112 in the next cycle.
  const auto para = h.regular(h.alice, testing::kParaVmp, n(2), {"MORN", "NIGHT"});
  // Alice: co-codamol PRN; 6 tablets used in the 28 days before the cycle -> need 6.
  const auto coco = h.prn(h.alice, testing::kCocoVmp, n(1), n(8));
  h.label("L1", h.alice, testing::kParaAmpp, n(32), para);
  h.label("L2", h.alice, testing::kParaAmpp, n(32), para);
  h.label("L5", h.alice, testing::kCocoAmpp, n(30), coco);
  h.label("L4", h.bob, testing::kAmloAmpp, n(28));
  h.advance_to(at(0, 9));
  // L1 expires 2026-04-10, inside the next cycle (03-30..04-26): not usable. L2 is good.
  ASSERT_TRUE(book_in(h.s(), BookingRequest{"DN-1", {"L1", "L2", "L5", "L4"},
                                            {{"L1", h.alice, testing::kParaAmpp, n(32), "B1", year{2026} / 4 / 10},
                                             {"L2", h.alice, testing::kParaAmpp, n(32), "B2", year{2027} / 1 / 31},
                                             {"L5", h.alice, testing::kCocoAmpp, n(30), "B5", std::nullopt},
                                             {"L4", h.bob, testing::kAmloAmpp, n(28), "B4", std::nullopt}},
                                            std::nullopt, at(0, 9)},
                      h.as(h.carer)));
  // 20 paracetamol given: first-expiry-first takes them from L1 (12 of it left, expiring).
  for (int d = 0; d < 10; ++d) {
    h.record(h.alice, para, domain::Outcome::kGiven, n(2), at(d, 8), at(d, 8), "L1");
  }
  for (int d = 0; d < 6; ++d) {
    h.record(h.alice, coco, domain::Outcome::kGiven, n(1), at(d + 2, 15), std::nullopt, "L5");
  }
  const CycleCalendar cal{year{2026} / 3 / 2};
  const Cycle next = cal.containing(domain::Date{year{2026} / 3 / 30});
  h.advance_to(at(27, 12));
  auto proposal = reorder_proposal(h.s(), next);
  ASSERT_TRUE(proposal) << proposal.error().message;
  ASSERT_EQ(proposal->lines.size(), 2U);
  const auto& p = proposal->lines[0];
  EXPECT_EQ(p.prescription_id, para);
  EXPECT_EQ(p.scheduled_doses, 56);
  EXPECT_EQ(p.need, n(112));
  EXPECT_EQ(p.on_hand, n(44));    // 64 - 20
  EXPECT_EQ(p.expiring, n(12));   // what is left of L1
  EXPECT_EQ(p.usable, n(32));     // L2
  EXPECT_EQ(p.order, n(80));      // 112 - 32
  EXPECT_EQ(p.packs, 3);          // 80 / 32 = 2.5 -> 3 packs
  const auto& q = proposal->lines[1];
  EXPECT_EQ(q.prescription_id, coco);
  EXPECT_TRUE(q.as_needed);
  EXPECT_EQ(q.need, n(6));
  EXPECT_EQ(q.usable, n(6));      // 24 on hand covers it
  EXPECT_EQ(q.order, n(0));
  EXPECT_EQ(q.packs, 0);
  ASSERT_EQ(proposal->unusable.size(), 2U);
  EXPECT_EQ(proposal->unusable[0].quantity, n(12));
  EXPECT_EQ(proposal->unusable[0].why, "expires 2026-04-10");
  EXPECT_EQ(proposal->unusable[1].resident, "Bob Baker");
  EXPECT_EQ(proposal->unusable[1].quantity, n(28));
  EXPECT_EQ(proposal->unusable[1].why, "no active prescription");
}

}  // namespace
}  // namespace bcma::station::stock
