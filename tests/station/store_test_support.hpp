#pragma once
// Shared by the store tests and the crash-test child: temporary directories, a seeded home
// (residents, staff, dm+d products, prescriptions, labels) and a valid administration record.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "bcma/domain/time.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::store::testing {

/// A fresh directory under the system temp dir, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A UUID (version 4 layout) made from a number: distinct numbers give distinct ids.
std::string uuid(std::uint64_t n);
/// 17 digits plus their GS1 check digit.
std::string gsrn(std::string_view seventeen_digits);
/// `digits` plus their GS1 check digit (12 digits give a GTIN-13, 13 a GTIN-14).
std::string gtin(std::string_view digits);
/// A valid NHS number in the test range from a six-digit serial.
std::string test_nhs_number(int serial);

/// Every row of every table (except sqlite internals), in a stable order, as text. Equal dumps
/// mean the database holds the same data. Read through a separate raw SQLite connection.
std::string dump_database(const std::filesystem::path& file);

/// Runs one SQL statement through a raw connection (tampering, inspection); returns the first
/// column of the first row as text, or "" when there is none.
std::string raw_sql(const std::filesystem::path& file, const std::string& sql);

/// 2026-03-10 08:00 UTC: the station clock of every test unless a test moves it.
domain::Instant test_now();

/// Ids of what `seed_home` created.
struct Seed {
  domain::ResidentId alice = 0;   ///< has a wristband; prescribed paracetamol (regular) and co-codamol PRN
  domain::ResidentId bob = 0;
  domain::StaffId carer = 0;      ///< care worker, PIN 1234
  domain::StaffId nurse = 0;      ///< nurse, PIN 5678
  domain::StaffId senior = 0;     ///< senior, PIN 2468
  domain::PrescriptionId alice_paracetamol = 0;
  domain::PrescriptionId alice_cocodamol = 0;
  domain::PrescriptionId bob_paracetamol = 0;
  std::string alice_gsrn;
  std::string carer_badge;
  std::string paracetamol_gtin;   ///< 13-digit form as on an EAN-13 pack
  std::string paracetamol_gtin_new;  ///< a second GTIN of the same pack, from 2026-01-01
  std::string alice_label = "LBL-ALICE-0001";  ///< paracetamol dispensed for Alice
};

inline constexpr const char* kVtmParacetamol = "90332006";
inline constexpr const char* kVmpParacetamol = "42109611000001109";
inline constexpr const char* kAmpParacetamol = "3421011000001103";
inline constexpr const char* kAmppParacetamol32 = "1006311000001105";
inline constexpr const char* kVmpCocodamol = "42208611000001100";
inline constexpr const char* kAmpCocodamol = "3540211000001108";
inline constexpr const char* kAmppCocodamol30 = "1054211000001102";
inline constexpr const char* kSubstanceParacetamol = "387517004";
inline constexpr const char* kSubstanceCodeine = "261000";

/// Sets up a home with the default policy, two residents, three staff, paracetamol and
/// co-codamol, three prescriptions and one pharmacy label (with 32 tablets booked in).
Result<Seed> seed_home(Store& store);

/// A valid "given" record of Alice's regular paracetamol: 2 tablets from her labelled pack.
NewAdministration given_record(const Seed& s, std::uint64_t n, domain::Instant event_time);

/// The system actor used by setup.
Actor setup_actor();

}  // namespace bcma::station::store::testing
