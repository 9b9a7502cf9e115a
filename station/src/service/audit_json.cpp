#include "audit_json.hpp"

#include <nlohmann/json.hpp>

#include "scan_input.hpp"

namespace bcma::station::service::detail {
namespace {

using Json = nlohmann::ordered_json;

// Barcodes may hold bytes that are not UTF-8: replaced, never a thrown exception.
std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string scan_payload(std::string_view step, const ScanInput& input, const scan::Scan& scan,
                         std::string_view result, std::optional<domain::ResidentId> resident) {
  Json j;
  j["step"] = step;
  j["entry"] = entry_name(input.entry);
  if (input.entry != ScanInput::Entry::kUnableToScan) {
    j["format"] = input.decode.format;
    j["symbology"] = input.decode.symbology;
    j["text"] = input.decode.text;
  }
  if (!input.reason.empty()) j["reason"] = input.reason;
  j["kind"] = scan::to_string(scan.kind);
  if (const scan::Unknown* u = scan.unknown()) j["unknown_reason"] = scan::to_string(u->code);
  j["result"] = result;
  j["resident_id"] = resident ? Json(*resident) : Json();
  return dump(j);
}

std::string verdict_payload(std::optional<domain::ResidentId> resident, const rules::Verdict& v,
                            std::int64_t scan_seq) {
  Json reasons = Json::array();
  for (const rules::Reason& r : v.reasons) {
    reasons.push_back({{"code", rules::to_string(r.code)}, {"message", r.message}});
  }
  Json j;
  j["resident_id"] = resident ? Json(*resident) : Json();
  j["decision"] = rules::to_string(v.decision);
  j["reasons"] = std::move(reasons);
  j["prescription_id"] = v.prescription_id ? Json(*v.prescription_id) : Json();
  j["slot"] = v.slot ? Json(domain::to_string(*v.slot)) : Json();
  j["witness_required"] = v.witness_required;
  j["summary"] = v.summary;
  j["scan_seq"] = scan_seq;
  return dump(j);
}

std::string locked_out_payload(std::string_view badge, domain::Instant locked_until) {
  Json j;
  j["badge_gsrn"] = badge;
  j["refused"] = "locked_out";
  j["locked_until"] = domain::to_string(locked_until);
  return dump(j);
}

std::string unlock_payload(std::string_view badge) {
  Json j;
  j["badge_gsrn"] = badge;
  j["unlocked"] = true;
  return dump(j);
}

}  // namespace bcma::station::service::detail
