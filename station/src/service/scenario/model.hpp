#pragma once
// Private to the scenario runner: a scenario file as parsed and checked, before it runs. The
// format is specified in docs/scenarios.md.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bcma/domain/administration.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/core/result.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/scan/scan.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::service::scenario {

struct ReasonPatch {
  std::optional<rules::Decision> decision;
  std::optional<std::vector<domain::Role>> override_roles;
  std::optional<bool> witness;
};

/// Changes to the default policy (or to the policy in force, for a set_policy step).
struct PolicyPatch {
  std::map<std::string, std::optional<domain::TimeOfDay>> rounds;  ///< nullopt: remove the round
  std::optional<domain::Minutes> default_window;
  std::optional<domain::Minutes> time_critical_window;
  std::vector<std::pair<rules::ReasonCode, ReasonPatch>> reasons;
  std::optional<std::vector<rules::IngredientLimit>> ingredient_limits;
  std::optional<std::vector<domain::ControlledDrugCategory>> witness_categories;
};
void apply(const PolicyPatch& patch, rules::Policy& policy);

struct ResidentDef {
  std::string key;
  domain::Resident resident;
  std::string where;
};

struct StaffDef {
  std::string key;
  domain::Staff staff;
  std::string pin;
  std::string where;
};

struct PrescriptionDef {
  std::string key;
  std::string resident;
  domain::Prescription rx;  ///< resident_id and id are filled in at setup
  std::optional<domain::Instant> effective_from;
  std::string where;
};

struct LabelDef {
  store::DispensedItem item;  ///< resident_id and prescription_id are filled in at setup
  std::string resident;
  std::optional<std::string> prescription;
  std::string where;
};

struct HistoryDef {
  std::optional<std::string> id;
  std::string resident;
  std::string prescription;
  std::optional<domain::Instant> slot;  ///< nullopt: the nearest dose time (regular medicines)
  domain::Instant time{};
  domain::Outcome outcome = domain::Outcome::kGiven;
  domain::Decimal quantity;
  std::optional<domain::SnomedId> ampp;
  std::optional<std::string> label;
  std::string code;
  std::string code_text;
  std::optional<std::string> staff;
  std::string where;
};

/// A scan as a scenario gives it (docs/scenarios.md, "Scans").
struct ScanSpec {
  enum class Mode : std::uint8_t { kScan, kTyped, kUnable, kWristbandOf };
  Mode mode = Mode::kScan;
  std::string text;
  std::string symbology;
  std::string format;
  std::optional<bool> gs1;
  std::string reason;
  std::string resident;  ///< kWristbandOf: that resident's wristband
  std::optional<domain::SnomedId> ampp;  ///< kUnable: the pack identified by hand
  scan::Decode decode;                   ///< kScan: what a reader would report
  std::string where;
};

/// What a barcode reader would report for a scenario's barcode text (docs/scenarios.md,
/// "Scans"): GS1 text in bracketed or unbracketed form becomes the reader's text with GS
/// separators; text starting with a symbology identifier is taken as the reader's own; plain
/// digits are an EAN/UPC; anything else a Code 128. Errors: `bad_scan` (GS1 text that does
/// not parse: give invalid data as the reader's text).
Result<scan::Decode> reader_decode(const std::string& text, const std::string& symbology,
                                   const std::string& format, std::optional<bool> gs1);

/// A staff member's badge and PIN: theirs, or a given PIN (a wrong one), or a raw badge.
struct CredentialSpec {
  std::optional<std::string> staff;
  std::optional<std::string> badge;
  std::optional<std::string> pin;
  std::string where;
};

struct OverrideSpec {
  std::optional<CredentialSpec> by;
  std::string reason;
  std::optional<CredentialSpec> witness;
};

