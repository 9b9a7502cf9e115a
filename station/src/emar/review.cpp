// The review queue as the pharmacist reads it.
#include "bcma/station/emar/review.hpp"

#include <nlohmann/json.hpp>

#include "bcma/ident/nhs_number.hpp"
#include "emar_db.hpp"

namespace bcma::station::emar {

namespace {

using OJson = nlohmann::ordered_json;

std::string local(domain::Instant t) {
  const auto l = domain::London::to_local(t);
  return domain::to_string(l.date) + " " + l.time.to_string() + (l.utc_offset_minutes == 60 ? " BST" : " GMT");
}

// What the station holds for the entry's request (or label), in words.
Result<std::string> holds(store::Store& store, const detail::StoredReview& r) {
  if (r.entry.resource_type == "MedicationDispense") {
    for (const auto& k : r.keys) {
      const auto bar = k.find('|');
      if (bar == std::string::npos) continue;
      auto item = store.dispensed_item(k.substr(bar + 1));
      if (item) return "label " + item->label_id + " is recorded (" + item->quantity.to_string() + ", dispensed " +
                       domain::to_string(item->dispensed_on) + ")";
    }
    return std::string("no dispensed item for this label");
  }
  auto requests = detail::requests_by_keys(store.database(), r.keys);
  if (!requests) return Unexpected(std::move(requests).error());
  for (auto id : *requests) {
    auto row = detail::load_request(store.database(), id);
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) continue;
    auto history = store.prescription_history((*row)->prescription_id);
    if (!history) {
      if (history.error().code == "unknown_prescription") continue;
      return Unexpected(std::move(history).error());
    }
    const auto& p = history->back().prescription;
    return "station prescription " + std::to_string(p.id) + " version " + std::to_string(p.version) + " (" +
           p.medication_name + ", " + std::string(domain::to_string(p.status)) + ") stays in force";
  }
  return std::string("nothing: this request has never been imported");
}

}  // namespace

std::string_view to_string(ReviewStatus s) {
  switch (s) {
    case ReviewStatus::kOpen:
      return "open";
    case ReviewStatus::kResolved:
      return "resolved";
    case ReviewStatus::kSuperseded:
      return "superseded";
  }
  return "open";
}

Result<std::vector<ReviewEntry>> review_queue(store::Store& store, bool include_closed) {
  auto stored = detail::load_reviews(store.database(), include_closed);
  if (!stored) return Unexpected(std::move(stored).error());
  std::vector<ReviewEntry> out;
  for (auto& s : *stored) {
    ReviewEntry e = s.entry;
    if (auto nhs = ident::NhsNumber::parse(e.nhs_number)) {
      auto resident = store.resident_by_nhs_number(nhs->digits());
      if (resident) {
        e.resident_name = resident->display_name();
      } else if (resident.error().code != "unknown_resident") {
        return Unexpected(std::move(resident).error());
      }
    }
    auto h = holds(store, s);
    if (!h) return Unexpected(std::move(h).error());
    e.station_holds = std::move(*h);
    out.push_back(std::move(e));
  }
  return out;
}

std::string review_text(const std::vector<ReviewEntry>& entries) {
  if (entries.empty()) return "The review queue is empty: everything the pharmacy sent was imported.\n";
  std::size_t open = 0;
  for (const auto& e : entries) open += e.status == ReviewStatus::kOpen ? 1 : 0;
  std::string out = "Review queue: " + std::to_string(open) + " open\n";
  for (const auto& e : entries) {
    out += "\n#" + std::to_string(e.id) + " " + e.resource_type +
           (e.resource_id.empty() ? "" : "/" + e.resource_id) + "  (first seen " + local(e.first_seen) + ")";
    if (e.status != ReviewStatus::kOpen) out += "  [" + std::string(to_string(e.status)) + "]";
    out += "\n";
    std::string who = e.resident_name;
    if (!e.nhs_number.empty()) {
      auto nhs = ident::NhsNumber::parse(e.nhs_number);
      who += (who.empty() ? "" : ", ") + std::string("NHS number ") + (nhs ? nhs->formatted() : e.nhs_number);
      if (e.resident_name.empty()) who += " (not a resident of this home)";
    }
    out += "  Resident:      " + (who.empty() ? std::string("(not identified)") : who) + "\n";
    out += "  Medication:    " + (e.medication.empty() ? std::string("(not identified)") : e.medication) + "\n";
    out += "  Station holds: " + e.station_holds + "\n";
    out += "  Not imported because:\n";
    for (const auto& r : e.reasons) {
      out += "    - " + r.message + "  [" + r.code + (r.location.empty() ? "" : " at " + r.location) + "]\n";
    }
    if (e.status != ReviewStatus::kOpen) {
      out += "  Closed " + (e.resolved_at ? local(*e.resolved_at) : std::string()) + ": " + e.resolution + "\n";
    }
  }
  return out;
}

std::string review_json(const std::vector<ReviewEntry>& entries, bool with_resources) {
  OJson list = OJson::array();
  for (const auto& e : entries) {
    OJson reasons = OJson::array();
    for (const auto& r : e.reasons) {
      reasons.push_back({{"code", r.code}, {"message", r.message}, {"location", r.location}});
    }
    OJson j{{"id", e.id},
            {"status", to_string(e.status)},
            {"resource_type", e.resource_type},
            {"resource_id", e.resource_id},
            {"nhs_number", e.nhs_number},
            {"resident", e.resident_name},
            {"medication", e.medication},
            {"reasons", std::move(reasons)},
            {"station_holds", e.station_holds},
            {"first_seen", domain::to_string(e.first_seen)},
            {"resolved_at", e.resolved_at ? OJson(domain::to_string(*e.resolved_at)) : OJson()},
            {"resolution", e.resolution}};
    if (with_resources) j["resource"] = OJson::parse(e.resource_json, nullptr, false);
    list.push_back(std::move(j));
  }
  return list.dump(-1, ' ', false, OJson::error_handler_t::replace);
}

}  // namespace bcma::station::emar
