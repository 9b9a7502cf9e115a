// bcma gs1 parse [--stdin | DATA...]: one JSON line per input. The output shape is a contract
// that scripts and other tools rely on (see kGs1Usage); gs1_json.cpp builds each object, shared
// with `bcma decode`.
#include <chrono>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "bcma/scan/scan.hpp"
#include "commands.hpp"
#include "gs1_json.hpp"
#include "json_line.hpp"

namespace bcma::cli {

namespace {

constexpr std::string_view kGs1Usage =
    "usage: bcma gs1 parse [--stdin | DATA...]\n"
    "\n"
    "Parses and validates GS1 data, one input per argument, or one per line of standard input\n"
    "with --stdin (a line may contain GS, byte 0x1D). The form is detected from the start:\n"
    "  ]d2... ]Q3... ]C1... ]e0...  scan data (symbology identifier, GS separators)\n"
    "  (01)09506000134352(17)...     bracketed\n"
    "  ^0109506000134352...          unbracketed (^ is FNC1)\n"
    "  https://.../01/...            GS1 Digital Link URI\n"
    "  anything else                 plain data, not GS1\n"
    "\n"
    "Prints one JSON object per input, one per line, in input order:\n"
    "  {\"valid\":true,\"kind\":\"medicine_pack\",\"ais\":[[\"01\",\"09506000134352\"],"
    "[\"17\",\"251231\"]],\"element_string\":\"^010950600013435217251231\"}\n"
    "  {\"valid\":true,\"kind\":\"unknown\",\"ais\":[...],\"element_string\":\"...\","
    "\"reason\":\"...\"}\n"
    "  {\"valid\":true,\"kind\":\"plain\",\"text\":\"...\"}\n"
    "  {\"valid\":false,\"error\":\"bad_check_digit\",\"position\":17,\"message\":\"...\"}\n"
    "kind is what the data identifies: resident_wristband, medicine_pack, pharmacy_label,\n"
    "staff_badge, location, or unknown (then reason says why). element_string is the canonical\n"
    "unbracketed form. error is a stable snake_case code; position is the byte offset into the\n"
    "input where the problem starts. An empty input is invalid (error \"empty\").\n"
    "\n"
    "Exit status: 0 all inputs valid, 1 any input invalid, 2 usage error.\n";

// A year for the GS1 century rule: the command line is an edge, so it may read the clock.
}  // namespace

int cmd_gs1(Args args, Io io) {
  ArgParser p(args);
  if (p.flag("help")) {
    io.out << kGs1Usage;
    return kExitOk;
  }
  const bool from_stdin = p.flag("stdin");
  auto rest = p.positionals();
  if (!p.ok() || rest.empty() || rest[0] != "parse" || (from_stdin == (rest.size() > 1))) {
    std::string problem;
    if (!p.ok()) {
      problem = p.error();
    } else if (rest.empty() || rest[0] != "parse") {
      problem = "expected the subcommand 'parse'";
    } else if (from_stdin) {
      problem = "give DATA arguments or --stdin, not both";
    } else {
      problem = "nothing to parse: give DATA arguments or --stdin";
    }
    io.err << "bcma gs1: " << problem << "\n" << kGs1Usage;
    return kExitUsage;
  }
  const scan::Context context(current_year());
  bool all_valid = true;
  auto emit = [&](const std::string& input) {
    const auto j = gs1_parse_json(input, context);
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
