// The stock ledger: receipts, waste, returns and adjustments; balances derived from entries.
#include <gtest/gtest.h>

#include "bcma/station/store/errors.hpp"
#include "store_fixture.hpp"

namespace bcma::station::store::testing {
namespace {

using domain::Decimal;

class Stock : public StoreTest {
 protected:
  Result<std::int64_t> move(StockKind kind, Decimal q, std::string reason = "count",
                            std::optional<std::string> label = std::nullopt,
                            std::optional<domain::StaffId> witness = std::nullopt) {
    NewStockEntry e;
    e.kind = kind;
    if (!label) e.ampp_id = kAmppCocodamol30;
    e.label_id = label;
    e.quantity = q;
    e.reason = std::move(reason);
    e.witness = witness;
    e.event_time = test_now();
    return store().record_stock(e, Actor{seed_.nurse, "station"});
  }
  Decimal home_cocodamol() { return *store().stock_balance(kAmpCocodamol, std::nullopt); }
};

TEST_F(Stock, BalancesAreTheSumOfTheLedger) {
  EXPECT_EQ(home_cocodamol(), Decimal{});
  ASSERT_TRUE(move(StockKind::kReceipt, Decimal::from_int(60), ""));
  ASSERT_TRUE(move(StockKind::kWaste, Decimal::from_int(2), "dropped on the floor", std::nullopt, seed_.senior));
  ASSERT_TRUE(move(StockKind::kReturn, Decimal::from_int(28), "discontinued"));
  ASSERT_TRUE(move(StockKind::kAdjustment, Decimal::from_thousandths(-500), "count found half a tablet less"));
  EXPECT_EQ(home_cocodamol(), Decimal::from_thousandths(29500));
  auto entries = store().stock_entries(kAmpCocodamol, std::nullopt);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[1].quantity, Decimal::from_int(-2));
  EXPECT_EQ((*entries)[1].witness, seed_.senior);
  EXPECT_EQ((*entries)[1].staff_id, seed_.nurse);
  EXPECT_EQ((*entries)[2].kind, StockKind::kReturn);
  Decimal sum;
  for (const auto& e : *entries) sum += e.quantity;
  EXPECT_EQ(sum, home_cocodamol());
  // No balance column exists to drift: the ledger is the only truth.
  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM pragma_table_info('stock_ledger')"
                           " WHERE name LIKE '%balance%'"),
            "0");
  EXPECT_EQ(raw_sql(path_, "SELECT count(*) FROM audit_log WHERE kind = 'stock'"), "5");  // + seed
}

TEST_F(Stock, LabelledStockBelongsToTheResident) {
  ASSERT_TRUE(move(StockKind::kWaste, Decimal::from_int(1), "expired", seed_.alice_label));
  EXPECT_EQ(*store().stock_balance(kAmpParacetamol, seed_.alice), Decimal::from_int(31));
  EXPECT_EQ(*store().stock_balance(kAmpParacetamol, seed_.bob), Decimal{});
  EXPECT_EQ(*store().stock_balance(kAmpParacetamol, std::nullopt), Decimal{});
}

TEST_F(Stock, BadMovementsAreRefusedAndNothingIsWritten) {
  const std::string before = dump_database(path_);
  EXPECT_EQ(move(StockKind::kReceipt, Decimal{}).error().code, errc::kInvalidQuantity);
  EXPECT_EQ(move(StockKind::kWaste, Decimal::from_int(-1), "x").error().code, errc::kInvalidQuantity);
  EXPECT_EQ(move(StockKind::kAdjustment, Decimal{}).error().code, errc::kInvalidQuantity);
  EXPECT_EQ(move(StockKind::kWaste, Decimal::from_int(1), "").error().code, errc::kInvalidArgument);
  EXPECT_EQ(move(StockKind::kAdministration, Decimal::from_int(1)).error().code, errc::kInvalidArgument);
  EXPECT_EQ(move(StockKind::kReceipt, Decimal::from_int(1), "", std::string("LBL-NOPE")).error().code,
            errc::kUnknownLabel);
  EXPECT_EQ(move(StockKind::kWaste, Decimal::from_int(1), "x", std::nullopt, seed_.nurse).error().code,
            errc::kInvalidWitness);
  NewStockEntry e;
  e.kind = StockKind::kReceipt;
  e.quantity = Decimal::from_int(1);
  EXPECT_EQ(store().record_stock(e, setup_actor()).error().code, errc::kMissingProduct);
  e.ampp_id = "404";
  EXPECT_EQ(store().record_stock(e, setup_actor()).error().code, errc::kUnknownProduct);
  e.label_id = seed_.alice_label;
  e.ampp_id = kAmppCocodamol30;
  EXPECT_EQ(store().record_stock(e, setup_actor()).error().code, errc::kProductMismatch);
  e.ampp_id.clear();
  e.resident_id = seed_.bob;
  EXPECT_EQ(store().record_stock(e, setup_actor()).error().code, errc::kLabelNotForResident);
  EXPECT_EQ(dump_database(path_), before);
}

}  // namespace
}  // namespace bcma::station::store::testing
