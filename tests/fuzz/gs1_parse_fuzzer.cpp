// libFuzzer target for bcma::gs1::parse. Besides "no crash, no sanitizer report" it checks the
// parser's promises: an error points inside the input and says something; an accepted message
// is written back in every form and parses again to the same elements.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/gs1/element_string.hpp"

namespace {

using bcma::gs1::ElementString;
using bcma::gs1::Message;

[[noreturn]] void violated(const char* what, std::string_view input, std::string_view detail) {
  std::fprintf(stderr, "invariant violated: %s\ninput: %.*s\ndetail: %.*s\n", what,
               static_cast<int>(input.size()), input.data(), static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

std::vector<ElementString> sorted(std::vector<ElementString> elements) {
  std::sort(elements.begin(), elements.end(), [](const auto& a, const auto& b) { return a.ai < b.ai; });
  return elements;
}

void check_round_trip(std::string_view input, const Message& message, const std::string& written,
                      bool any_order) {
  const auto again = bcma::gs1::parse(written);
  if (!again) violated("written form does not parse", input, written + " : " + again.error().message);
  const bool same = any_order ? sorted(again->elements) == sorted(message.elements)
                              : again->elements == message.elements;
  if (!same) violated("written form parses to other elements", input, written);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto result = bcma::gs1::parse(input);
  if (!result) {
    if (result.error().position > input.size()) violated("error position past the input", input, result.error().message);
    if (result.error().message.empty()) violated("error without a message", input, "");
    return 0;
  }
  const Message& message = *result;
  if (message.elements.empty()) violated("accepted an empty message", input, "");
  check_round_trip(input, message, bcma::gs1::to_element_string(message), false);
  check_round_trip(input, message, bcma::gs1::to_bracketed(message), false);
  check_round_trip(input, message, bcma::gs1::to_scan_data(message), false);
  if (const auto uri = bcma::gs1::to_digital_link(message)) check_round_trip(input, message, *uri, true);
  return 0;
}
