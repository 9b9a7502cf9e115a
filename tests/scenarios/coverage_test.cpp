// The coverage issue 3 demands of the scenario files, checked from the files themselves and
// the rules engine's own reason table, so that a new reason code without scenarios, or a
// scenario deleted or weakened, fails the build's tests (docs/scenarios.md, "Coverage").
//
// What counts (the scenario tests, scenario.<name>, prove the expectations hold):
// - a scenario *produces* code X when a scan_item or record expectation (or a record_batch
//   result) lists X in "reasons" or "includes";
// - a *near miss* for X is, in a file that produces X (so on the same home and setup), an
//   expectation that pins X absent: "excludes" names X, or an exact "reasons" list lacks it.
// Only the scenarios ctest runs count: every .json file here must be registered.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bcma/domain/administration.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/rules/reason.hpp"

namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

const fs::path kDir = fs::path(BCMA_SOURCE_DIR) / "tests" / "scenarios";

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

Json load(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  return Json::parse(in);
}

struct Scenario {
  std::string name;
  Json root;
  std::vector<Json> includes;  ///< the included files (products, residents...)
  /// Every expectation of a verdict-bearing step, batch results flattened, with its step.
  std::vector<std::pair<const Json*, const Json*>> verdict_expectations;
  std::vector<const Json*> records;  ///< record specs, with their expectation alongside
  std::vector<const Json*> record_expectations;

  std::set<std::string> listed(const char* key) const {
    std::set<std::string> out;
    for (const auto& [step, e] : verdict_expectations) {
      if (e->contains(key)) {
        for (const auto& c : (*e)[key]) out.insert(c.get<std::string>());
      }
    }
    return out;
  }
  std::set<std::string> produced() const {
    std::set<std::string> out = listed("reasons");
    for (const std::string& c : listed("includes")) out.insert(c);
    return out;
  }
  bool pins_absent(const std::string& code) const {
    for (const auto& [step, e] : verdict_expectations) {
      if (e->contains("excludes")) {
        for (const auto& c : (*e)["excludes"]) {
          if (c == code) return true;
        }
      }
      if (e->contains("reasons")) {
        const auto& r = (*e)["reasons"];
        if (std::find(r.begin(), r.end(), code) == r.end()) return true;
      }
    }
    return false;
  }
  bool near_miss(const std::string& code) const {
    return produced().count(code) > 0 && pins_absent(code);
  }
  /// Every prescription: the file's own and those a "prescribe" step adds.
  std::vector<const Json*> prescriptions() const {
    std::vector<const Json*> out;
    if (root.contains("prescriptions")) {
      for (const auto& p : root["prescriptions"]) out.push_back(&p);
    }
    for (const auto& s : root.at("steps")) {
      if (s.contains("prescribe")) out.push_back(&s["prescribe"]);
    }
    return out;
  }
  /// The ingredient ids of a VMP, from this file or its includes.
  std::set<std::string> ingredients_of(const std::string& vmp) const {
    std::set<std::string> out;
    auto scan = [&](const Json& doc) {
      if (!doc.contains("products") || !doc["products"].contains("vmps")) return;
      for (const auto& v : doc["products"]["vmps"]) {
        if (v["id"] != vmp || !v.contains("ingredients")) continue;
        for (const auto& i : v["ingredients"]) out.insert(i["id"].get<std::string>());
      }
    };
    scan(root);
    for (const Json& inc : includes) scan(inc);
    return out;
  }
  /// The local dates the scenario's clock is set to ("start" and every step's "at").
  std::set<std::string> dates() const {
    std::set<std::string> out;
    auto add = [&](const std::string& text) {
      if (text.size() > 10 && text[10] == ' ') {
        out.insert(text.substr(0, 10));  // already local time
      } else if (const auto t = bcma::domain::parse_instant(text)) {
        out.insert(bcma::domain::to_string(bcma::domain::London::local_date(*t)));
      }
    };
    add(root.at("start").get<std::string>());
    for (const auto& s : root.at("steps")) {
      if (s.contains("at")) add(s["at"].get<std::string>());
    }
    return out;
  }
  bool has_decision(const char* decision) const {
    for (const auto& [step, e] : verdict_expectations) {
      if (e->contains("decision") && (*e)["decision"] == decision) return true;
    }
    return false;
  }
};

// A record's expectation accepts it when it says so, or says nothing of an error.
bool accepted(const Json& e) {
  if (e.contains("accepted")) return e["accepted"].get<bool>();
  return !e.contains("error");
}

