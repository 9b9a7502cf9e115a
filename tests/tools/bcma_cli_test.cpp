// The real `bcma` binary, run as a child process: JSON output contracts, exit statuses, help
// and the demo, exactly as a script or a person at a terminal sees them.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"

namespace bcma::test {
namespace {

ProcessResult bcma(std::vector<std::string> args, std::string_view input = {}) {
  args.insert(args.begin(), BCMA_EXE);
  return run_process(args, input);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> keys(const std::string& json_line) {
  std::vector<std::string> out;
  const auto json = nlohmann::ordered_json::parse(json_line);
  for (const auto& item : json.items()) out.push_back(item.key());
  return out;
}

const std::vector<std::string> kErrorKeys{"valid", "error", "position", "message"};

// ---- bcma gs1 parse -----------------------------------------------------------------------

TEST(Gs1Parse, ValidInputsGiveTheDocumentedJsonLinesAndExitZero) {
  const auto r = bcma({"gs1", "parse", "(01)09506000134352(17)251231",
                       "https://id.gs1.org/01/09506000134352/10/ABC?17=251231",
                       "^8018952000099900000182", "not gs1 at all"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::vector<std::string> expected{
      R"({"valid":true,"kind":"medicine_pack","ais":[["01","09506000134352"],["17","251231"]],"element_string":"^010950600013435217251231"})",
      R"({"valid":true,"kind":"medicine_pack","ais":[["01","09506000134352"],["10","ABC"],["17","251231"]],"element_string":"^010950600013435210ABC^17251231"})",
      R"({"valid":true,"kind":"resident_wristband","ais":[["8018","952000099900000182"]],"element_string":"^8018952000099900000182"})",
      R"({"valid":true,"kind":"plain","text":"not gs1 at all"})",
  };
  EXPECT_EQ(lines(r.out), expected);
}

TEST(Gs1Parse, EveryKindIsReported) {
  const auto r = bcma({"gs1", "parse", "(8018)952000099900000182(253)9521234000013RX000451",
                       "(8017)952000000000000019", "(414)9520000000011",
                       "(00)095060001343500002"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 4u) << r.out;
  EXPECT_EQ(nlohmann::json::parse(out[0])["kind"], "pharmacy_label");
  EXPECT_EQ(nlohmann::json::parse(out[1])["kind"], "staff_badge");
  EXPECT_EQ(nlohmann::json::parse(out[2])["kind"], "location");
  // Valid GS1 that bcma does not use: still valid, kind unknown, and the reason says what it is.
  const auto sscc = nlohmann::ordered_json::parse(out[3]);
  EXPECT_EQ(keys(out[3]),
            (std::vector<std::string>{"valid", "kind", "ais", "element_string", "reason"}));
  EXPECT_EQ(sscc["valid"], true);
  EXPECT_EQ(sscc["kind"], "unknown");
  EXPECT_NE(sscc["reason"].get<std::string>().find("shipping container"), std::string::npos);
}

TEST(Gs1Parse, InvalidInputGivesCodePositionMessageAndExitOne) {
  const auto r = bcma({"gs1", "parse", "(01)09506000134352", "(01)09506000134353", ""});
  EXPECT_EQ(r.exit_code, 1);
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 3u) << r.out;
  EXPECT_EQ(nlohmann::json::parse(out[0])["valid"], true);

  EXPECT_EQ(keys(out[1]), kErrorKeys);
  const auto bad = nlohmann::json::parse(out[1]);
  EXPECT_EQ(bad["valid"], false);
  EXPECT_EQ(bad["error"], "bad_check_digit");
  EXPECT_EQ(bad["position"], 17);  // the check digit of the GTIN, counted from 0
  EXPECT_FALSE(bad["message"].get<std::string>().empty());

  EXPECT_EQ(keys(out[2]), kErrorKeys);
  EXPECT_EQ(nlohmann::json::parse(out[2])["error"], "empty");
}

TEST(Gs1Parse, StdinTakesOneInputPerLineWithGsBytesInside) {
  const std::string input =
      "]d2010950600013435210ABC123\x1d" "17251231\n"   // scan data with a GS separator
      "]d2010950600013435217251399\n"                  // day 99 does not exist
      "plain\x1dtext\r\n";                             // plain data containing GS, CRLF line end
  const auto r = bcma({"gs1", "parse", "--stdin"}, input);
  EXPECT_EQ(r.exit_code, 1);
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 3u) << r.out;
  EXPECT_EQ(out[0],
            R"({"valid":true,"kind":"medicine_pack","ais":[["01","09506000134352"],["10","ABC123"],["17","251231"]],"element_string":"^010950600013435210ABC123^17251231"})");
  EXPECT_EQ(keys(out[1]), kErrorKeys);
  EXPECT_EQ(nlohmann::json::parse(out[1])["error"], "bad_date");
  // JSON escapes GS as \u001d; the CR of the CRLF is not part of the data.
  EXPECT_EQ(out[2], R"({"valid":true,"kind":"plain","text":"plain\u001dtext"})");
}

TEST(Gs1Parse, StdinWithOnlyValidLinesExitsZero) {
  const auto r =
      bcma({"gs1", "parse", "--stdin"}, "(414)9520000000011\n(8017)952000000000000019\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(lines(r.out).size(), 2u);
}

TEST(Gs1Parse, UsageErrorsExitTwoWithUsageOnStderrAndNothingOnStdout) {
  const std::vector<std::vector<std::string>> usage_errors{
      {"gs1"},
      {"gs1", "parse"},
      {"gs1", "frobnicate", "(01)09506000134352"},
      {"gs1", "parse", "--stdin", "(01)09506000134352"},
      {"gs1", "parse", "--bogus", "(01)09506000134352"},
  };
  for (const auto& args : usage_errors) {
    const auto r = bcma(args);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_EQ(r.out, "") << args.back();
    EXPECT_NE(r.err.find("usage: bcma gs1 parse"), std::string::npos) << r.err;
  }
}

TEST(Gs1Parse, HelpDocumentsTheOutputAndExitStatuses) {
  const auto r = bcma({"gs1", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* needle : {"usage: bcma gs1 parse [--stdin | DATA...]", "\"valid\":false",
                             "\"kind\":\"plain\"", "element_string", "Exit status: 0"}) {
    EXPECT_NE(r.out.find(needle), std::string::npos) << needle;
  }
}

// ---- bcma nhs check -----------------------------------------------------------------------

TEST(NhsCheck, ArgumentsGiveOneJsonLineEachAndExitOneIfAnyIsInvalid) {
  const auto r = bcma({"nhs", "check", "943 476 5919", "9990000018", "9434765918", "94347"});
  EXPECT_EQ(r.exit_code, 1);
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 4u) << r.out;
  EXPECT_EQ(out[0], R"({"valid":true,"nhs_number":"9434765919","formatted":"943 476 5919"})");
  EXPECT_EQ(out[1],
            R"({"valid":true,"nhs_number":"9990000018","formatted":"999 000 0018","test_range":true})");
  EXPECT_EQ(keys(out[2]), (std::vector<std::string>{"valid", "error", "message"}));
  EXPECT_EQ(nlohmann::json::parse(out[2])["error"], "bad_check_digit");
  EXPECT_EQ(nlohmann::json::parse(out[3])["error"], "wrong_length");
}

TEST(NhsCheck, StdinAllValidExitsZero) {
  const auto r = bcma({"nhs", "check", "--stdin"}, "943-476-5919\r\n999 000 0026\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(out[0])["nhs_number"], "9434765919");
  EXPECT_EQ(nlohmann::json::parse(out[1])["nhs_number"], "9990000026");
}

TEST(NhsCheck, StdinReportsGroupingErrors) {
  const auto r = bcma({"nhs", "check", "--stdin"}, "943 4765919\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(lines(r.out).at(0))["error"], "bad_grouping");
}

TEST(NhsCheck, UsageErrorsExitTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"nhs"}, {"nhs", "check"}, {"nhs", "check", "--stdin", "9434765919"}}) {
    const auto r = bcma(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("usage: bcma nhs check"), std::string::npos);
  }
}

// ---- bcma help ----------------------------------------------------------------------------

TEST(Help, ListsEveryCommand) {
  const auto r = bcma({"help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* command : {"help", "nhs", "gs1", "demo"})
    EXPECT_NE(r.out.find(std::string("  ") + command + " "), std::string::npos) << command;
}

TEST(Help, ShowsOneCommandsHelp) {
  const auto r = bcma({"help", "gs1"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("usage: bcma gs1 parse"), std::string::npos);
}

TEST(Help, UnknownOrMissingCommandIsAUsageError) {
  EXPECT_EQ(bcma({"help", "nonsense"}).exit_code, 2);
  EXPECT_EQ(bcma({"nonsense"}).exit_code, 2);
  EXPECT_EQ(bcma({}).exit_code, 2);
}

// ---- bcma demo ----------------------------------------------------------------------------

TEST(DemoScans, RunsToTheEndAndExitsZero) {
  const auto r = bcma({"demo", "scans"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("16 samples: 8 recognised, 8 rejected"), std::string::npos) << r.out;
}

TEST(DemoScans, ShowsEverySampleWithWhatItIsOrWhyItIsRejected) {
  const std::string out = bcma({"demo", "scans"}).out;
  struct Expectation {
    const char* sample;  ///< the sample's heading
    const char* shown;   ///< what the care worker reads under it
  };
  const Expectation expectations[] = {
      {"1. Medicine pack: GS1 DataMatrix with expiry, batch and serial", "=> MEDICINE PACK"},
      {"2. The same pack as a GS1 Digital Link in a QR code", "=> MEDICINE PACK"},
      {"3. Older medicine pack: EAN-13 only", "GTIN only"},
      {"4. Resident wristband: NHS GS1 DataMatrix (DCB1077)", "999 000 0018"},
      {"5. Resident wristband: NHS number in Code 128", "999 000 0026"},
      {"6. Pharmacy dispensing label", "=> PHARMACY LABEL"},
      {"7. Staff badge", "=> STAFF BADGE"},
      {"8. Location label", "=> LOCATION"},
      {"9. Faulty medicine pack: GTIN check digit wrong", "bad_check_digit"},
      {"10. Faulty medicine pack: expiry month 13", "bad_date"},
      {"11. Faulty wristband: NHS number check digit wrong", "REJECTED (bad_nhs_number)"},
      {"12. Faulty wristband: GS1 DataMatrix with a damaged GSRN", "resident wristband (AI 8018)"},
      {"13. Faulty wristband: NHS GSRN holding an invalid NHS number",
       "REJECTED (bad_embedded_nhs_number)"},
      {"14. Faulty label: staff and resident GSRN together", "forbidden_pair"},
      {"15. Money-off coupon", "REJECTED (not_a_medicine)"},
      {"16. QR code with an ordinary web address", "not a valid GS1 Digital Link"},
  };
  for (std::size_t i = 0; i < std::size(expectations); ++i) {
    const auto& e = expectations[i];
    const std::size_t at = out.find(std::string("\n") + e.sample);
    ASSERT_NE(at, std::string::npos) << "sample missing: " << e.sample;
    // What is shown must be in this sample's block, before the next sample starts.
    const std::size_t next = i + 1 < std::size(expectations)
                                 ? out.find(std::string("\n") + expectations[i + 1].sample)
                                 : out.size();
    const std::string block = out.substr(at, next - at);
    EXPECT_NE(block.find(e.shown), std::string::npos) << e.sample << " should show '" << e.shown
                                                      << "':\n" << block;
  }
  EXPECT_NE(out.find("30 Jun 2027 (end of month"), std::string::npos);
  EXPECT_NE(out.find("<GS>"), std::string::npos);
}

TEST(Demo, RejectsArguments) {
  const auto r = bcma({"demo", "extra"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage: bcma demo"), std::string::npos);
}

}  // namespace
}  // namespace bcma::test
