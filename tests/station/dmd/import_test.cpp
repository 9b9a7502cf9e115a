// Importing the hand-written fixture releases (tests/fixtures/dmd/release-a, release-b) into
// real SQLite files, and reading back what a care worker's scanner and the eMAR would see.
#include <gtest/gtest.h>

#include <optional>

#include "bcma/station/dmd/errors.hpp"
#include "bcma/station/dmd/import.hpp"
#include "bcma/station/dmd/lookup.hpp"
#include "bcma/station/store/errors.hpp"
#include "dmd_test_support.hpp"

namespace bcma::station::dmd::testing {
namespace {

using store::testing::dump_database;
using store::testing::raw_sql;

TEST(DmdImport, ReleaseFolderFillsTheProductTables) {
  TestStore t;
  auto r = import(*t.store, release_a());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(domain::to_string(r->release_date), "2026-01-05");
  EXPECT_EQ(r->counts["vtms"], 4);
  EXPECT_EQ(r->counts["vmps"], 7);
  EXPECT_EQ(r->counts["amps"], 8);
  EXPECT_EQ(r->counts["vmpps"], 8);
  EXPECT_EQ(r->counts["ampps"], 9);
  EXPECT_EQ(r->counts["gtins"], 10);
  EXPECT_EQ(r->counts["bnf"], 2);
  EXPECT_EQ(raw_sql(t.file(), "SELECT count(*) FROM ampp"), "9");
  EXPECT_EQ(raw_sql(t.file(), "SELECT count(*) FROM gtins"), "10");
  // Every GTIN is held as 14 digits, the 13-digit EAN-13s with a leading zero.
  EXPECT_EQ(raw_sql(t.file(), "SELECT count(*) FROM gtins WHERE length(gtin) <> 14"), "0");
  EXPECT_EQ(raw_sql(t.file(), "SELECT ampp_id FROM gtins WHERE gtin = '05000158062467'"), "1006311000001105");
  // The release is recorded, and the import is in the audit chain.
  EXPECT_EQ(raw_sql(t.file(), "SELECT release_date FROM dmd_releases"), "2026-01-05");
  EXPECT_EQ(raw_sql(t.file(), "SELECT subject FROM audit_log ORDER BY seq DESC LIMIT 1"),
            "dmd_release:" + std::to_string(r->release_id));
  auto v = t.store->verify_audit();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact());
}

TEST(DmdImport, GtinLookupGivesThePackItsProductsCategoryAndPrice) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  auto g = lookup_gtin(t.store->database(), kGtinMstNew, day(2026, 1, 6));
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->gtin, "05012345000022");
  EXPECT_EQ(g->ampp.id, kAmppMst);
  EXPECT_EQ(g->amp.name, "MST Continus 10mg tablets");
  EXPECT_EQ(g->vmp.id, kVmpMstA);
  EXPECT_EQ(g->vmp.name, "Morphine sulfate 10mg modified-release tablets");
  ASSERT_TRUE(g->vtm);
  EXPECT_EQ(g->vtm->name, "Morphine");
  EXPECT_EQ(g->controlled_drug_category, "0002");
  EXPECT_EQ(g->price_pence, 3384);
  EXPECT_EQ(g->legal_category, "0003");

  // The 13-digit form scanned from an EAN-13 finds the same pack as its 14-digit form.
  auto ean = lookup_gtin(t.store->database(), kGtinParacetamol32, day(2026, 1, 6));
  auto full = lookup_gtin(t.store->database(), "05000158062467", day(2026, 1, 6));
  ASSERT_TRUE(ean && full);
  EXPECT_EQ(ean->ampp.id, full->ampp.id);
  EXPECT_EQ(ean->price_pence, 35);
}

TEST(DmdImport, MissingPricesAndVtmsAreUnknownNotZero) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  auto panadol = lookup_gtin(t.store->database(), kGtinPanadol32, day(2026, 1, 6));  // no PRICE_INFO
  ASSERT_TRUE(panadol);
  EXPECT_FALSE(panadol->price_pence.has_value());
  EXPECT_EQ(raw_sql(t.file(), "SELECT coalesce(price_pence, 'null') FROM ampp WHERE id = '1006411000001103'"),
            "null");  // PRICE_INFO without PRICE
  auto cream = lookup_gtin(t.store->database(), kGtinCream, day(2026, 1, 6));
  ASSERT_TRUE(cream);
  EXPECT_FALSE(cream->vtm.has_value());
  EXPECT_EQ(cream->controlled_drug_category, "0000");
}