std::vector<Scenario> load_registered() {
  std::vector<Scenario> out;
  for (const std::string& name : split(BCMA_SCENARIOS, ',')) {
    Scenario s;
    s.name = name;
    s.root = load(kDir / (name + ".json"));
    if (s.root.contains("include")) {
      for (const auto& inc : s.root["include"]) s.includes.push_back(load(kDir / inc.get<std::string>()));
    }
    out.push_back(std::move(s));
  }
  // The pointers below point into `root`: take them once the vector no longer moves.
  for (Scenario& s : out) {
    for (const auto& step : s.root.at("steps")) {
      const bool verdict_step = step.contains("scan_item") || step.contains("record") ||
                                step.contains("record_batch");
      if (!verdict_step || !step.contains("expect")) {
        if (step.contains("record")) {
          s.records.push_back(&step["record"]);
          s.record_expectations.push_back(nullptr);
        }
        continue;
      }
      const Json& e = step["expect"];
      if (step.contains("record_batch")) {
        const auto& results = e.at("results");
        for (std::size_t i = 0; i < results.size(); ++i) {
          s.verdict_expectations.emplace_back(&step, &results[i]);
          s.records.push_back(&step["record_batch"][i]);
          s.record_expectations.push_back(&results[i]);
        }
      } else {
        s.verdict_expectations.emplace_back(&step, &e);
        if (step.contains("record")) {
          s.records.push_back(&step["record"]);
          s.record_expectations.push_back(&e);
        }
      }
    }
  }
  return out;
}

class ScenarioCoverage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { scenarios_ = new std::vector<Scenario>(load_registered()); }
  static void TearDownTestSuite() {
    delete scenarios_;
    scenarios_ = nullptr;
  }
  static const std::vector<Scenario>& all() { return *scenarios_; }

  /// The names of the scenarios for which `pred` holds.
  static std::vector<std::string> which(const std::function<bool(const Scenario&)>& pred) {
    std::vector<std::string> out;
    for (const Scenario& s : all()) {
      if (pred(s)) out.push_back(s.name);
    }
    return out;
  }

 private:
  static std::vector<Scenario>* scenarios_;
};
std::vector<Scenario>* ScenarioCoverage::scenarios_ = nullptr;

TEST_F(ScenarioCoverage, EveryScenarioFileIsRunByCtest) {
  std::set<std::string> registered;
  for (const Scenario& s : all()) registered.insert(s.name);
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (entry.path().extension() != ".json") continue;
    EXPECT_TRUE(registered.count(entry.path().stem().string()) > 0)
        << entry.path().filename() << " is not in tests/scenarios/CMakeLists.txt: it never runs";
  }
  EXPECT_GE(all().size(), 40U) << "issue 3 asks for at least 40 scenarios";
}

TEST_F(ScenarioCoverage, EveryReasonCodeIsProducedAndHasANearMiss) {
  ASSERT_EQ(bcma::rules::all_reason_codes().size(),
            static_cast<std::size_t>(bcma::rules::kReasonCodeCount));
  for (const bcma::rules::ReasonCode code : bcma::rules::all_reason_codes()) {
    const std::string name(bcma::rules::to_string(code));
    const auto producers = which([&](const Scenario& s) { return s.produced().count(name) > 0; });
    const auto near_misses = which([&](const Scenario& s) { return s.near_miss(name); });
    EXPECT_FALSE(producers.empty()) << name << ": no scenario expects this reason";
    EXPECT_FALSE(near_misses.empty())
        << name << ": no near miss (in a file that produces it, a step whose \"reasons\" "
        << "or \"excludes\" pins it absent)";
  }
}

TEST_F(ScenarioCoverage, ClockChangeDaysAreCovered) {
  using bcma::domain::London;
  auto on_day = [](const Scenario& s, bool spring) {
    for (const std::string& d : s.dates()) {
      const auto year = std::chrono::year{std::stoi(d.substr(0, 4))};
      const auto change = spring ? London::summer_time_starts(year) : London::summer_time_ends(year);
      if (bcma::domain::to_string(London::local_date(change)) == d) return true;
    }
    return false;
  };
  for (const bool spring : {true, false}) {
    const auto files = which([&](const Scenario& s) {
      return on_day(s, spring) && s.has_decision("proceed") &&
             (s.produced().count("too_early") > 0 || s.produced().count("too_late") > 0);
    });
    EXPECT_FALSE(files.empty())
        << "no scenario on the day the clocks go " << (spring ? "forward" : "back")
        << " with a dose given on time and one out of its window";
  }
}

