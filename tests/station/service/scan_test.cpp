// Scanning the resident and the items: what the care worker is told, and what the audit log
// keeps of every scan and verdict.
#include <nlohmann/json.hpp>

#include "bcma/station/service/errors.hpp"
#include "service_fixture.hpp"

namespace bcma::station::service::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

TEST_F(ServiceTest, ResidentScanShowsWhoAndWhatIsDueAndIsAudited) {
  const std::string session = sign_in(carol_);
  const std::int64_t before = audit_head();
  auto view = service_->scan_resident(session, wristband(kJaneGsrn));
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->status, ResidentScanStatus::kFound);
  ASSERT_TRUE(view->resident);
  EXPECT_EQ(view->resident->id, jane_);
  EXPECT_EQ(view->resident->display_name(), "Jane Smith");
  EXPECT_EQ(view->resident->photo_ref, "photos/Jane.jpg");
  ASSERT_EQ(view->doses.size(), 1U);
  EXPECT_EQ(view->doses[0].prescription_id, jane_amlodipine_);
  EXPECT_EQ(view->doses[0].slot, at("2026-03-16T08:00:00Z"));
  EXPECT_TRUE(view->doses[0].due_now);
  ASSERT_EQ(view->prn.size(), 1U);
  EXPECT_EQ(view->prn[0].prescription_id, jane_paracetamol_prn_);
  EXPECT_TRUE(view->prn[0].available_now);

  const auto entries = audit_from(before + 1);
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].kind, "scan");
  EXPECT_EQ(entries[0].seq, view->audit_seq);
  EXPECT_EQ(entries[0].staff_id, carol_.id);
  EXPECT_EQ(entries[0].subject, "resident:" + std::to_string(jane_));
  const Json p = Json::parse(entries[0].payload);
  EXPECT_EQ(p.at("step"), "resident");
  EXPECT_EQ(p.at("entry"), "scanned");
  EXPECT_EQ(p.at("symbology"), "]d2");
  EXPECT_EQ(p.at("text"), std::string("8018") + kJaneGsrn);
  EXPECT_EQ(p.at("kind"), "resident_wristband");
  EXPECT_EQ(p.at("result"), "found");
}

TEST_F(ServiceTest, ANonWristbandOrAStrangersWristbandIsAnAnswerNotAnError) {
  const std::string session = sign_in(carol_);
  auto label = service_->scan_resident(
      session, gs1_scan(std::string("(8018)") + kJaneGsrn + "(253)9521234000013RX1"));
  ASSERT_TRUE(label);
  EXPECT_EQ(label->status, ResidentScanStatus::kNotAWristband);
  EXPECT_EQ(label->kind, scan::Kind::kPharmacyLabel);
  EXPECT_FALSE(label->resident);
  auto stranger = service_->scan_resident(session, wristband("952000099900000779"));
  ASSERT_TRUE(stranger);
  EXPECT_EQ(stranger->status, ResidentScanStatus::kNotFound);
  EXPECT_NE(stranger->message.find("Nobody in this home"), std::string::npos);
  // Neither identifies anyone: the next item has no resident.
  auto item = service_->scan_item(session, ItemRequest{amlodipine(), std::nullopt, std::nullopt});
  ASSERT_TRUE(item);
  EXPECT_TRUE(item->verdict.has(rules::ReasonCode::kResidentNotIdentified));
  const auto entries = audit_from(label->audit_seq);
  EXPECT_EQ(Json::parse(entries[0].payload).at("result"), "not_a_wristband");
  EXPECT_EQ(Json::parse(entries[1].payload).at("result"), "not_found");
  EXPECT_EQ(service_->scan_resident(session, ScanInput::unable_to_scan("no band")).error().code,
            errc::kInvalidRequest);
}

