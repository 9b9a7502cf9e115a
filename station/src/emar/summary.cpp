// How an import is reported: a pharmacist's text, and JSON for programs.
#include <nlohmann/json.hpp>

#include "bcma/station/emar/import.hpp"

namespace bcma::station::emar {

namespace {

std::string name_of(const ResourceOutcome& r) {
  std::string out = r.resource_type.empty() ? std::string("(no resourceType)") : r.resource_type;
  if (!r.resource_id.empty()) out += "/" + r.resource_id;
  return out;
}

}  // namespace

std::string summary_text(const ImportSummary& s) {
  std::string out = "Imported " + std::to_string(s.count(Action::kImported)) + ", updated " +
                    std::to_string(s.count(Action::kUpdated)) + ", unchanged " +
                    std::to_string(s.count(Action::kUnchanged)) + ", queued for review " +
                    std::to_string(s.count(Action::kQueued)) + ", ignored " +
                    std::to_string(s.count(Action::kIgnored)) + ".\n";
  for (const auto& r : s.resources) {
    out += "  " + r.where + " " + name_of(r) + ": " + std::string(to_string(r.action));
    if (!r.detail.empty()) out += " - " + r.detail;
    out += "\n";
  }
  if (s.count(Action::kQueued) > 0) {
    out += "\nQueued for review (the rest of the feed was applied; nothing was guessed):\n";
    for (const auto& r : s.resources) {
      if (r.action != Action::kQueued) continue;
      out += "  " + r.where + " " + name_of(r);
      if (r.review_id) out += " (review entry " + std::to_string(*r.review_id) + ")";
      out += ":\n";
      for (const auto& why : r.reasons) {
        out += "    - " + why.code + (why.location.empty() ? "" : " at " + why.location) + ": " + why.message + "\n";
      }
    }
  }
  return out;
}

std::string summary_json(const ImportSummary& s) {
  using OJson = nlohmann::ordered_json;
  OJson j;
  for (Action a : {Action::kImported, Action::kUpdated, Action::kUnchanged, Action::kQueued, Action::kIgnored}) {
    j[std::string(to_string(a))] = s.count(a);
  }
  OJson list = OJson::array();
  for (const auto& r : s.resources) {
    OJson e{{"where", r.where},
            {"resource_type", r.resource_type},
            {"id", r.resource_id},
            {"action", to_string(r.action)},
            {"detail", r.detail}};
    if (r.prescription_id) e["prescription_id"] = *r.prescription_id;
    if (r.prescription_version) e["prescription_version"] = *r.prescription_version;
    if (r.review_id) e["review_id"] = *r.review_id;
    if (!r.reasons.empty()) {
      OJson reasons = OJson::array();
      for (const auto& why : r.reasons) {
        reasons.push_back({{"code", why.code}, {"message", why.message}, {"location", why.location}});
      }
      e["reasons"] = std::move(reasons);
    }
    list.push_back(std::move(e));
  }
  j["resources"] = std::move(list);
  return j.dump(-1, ' ', false, OJson::error_handler_t::replace);
}

}  // namespace bcma::station::emar