TEST_F(ScenarioCoverage, WeeklyMedicinesAreCovered) {
  const auto files = which([](const Scenario& s) {
    bool weekly = false;
    for (const Json* p : s.prescriptions()) {
      if (p->contains("days") && (*p)["days"].is_object() && (*p)["days"].contains("weekdays")) {
        weekly = weekly || (*p)["days"]["weekdays"].size() == 1;
      }
    }
    return weekly && s.produced().count("not_due_today") > 0 && s.has_decision("proceed");
  });
  EXPECT_FALSE(files.empty()) << "no scenario gives a once-a-week medicine on its day and "
                                 "blocks it on another";
}

TEST_F(ScenarioCoverage, PrnMaximumAcrossCombinationProductsIsCovered) {
  const auto files = which([](const Scenario& s) {
    std::vector<std::set<std::string>> prn;
    for (const Json* p : s.prescriptions()) {
      if (p->contains("prn") && p->contains("vmp")) {
        prn.push_back(s.ingredients_of((*p)["vmp"].get<std::string>()));
      }
    }
    bool shared = false;
    for (std::size_t i = 0; i < prn.size(); ++i) {
      for (std::size_t j = i + 1; j < prn.size(); ++j) {
        if (prn[i] == prn[j]) continue;  // the same product twice is not a combination
        for (const std::string& ing : prn[i]) shared = shared || prn[j].count(ing) > 0;
      }
    }
    return shared && s.produced().count("prn_max_exceeded") > 0 && s.near_miss("prn_max_exceeded");
  });
  EXPECT_FALSE(files.empty()) << "no scenario adds up one ingredient across two PRN products";
}

TEST_F(ScenarioCoverage, BrandSpecificPrescribingIsCovered) {
  const auto files = which([](const Scenario& s) {
    bool brand = false;
    for (const Json* p : s.prescriptions()) brand = brand || p->contains("amp");
    return brand && s.near_miss("brand_mismatch") && s.has_decision("proceed");
  });
  EXPECT_FALSE(files.empty()) << "no scenario with a brand-specific prescription given the "
                                 "right brand and blocked on another";
}

// Whether a scan in `text` carries an AI 17 expiry "(17)YYMM00" (DD=00: end of the month).
bool has_day_zero_expiry(const std::string& text) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t at = text.find("(17)"); at != std::string::npos; at = text.find("(17)", at + 1)) {
    const std::string date = text.substr(at + 4, 6);
    if (date.size() == 6 && std::all_of(date.begin(), date.end(), digit) && date.ends_with("00")) {
      return true;
    }
  }
  return false;
}

TEST_F(ScenarioCoverage, ExpiryWithDayZeroIsCovered) {
  const auto files = which([](const Scenario& s) {
    return has_day_zero_expiry(s.root.at("steps").dump()) && s.near_miss("expired");
  });
  EXPECT_FALSE(files.empty()) << "no scenario scans an expiry with DD=00 both in and past its "
                                 "month";
}

TEST_F(ScenarioCoverage, EveryOutcomeTypeIsRecorded) {
  using bcma::domain::Outcome;
  for (const Outcome o : {Outcome::kGiven, Outcome::kRefused, Outcome::kRefusedAndDestroyed,
                          Outcome::kOmitted, Outcome::kNotRequired, Outcome::kSelfAdministered}) {
    const std::string name(bcma::domain::to_string(o));
    const auto files = which([&](const Scenario& s) {
      for (std::size_t i = 0; i < s.records.size(); ++i) {
        const Json& r = *s.records[i];
        const Json* e = s.record_expectations[i];
        if (r.at("outcome") != name || (e != nullptr && !accepted(*e))) continue;
        // An omission is only complete with its non-administration code.
        if (o == Outcome::kOmitted && r.value("code", std::string()).empty()) continue;
        return true;
      }
      return false;
    });
    EXPECT_FALSE(files.empty()) << "no scenario records the outcome " << name;
  }
}

TEST_F(ScenarioCoverage, CorrectionsAndIdempotentRecordsAreCovered) {
  const auto corrections = which([](const Scenario& s) {
    for (std::size_t i = 0; i < s.records.size(); ++i) {
      const Json* e = s.record_expectations[i];
      if (s.records[i]->contains("corrects") && (e == nullptr || accepted(*e))) return true;
    }
    return false;
  });
  EXPECT_FALSE(corrections.empty()) << "no scenario records a correction";
  const auto repeats = which([](const Scenario& s) {
    for (const Json* e : s.record_expectations) {
      if (e != nullptr && e->value("duplicate", false) && e->contains("same_ack_as")) return true;
    }
    return false;
  });
  EXPECT_FALSE(repeats.empty())
      << "no scenario delivers a record twice and checks it gets the first acknowledgement";
}

}  // namespace
