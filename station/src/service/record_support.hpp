#pragma once
// Private to the service: the pieces of recording an outcome that do not need the Service's
// state - refusals, record ids, the record skeleton, the wristband check and the dose (slot)
// an outcome answers when no item scan names it.

#include <optional>
#include <span>
#include <string>

#include "bcma/core/result.hpp"
#include "bcma/station/service/requests.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::service::detail {

inline Unexpected<Refusal> refuse(std::string code, std::string message,
                                  std::optional<rules::Verdict> verdict = std::nullopt) {
  return Unexpected(Refusal{std::move(code), std::move(message), std::move(verdict)});
}
inline Unexpected<Refusal> refuse(const Error& e) { return refuse(e.code, e.message); }

/// Lower-case 8-4-4-4-12 hex, or nullopt.
std::optional<std::string> normalise_uuid(std::string_view text);

/// Everything a record takes from the request and the session, before the station adds what it
/// derives (prescription, dose, pack, label, verdict, override, witness).
store::NewAdministration skeleton(const Session& session, const OutcomeRequest& request);

/// The wristband in the record must name the record's resident (or say why it was not scanned).
/// Refusals: `invalid_request`, `wristband_mismatch`, store lookup errors.
Result<void, Refusal> check_wristband(store::Store& store, const scan::Context& context,
                                      const OutcomeRequest& request);

/// The scheduled dose an outcome without an item scan answers: the request's (checked to be one
/// of the prescription's dose times), or the nearest dose to the event time with nothing
/// recorded yet (within 12 hours). PRN: none.
/// Refusals: `invalid_slot`, `missing_slot`, `unknown_prescription`,
/// `prescription_not_for_resident`, store errors.
Result<std::optional<domain::Instant>, Refusal> resolve_slot(
    store::Store& store, const OutcomeRequest& request, domain::PrescriptionId prescription,
    std::span<const domain::PastDose> pending);

}  // namespace bcma::station::service::detail
