// dm+d products, GTINs with date ranges, recalls and dispensed items.
#include <gtest/gtest.h>

#include "bcma/station/store/errors.hpp"
#include "store_fixture.hpp"

namespace bcma::station::store::testing {
namespace {

using std::chrono::year;

class Products : public StoreTest {};

TEST_F(Products, GtinResolvesToTheWholeProductWithinItsRange) {
  auto m = store().product_by_gtin(seed_.paracetamol_gtin, year{2024} / 6 / 1);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->gtin, "0" + seed_.paracetamol_gtin);  // held and returned as 14 digits
  EXPECT_EQ(m->ampp.id, kAmppParacetamol32);
  EXPECT_EQ(m->ampp.pack_size, domain::Decimal::from_int(32));
  EXPECT_EQ(m->ampp.price_pence, 85);
  EXPECT_EQ(m->amp.id, kAmpParacetamol);
  EXPECT_EQ(m->amp.supplier, "Accord");
  EXPECT_EQ(m->vmp.id, kVmpParacetamol);
  EXPECT_EQ(m->vmp.unit_dose_unit, "tablet");
  EXPECT_EQ(m->vmp.route_ids, std::vector<domain::SnomedId>{"26643006"});
  ASSERT_EQ(m->vmp.ingredients.size(), 1u);
  EXPECT_EQ(m->vmp.ingredients[0].strength, domain::Decimal::from_int(500));
  ASSERT_TRUE(m->vtm);
  EXPECT_EQ(m->vtm->name, "Paracetamol");
  // The 14-digit form finds the same pack.
  auto m14 = store().product_by_gtin("0" + seed_.paracetamol_gtin, year{2024} / 6 / 1);
  ASSERT_TRUE(m14);
  EXPECT_EQ(m14->ampp.id, kAmppParacetamol32);
}

TEST_F(Products, RangesAreInclusiveAndOutsideThemTheGtinIsUnknown) {
  const auto& old_gtin = seed_.paracetamol_gtin;
  EXPECT_TRUE(store().product_by_gtin(old_gtin, year{2020} / 1 / 1));
  EXPECT_TRUE(store().product_by_gtin(old_gtin, year{2025} / 12 / 31));
  auto after = store().product_by_gtin(old_gtin, year{2026} / 1 / 1);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, errc::kUnknownProduct);
  EXPECT_NE(after.error().message.find("no pack carried it on 2026-01-01"), std::string::npos)
      << after.error().message;
  EXPECT_FALSE(store().product_by_gtin(old_gtin, year{2019} / 12 / 31));

  // The pack's newer GTIN (open-ended) takes over.
  EXPECT_FALSE(store().product_by_gtin(seed_.paracetamol_gtin_new, year{2025} / 12 / 31));
  auto now = store().product_by_gtin(seed_.paracetamol_gtin_new, year{2026} / 3 / 10);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->ampp.id, kAmppParacetamol32);
  auto all = store().gtins_of(kAmppParacetamol32);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].end, domain::Date{year{2025} / 12 / 31});
  EXPECT_FALSE((*all)[1].end);
}

TEST_F(Products, BadAndUnknownGtins) {
  EXPECT_EQ(store().product_by_gtin("05099999999999", year{2026} / 1 / 1).error().code,
            errc::kInvalidGtin);  // wrong check digit
  EXPECT_EQ(store().product_by_gtin("12345", year{2026} / 1 / 1).error().code, errc::kInvalidGtin);
  auto unknown = store().product_by_gtin(gtin("0509999999999"), year{2026} / 1 / 1);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, errc::kUnknownProduct);
  EXPECT_NE(unknown.error().message.find("not in the dm+d data"), std::string::npos);
}

TEST_F(Products, ReimportReplacesByIdAndAChildWithoutParentIsRefusedWhole) {
  ProductBatch update;
  domain::Vmp para = store().product_by_ampp(kAmppParacetamol32)->vmp;
  para.name = "Paracetamol 500mg tablets (renamed)";
  para.invalid = true;
  update.vmps = {para};
  ASSERT_TRUE(store().import_products(update, setup_actor()));
  auto m = store().product_by_ampp(kAmppParacetamol32);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->vmp.name, "Paracetamol 500mg tablets (renamed)");
  EXPECT_TRUE(m->vmp.invalid);
  EXPECT_EQ(m->vmp.ingredients.size(), 1u);  // replaced, not duplicated

  const std::string before = dump_database(path_);
  ProductBatch orphan;
  orphan.amps = {{"999000111", "404", "Nothing 1mg tablets", "Nobody"}};
  orphan.vtms = {{"12345", "Something"}};
  auto r = store().import_products(orphan, setup_actor());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::kUnknownProduct);
  EXPECT_EQ(dump_database(path_), before);

  ProductBatch bad_range;
  bad_range.gtins = {{gtin("0501234577777"), kAmppParacetamol32, year{2026} / 5 / 1,
                      domain::Date{year{2026} / 4 / 1}}};
  EXPECT_EQ(store().import_products(bad_range, setup_actor()).error().code, errc::kInvalidArgument);
}

TEST_F(Products, Recalls) {
  auto id = store().add_recall({"0" + seed_.paracetamol_gtin, "", "B123", "EL(26)A/01"}, setup_actor());
  ASSERT_TRUE(id) << id.error().message;
  ASSERT_TRUE(store().add_recall({"", kVmpCocodamol, "C9", "EL(26)A/02"}, setup_actor()));
  auto all = store().recalls();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].gtin, "0" + seed_.paracetamol_gtin);
  EXPECT_EQ((*all)[0].batch, "B123");
  EXPECT_EQ((*all)[1].vmp_id, kVmpCocodamol);
  EXPECT_EQ(store().add_recall({"", "", "B1", "X"}, setup_actor()).error().code, errc::kInvalidArgument);
  EXPECT_EQ(store().add_recall({"123", "", "B1", "X"}, setup_actor()).error().code, errc::kInvalidGtin);
}

TEST_F(Products, DispensedItemsByLabel) {
  auto item = store().dispensed_item(seed_.alice_label);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->resident_id, seed_.alice);
  EXPECT_EQ(item->ampp_id, kAmppParacetamol32);
  EXPECT_EQ(item->prescription_id, seed_.alice_paracetamol);
  EXPECT_EQ(item->quantity, domain::Decimal::from_int(32));
  EXPECT_EQ(item->pharmacy, "Main St Pharmacy");
  EXPECT_EQ(store().dispensed_item("LBL-NOPE").error().code, errc::kUnknownLabel);

  DispensedItem other = *item;
  EXPECT_EQ(store().add_dispensed_item(other, setup_actor()).error().code, errc::kDuplicate);
  other.label_id = "LBL-BOB-1";
  other.resident_id = seed_.bob;  // but Alice's prescription
  EXPECT_EQ(store().add_dispensed_item(other, setup_actor()).error().code,
            errc::kPrescriptionNotForResident);
  other.prescription_id = seed_.bob_paracetamol;
  other.ampp_id = "0000";
  EXPECT_EQ(store().add_dispensed_item(other, setup_actor()).error().code, errc::kUnknownProduct);
  other.ampp_id = kAmppParacetamol32;
  EXPECT_TRUE(store().add_dispensed_item(other, setup_actor()));
}

}  // namespace
}  // namespace bcma::station::store::testing
