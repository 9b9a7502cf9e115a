#pragma once
// The round's private state types, shared by round.cpp, round_steps.cpp and round_screens.cpp.

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "bcma/fw/round/offline_checker.hpp"
#include "bcma/fw/round/round.hpp"

namespace bcma::fw::round {

struct Round::Staff {
  std::string badge;
  std::string name;
  std::string staff_id;
  std::string role;
  std::string session_id;
  domain::Instant expires_at{};
  bool offline = false;  ///< signed in against the scanner's own verifier, not the station
};

struct Round::Resident {
  ResidentInfo info;
  bcma::scan::Decode decode;
  v1::EntryMethod entry = v1::ENTRY_METHOD_SCANNED;
  std::string manual_reason;
  bool offline = false;
};

struct Round::Item {
  bcma::scan::Decode decode;
  bcma::scan::Scan scan;
  v1::EntryMethod entry = v1::ENTRY_METHOD_SCANNED;
  std::string manual_reason;
  VerdictInfo verdict;
  bool acknowledged = false;                   ///< WARN reasons read and acknowledged
  std::optional<std::string> override_reason;  ///< chosen override reason code
  std::optional<v1::Witness> witness;
  std::string witness_name;
  std::string witness_badge;                   ///< scanned, waiting for the PIN
};

/// What lets the last person who signed in online sign in again while the station is away:
/// a keyed hash of their PIN (the key never leaves RAM, and neither does the hash), and their
/// station session, which stays valid on the station until it expires.
struct Round::OfflineLogin {
  Staff staff;
  std::array<std::uint8_t, 32> key{};
  std::array<std::uint8_t, 32> mac{};
  int failures = 0;
};

/// The override reasons a care worker chooses from (no free text on a handheld).
struct Choice {
  const char* id;
  const char* label;
};
inline constexpr std::array<Choice, 4> kOverrideReasons{{
    {"prescriber_instructed", "Prescriber instructed (phone or in person)"},
    {"pharmacist_advised", "Pharmacist advised"},
    {"clinical_judgement", "Clinical judgement of the nurse in charge"},
    {"record_wrong", "The record is wrong (to be corrected today)"},
}};
inline constexpr std::array<Choice, 3> kWristbandReasons{{
    {"wristband_damaged", "Wristband damaged or unreadable"},
    {"wristband_missing", "Not wearing a wristband"},
    {"scanner_fault", "Scanner will not read it"},
}};
inline constexpr std::array<Choice, 3> kItemReasons{{
    {"pack_damaged", "Barcode damaged or unreadable"},
    {"no_barcode", "No barcode on the pack"},
    {"scanner_fault", "Scanner will not read it"},
}};

/// "a medicine pack", "a staff badge", ... for notices about scans of the wrong kind.
std::string describe_kind(const bcma::scan::Scan& scan);

}  // namespace bcma::fw::round
