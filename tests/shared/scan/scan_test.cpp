// Scan classification, table-driven: every kind, every unknown reason, decodes and typed text.
// GS1 check digits in the sample data were computed (mod 10), NHS check digits likewise
// (mod 11); values meant to be wrong say so. GS1 prefix 952 is GS1's prefix for examples.
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

#include "bcma/scan/scan.hpp"

namespace bcma::scan {
namespace {

constexpr int kYear = 2025;
constexpr std::string_view kNhsPrefix = "9520000";

// GSRN 9520000 + NHS number 999 000 0018 + GS1 check digit 2.
constexpr std::string_view kNhsGsrn = "952000099900000182";

Context nhs_context() {
  Context context(kYear);
  EXPECT_TRUE(context.add_nhs_gsrn_prefix(kNhsPrefix).has_value());
  return context;
}

Decode decode(std::string_view format, std::string_view symbology, bool gs1,
              std::string_view text) {
  return Decode{std::string(format), std::string(symbology), gs1, std::string(text)};
}

struct KindCase {
  std::string_view name;
  std::string_view format;
  std::string_view symbology;
  bool gs1;
  std::string_view text;
  Kind kind;
};

const KindCase kKinds[] = {
    {"gs1_datamatrix_pack", "DataMatrix", "]d2", true,
     "010950600013435217270600" "10ABC123\x1d" "21XYZ987", Kind::kMedicinePack},
    {"dmre_reported_as_d8", "DataMatrix", "]d8", true,
     "010950600013435217270600" "10ABC123", Kind::kMedicinePack},
    {"gs1_symbology_without_reader_flag", "DataMatrix", "]d2", false, "8018952000099900000182",
     Kind::kResidentWristband},
    {"symbology_inside_text", "DataMatrix", "]d2", true,
     "]d2010950600013435217270600", Kind::kMedicinePack},
    {"gs1_128_pack", "Code128", "]C1", true, "0109506000134352" "17270600", Kind::kMedicinePack},
    {"digital_link_in_plain_qr", "QRCode", "]Q1", false,
     "https://id.gs1.org/01/09506000134352/10/ABC123?17=270600", Kind::kMedicinePack},
    {"ean13", "EAN-13", "]E0", false, "9506000134352", Kind::kMedicinePack},
    {"upca", "UPC-A", "]E0", false, "012345678905", Kind::kMedicinePack},
    {"ean8", "EAN-8", "]E4", false, "95010137", Kind::kMedicinePack},
    {"nhs_gsrn_wristband", "DataMatrix", "]d2", true, "8018952000099900000182",
     Kind::kResidentWristband},
    {"other_gsrn_wristband", "DataMatrix", "]d2", true, "8018952123400000000000",
     Kind::kResidentWristband},
    {"wristband_with_srin", "DataMatrix", "]d2", true, "8018952000099900000182\x1d" "80191234",
     Kind::kResidentWristband},
    {"wristband_with_hospital_gln", "DataMatrix", "]d2", true,
     "8018952000099900000182\x1d" "4149520000000011", Kind::kResidentWristband},
    {"nhs_number_code128", "Code128", "]C0", false, "9990000026", Kind::kResidentWristband},
    {"nhs_number_spaced_datamatrix", "DataMatrix", "]d1", false, "999 000 0034",
     Kind::kResidentWristband},
    {"pharmacy_label_full", "DataMatrix", "]d2", true,
     "8018952000099900000182\x1d" "2539521234000013RX000451\x1d" "0109506000134352"
     "17270600" "10ABC123", Kind::kPharmacyLabel},
    {"pharmacy_label_minimal", "DataMatrix", "]d2", true,
     "8018952000099900000182\x1d" "2539521234000013RX000451", Kind::kPharmacyLabel},
    {"staff_badge", "Code128", "]C1", true, "8017952000000000000019", Kind::kStaffBadge},
    {"location", "Code128", "]C1", true, "4149520000000011", Kind::kLocation},
    {"location_with_extension", "DataMatrix", "]d2", true, "4149520000000011" "254ROOM12",
     Kind::kLocation},
};

void PrintTo(const KindCase& c, std::ostream* os) { *os << c.name; }

class ClassifyKind : public ::testing::TestWithParam<KindCase> {};

TEST_P(ClassifyKind, IsRecognised) {
  const KindCase& c = GetParam();
  const Scan scan = classify(decode(c.format, c.symbology, c.gs1, c.text), nhs_context());
  const Unknown* unknown = scan.unknown();
  ASSERT_EQ(scan.kind, c.kind) << (unknown ? unknown->reason : std::string("not unknown"));
  EXPECT_EQ(unknown, nullptr);
  EXPECT_FALSE(scan.gs1_error.has_value());
}

INSTANTIATE_TEST_SUITE_P(Table, ClassifyKind, ::testing::ValuesIn(kKinds),
                         [](const auto& test) { return std::string(test.param.name); });

struct UnknownCase {
  std::string_view name;
  std::string_view format;
  std::string_view symbology;
  bool gs1;
  std::string_view text;
  UnknownReason reason;
  std::optional<gs1::ErrorCode> gs1_error;
  std::string_view says;  ///< the reason must contain this, so a person knows what it was
};

const UnknownCase kUnknowns[] = {
    {"nothing_decoded", "Code128", "]C0", false, "", UnknownReason::kEmpty, std::nullopt,
     "Nothing was read"},
    {"pack_bad_gtin_check_digit", "DataMatrix", "]d2", true,
     "0109506000134353" "17270600", UnknownReason::kUnreadableGs1, gs1::ErrorCode::kBadCheckDigit,
     "medicine pack"},
    {"pack_month_13", "DataMatrix", "]d2", true, "0109506000134352" "17271300",
     UnknownReason::kUnreadableGs1, gs1::ErrorCode::kBadDate, "medicine pack"},
    {"wristband_gsrn_bad_check_digit", "DataMatrix", "]d2", true, "8018952000099900000183",
     UnknownReason::kUnreadableGs1, gs1::ErrorCode::kBadCheckDigit, "resident wristband"},
    {"wristband_truncated", "DataMatrix", "]d2", true, "801895200009990",
     UnknownReason::kUnreadableGs1, gs1::ErrorCode::kTooShort, "resident wristband"},
    {"staff_and_resident_together", "DataMatrix", "]d2", true,
     "8017952000000000000019\x1d" "8018952000099900000182", UnknownReason::kUnreadableGs1,
     gs1::ErrorCode::kForbiddenPair, "8017"},
    {"batch_without_gtin", "DataMatrix", "]d2", true, "10ABC123", UnknownReason::kUnreadableGs1,
     gs1::ErrorCode::kMissingRequiredAi, "GS1 data is invalid"},
    {"web_address_not_digital_link", "QRCode", "]Q1", false, "https://example.org/menu",
     UnknownReason::kUnreadableGs1, gs1::ErrorCode::kBadUri, "not a valid GS1 Digital Link"},
    {"ean13_bad_check_digit", "EAN-13", "]E0", false, "9506000134353", UnknownReason::kBadGtin,
     std::nullopt, "check digit"},
    {"ean13_wrong_length", "EAN-13", "]E0", false, "95060001343", UnknownReason::kBadGtin,
     std::nullopt, "GTIN"},
    {"coupon_ean13", "EAN-13", "]E0", false, "9912345678909", UnknownReason::kNotAMedicine,
     std::nullopt, "coupon"},
    {"book_ean13", "EAN-13", "]E0", false, "9780306406157", UnknownReason::kNotAMedicine,
     std::nullopt, "book"},
    {"in_store_ean13", "EAN-13", "]E0", false, "2012345678903", UnknownReason::kNotAMedicine,
     std::nullopt, "restricted circulation"},
    {"variable_measure_gtin", "DataMatrix", "]d2", true, "0190950600013432",
     UnknownReason::kNotAMedicine, std::nullopt, "variable-measure"},
    {"nhs_number_bad_check_digit", "Code128", "]C0", false, "9990000019",
     UnknownReason::kBadNhsNumber, std::nullopt, "NHS number"},
    {"nhs_number_bad_grouping", "Code128", "]C0", false, "999 0000018",
     UnknownReason::kBadNhsNumber, std::nullopt, "3-3-4"},
    {"nhs_gsrn_with_invalid_nhs_number", "DataMatrix", "]d2", true, "8018952000099900000199",
     UnknownReason::kBadEmbeddedNhsNumber, std::nullopt, "NHS number"},
    {"label_gsrn_with_invalid_nhs_number", "DataMatrix", "]d2", true,
     "8018952000099900000199\x1d" "2539521234000013RX000451", UnknownReason::kBadEmbeddedNhsNumber,
     std::nullopt, "pharmacy label"},
    {"nhs_number_in_qr_code", "QRCode", "]Q1", false, "9990000018",
     UnknownReason::kNhsNumberWrongCarrier, std::nullopt, "Code 128 or DataMatrix"},
    {"resident_and_gtin_without_item", "DataMatrix", "]d2", true,
     "8018952000099900000182\x1d" "0109506000134352", UnknownReason::kAmbiguous, std::nullopt,
     "neither a wristband nor"},
    {"staff_gsrn_with_gtin", "DataMatrix", "]d2", true,
     "8017952000000000000019\x1d" "0109506000134352", UnknownReason::kAmbiguous, std::nullopt,
     "not a staff badge"},
    {"label_item_without_serial", "DataMatrix", "]d2", true,
     "8018952000099900000182\x1d" "2539521234000013", UnknownReason::kIncompleteLabel,
     std::nullopt, "no serial"},
    {"dispensed_item_without_resident", "DataMatrix", "]d2", true, "2539521234000013RX000451",
     UnknownReason::kIncompleteLabel, std::nullopt, "no resident"},
    {"gs1_data_without_fnc1", "Code128", "]C0", false, "0109506000134352",
     UnknownReason::kNotMarkedGs1, std::nullopt, "not printed as a GS1 barcode"},
    {"gsrn_without_fnc1", "DataMatrix", "]d1", false, "8018952000099900000182",
     UnknownReason::kNotMarkedGs1, std::nullopt, "8018"},
    {"damaged_gsrn_without_fnc1", "DataMatrix", "]d1", false, "8018952000099900000183",
     UnknownReason::kNotMarkedGs1, gs1::ErrorCode::kBadCheckDigit, "resident wristband"},
    {"short_number_starting_01_is_just_plain", "Code128", "]C0", false, "0123",
     UnknownReason::kNotUsed, std::nullopt, "not one bcma uses"},
    {"sscc_shipping_label", "Code128", "]C1", true, "00095060001343500002",
     UnknownReason::kNotUsed, std::nullopt, "shipping container"},
    {"internal_data_only", "DataMatrix", "]d2", true, "91ROUND2", UnknownReason::kNotUsed,
     std::nullopt, "(91)"},
    {"plain_text", "Code39", "]A0", false, "HELLO", UnknownReason::kNotUsed, std::nullopt,
     "not one bcma uses"},
    {"upc_e", "UPC-E", "]E0", false, "01234565", UnknownReason::kNotUsed, std::nullopt, "UPC-E"},
};

void PrintTo(const UnknownCase& c, std::ostream* os) { *os << c.name; }

class ClassifyUnknown : public ::testing::TestWithParam<UnknownCase> {};

TEST_P(ClassifyUnknown, SaysWhy) {
  const UnknownCase& c = GetParam();
  const Scan scan = classify(decode(c.format, c.symbology, c.gs1, c.text), nhs_context());
  ASSERT_EQ(scan.kind, Kind::kUnknown) << c.name << " was classified as " << to_string(scan.kind);
  const Unknown* unknown = scan.unknown();
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->code, c.reason) << to_string(unknown->code) << ": " << unknown->reason;
  EXPECT_NE(unknown->reason.find(c.says), std::string::npos)
      << "reason should mention '" << c.says << "': " << unknown->reason;
  if (c.gs1_error) {
    ASSERT_TRUE(scan.gs1_error.has_value());
    EXPECT_EQ(scan.gs1_error->code, *c.gs1_error) << scan.gs1_error->message;
    // The GS1 error code is in the reason too, for the engineer reading a log.
    EXPECT_NE(unknown->reason.find(gs1::to_string(*c.gs1_error)), std::string::npos)
        << unknown->reason;
  } else {
    EXPECT_FALSE(scan.gs1_error.has_value()) << scan.gs1_error->message;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, ClassifyUnknown, ::testing::ValuesIn(kUnknowns),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(ClassifyUnknown, EveryReasonIsExercisedByTheTable) {
  std::set<UnknownReason> seen;
  for (const auto& c : kUnknowns) seen.insert(c.reason);
  for (auto r = static_cast<int>(UnknownReason::kEmpty);
       r <= static_cast<int>(UnknownReason::kNotUsed); ++r) {
    EXPECT_TRUE(seen.count(static_cast<UnknownReason>(r)))
        << to_string(static_cast<UnknownReason>(r)) << " has no case";
  }
}

TEST(Classify, GsrnIsNeverReadAsAnNhsNumberWithoutAConfiguredPrefix) {
  const Scan scan = classify(decode("DataMatrix", "]d2", true, "8018952000099900000182"),
                             Context(kYear));
  ASSERT_EQ(scan.kind, Kind::kResidentWristband);
  const auto& band = std::get<ResidentWristband>(scan.data);
  EXPECT_EQ(band.gsrn, std::string(kNhsGsrn));
  EXPECT_FALSE(band.nhs_number.has_value());
}

TEST(Classify, NhsGsrnWristbandCarriesItsNhsNumber) {
  const Scan scan = classify(
      decode("DataMatrix", "]d2", true, "8018952000099900000182\x1d" "80191234"), nhs_context());
  ASSERT_EQ(scan.kind, Kind::kResidentWristband);
  const auto& band = std::get<ResidentWristband>(scan.data);
  EXPECT_EQ(band.gsrn, std::string(kNhsGsrn));
  EXPECT_EQ(band.nhs_number, "9990000018");
  EXPECT_EQ(band.srin, "1234");
  ASSERT_TRUE(scan.gs1.has_value());
  EXPECT_EQ(scan.gs1->symbology, "]d2");
}

TEST(Classify, GsrnUnderAnotherPrefixHasNoNhsNumber) {
  const Scan scan = classify(decode("DataMatrix", "]d2", true, "8018952123400000000000"),
                             nhs_context());
  ASSERT_EQ(scan.kind, Kind::kResidentWristband);
  EXPECT_FALSE(std::get<ResidentWristband>(scan.data).nhs_number.has_value());
}

TEST(Classify, PlainNhsNumberWristbandHasNoGsrn) {
  const Scan scan = classify(decode("Code128", "]C0", false, "999-000-0026"), nhs_context());
  ASSERT_EQ(scan.kind, Kind::kResidentWristband);
  const auto& band = std::get<ResidentWristband>(scan.data);
  EXPECT_FALSE(band.gsrn.has_value());
  EXPECT_EQ(band.nhs_number, "9990000026");
  EXPECT_FALSE(scan.gs1.has_value());
}

TEST(Classify, Gs1PackHasEveryField) {
  const Scan scan = classify(
      decode("DataMatrix", "]d2", true,
             "010950600013435217270600" "10ABC123\x1d" "21XYZ987\x1d" "712080012345"),
      nhs_context());
  ASSERT_EQ(scan.kind, Kind::kMedicinePack);
  const auto& pack = std::get<MedicinePack>(scan.data);
  EXPECT_EQ(pack.gtin, "09506000134352");
  EXPECT_EQ(pack.expiry, (ExpiryDate{2027, 6, 30, true}));
  EXPECT_EQ(pack.batch, "ABC123");
  EXPECT_EQ(pack.serial, "XYZ987");
  ASSERT_EQ(pack.national_numbers.size(), 1u);
  EXPECT_EQ(pack.national_numbers[0], (gs1::ElementString{"712", "080012345"}));
  EXPECT_FALSE(pack.from_linear);
}

TEST(Classify, DigitalLinkPackMatchesTheDataMatrixPack) {
  const Scan dm = classify(decode("DataMatrix", "]d2", true,
                                  "010950600013435217270600" "10ABC123\x1d" "21XYZ987"),
                           nhs_context());
  const Scan dl = classify(
      decode("QRCode", "]Q1", false,
             "https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ987?17=270600"),
      nhs_context());
  ASSERT_EQ(dm.kind, Kind::kMedicinePack);
  ASSERT_EQ(dl.kind, Kind::kMedicinePack);
  const auto& a = std::get<MedicinePack>(dm.data);
  const auto& b = std::get<MedicinePack>(dl.data);
  EXPECT_EQ(a.gtin, b.gtin);
  EXPECT_EQ(a.expiry, b.expiry);
  EXPECT_EQ(a.batch, b.batch);
  EXPECT_EQ(a.serial, b.serial);
}

TEST(Classify, LinearCodesNormaliseTheGtinTo14Digits) {
  struct {
    std::string_view format, symbology, text, gtin;
  } cases[] = {{"EAN-13", "]E0", "9506000134352", "09506000134352"},
               {"UPC-A", "]E0", "012345678905", "00012345678905"},
               {"EAN-8", "]E4", "95010137", "00000095010137"}};
  for (const auto& c : cases) {
    const Scan scan = classify(decode(c.format, c.symbology, false, c.text), nhs_context());
    ASSERT_EQ(scan.kind, Kind::kMedicinePack) << c.text;
    const auto& pack = std::get<MedicinePack>(scan.data);
    EXPECT_EQ(pack.gtin, c.gtin);
    EXPECT_TRUE(pack.from_linear);
    EXPECT_FALSE(pack.expiry.has_value());
  }
}

TEST(Classify, PharmacyLabelHasResidentItemAndProduct) {
  const Scan scan = classify(
      decode("DataMatrix", "]d2", true,
             "8018952000099900000182\x1d" "2539521234000013RX000451\x1d" "0109506000134352"
             "17270600" "10ABC123"),
      nhs_context());
  ASSERT_EQ(scan.kind, Kind::kPharmacyLabel);
  const auto& label = std::get<PharmacyLabel>(scan.data);
  EXPECT_EQ(label.resident_gsrn, std::string(kNhsGsrn));
  EXPECT_EQ(label.resident_nhs_number, "9990000018");
  EXPECT_EQ(label.dispensed_item, "9521234000013RX000451");
  EXPECT_EQ(label.gtin, "09506000134352");
  EXPECT_EQ(label.expiry, (ExpiryDate{2027, 6, 30, true}));
  EXPECT_EQ(label.batch, "ABC123");
}

TEST(Classify, StaffBadgeAndLocationCarryTheirKeys) {
  const Scan badge = classify(decode("Code128", "]C1", true, "8017952000000000000019"),
                              nhs_context());
  ASSERT_EQ(badge.kind, Kind::kStaffBadge);
  EXPECT_EQ(std::get<StaffBadge>(badge.data).gsrn, "952000000000000019");
  const Scan location = classify(decode("Code128", "]C1", true, "4149520000000011"),
                                 nhs_context());
  ASSERT_EQ(location.kind, Kind::kLocation);
  EXPECT_EQ(std::get<Location>(location.data).gln, "9520000000011");
}

TEST(Classify, Gs1ErrorPositionPointsIntoTheDecodedText) {
  // The check digit of the GTIN is byte 15 of the text (the reader's text has no "]d2").
  const Scan scan = classify(decode("DataMatrix", "]d2", true, "0109506000134353"), nhs_context());
  ASSERT_TRUE(scan.gs1_error.has_value());
  EXPECT_EQ(scan.gs1_error->position, 15u);
}

TEST(Classify, ExpiryCenturyComesFromTheContextYear) {
  const auto text = "0109506000134352" "17760100";
  const Scan in_2025 = classify(decode("DataMatrix", "]d2", true, text), Context(2025));
  const Scan in_2030 = classify(decode("DataMatrix", "]d2", true, text), Context(2030));
  ASSERT_EQ(in_2025.kind, Kind::kMedicinePack);
  ASSERT_EQ(in_2030.kind, Kind::kMedicinePack);
  EXPECT_EQ(std::get<MedicinePack>(in_2025.data).expiry->year, 1976);
  EXPECT_EQ(std::get<MedicinePack>(in_2030.data).expiry->year, 2076);
}

struct TextCase {
  std::string_view name;
  std::string_view text;
  Kind kind;
  std::optional<UnknownReason> reason;
};

const TextCase kTexts[] = {
    {"bracketed_pack", "(01)09506000134352(17)270600(10)ABC123", Kind::kMedicinePack,
     std::nullopt},
    {"unbracketed_pack", "^01095060001343521727060010ABC123", Kind::kMedicinePack, std::nullopt},
    {"scan_data_pack", "]d2010950600013435210ABC123\x1d" "17270600", Kind::kMedicinePack,
     std::nullopt},
    {"digital_link_pack", "https://id.gs1.org/01/09506000134352?17=270600",
     Kind::kMedicinePack, std::nullopt},
    {"typed_ean13", "9506000134352", Kind::kMedicinePack, std::nullopt},
    {"typed_gtin14", "09506000134352", Kind::kMedicinePack, std::nullopt},
    {"typed_nhs_number_spaced", " 943 476 5919 ", Kind::kResidentWristband, std::nullopt},
    {"typed_nhs_number_hyphens", "999-000-0018", Kind::kResidentWristband, std::nullopt},
    {"wedge_code128_nhs_number", "]C09990000026", Kind::kResidentWristband, std::nullopt},
    {"wedge_ean13", "]E09506000134352", Kind::kMedicinePack, std::nullopt},
    {"bracketed_wristband", "(8018)952000099900000182", Kind::kResidentWristband, std::nullopt},
    {"bracketed_label", "(8018)952000099900000182(253)9521234000013RX000451",
     Kind::kPharmacyLabel, std::nullopt},
    {"bracketed_badge", "(8017)952000000000000019", Kind::kStaffBadge, std::nullopt},
    {"bracketed_location", "(414)9520000000011", Kind::kLocation, std::nullopt},
    {"nothing_typed", "   ", Kind::kUnknown, UnknownReason::kEmpty},
    {"typed_nhs_bad_check_digit", "943 476 5918", Kind::kUnknown, UnknownReason::kBadNhsNumber},
    {"typed_ean13_bad_check_digit", "9506000134353", Kind::kUnknown, UnknownReason::kBadGtin},
    {"typed_coupon", "9912345678909", Kind::kUnknown, UnknownReason::kNotAMedicine},
    {"bracketed_bad_check_digit", "(01)09506000134353", Kind::kUnknown,
     UnknownReason::kUnreadableGs1},
    {"bracketed_8017_with_8018", "(8017)952000000000000019(8018)952000099900000182",
     Kind::kUnknown, UnknownReason::kUnreadableGs1},
    {"typed_words", "paracetamol", Kind::kUnknown, UnknownReason::kNotUsed},
};

void PrintTo(const TextCase& c, std::ostream* os) { *os << c.name; }

class ClassifyText : public ::testing::TestWithParam<TextCase> {};

TEST_P(ClassifyText, IsClassified) {
  const TextCase& c = GetParam();
  const Scan scan = classify_text(c.text, nhs_context());
  const Unknown* unknown = scan.unknown();
  ASSERT_EQ(scan.kind, c.kind) << (unknown ? unknown->reason : std::string(to_string(scan.kind)));
  if (c.reason) {
    ASSERT_NE(unknown, nullptr);
    EXPECT_EQ(unknown->code, *c.reason) << unknown->reason;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, ClassifyText, ::testing::ValuesIn(kTexts),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(ClassifyText, ErrorPositionCountsLeadingWhitespace) {
  // "(01)09506000134353": the wrong check digit is byte 17; two spaces in front make it 19.
  const Scan scan = classify_text("  (01)09506000134353", nhs_context());
  ASSERT_TRUE(scan.gs1_error.has_value());
  EXPECT_EQ(scan.gs1_error->code, gs1::ErrorCode::kBadCheckDigit);
  EXPECT_EQ(scan.gs1_error->position, 19u);
}

TEST(ClassifyText, TypedNhsNumberIsNormalisedToTenDigits) {
  const Scan scan = classify_text("943 476 5919", nhs_context());
  ASSERT_EQ(scan.kind, Kind::kResidentWristband);
  EXPECT_EQ(std::get<ResidentWristband>(scan.data).nhs_number, "9434765919");
}

TEST(Context, NhsGsrnPrefixMustBeSevenDigits) {
  Context context(kYear);
  EXPECT_TRUE(context.add_nhs_gsrn_prefix("9520000").has_value());
  for (std::string_view bad : {"952000", "95200000", "952000a", ""}) {
    auto added = context.add_nhs_gsrn_prefix(bad);
    ASSERT_FALSE(added.has_value()) << bad;
    EXPECT_EQ(added.error().code, "bad_nhs_gsrn_prefix");
  }
  EXPECT_EQ(context.nhs_gsrn_prefixes().size(), 1u);
}

TEST(ScanNames, KindsAndReasonsHaveSnakeCaseNames) {
  EXPECT_EQ(to_string(Kind::kResidentWristband), "resident_wristband");
  EXPECT_EQ(to_string(Kind::kMedicinePack), "medicine_pack");
  EXPECT_EQ(to_string(Kind::kPharmacyLabel), "pharmacy_label");
  EXPECT_EQ(to_string(Kind::kStaffBadge), "staff_badge");
  EXPECT_EQ(to_string(Kind::kLocation), "location");
  EXPECT_EQ(to_string(Kind::kUnknown), "unknown");
  std::set<std::string_view> names;
  for (auto r = static_cast<int>(UnknownReason::kEmpty);
       r <= static_cast<int>(UnknownReason::kNotUsed); ++r) {
    names.insert(to_string(static_cast<UnknownReason>(r)));
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(UnknownReason::kNotUsed) + 1);
  EXPECT_EQ(to_string(UnknownReason::kUnreadableGs1), "unreadable_gs1");
  EXPECT_EQ(to_string(UnknownReason::kBadEmbeddedNhsNumber), "bad_embedded_nhs_number");
}

}  // namespace
}  // namespace bcma::scan