TEST(DmdImport, GtinDateRangesAreRespected) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  auto& db = t.store->database();
  // An ended GTIN: valid on its last day, not after it.
  auto before = lookup_gtin(db, kGtinMstOld, day(2019, 12, 31));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->ampp.id, kAmppMst);
  auto after = lookup_gtin(db, kGtinMstOld, day(2020, 1, 1));
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, errc::kGtinNotInForce);
  // A GTIN that moved from one pack to another resolves to the pack of the day.
  auto old_pack = lookup_gtin(db, kGtinMoved, day(2015, 6, 1));
  auto new_pack = lookup_gtin(db, kGtinMoved, day(2026, 1, 6));
  ASSERT_TRUE(old_pack && new_pack);
  EXPECT_EQ(old_pack->amp.name, "Oramorph 10mg/5ml oral solution");
  EXPECT_EQ(new_pack->amp.name, "Durogesic DTrans 25micrograms/hour transdermal patches");
  // The store's own scan lookup agrees.
  auto m = t.store->product_by_gtin(kGtinMoved, day(2015, 6, 1));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->amp.name, "Oramorph 10mg/5ml oral solution");
  auto unknown = lookup_gtin(db, "5000000000005", day(2026, 1, 6));  // valid check digit, not in dm+d
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, errc::kUnknownGtin);
  auto bad = lookup_gtin(db, "5000000000002", day(2026, 1, 6));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::kInvalidGtin);
}

TEST(DmdImport, StrengthsUnitDosesAndControlledDrugsReachTheRulesEngine) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  // What the rules engine is given for a scanned pack.
  auto mst = t.store->product_by_gtin(kGtinMstNew, day(2026, 1, 6));
  ASSERT_TRUE(mst);
  EXPECT_EQ(mst->vmp.controlled_drug, domain::ControlledDrugCategory::kSchedule2);
  EXPECT_EQ(mst->vmp.controlled_drug_code, "0002");
  EXPECT_EQ(mst->vmp.unit_dose_unit, "tablet");
  ASSERT_EQ(mst->vmp.ingredients.size(), 1u);
  EXPECT_EQ(mst->vmp.ingredients[0].strength, domain::Decimal::from_int(10));
  EXPECT_EQ(mst->vmp.ingredients[0].strength_unit, "mg");
  EXPECT_EQ(mst->ampp.pack_size, domain::Decimal::from_int(60));
  ASSERT_EQ(mst->vmp.route_ids.size(), 1u);
  EXPECT_EQ(mst->vmp.route_ids[0], "26643006");
  // 10 mg in 5 ml: the dose unit is the ml, and 2 mg are in each.
  auto oramorph = t.store->product_by_ampp("1329011000001102");
  ASSERT_TRUE(oramorph);
  EXPECT_EQ(oramorph->vmp.unit_dose_unit, "ml");
  EXPECT_EQ(oramorph->vmp.ingredients[0].strength, domain::Decimal::from_int(2));
  EXPECT_EQ(oramorph->vmp.controlled_drug, domain::ControlledDrugCategory::kSchedule5);
  // A rate is kept as a rate, never read as an amount per patch.
  auto patch = t.store->product_by_ampp("4192111000001109");
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->vmp.ingredients[0].strength_unit, "microgram/hour");
  EXPECT_EQ(patch->vmp.unit_dose_unit, "patch");
  // A combination product keeps every ingredient, in file order.
  auto cocodamol = t.store->product_by_ampp("1054211000001102");
  ASSERT_TRUE(cocodamol);
  ASSERT_EQ(cocodamol->vmp.ingredients.size(), 2u);
  EXPECT_EQ(cocodamol->vmp.ingredients[0].name, "Codeine phosphate");
  EXPECT_EQ(cocodamol->vmp.ingredients[1].name, "Paracetamol");
}

TEST(DmdImport, VmpLookupShowsFormRoutesStrengthsAndHistory) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  // Paracetamol's VPID changed before this release (VPIDPREV 322236009): the old code resolves.
  auto v = lookup_vmp(t.store->database(), "322236009");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->vmp.id, "42109611000001109");
  EXPECT_EQ(v->requested_id, "322236009");
  EXPECT_EQ(v->form, "Tablet");
  EXPECT_EQ(v->unit_dose_form_size, "1");
  EXPECT_EQ(v->unit_dose_form_unit, "tablet");
  ASSERT_EQ(v->routes.size(), 1u);
  EXPECT_EQ(v->routes[0].name, "Oral");
  ASSERT_EQ(v->ingredients.size(), 1u);
  EXPECT_EQ(v->ingredients[0].numerator, "500");
  EXPECT_EQ(v->ingredients[0].numerator_unit, "mg");
  EXPECT_EQ(v->previous_ids, std::vector<std::string>{"322236009"});
  EXPECT_EQ(v->bnf_code, "0407010H0AAAMAM");
  EXPECT_EQ(v->amps, 2);
  auto missing = lookup_vmp(t.store->database(), "123456789");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, errc::kUnknownProduct);
}

