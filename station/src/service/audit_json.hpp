#pragma once
// Private to the service: the JSON payloads of the audit entries it writes (scans, verdicts,
// refused sign-ins, unlocks). Key order is fixed: payloads are hashed byte for byte.

#include <string>
#include <string_view>

#include "bcma/rules/engine.hpp"
#include "bcma/scan/scan.hpp"
#include "bcma/station/service/requests.hpp"

namespace bcma::station::service::detail {

/// {"step":"resident"|"item","entry":...,"format":...,"symbology":...,"text":...,"reason":...,
///  "kind":...,"unknown_reason":...}
std::string scan_payload(std::string_view step, const ScanInput& input, const scan::Scan& scan,
                         std::string_view result, std::optional<domain::ResidentId> resident);

/// {"resident_id":...,"decision":...,"reasons":[{"code","message"}],"prescription_id":...,
///  "slot":...,"witness_required":...,"summary":...,"scan_seq":...}
std::string verdict_payload(std::optional<domain::ResidentId> resident, const rules::Verdict& v,
                            std::int64_t scan_seq);

/// {"badge_gsrn":...,"refused":"locked_out","locked_until":...}
std::string locked_out_payload(std::string_view badge, domain::Instant locked_until);

/// {"badge_gsrn":...,"unlocked":true}
std::string unlock_payload(std::string_view badge);

}  // namespace bcma::station::service::detail
