// GS1 Digital Link URIs: the examples of the GS1 Digital Link standard, and the writer.

#include <gtest/gtest.h>

#include "bcma/gs1/element_string.hpp"

namespace bcma::gs1 {
namespace {

using Elements = std::vector<ElementString>;

struct LinkCase {
  const char* uri;
  Elements elements;
};

class DigitalLinkExamples : public ::testing::TestWithParam<LinkCase> {};

TEST_P(DigitalLinkExamples, ParseToTheElementStrings) {
  const auto message = parse(GetParam().uri);
  ASSERT_TRUE(message) << GetParam().uri << ": " << message.error().message;
  EXPECT_EQ(message->form, Form::kDigitalLink);
  EXPECT_EQ(message->elements, GetParam().elements);
}

INSTANTIATE_TEST_SUITE_P(
    Standard, DigitalLinkExamples,
    ::testing::Values(
        LinkCase{"https://id.gs1.org/01/09520123456788", {{"01", "09520123456788"}}},
        LinkCase{"https://brand.example.com/01/9520123456788", {{"01", "09520123456788"}}},
        LinkCase{"https://brand.example.com/some-extra/pathinfo/01/9520123456788", {{"01", "09520123456788"}}},
        LinkCase{"https://id.gs1.org/01/09520123456788/22/2A", {{"01", "09520123456788"}, {"22", "2A"}}},
        LinkCase{"https://id.gs1.org/01/09520123456788/10/ABC123", {{"01", "09520123456788"}, {"10", "ABC123"}}},
        LinkCase{"https://id.gs1.org/01/09520123456788/21/12345", {{"01", "09520123456788"}, {"21", "12345"}}},
        LinkCase{"https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
                 {{"01", "09520123456788"}, {"10", "ABC1"}, {"21", "12345"}, {"17", "180426"}}},
        LinkCase{"https://id.gs1.org/01/09520123456788?3103=000195", {{"01", "09520123456788"}, {"3103", "000195"}}},
        LinkCase{"https://example.com/01/9520123456788?3103=000195&3922=0299&17=201225",
                 {{"01", "09520123456788"}, {"3103", "000195"}, {"3922", "0299"}, {"17", "201225"}}},
        LinkCase{"https://id.gs1.org/00/952012345678912345", {{"00", "952012345678912345"}}},
        LinkCase{"https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123",
                 {{"00", "952012345678912345"}, {"02", "09520123456788"}, {"37", "25"}, {"10", "ABC123"}}},
        LinkCase{"https://id.gs1.org/414/9520123456788", {{"414", "9520123456788"}}},
        LinkCase{"https://id.gs1.org/414/9520123456788/254/32a%2Fb", {{"414", "9520123456788"}, {"254", "32a/b"}}},
        LinkCase{"https://example.com/8004/9520614141234567?01=9520123456788",
                 {{"8004", "9520614141234567"}, {"01", "09520123456788"}}},
        LinkCase{"https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123",
                 {{"01", "09520123456788"}, {"235", "XYZ"}, {"10", "ABC123"}}},
        // Our own: GTIN-8 and -12 padded, HTTP in capitals, prefix with a fake AI, a wristband,
        // non-AI query parameters and a fragment ignored.
        LinkCase{"http://a/01/02345680", {{"01", "00000002345680"}}},
        LinkCase{"HTTPS://a/01/416000336108", {{"01", "00416000336108"}}},
        LinkCase{"https://a/00/faux/00/106141412345678908", {{"00", "106141412345678908"}}},
        LinkCase{"https://nhs.example/8018/950600013435200015/8019/123", {{"8018", "950600013435200015"}, {"8019", "123"}}},
        LinkCase{"https://id.gs1.org/01/09506000134352?linkType=gs1:pip&&flag&17=251231#top",
                 {{"01", "09506000134352"}, {"17", "251231"}}},
        LinkCase{"https://id.gs1.org/01/09506000134352/10/A+B%2Dc", {{"01", "09506000134352"}, {"10", "A+B-c"}}}));

TEST(DigitalLink, RejectsWhatTheStandardForbids) {
  for (const char* uri : {
           "https://example.com/01/09520123456788?10=ABC123",       // qualifier belongs in the path
           "https://id.gs1.org/01/09520123456788/22/A/10/B/235/C",  // 235 does not mix with 22, 10, 21
           "https://id.gs1.org/01/09520123456788/89/ABC123",        // unknown AI in the path
           "https://id.gs1.org/01/09520123456788?99=ABC&89=X",      // unknown AI in the query
           "https://id.gs1.org/01/09520123456788?99=",              // empty value
           "https://id.gs1.org/01/09520123456788?99=A+B",           // '+' is a space in a query
           "https://id.gs1.org/00/106141412345678908?21=5",         // (21) is not an attribute
           "https://id.gs1.org/01/95201234567",                     // 11 digits: no GTIN
           "ftp://id.gs1.org/01/09520123456788",
           "https://a",
           "https://a$/01/09520123456788",
       }) {
    EXPECT_FALSE(parse_digital_link(uri)) << uri;
  }
}

TEST(DigitalLink, RepeatsFollowTheSameRuleAsOtherForms) {
  const auto same = parse("https://id.gs1.org/01/09520123456788/10/ABC123?99=X&10=ABC123");
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->elements.size(), 3U) << "the identical repeat is collapsed";
  const auto different = parse("https://id.gs1.org/01/09520123456788/10/ABC123?99=X&99=Y");
  ASSERT_FALSE(different);
  EXPECT_EQ(different.error().code, ErrorCode::kRepeatedAiMismatch);
}

TEST(DigitalLink, WritesKeyAndQualifiersInThePathInPermittedOrder) {
  Message pack;
  pack.elements = {{"17", "251231"}, {"21", "XYZ/987"}, {"01", "09506000134352"}, {"10", "ABC 1"}};
  const auto uri = to_digital_link(pack);
  ASSERT_TRUE(uri) << uri.error().message;
  EXPECT_EQ(*uri, "https://id.gs1.org/01/09506000134352/10/ABC%201/21/XYZ%2F987?17=251231");
  const auto other_domain = to_digital_link(pack, "https://example.care/dl/");
  ASSERT_TRUE(other_domain);
  EXPECT_EQ(other_domain->rfind("https://example.care/dl/01/09506000134352", 0), 0U);
}

TEST(DigitalLink, WriterNeedsAKeyAndAPlaceForEveryAi) {
  Message no_key;
  no_key.elements = {{"10", "ABC"}};
  EXPECT_EQ(to_digital_link(no_key).error().code, ErrorCode::kBadUri);
  Message mixed;  // (235) and (10) qualify (01) in different sequences; (235) is no attribute
  mixed.elements = {{"01", "09506000134352"}, {"10", "A"}, {"235", "B"}};
  EXPECT_EQ(to_digital_link(mixed).error().code, ErrorCode::kBadUri);
}

}  // namespace
}  // namespace bcma::gs1