TEST(DmdImport, CombinationPacksListTheirComponents) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  auto a = lookup_amp(t.store->database(), "9998911000001101");
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->packs.size(), 1u);
  EXPECT_EQ(a->packs[0].components, (std::vector<std::string>{"1006311000001105", "1054211000001102"}));
  ASSERT_EQ(a->packs[0].gtins.size(), 1u);
  EXPECT_EQ(a->packs[0].gtins[0].gtin, kGtinCombination);
  EXPECT_EQ(raw_sql(t.file(), "SELECT count(*) FROM dmd_pack_contents WHERE level = 'vmpp'"), "2");
}

TEST(DmdImport, NameSearchIgnoresCaseAndIsLimited) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  auto found = search_name(t.store->database(), "MORPHINE", 50);
  ASSERT_TRUE(found);
  ASSERT_FALSE(found->empty());
  EXPECT_EQ((*found)[0].level, "vtm");
  EXPECT_EQ((*found)[0].name, "Morphine");
  for (const auto& m : *found) {
    EXPECT_NE(m.name.find("orphine"), std::string::npos) << m.name;
  }
  auto two = search_name(t.store->database(), "paracetamol", 2);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
  auto literal = search_name(t.store->database(), "100%", 10);  // % is text, not a wildcard
  ASSERT_TRUE(literal);
  EXPECT_TRUE(literal->empty());
}

TEST(DmdImport, TheZipAsPublishedGivesTheSameDataAsTheFolder) {
  TestStore folder;
  TestStore zipped;
  ASSERT_TRUE(import(*folder.store, release_a()));
  // Made by Info-ZIP: the GTIN and BNF files are zips inside the release zip.
  auto r = import(*zipped.store, fixtures() / "zips" / "nhsbsa_dmd_10.1.0_20260105000001.zip");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->version, "10.1.0");
  EXPECT_EQ(r->counts["gtins"], 10);
  for (const char* table : {"vtm", "vmp", "vmp_ingredients", "vmp_routes", "amp", "ampp", "gtins", "dmd_vmps",
                            "dmd_ampps", "dmd_vmp_history", "dmd_lookups"}) {
    const std::string count = std::string("SELECT count(*) FROM ") + table;
    EXPECT_EQ(raw_sql(folder.file(), count), raw_sql(zipped.file(), count)) << table;
  }
  EXPECT_EQ(raw_sql(folder.file(), "SELECT group_concat(gtin || ampp_id || start_date || coalesce(end_date, ''))"
                                   " FROM (SELECT * FROM gtins ORDER BY 1, 2, 3)"),
            raw_sql(zipped.file(), "SELECT group_concat(gtin || ampp_id || start_date || coalesce(end_date, ''))"
                                   " FROM (SELECT * FROM gtins ORDER BY 1, 2, 3)"));
}

TEST(DmdImport, ReimportingTheSameReleaseChangesNoProduct) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  const std::string products =
      "SELECT group_concat(id || name || pack_size || coalesce(price_pence, '-')) FROM (SELECT * FROM ampp ORDER BY id)";
  const std::string before = raw_sql(t.file(), products);
  auto again = import(*t.store, release_a());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(raw_sql(t.file(), products), before);
  EXPECT_EQ(again->counts["withdrawn_deleted"], 0);
  EXPECT_EQ(raw_sql(t.file(), "SELECT count(*) FROM dmd_releases"), "2");
}

