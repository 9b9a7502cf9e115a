// Parsing each input form into the same validated message, on worked examples.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bcma/gs1/element_string.hpp"
#include "message_generator.hpp"

namespace bcma::gs1 {
namespace {

using Elements = std::vector<ElementString>;
using testing::kGs;

Elements elements_of(std::string_view input) {
  const auto result = parse(input);
  EXPECT_TRUE(result) << input << ": " << (result ? "" : result.error().message);
  return result ? result->elements : Elements{};
}

const Elements kMedicinePack = {
    {"01", "09506000134352"}, {"17", "251231"}, {"10", "ABC123"}, {"21", "XYZ987"}};

TEST(Parse, MedicinePackInEveryForm) {
  EXPECT_EQ(elements_of("]d20109506000134352172512311" "0ABC123" + kGs + "21XYZ987"), kMedicinePack);
  EXPECT_EQ(elements_of("(01)09506000134352(17)251231(10)ABC123(21)XYZ987"), kMedicinePack);
  EXPECT_EQ(elements_of("^010950600013435217251231" "10ABC123^21XYZ987"), kMedicinePack);
  const Elements from_link =
      elements_of("https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ987?17=251231");
  EXPECT_EQ(from_link, (Elements{{"01", "09506000134352"}, {"10", "ABC123"}, {"21", "XYZ987"}, {"17", "251231"}}));
}

TEST(Parse, KeepsTheOrderAsScanned) {
  const auto message = parse("]d2" "10ABC123" + kGs + "17251231" "0109506000134352");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->elements, (Elements{{"10", "ABC123"}, {"17", "251231"}, {"01", "09506000134352"}}));
  EXPECT_EQ(message->form, Form::kScanData);
  EXPECT_EQ(message->symbology, "]d2");
  ASSERT_NE(message->find("17"), nullptr);
  EXPECT_EQ(*message->find("17"), "251231");
  EXPECT_FALSE(message->has("21"));
}

TEST(Parse, AcceptsEveryGs1SymbologyIdentifier) {
  for (const char* symbology : {"]d2", "]Q3", "]C1", "]e0", "]J1", "]d7", "]d8"}) {
    const auto message = parse(std::string(symbology) + "0109506000134352");
    ASSERT_TRUE(message) << symbology;
    EXPECT_EQ(message->symbology, symbology);
  }
}

TEST(Parse, ReadsADigitalLinkCarriedInAPlainQrOrDataMatrix) {
  const auto message = parse("]Q1https://id.gs1.org/01/09506000134352?17=251231");
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->form, Form::kDigitalLink);
  EXPECT_EQ(message->symbology, "]Q1");
  EXPECT_EQ(message->elements, (Elements{{"01", "09506000134352"}, {"17", "251231"}}));
  const auto error = parse("]Q1https://id.gs1.org/01/09506000134353");
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().code, ErrorCode::kBadCheckDigit);
  EXPECT_EQ(error.error().position, 3U + 35U) << "position in the scan data, not the URI";
}

TEST(Parse, ToleratesASeparatorAfterAPredefinedLengthValue) {
  EXPECT_EQ(elements_of("]d20109506000134352" + kGs + "17251231" + kGs + "10ABC123" + kGs + "21XYZ987"),
            kMedicinePack);
  EXPECT_EQ(elements_of("^0109506000134352^17251231^10ABC123^21XYZ987"), kMedicinePack);
}

TEST(Parse, NeedsNoSeparatorAfterTheLastValue) {
  EXPECT_EQ(elements_of("]d2" "8018950600013435200015"), (Elements{{"8018", "950600013435200015"}}));
}

TEST(Parse, FixedLengthAisThatAreNotPredefinedStillNeedASeparator) {
  // (8018) is always 18 digits but not of predefined length: FNC1 must follow it.
  const auto joined = parse("]d2" "8018950600013435200015" "8019123");
  ASSERT_FALSE(joined);
  EXPECT_EQ(joined.error().code, ErrorCode::kMissingSeparator);
  EXPECT_EQ(joined.error().position, 3U + 4U + 18U);
  EXPECT_EQ(elements_of("]d2" "8018950600013435200015" + kGs + "8019123"),
            (Elements{{"8018", "950600013435200015"}, {"8019", "123"}}));
}