struct RecordSpec {
  std::optional<std::string> id;
  domain::Outcome outcome = domain::Outcome::kGiven;
  std::optional<domain::Decimal> quantity;
  std::optional<std::string> resident;
  std::optional<ScanSpec> wristband;
  bool item_none = false;  ///< "item": null - no item scan at all
  std::optional<ScanSpec> item;
  std::optional<domain::SnomedId> ampp;
  std::optional<std::string> prescription;
  std::optional<domain::Instant> slot;
  std::string code;
  std::string code_text;
  std::optional<OverrideSpec> override;
  std::optional<CredentialSpec> witness;
  std::optional<domain::Instant> time;
  std::optional<std::string> corrects;
  std::string note;
  std::string where;
};

/// What a step must produce. Only the fields given are checked.
struct Expectation {
  bool present = false;
  nlohmann::ordered_json raw;  ///< as written, echoed as "expected" when a check fails
  std::optional<bool> ok;
  std::optional<std::string> error;
  std::optional<std::string> status;
  std::optional<std::optional<std::string>> resident;      ///< null: no resident
  std::optional<std::vector<std::string>> due_now;
  std::optional<std::vector<std::string>> prn_available;
  std::optional<rules::Decision> decision;
  std::optional<std::vector<std::string>> reasons;         ///< exactly these, in this order
  std::optional<std::vector<std::string>> includes;
  std::optional<std::vector<std::string>> excludes;
  std::optional<std::optional<std::string>> prescription;  ///< null: none named
  std::optional<bool> witness_required;
  std::optional<std::string> dose;                         ///< "2" or "1-2"
  std::optional<std::string> summary_contains;
  std::optional<std::string> message_contains;
  std::optional<bool> accepted;
  std::optional<bool> duplicate;
  std::optional<int> same_ack_as;                          ///< a step number
  std::vector<Expectation> results;                        ///< record_batch, one per record
};

enum class Action : std::uint8_t {
  kTime, kLogin, kLogout, kUnlock, kScanResident, kScanItem, kRecord, kRecordBatch, kPrescribe,
  kSetPolicy, kSetResidentStatus,
};
std::string_view to_string(Action a);

struct Step {
  int number = 0;  ///< 1-based, as printed
  Action action = Action::kTime;
  std::string where;
  std::optional<domain::Instant> at;
  std::optional<std::chrono::seconds> advance;
  CredentialSpec credentials;          ///< login, unlock
  std::string device;                  ///< login: empty for the scenario's device
  ScanSpec scan;                       ///< scan_resident, scan_item
  std::optional<domain::Decimal> quantity;  ///< scan_item
  std::vector<RecordSpec> records;     ///< record (one), record_batch
  PrescriptionDef prescription;        ///< prescribe
  PolicyPatch policy;                  ///< set_policy
  std::string resident;                ///< set_resident_status
  domain::ResidentStatus status = domain::ResidentStatus::kPresent;
  Expectation expect;
};

struct Model {
  std::string file;
  std::string description;
  domain::Instant start{};
  std::string device = "scanner-01";
  std::vector<std::string> nhs_gsrn_prefixes;
  store::Home home{"Scenario care home", ""};
  std::vector<PolicyPatch> policy;  ///< applied in order over the defaults
  store::ProductBatch products;
  std::vector<domain::Recall> recalls;
  std::vector<ResidentDef> residents;
  std::vector<StaffDef> staff;
  std::vector<PrescriptionDef> prescriptions;
  std::vector<LabelDef> labels;
  std::vector<HistoryDef> history;
  std::vector<Step> steps;
};

/// Parses and checks a scenario file (with its includes). Throws ParseError.
Model parse_file(const std::string& file);
/// Parses and checks a home file: the set-up part of the format, no steps, "start" optional.
/// Throws ParseError.
Model parse_home_file(const std::string& file);

// Pieces shared by the parsers (parse_setup.cpp, parse_steps.cpp).
class Node;
PolicyPatch parse_policy(const Node& n);
PrescriptionDef parse_prescription(const Node& n);
ScanSpec parse_scan(const Node& n);
std::vector<Step> parse_steps(const Node& n);
/// Fails at the first reference to a resident, staff member or prescription key that the
/// model does not define.
void check_references(const Model& m);

}  // namespace bcma::station::service::scenario