TEST(DmdImport, ANewerReleaseReplacesTheOlderOne) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  auto b = import(*t.store, release_b());
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(domain::to_string(b->release_date), "2026-01-12");
  auto& db = t.store->database();
  // The cream's pack left dm+d: deleted with its GTIN, since nothing here names it.
  EXPECT_EQ(raw_sql(t.file(), std::string("SELECT count(*) FROM ampp WHERE id = '") + kAmppCream + "'"), "0");
  auto cream = lookup_gtin(db, kGtinCream, day(2026, 1, 13));
  ASSERT_FALSE(cream);
  EXPECT_EQ(cream.error().code, errc::kUnknownGtin);
  EXPECT_GE(b->counts["withdrawn_deleted"], 1);
  // Prices and GTIN ranges follow the new release.
  auto para = lookup_gtin(db, kGtinParacetamol32, day(2026, 1, 13));
  ASSERT_TRUE(para);
  EXPECT_EQ(para->price_pence, 37);
  auto fentanyl = lookup_gtin(db, kGtinFentanyl, day(2026, 1, 13));
  ASSERT_FALSE(fentanyl);
  EXPECT_EQ(fentanyl.error().code, errc::kGtinNotInForce);
  // MST's VMP changed code: packs point at the new code, the old one resolves to it.
  auto mst = lookup_gtin(db, kGtinMstNew, day(2026, 1, 13));
  ASSERT_TRUE(mst);
  EXPECT_EQ(mst->vmp.id, kVmpMstB);
  auto old_code = lookup_vmp(db, kVmpMstA);
  ASSERT_TRUE(old_code) << old_code.error().message;
  EXPECT_EQ(old_code->vmp.id, kVmpMstB);
  EXPECT_EQ(old_code->requested_id, kVmpMstA);
  EXPECT_EQ(raw_sql(t.file(), std::string("SELECT count(*) FROM vmp WHERE id = '") + kVmpMstA + "'"), "0");
  EXPECT_EQ(b->counts["code_changes"], 2);  // the paracetamol change carried over, and MST's
}

// What a second connection (a scanner's lookup) sees while release B is being imported over A:
// release A whole until the commit, then release B whole. Never half of each.
class PeekDuringImport final : public ProgressSink {
 public:
  explicit PeekDuringImport(std::filesystem::path file) : file_(std::move(file)) {}
  void on_progress(const Progress& p) override {
    // Once the AMPP file is under way, B's VMPs, AMPs and VMPPs are already written (uncommitted).
    if (peeked_ || p.file.rfind("f_ampp2", 0) != 0) return;
    peeked_ = true;
    store::OpenOptions o;
    o.mode = store::OpenOptions::Mode::kReadOnly;
    auto db = store::Database::open(file_, o);
    ASSERT_TRUE(db) << db.error().message;
    auto cream = lookup_gtin(*db, kGtinCream, day(2026, 1, 6));
    ASSERT_TRUE(cream) << cream.error().message;  // only in release A
    auto para = lookup_gtin(*db, kGtinParacetamol32, day(2026, 1, 6));
    ASSERT_TRUE(para) << para.error().message;
    price_seen_ = para->price_pence;  // 35 in A, 37 in B
    auto mst = lookup_vmp(*db, kVmpMstA);
    ASSERT_TRUE(mst) << mst.error().message;
    mst_seen_ = mst->vmp.id;
    auto release = current_release(*db);
    ASSERT_TRUE(release && *release);
    release_seen_ = (*release)->release_date;
  }
  bool peeked_ = false;
  std::optional<std::int64_t> price_seen_;
  std::string mst_seen_;
  std::string release_seen_;

 private:
  std::filesystem::path file_;
};

TEST(DmdImport, ANewerReleaseReplacesTheOlderOneAtomicallyForReaders) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_a()));
  PeekDuringImport peek(t.file());
  ImportOptions o;
  o.progress = &peek;
  auto b = import_release(*t.store, release_b(), store::Actor{std::nullopt, "test"}, o);
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_TRUE(peek.peeked_) << "no progress from the AMPP file";
  EXPECT_EQ(peek.release_seen_, "2026-01-05");
  EXPECT_EQ(peek.price_seen_, 35);
  EXPECT_EQ(peek.mst_seen_, kVmpMstA);
  // After the commit, the same questions get release B's answers.
  store::OpenOptions ro;
  ro.mode = store::OpenOptions::Mode::kReadOnly;
  auto db = store::Database::open(t.file(), ro);
  ASSERT_TRUE(db);
  EXPECT_EQ(lookup_gtin(*db, kGtinParacetamol32, day(2026, 1, 13))->price_pence, 37);
  EXPECT_EQ(lookup_vmp(*db, kVmpMstA)->vmp.id, kVmpMstB);
  EXPECT_FALSE(lookup_gtin(*db, kGtinCream, day(2026, 1, 13)));
}

