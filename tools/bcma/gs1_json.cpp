#include "gs1_json.hpp"

#include <chrono>
#include <utility>

#include "bcma/gs1/element_string.hpp"

namespace bcma::cli {

namespace {

nlohmann::ordered_json error_json(gs1::ErrorCode code, std::size_t position,
                                  const std::string& message) {
  nlohmann::ordered_json j;
  j["valid"] = false;
  j["error"] = std::string(gs1::to_string(code));
  j["position"] = position;
  j["message"] = message;
  return j;
}

}  // namespace

nlohmann::ordered_json gs1_parse_json(const std::string& input, const scan::Context& context) {
  if (input.empty()) return error_json(gs1::ErrorCode::kEmpty, 0, "No data was given.");
  if (gs1::detect_form(input) == gs1::Form::kPlain) {
    nlohmann::ordered_json j;
    j["valid"] = true;
    j["kind"] = "plain";
    j["text"] = input;
    return j;
  }
  auto parsed = gs1::parse(input);
  if (!parsed) {
    return error_json(parsed.error().code, parsed.error().position, parsed.error().message);
  }
  nlohmann::ordered_json j;
  j["valid"] = true;
  const std::string element_string = gs1::to_element_string(*parsed);
  nlohmann::ordered_json ais = nlohmann::ordered_json::array();
  for (const auto& element : parsed->elements) ais.push_back({element.ai, element.value});
  const scan::Scan scan = scan::classify_message(std::move(parsed).value(), context);
  j["kind"] = std::string(scan::to_string(scan.kind));
  j["ais"] = std::move(ais);
  j["element_string"] = element_string;
  if (const scan::Unknown* unknown = scan.unknown()) j["reason"] = unknown->reason;
  return j;
}

int current_year() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(std::chrono::year_month_day(today).year());
}

}  // namespace bcma::cli
