#pragma once
// The home the FHIR fixtures (tests/fixtures/fhir) expect, and helpers for the eMAR feed tests.

#include <filesystem>
#include <string>

#include "bcma/domain/time.hpp"
#include "bcma/station/emar/import.hpp"
#include "bcma/station/store/store.hpp"
#include "../store_test_support.hpp"

namespace bcma::station::emar::testing {

using store::testing::TempDir;

inline constexpr const char* kAliceNhs = "9990010013";
inline constexpr const char* kBobNhs = "9990020027";
inline constexpr const char* kNobodyNhs = "9990030030";
inline constexpr const char* kCarolNhs = "9990040044";  ///< discharged

// Products beyond the store tests' paracetamol and co-codamol (codes made up for the tests).
inline constexpr const char* kVmpAlendronate = "3911211000001101";
inline constexpr const char* kAmpAlendronate = "3911411000001102";
inline constexpr const char* kAmppAlendronate4 = "3912411000001107";
inline constexpr const char* kVmpLactulose = "3911511000001103";
inline constexpr const char* kAmpLactulose = "3912711000001101";
inline constexpr const char* kAmppLactulose500 = "3912811000001109";
inline constexpr const char* kVmpCocareldopa = "3911711000001108";
inline constexpr const char* kAmpSinemet = "3912011000001103";
inline constexpr const char* kAmppSinemet100 = "3912511000001106";
inline constexpr const char* kVmpMethotrexate = "3912111000001102";
inline constexpr const char* kVmpBuprenorphinePatch = "3912311000001100";
inline constexpr const char* kUnknownCode = "3999911000001105";
inline constexpr const char* kOral = "26643006";

struct Home {
  domain::ResidentId alice = 0;
  domain::ResidentId bob = 0;
  domain::ResidentId carol = 0;
  domain::StaffId carer = 0;
  domain::StaffId nurse = 0;
  std::string carer_badge;
};

/// The test home: default policy, Alice and Bob present, Carol discharged, a care worker and a
/// nurse, and the dm+d products the fixtures name. No prescriptions.
Home seed_home(store::Store& store);

/// tests/fixtures/fhir/<name>
std::filesystem::path fixture(const std::string& name);
std::string read_text(const std::filesystem::path& file);

/// "2026-03-01T08:00:00Z" as an instant; the text must be valid.
domain::Instant at(const char* iso);

/// A store on a fresh file in `dir`, with `clock`, seeded.
struct Station {
  TempDir dir;
  domain::FixedClock clock{store::testing::test_now()};
  std::filesystem::path file;
  std::optional<store::Store> store;
  Home home;
  Station();
  store::Store& s() { return *store; }
};

/// The outcome for the resource with this FHIR id (fails the test if absent).
const ResourceOutcome& outcome(const ImportSummary& summary, const std::string& id);

/// A MedicationRequest for Bob around one dosage instruction (JSON text), for table tests.
std::string request_with_dosage(const std::string& id, const std::string& medication_code,
                                const std::string& dosage_json);

}  // namespace bcma::station::emar::testing