TEST(DmdImport, AnOlderReleaseIsRefusedUnlessForced) {
  TestStore t;
  ASSERT_TRUE(import(*t.store, release_b()));
  const std::string before = dump_database(t.file());
  auto a = import(*t.store, release_a());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, errc::kOlderRelease);
  EXPECT_NE(a.error().message.find("2026-01-12"), std::string::npos) << a.error().message;
  EXPECT_EQ(dump_database(t.file()), before);
  auto forced = import(*t.store, release_a(), true);
  ASSERT_TRUE(forced) << forced.error().message;
  EXPECT_EQ(raw_sql(t.file(), "SELECT forced FROM dmd_releases ORDER BY id DESC LIMIT 1"), "1");
  EXPECT_EQ(raw_sql(t.file(), std::string("SELECT count(*) FROM ampp WHERE id = '") + kAmppCream + "'"), "1");
}

TEST(DmdImport, APrescriptionCodedWithAnOldVpidStillResolves) {
  TestStore t;
  auto seed = store::testing::seed_home(*t.store);
  ASSERT_TRUE(seed) << seed.error().message;
  ASSERT_TRUE(import(*t.store, release_a()));
  // Prescribed under release A's code for MST.
  auto rx = t.store->prescription_at(seed->alice_paracetamol, t.store->now());
  ASSERT_TRUE(rx) << rx.error().message;
  domain::Prescription mst = *rx;
  mst.id = 0;
  mst.medication_id = kVmpMstA;
  mst.medication_name = "";
  auto stored = t.store->put_prescription(mst, t.store->now(), store::testing::setup_actor());
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_TRUE(import(*t.store, release_b()));
  // After the code change the prescription still names a VMP the scanned pack belongs to.
  auto loaded = t.store->prescription_at(stored->id, t.store->now());
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->medication_id, kVmpMstA);
  EXPECT_EQ(loaded->vmp_id, kVmpMstB);
  ASSERT_EQ(loaded->ingredients.size(), 1u);
  EXPECT_EQ(loaded->ingredients[0].name, "Morphine sulfate");
  auto pack = t.store->product_by_gtin(kGtinMstNew, day(2026, 1, 13));
  ASSERT_TRUE(pack);
  EXPECT_EQ(pack->vmp.id, loaded->vmp_id);
  // And a new prescription may still be written with the old code.
  mst.medication_id = kVmpMstA;
  auto again = t.store->put_prescription(mst, t.store->now(), store::testing::setup_actor());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->vmp_id, kVmpMstB);
}

TEST(DmdImport, ProductsThatRecordsNameAreKeptWhenAReleaseDropsThem) {
  TestStore t;
  auto seed = store::testing::seed_home(*t.store);
  ASSERT_TRUE(seed) << seed.error().message;
  ASSERT_TRUE(import(*t.store, release_a()));
  store::NewStockEntry receipt;
  receipt.kind = store::StockKind::kReceipt;
  receipt.ampp_id = kAmppCream;
  receipt.quantity = domain::Decimal::from_int(1);
  receipt.event_time = t.store->now();
  auto booked = t.store->record_stock(receipt, store::Actor{seed->carer, "station"});
  ASSERT_TRUE(booked) << booked.error().message;
  auto b = import(*t.store, release_b());
  ASSERT_TRUE(b) << b.error().message;
  // The cream left dm+d, but the stock ledger names its pack: kept, marked withdrawn.
  EXPECT_EQ(b->counts["withdrawn_kept"], 1);
  EXPECT_EQ(raw_sql(t.file(), std::string("SELECT withdrawn FROM dmd_ampps WHERE id = '") + kAmppCream + "'"), "1");
  auto cream = t.store->product_by_ampp(kAmppCream);
  ASSERT_TRUE(cream) << cream.error().message;
  EXPECT_EQ(cream->amp.name, "Aqueous cream");
  // Its AMP is still in release B: only the pack left dm+d.
  auto a = lookup_amp(t.store->database(), "3315311000001109");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->withdrawn);
  // Its GTIN does not scan any more: only packs in the release carry GTINs.
  EXPECT_FALSE(lookup_gtin(t.store->database(), kGtinCream, day(2026, 1, 13)));
  // The home's seeded prescriptions still load with their ingredients from the new release.
  auto rx = t.store->prescription_at(seed->alice_cocodamol, t.store->now());
  ASSERT_TRUE(rx) << rx.error().message;
  EXPECT_EQ(rx->ingredients.size(), 2u);
  auto v = t.store->verify_audit();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->intact());
}

}  // namespace
}  // namespace bcma::station::dmd::testing
