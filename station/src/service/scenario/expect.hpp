#pragma once
// Private to the scenario runner: what a step produced, how it is printed, and the comparison
// with what the scenario expected.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bcma/rules/policy.hpp"
#include "bcma/station/store/records.hpp"
#include "model.hpp"

namespace bcma::station::service::scenario {

/// The result of one action (or of one record in a batch), in the scenario's own keys.
struct StepOutcome {
  std::optional<std::string> error;  ///< an error or refusal code
  std::string message;               ///< the error's message, or the verdict's summary
  std::optional<std::string> result;  ///< "ok", "signed_in"... for actions without a verdict
  std::optional<std::string> staff;   ///< login: who
  std::optional<std::string> role;
  // scan_resident
  std::optional<std::string> status;
  bool has_resident = false;
  std::optional<std::string> resident;
  std::vector<std::string> due_now;
  std::vector<std::string> prn_available;
  // a verdict (scan_item, and the re-evaluation of a record)
  std::optional<rules::Decision> decision;
  std::vector<std::string> reasons;
  std::vector<std::string> reason_messages;
  bool has_prescription = false;
  std::optional<std::string> prescription;
  std::optional<bool> witness_required;
  std::optional<std::string> dose;
  // record
  std::optional<bool> accepted;
  std::optional<std::string> record_id;
  std::optional<bool> duplicate;
  std::optional<store::Ack> ack;
  std::vector<StepOutcome> results;  ///< record_batch
};

/// The result fields of a step's JSON line (after "step", before "action", "file", "ok").
void put_result(nlohmann::ordered_json& line, const StepOutcome& o, Action action);

/// Every way `o` differs from `e` ("decision: expected block, got warn"); empty when it holds.
/// Without an expectation a step must not fail. `acks` are earlier steps' acknowledgements.
std::vector<std::string> check(const Expectation& e, const StepOutcome& o, Action action,
                               const std::map<int, store::Ack>& acks);

}  // namespace bcma::station::service::scenario
