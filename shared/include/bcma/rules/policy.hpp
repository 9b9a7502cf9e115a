#pragma once
/// \file
/// A home's policy: its rounds, its windows, and which reasons block, warn or pass, who may
/// override and when a witness is needed. Safe defaults: wrong resident, allergy, expired,
/// recalled and PRN maximum block.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/domain/decimal.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/rules/reason.hpp"

namespace bcma::rules {

enum class Decision : std::uint8_t { kProceed, kWarn, kBlock };
std::string_view to_string(Decision d);  ///< "proceed", "warn", "block"
std::optional<Decision> decision_from_string(std::string_view text);

/// How the home treats one reason code.
struct ReasonPolicy {
  Decision decision = Decision::kBlock;
  /// Roles that may override a block for this reason (with a reason, and a witness when
  /// `override_needs_witness`). Empty: a block cannot be overridden at all.
  std::vector<domain::Role> override_roles;
  bool override_needs_witness = false;
};

/// A ceiling on an ingredient in any rolling 24 hours, whatever the product (e.g. paracetamol
/// 4 g for adults). Applied on top of each prescription's own PRN maximum.
struct IngredientLimit {
  domain::SnomedId substance_id;
  std::string name;
  domain::Decimal max_per_24h;
  std::string unit;  ///< must match the ingredient strength unit
};

struct Policy {
  /// Named rounds and their local times, e.g. MORN 08:00, NOON 12:00, EVE 17:00, NIGHT 22:00.
  std::map<std::string, domain::TimeOfDay> rounds;
  domain::Minutes default_window{60};        ///< +/- around a scheduled time
  domain::Minutes time_critical_window{15};  ///< +/- for time-critical medicines
  std::array<ReasonPolicy, kReasonCodeCount> reasons{};
  std::vector<IngredientLimit> ingredient_limits;
  /// Controlled drug categories whose administration needs a second person to witness.
  std::vector<domain::ControlledDrugCategory> witness_categories;

  const ReasonPolicy& for_reason(ReasonCode c) const { return reasons[static_cast<std::size_t>(c)]; }
  ReasonPolicy& for_reason(ReasonCode c) { return reasons[static_cast<std::size_t>(c)]; }
  Decision decision(ReasonCode c) const { return for_reason(c).decision; }
  /// The local time of a named round, or nullopt if the home has not mapped it.
  std::optional<domain::TimeOfDay> round_time(const std::string& round) const {
    const auto it = rounds.find(round);
    if (it == rounds.end()) return std::nullopt;
    return it->second;
  }
  /// Whether `role` may override a block for `c`.
  bool may_override(ReasonCode c, domain::Role role) const;

  /// The safe default policy every new home starts with (documented in docs/rules.md).
  static Policy defaults();
};

}  // namespace bcma::rules