TEST_F(ServiceTest, ItemScanAuditsTheScanAndTheVerdictTogether) {
  const std::string session = sign_in(carol_);
  ASSERT_TRUE(service_->scan_resident(session, wristband(kJaneGsrn)));
  const std::int64_t before = audit_head();
  auto check = service_->scan_item(session, ItemRequest{amlodipine(), jane_, std::nullopt});
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->verdict.decision, rules::Decision::kProceed);
  EXPECT_EQ(check->verdict.prescription_id, jane_amlodipine_);
  ASSERT_TRUE(check->product);
  EXPECT_EQ(check->product->ampp.id, kAmppAmlodipine);

  const auto entries = audit_from(before + 1);
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].kind, "scan");
  EXPECT_EQ(entries[1].kind, "verdict");
  EXPECT_EQ(entries[1].seq, check->verdict_audit_seq);
  EXPECT_EQ(entries[1].at, clock_.now());
  const Json verdict = Json::parse(entries[1].payload);
  EXPECT_EQ(verdict.at("decision"), "proceed");
  EXPECT_EQ(verdict.at("prescription_id"), jane_amlodipine_);
  EXPECT_EQ(verdict.at("scan_seq"), entries[0].seq);
  EXPECT_EQ(verdict.at("summary"), check->verdict.summary);

  // A block is audited with every reason code.
  clock_.advance(5min);
  auto badge = service_->scan_item(session, ItemRequest{gs1_scan("(8017)952111100000000011"),
                                                        std::nullopt, std::nullopt});
  ASSERT_TRUE(badge);
  const auto more = audit_from(before + 3);
  ASSERT_EQ(more.size(), 2U);
  EXPECT_EQ(Json::parse(more[0].payload).at("kind"), "staff_badge");
  const Json blocked = Json::parse(more[1].payload);
  EXPECT_EQ(blocked.at("decision"), "block");
  EXPECT_EQ(blocked.at("reasons").at(0).at("code"), "invalid_barcode");
  EXPECT_TRUE(store_->verify_audit()->intact());
}

TEST_F(ServiceTest, AnItemScanForAnotherResidentThanTheLastWristbandIsRefused) {
  const std::string session = sign_in(carol_);
  ASSERT_TRUE(service_->scan_resident(session, wristband(kJaneGsrn)));
  auto r = service_->scan_item(session, ItemRequest{amlodipine(), john_, std::nullopt});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::kResidentNotCurrent);
}

TEST_F(ServiceTest, TheProductIsLookedUpOnTheLocalDayOfTheScan) {
  // A GTIN mapping that ends on 15 March no longer resolves on the 16th.
  store::ProductBatch b;
  const domain::Date from{std::chrono::year{2020}, std::chrono::January, std::chrono::day{1}};
  const domain::Date to{std::chrono::year{2026}, std::chrono::March, std::chrono::day{15}};
  b.gtins = {{"09520123400156", kAmppAmlodipine, from, to}};
  ASSERT_TRUE(store_->import_products(b, store::Actor{std::nullopt, "test"}));
  const std::string session = sign_in(carol_);
  ASSERT_TRUE(service_->scan_resident(session, wristband(kJaneGsrn)));
  auto check = service_->scan_item(
      session, ItemRequest{gs1_scan("(01)09520123400156(17)280131(10)A1"), std::nullopt, std::nullopt});
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->verdict.has(rules::ReasonCode::kUnknownProduct));
  clock_.set(at("2026-03-15T23:30:00Z"));  // still the 15th in London (GMT)
  const std::string again = sign_in(carol_);
  ASSERT_TRUE(service_->scan_resident(again, wristband(kJaneGsrn)));
  auto earlier = service_->scan_item(
      again, ItemRequest{gs1_scan("(01)09520123400156(17)280131(10)A1"), std::nullopt, std::nullopt});
  ASSERT_TRUE(earlier);
  EXPECT_FALSE(earlier->verdict.has(rules::ReasonCode::kUnknownProduct));
}

}  // namespace
}  // namespace bcma::station::service::testing
