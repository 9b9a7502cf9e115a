// Round trips between all forms over generated messages that cover every AI of the table:
// parse A -> write B -> parse B gives the same message.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "bcma/gs1/element_string.hpp"
#include "message_generator.hpp"

namespace bcma::gs1 {
namespace {

using testing::Variant;

std::vector<ElementString> sorted(std::vector<ElementString> elements) {
  std::sort(elements.begin(), elements.end(),
            [](const auto& a, const auto& b) { return a.ai < b.ai; });
  return elements;
}

void expect_round_trips(const Message& message) {
  const std::string element_string = to_element_string(message);
  const std::vector<std::string> forms = {element_string, to_bracketed(message), to_scan_data(message),
                                          to_scan_data(message, "]Q3"), to_scan_data(message, "]C1")};
  for (const std::string& form : forms) {
    const auto again = parse(form);
    ASSERT_TRUE(again) << form << ": " << again.error().message << " at " << again.error().position;
    EXPECT_EQ(again->elements, message.elements) << form;
    EXPECT_EQ(to_element_string(*again), element_string) << form;
  }
}

TEST(RoundTrip, EveryAiThroughEveryElementStringForm) {
  std::size_t messages = 0;
  for (const AiDefinition& definition : all_ais()) {
    for (Variant variant : {Variant::kShortest, Variant::kLongest}) {
      SCOPED_TRACE(std::string(definition.ai) + (variant == Variant::kLongest ? " longest" : " shortest"));
      const auto elements = testing::valid_message_for(definition, variant);
      ASSERT_FALSE(elements.empty()) << "no valid message could be generated";
      const auto message = validate(elements);
      ASSERT_TRUE(message) << message.error().message << " at " << message.error().position;
      expect_round_trips(*message);
      ++messages;
    }
  }
  EXPECT_EQ(messages, 2 * all_ais().size());
}

TEST(RoundTrip, EveryLinkableAiThroughDigitalLink) {
  std::set<std::string_view> covered;
  for (const AiDefinition& definition : all_ais()) {
    for (Variant variant : {Variant::kShortest, Variant::kLongest}) {
      const auto elements = testing::digital_link_message_for(definition, variant);
      const auto message = validate(elements);
      ASSERT_TRUE(message) << definition.ai << ": " << message.error().message;
      const auto uri = to_digital_link(*message);
      if (!uri) continue;  // checked below: only AIs a Digital Link cannot carry
      const auto again = parse(*uri);
      ASSERT_TRUE(again) << *uri << ": " << again.error().message << " at " << again.error().position;
      EXPECT_EQ(sorted(again->elements), sorted(message->elements)) << *uri;
      const auto same_uri = to_digital_link(*again);
      ASSERT_TRUE(same_uri);
      EXPECT_EQ(*same_uri, *uri);
      covered.insert(definition.ai);
    }
  }
  // Every key, qualifier and query attribute made it through a Digital Link.
  std::set<std::string_view> qualifiers;
  for (const AiDefinition& d : all_ais()) {
    std::string_view list = d.dl_qualifiers;
    while (!list.empty()) {
      const std::size_t at = list.find_first_of(",|");
      qualifiers.insert(list.substr(0, at));
      if (at == std::string_view::npos) break;
      list.remove_prefix(at + 1);
    }
  }
  for (const AiDefinition& d : all_ais()) {
    const bool linkable = d.dl_primary_key || d.dl_data_attribute || qualifiers.count(d.ai) > 0;
    EXPECT_EQ(covered.count(d.ai) > 0, linkable) << d.ai;
  }
}

TEST(RoundTrip, MedicinePackFromScanDataToEveryForm) {
  const auto scanned = parse("]d20109506000134352172512311" "0ABC(1)/%" "\x1D" "21XYZ987");
  ASSERT_TRUE(scanned);
  EXPECT_EQ(to_element_string(*scanned), "^010950600013435217251231" "10ABC(1)/%^21XYZ987");
  EXPECT_EQ(to_bracketed(*scanned), "(01)09506000134352(17)251231(10)ABC\\(1)/%(21)XYZ987");
  EXPECT_EQ(to_scan_data(*scanned), "]d20109506000134352172512311" "0ABC(1)/%" "\x1D" "21XYZ987");
  const auto uri = to_digital_link(*scanned);
  ASSERT_TRUE(uri);
  EXPECT_EQ(*uri, "https://id.gs1.org/01/09506000134352/10/ABC%281%29%2F%25/21/XYZ987?17=251231");
}

}  // namespace
}  // namespace bcma::gs1
