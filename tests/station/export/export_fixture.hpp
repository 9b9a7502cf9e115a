#pragma once
// A seeded home (store_test_support.hpp) with a week of events whose evaluation figures are
// worked out by hand in export_fixture.cpp, for the audit export and summary tests.

#include <filesystem>
#include <string>
#include <vector>

#include "../store_fixture.hpp"

namespace bcma::station::exporting::testing {

class ExportTest : public store::testing::StoreTest {
 protected:
  void SetUp() override;

  /// Every identifying value the database holds: names, NHS numbers (plain and 3-3-4), dates
  /// of birth (ISO and dd/mm/yyyy), wristband and badge GSRNs. Read from the file by SQL, so a
  /// resident or member of staff added later is covered too.
  std::vector<std::string> identifiers() const;

  domain::StaffId pharmacist_ = 0;
  domain::StaffId evaluator_ = 0;
  domain::StaffId manager_ = 0;
  /// The week of events: 2026-03-16 (Monday) .. 2026-03-22 inclusive.
  domain::Instant week_from_{};
  domain::Instant week_to_{};
};

/// The whole file as text.
std::string read_file(const std::filesystem::path& p);

}  // namespace bcma::station::exporting::testing