TEST(Parse, WristbandStaffBadgeAndLocation) {
  EXPECT_EQ(elements_of("]d2" "8018950600013435200015"), (Elements{{"8018", "950600013435200015"}}));
  EXPECT_EQ(elements_of("(8017)950600013435200022"), (Elements{{"8017", "950600013435200022"}}));
  EXPECT_EQ(elements_of("(414)9506000134352"), (Elements{{"414", "9506000134352"}}));
}

TEST(Parse, NationalReimbursementNumbers) {
  for (const char* ai : {"710", "711", "712", "713", "714", "715", "716", "717"}) {
    const auto message = parse(std::string("(01)09506000134352(") + ai + ")ABC-123/45");
    ASSERT_TRUE(message) << ai << ": " << message.error().message;
    EXPECT_EQ(message->elements.back(), (ElementString{ai, "ABC-123/45"}));
  }
}

TEST(Parse, BracketedValuesEscapeOpeningBrackets) {
  EXPECT_EQ(elements_of("(01)09506000134352(10)A\\(1)B(21)X"),
            (Elements{{"01", "09506000134352"}, {"10", "A(1)B"}, {"21", "X"}}));
}

TEST(Parse, ExpiryDatesFollowTheCalendar) {
  struct Case {
    const char* date;
    bool valid;
  };
  for (const Case& c : {Case{"251231", true}, Case{"250600", true} /* DD=00: end of month */,
                        Case{"240229", true} /* 2024 is a leap year */, Case{"000229", true},
                        Case{"250229", false}, Case{"250431", false}, Case{"251301", false},
                        Case{"250001", false}, Case{"250132", false}}) {
    const auto message = parse(std::string("(01)09506000134352(17)") + c.date);
    EXPECT_EQ(static_cast<bool>(message), c.valid) << c.date;
    if (!c.valid) {
      EXPECT_EQ(message.error().code, ErrorCode::kBadDate) << c.date;
    }
  }
  // DD=00 is only for the YYMMD0 AIs; (7006) FIRST FREEZE DATE needs a real day.
  const auto freeze = parse("(01)09506000134352(7006)250600");
  ASSERT_FALSE(freeze);
  EXPECT_EQ(freeze.error().code, ErrorCode::kBadDate);
  EXPECT_EQ(freeze.error().position, 24U + 4U);
}

TEST(Parse, IdenticalRepeatsAreCollapsedIntoTheFirst) {
  const auto message = parse("(01)09506000134352(10)ABC(01)09506000134352(10)ABC");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->elements, (Elements{{"01", "09506000134352"}, {"10", "ABC"}}));
}

