// bcma nhs check [--stdin | NUMBER...]: one JSON line per input.
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "bcma/ident/nhs_number.hpp"
#include "commands.hpp"
#include "json_line.hpp"

namespace bcma::cli {

namespace {

constexpr std::string_view kNhsUsage =
    "usage: bcma nhs check [--stdin | NUMBER...]\n"
    "\n"
    "Validates NHS numbers (ten digits, modulus 11 check digit; spaces or hyphens allowed in\n"
    "the 3-3-4 places) and prints one JSON object per input, one per line:\n"
    "  {\"valid\":true,\"nhs_number\":\"9434765919\",\"formatted\":\"943 476 5919\"}\n"
    "  {\"valid\":false,\"error\":\"bad_check_digit\",\"message\":\"...\"}\n"
    "Exit status: 0 all valid, 1 any invalid, 2 usage error.\n";

nlohmann::ordered_json check_one(const std::string& text) {
  nlohmann::ordered_json j;
  auto parsed = ident::NhsNumber::parse(text);
  if (parsed) {
    j["valid"] = true;
    j["nhs_number"] = parsed->digits();
    j["formatted"] = parsed->formatted();
    if (parsed->is_test_range()) j["test_range"] = true;
  } else {
    j["valid"] = false;
    j["error"] = std::string(ident::to_string(parsed.error().code));
    j["message"] = parsed.error().message;
  }
  return j;
}

}  // namespace

int cmd_nhs(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kNhsUsage;
    return kExitOk;
  }
  const bool from_stdin = p.flag("stdin");
  auto rest = p.positionals();
  if (!p.ok() || rest.empty() || rest[0] != "check" || (from_stdin == (rest.size() > 1))) {
    io.err << (p.ok() ? "" : "bcma nhs: " + p.error() + "\n") << kNhsUsage;
    return kExitUsage;
  }
  bool all_valid = true;
  auto emit = [&](const std::string& text) {
    auto j = check_one(text);
    all_valid = all_valid && j["valid"].get<bool>();
    io.out << json_line(j) << "\n";
  };
  if (from_stdin) {
    std::string line;
    while (std::getline(io.in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      emit(line);
    }
  } else {
    for (std::size_t i = 1; i < rest.size(); ++i) emit(rest[i]);
  }
  return all_valid ? kExitOk : kExitFailed;
}

}  // namespace bcma::cli
