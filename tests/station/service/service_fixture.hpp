#pragma once
// A GoogleTest fixture for the scan-handling service: a real store in a fresh temporary file,
// seeded with a small home (two residents, staff of every role, paracetamol, amlodipine and
// oxycodone, three prescriptions), on a fixed clock at 07:58 on Monday 16 March 2026 (GMT).

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "bcma/station/service/service.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::service::testing {

inline constexpr const char* kJaneGsrn = "952000099900000182";
inline constexpr const char* kJohnGsrn = "952000099900000267";
inline constexpr const char* kAmlodipineGtin = "09520123400118";
inline constexpr const char* kParacetamolGtin = "09520123400019";
inline constexpr const char* kOxycodoneGtin = "09520123400071";
inline constexpr const char* kAmppAmlodipine = "1013911000001106";

struct StaffMember {
  domain::StaffId id = 0;
  std::string badge;
  std::string pin;
  Credentials credentials() const { return Credentials{badge, pin}; }
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// Signs in and returns the session id (fails the test otherwise).
  std::string sign_in(const StaffMember& who);
  /// GS1 DataMatrix reader text for bracketed GS1 data, as a scanner reports it.
  static ScanInput gs1_scan(std::string_view bracketed);
  static ScanInput wristband(const char* gsrn);
  /// A pack of amlodipine (Jane's MORN prescription) with expiry and batch.
  static ScanInput amlodipine();
  /// A "given" record of Jane's amlodipine as scanned, at the clock's time.
  OutcomeRequest given(std::string record_id) const;
  /// Audit entries from `from_seq` on.
  std::vector<store::AuditEntry> audit_from(std::int64_t from_seq);
  std::int64_t audit_head();
  std::int64_t count(const std::string& table);

  std::filesystem::path dir_;
  domain::FixedClock clock_{domain::Instant{}};
  std::optional<store::Store> store_;
  std::optional<Service> service_;
  domain::ResidentId jane_ = 0;
  domain::ResidentId john_ = 0;
  domain::PrescriptionId jane_amlodipine_ = 0;
  domain::PrescriptionId jane_paracetamol_prn_ = 0;
  domain::PrescriptionId john_oxycodone_ = 0;
  StaffMember carol_;   ///< care worker
  StaffMember dave_;    ///< care worker
  StaffMember sam_;     ///< senior
  StaffMember nina_;    ///< nurse
  StaffMember mike_;    ///< manager
  StaffMember pat_;     ///< pharmacist
  StaffMember eve_;     ///< evaluator
  StaffMember olga_;    ///< nurse, inactive
};

/// "2026-03-16T07:58:00Z"-style instants and local times for readable tests.
domain::Instant at(std::string_view iso);

}  // namespace bcma::station::service::testing