TEST(Parse, ChecksOtherLinters) {
  struct Case {
    const char* input;
    bool valid;
  };
  for (const Case& c : {
           Case{"(01)09506000134352(422)826", true}, Case{"(01)09506000134352(422)999", false},
           Case{"(01)09506000134352(423)826250276", true}, Case{"(01)09506000134352(423)82625", false},
           Case{"(01)09506000134352(3911)826123", false} /* needs (8020) */,
           Case{"(415)9506000134352(8020)A1(3911)826123", true},
           Case{"(415)9506000134352(8020)A1(3911)827123", false} /* not ISO 4217 */,
           Case{"(00)106141412345678908(4307)GB", true}, Case{"(00)106141412345678908(4307)UK", false},
           Case{"(00)106141412345678908(4300)Smith%20%26%20Co", true},
           Case{"(00)106141412345678908(4300)100%", false},
           Case{"(00)106141412345678908(4321)1", true}, Case{"(00)106141412345678908(4321)2", false},
           Case{"(00)106141412345678908(4330)001234-", true},
           Case{"(00)106141412345678908(4330)001234+", false},
           Case{"(00)106141412345678908(4309)18000000003600000000", true},
           Case{"(00)106141412345678908(4309)18000000013600000000", false},
           Case{"(8013)1987654Ad4X4bL5ttr2310c2K", true}, Case{"(8013)1987654Ad4X4bL5ttr2310cXK", false},
           Case{"(01)09506000134352(8014)1987654Ad4X4bL5ttr2310c2K", true},
           Case{"(8006)095060001343520102", true}, Case{"(8006)095060001343520302", false},
           Case{"(415)9506000134352(8020)A1(8007)GB98MIDL07009312345678", true},
           Case{"(415)9506000134352(8020)A1(8007)GB99MIDL07009312345678", false},
           Case{"(8018)950600013435200015(7250)19450508", true},
           Case{"(8018)950600013435200015(7250)19000229", false} /* 1900 was not a leap year */,
           Case{"(8018)950600013435200015(7252)2", true}, Case{"(8018)950600013435200015(7252)3", false},
           Case{"(8018)950600013435200015(7259)Baby(7258)2/3", true},
           Case{"(8018)950600013435200015(7259)Baby(7258)3/2", false},
           Case{"(8018)950600013435200015(7241)80", true}, Case{"(8018)950600013435200015(7241)50", false},
           Case{"(8010)0950600013435#A/B-1(8011)12", true}, Case{"(8010)0950600013435#A/B-1(8011)012", false},
           Case{"(8010)0950600013435a", false} /* lower case is not CSET 39 */,
           Case{"(8030)Ab-_9z==(00)106141412345678908", false} /* 8 characters: padding not at a multiple of 3 */,
           Case{"(8030)Ab-_9=(00)106141412345678908", true},
           Case{"(8110)012345612345611110123", true}, Case{"(8110)012345612345611115123", false},
           Case{"(8112)001234561234560123456", true}, Case{"(8112)201234561234560123456", false},
           Case{"(01)09506000134352(8001)00010000100111", true},
           Case{"(01)09506000134352(8001)00000000100111", false},
           Case{"(401)9506ABC", true}, Case{"(401)95X6ABC", false} /* no GS1 Company Prefix */,
           Case{"(7040)1A2_", true}, Case{"(7040)1A2*", false},
           Case{"(00)106141412345678908(7041)BX", true}, Case{"(00)106141412345678908(7041)QQQ", false},
           Case{"(01)09506000134352(8008)24022923", true}, Case{"(01)09506000134352(8008)24022924", false},
       }) {
    const auto message = parse(c.input);
    EXPECT_EQ(static_cast<bool>(message), c.valid)
        << c.input << (message ? "" : ": " + message.error().message);
  }
}

TEST(Parse, GeneralSpecificationsAssociations) {
  // (8017) and (8018) never appear together; (10) and (21) need a GTIN; (01) excludes (37).
  EXPECT_FALSE(parse("(8017)950600013435200022(8018)950600013435200015"));
  EXPECT_FALSE(parse("(10)ABC"));
  EXPECT_FALSE(parse("(01)09506000134352(37)5"));
  EXPECT_TRUE(parse("(00)106141412345678908(02)09506000134352(37)5"));
  EXPECT_FALSE(parse("(01)09506000134352(3103)000123(3102)001230")) << "two net weights in kg";
  EXPECT_TRUE(parse("(01)09506000134352(3103)000123(3203)000271")) << "kg and lb";
  EXPECT_FALSE(parse("(01)09506000134352(21)1(235)XYZ"));
}

TEST(DetectForm, ByTheFirstCharacters) {
  EXPECT_EQ(detect_form("]d2..."), Form::kScanData);
  EXPECT_EQ(detect_form("(01)"), Form::kBracketed);
  EXPECT_EQ(detect_form("^01"), Form::kUnbracketed);
  EXPECT_EQ(detect_form("https://id.gs1.org/01/1"), Form::kDigitalLink);
  EXPECT_EQ(detect_form("http://x/01/1"), Form::kDigitalLink);
  EXPECT_EQ(detect_form("9506000134352"), Form::kPlain);
  EXPECT_EQ(detect_form(""), Form::kPlain);
}

TEST(ErrorCodeNames, AreStableSnakeCase) {
  EXPECT_EQ(to_string(ErrorCode::kEmpty), "empty");
  EXPECT_EQ(to_string(ErrorCode::kMissingSeparator), "missing_separator");
  EXPECT_EQ(to_string(ErrorCode::kRepeatedAiMismatch), "repeated_ai_mismatch");
  EXPECT_EQ(to_string(ErrorCode::kBadPercentEncoding), "bad_percent_encoding");
}

}  // namespace
}  // namespace bcma::gs1
