#include "administration_codec.hpp"

#include <nlohmann/json.hpp>

#include "codec.hpp"
#include "json_text.hpp"

namespace bcma::station::store {

namespace {

using Json = nlohmann::ordered_json;

using detail::dump;

// Optional values: "-" when absent, "+" and the value when present, so that absent and empty
// never collide.
void put_opt(std::string& out, const std::optional<std::string>& v) {
  std::string field(v ? "+" : "-");
  if (v) field += *v;
  codec::put_field(out, field);
}
void put_opt(std::string& out, const std::optional<std::int64_t>& v) {
  put_opt(out, v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt);
}

void put_scan(std::string& out, const ScanEvidence& s) {
  put_opt(out, s.text);
  codec::put_field(out, s.symbology);
  put_opt(out, s.unable_reason);
}

Json scan_json(const ScanEvidence& s) {
  Json j;
  if (s.text) {
    j["text"] = *s.text;
    j["symbology"] = s.symbology;
  } else {
    j["unable_to_scan"] = s.unable_reason.value_or("");
  }
  return j;
}

Json opt_json(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(); }
Json opt_json(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }

}  // namespace

Result<std::string> administration_content_hash(const NewAdministration& in,
                                                const std::string& record_id) {
  std::string out;
  codec::put_field(out, "bcma.administration.v1");
  codec::put_field(out, record_id);
  codec::put_field(out, in.resident_id);
  codec::put_field(out, in.prescription_id);
  put_opt(out, in.slot ? std::optional<std::int64_t>(codec::to_db(*in.slot)) : std::nullopt);
  codec::put_field(out, codec::to_text(in.outcome));
  codec::put_field(out, codec::to_db(in.quantity));
  put_opt(out, in.ampp_id);
  put_opt(out, in.label_id);
  codec::put_field(out, in.code);
  codec::put_field(out, in.code_text);
  put_scan(out, in.wristband);
  codec::put_field(out, static_cast<std::int64_t>(in.items.size()));
  for (const auto& s : in.items) put_scan(out, s);
  if (in.verdict) {
    codec::put_field(out, "+");
    codec::put_field(out, codec::to_text(in.verdict->decision));
    codec::put_field(out, static_cast<std::int64_t>(in.verdict->reasons.size()));
    for (const auto& r : in.verdict->reasons) {
      codec::put_field(out, rules::to_string(r.code));
      codec::put_field(out, r.message);
      put_opt(out, r.prescription_id);
    }
  } else {
    codec::put_field(out, "-");
  }
  if (in.override) {
    codec::put_field(out, "+");
    codec::put_field(out, in.override->by);
    codec::put_field(out, in.override->reason);
    put_opt(out, in.override->witness);
  } else {
    codec::put_field(out, "-");
  }
  put_opt(out, in.witness);
  codec::put_field(out, codec::to_db(in.event_time));
  codec::put_field(out, in.device_id);
  codec::put_field(out, in.staff_id);
  std::optional<std::string> corrects = in.corrects;
  if (corrects) {
    if (auto n = codec::normalise_uuid(*corrects)) corrects = *n;
  }
  put_opt(out, corrects);
  codec::put_field(out, in.note);
  return codec::sha256_hex(out);
}

std::string administration_payload(const NewAdministration& in, const std::string& record_id,
                                   const std::optional<std::string>& code, int prescription_version,
                                   const std::optional<std::string>& ampp_id,
                                   const std::optional<std::string>& corrects) {
  Json j;
  j["record_id"] = record_id;
  j["resident_id"] = in.resident_id;
  j["prescription_id"] = in.prescription_id;
  j["prescription_version"] = prescription_version;
  j["slot"] = in.slot ? Json(codec::instant_text(*in.slot)) : Json();
  j["outcome"] = codec::to_text(in.outcome);
  j["quantity"] = codec::decimal_text(in.quantity);
  j["ampp_id"] = opt_json(ampp_id);
  j["label_id"] = opt_json(in.label_id);
  j["code"] = opt_json(code);
  j["code_text"] = in.code_text;
  j["wristband"] = scan_json(in.wristband);
  Json items = Json::array();
  for (const auto& s : in.items) items.push_back(scan_json(s));
  j["items"] = std::move(items);
  if (in.verdict) {
    Json reasons = Json::array();
    for (const auto& r : in.verdict->reasons) {
      reasons.push_back({{"code", rules::to_string(r.code)}, {"message", r.message}});
    }
    j["verdict"] = {{"decision", codec::to_text(in.verdict->decision)},
                    {"reasons", std::move(reasons)}};
  } else {
    j["verdict"] = nullptr;
  }
  j["overridden"] = in.override.has_value();
  j["witness_id"] = opt_json(in.witness);
  j["event_time"] = codec::instant_text(in.event_time);
  j["staff_id"] = in.staff_id;
  j["device_id"] = in.device_id;
  j["corrects"] = opt_json(corrects);
  j["note"] = in.note;
  return dump(j);
}

std::string override_payload(const NewAdministration& in, const std::string& record_id) {
  const Override& o = *in.override;
  Json reasons = Json::array();
  if (in.verdict) {
    for (const auto& r : in.verdict->reasons) reasons.push_back(rules::to_string(r.code));
  }
  Json j;
  j["record_id"] = record_id;
  j["overridden_decision"] = in.verdict ? Json(codec::to_text(in.verdict->decision)) : Json();
  j["reasons"] = std::move(reasons);
  j["by"] = o.by;
  j["reason"] = o.reason;
  j["witness_id"] = opt_json(o.witness);
  return dump(j);
}

}  // namespace bcma::station::store
