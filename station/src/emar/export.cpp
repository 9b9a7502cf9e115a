// What was administered, back to the pharmacy and GP as FHIR R4 MedicationAdministration.
#include "bcma/station/emar/export.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "bcma/station/emar/fhir_systems.hpp"
#include "bcma/station/store/transaction.hpp"
#include "dmd.hpp"
#include "emar_db.hpp"

namespace bcma::station::emar {

namespace {

using OJson = nlohmann::ordered_json;

OJson number(domain::Decimal d) {
  if (d.is_whole()) return OJson(d.thousandths() / domain::Decimal::kScale);
  return OJson(static_cast<double>(d.thousandths()) / static_cast<double>(domain::Decimal::kScale));
}

OJson coding(std::string_view system, const std::string& code, const std::string& display) {
  OJson c{{"system", system}, {"code", code}};
  if (!display.empty()) c["display"] = display;
  return c;
}

OJson performer(std::string_view function, std::string_view function_display, const domain::Staff& s) {
  return OJson{{"function", {{"coding", OJson::array({coding(fhir::kPerformFunction, std::string(function),
                                                             std::string(function_display))})}}},
               {"actor",
                {{"type", "Practitioner"},
                 {"identifier", {{"system", fhir::kStaffBadge}, {"value", s.badge_gsrn}}},
                 {"display", s.name}}}};
}

class Exporter {
 public:
  explicit Exporter(store::Store& store) : store_(&store) {}

  Result<OJson> resource(const store::AdministrationRecord& rec);
  Result<void> load_codes();

 private:
  Result<domain::Resident> resident(domain::ResidentId id);
  Result<domain::Staff> staff(domain::StaffId id);
  Result<domain::Prescription> prescription(const store::AdministrationRecord& rec);

  store::Store* store_;
  std::map<domain::ResidentId, domain::Resident> residents_;
  std::map<domain::StaffId, domain::Staff> staff_;
  std::map<std::string, std::string> codes_;
};

Result<void> Exporter::load_codes() {
  auto codes = store_->non_administration_codes(true);
  if (!codes) return Unexpected(std::move(codes).error());
  for (const auto& c : *codes) codes_[c.code] = c.description;
  return {};
}

Result<domain::Resident> Exporter::resident(domain::ResidentId id) {
  if (auto it = residents_.find(id); it != residents_.end()) return it->second;
  auto r = store_->resident(id);
  if (!r) return r;
  residents_[id] = *r;
  return r;
}

Result<domain::Staff> Exporter::staff(domain::StaffId id) {
  if (auto it = staff_.find(id); it != staff_.end()) return it->second;
  auto s = store_->staff(id);
  if (!s) return s;
  staff_[id] = *s;
  return s;
}

Result<domain::Prescription> Exporter::prescription(const store::AdministrationRecord& rec) {
  const auto id = rec.record.prescription_id;
  if (rec.prescription_version > 0) {
    auto history = store_->prescription_history(id);
    if (!history) return Unexpected(std::move(history).error());
    for (const auto& v : *history) {
      if (v.prescription.version == rec.prescription_version) return v.prescription;
    }
  }
  // Recorded before any version was in force (a dose given early): the first version names it.
  auto history = store_->prescription_history(id);
  if (!history) return Unexpected(std::move(history).error());
  return history->front().prescription;
}

Result<OJson> Exporter::resource(const store::AdministrationRecord& rec) {
  const store::NewAdministration& a = rec.record;
  auto who = resident(a.resident_id);
  if (!who) return Unexpected(std::move(who).error());
  auto p = prescription(rec);
  if (!p) return Unexpected(std::move(p).error());
  auto giver = staff(a.staff_id);
  if (!giver) return Unexpected(std::move(giver).error());

  const bool taken = domain::was_taken(a.outcome);
  const std::string status = rec.corrected_by ? "entered-in-error" : taken ? "completed" : "not-done";
  OJson r;
  r["resourceType"] = "MedicationAdministration";
  r["id"] = rec.ack.record_id;
  r["identifier"] = OJson::array({{{"system", fhir::kUri}, {"value", "urn:uuid:" + rec.ack.record_id}}});
  r["status"] = status;
  if (!taken) {
    const auto it = codes_.find(a.code);
    const std::string description = it != codes_.end() ? it->second : a.code;
    OJson reason{{"coding", OJson::array({coding(fhir::kNonAdministrationReason, a.code, description)})},
                 {"text", a.code_text.empty() ? description : description + ": " + a.code_text}};
    r["statusReason"] = OJson::array({reason});
  }
  // What was given: the actual product when a pack was scanned, else what was prescribed.
  std::string med_code = p->medication_id;
  std::string med_name = p->medication_name;
  if (rec.amp_id) {
    auto name = detail::amp_name(store_->database(), *rec.amp_id);
    if (!name) return Unexpected(std::move(name).error());
    if (*name) {
      med_code = *rec.amp_id;
      med_name = **name;
    }
  }
  r["medicationCodeableConcept"] = {{"coding", OJson::array({coding(fhir::kDmd, med_code, med_name)})},
                                    {"text", med_name}};
  r["subject"] = {{"type", "Patient"},
                  {"identifier", {{"system", fhir::kNhsNumber}, {"value", who->nhs_number}}},
                  {"display", who->display_name()}};
  r["effectiveDateTime"] = domain::to_string(a.event_time);
  OJson performers = OJson::array({performer("performer", "Performer", *giver)});
  if (a.witness) {
    auto w = staff(*a.witness);
    if (!w) return Unexpected(std::move(w).error());
    performers.push_back(performer("witness", "Witness", *w));
  }
  r["performer"] = std::move(performers);
  auto source = detail::version_source(store_->database(), p->id, p->version);
  if (!source) return Unexpected(std::move(source).error());
  if (!*source) {
    source = detail::latest_source(store_->database(), p->id);
    if (!source) return Unexpected(std::move(source).error());
  }
  if (*source) {
    r["request"] = {{"reference", "MedicationRequest/" + (*source)->resource_id}, {"display", p->medication_name}};
  }
  OJson notes = OJson::array();
  if (a.override) {
    auto by = staff(a.override->by);
    if (!by) return Unexpected(std::move(by).error());
    notes.push_back({{"text", "Warning or block overridden by " + by->name + ": " + a.override->reason}});
  }
  if (!a.note.empty()) notes.push_back({{"text", a.note}});
  if (rec.corrected_by) notes.push_back({{"text", "Corrected by record " + *rec.corrected_by}});
  if (a.corrects) notes.push_back({{"text", "Corrects record " + *a.corrects}});
  if (!notes.empty()) r["note"] = std::move(notes);
  if (taken) {
    r["dosage"] = {{"route",
                    {{"coding", OJson::array({coding(fhir::kSnomed, p->route_id, p->route_name)})},
                     {"text", p->route_name}}},
                   {"dose", {{"value", number(a.quantity)}, {"unit", p->dose.unit}}}};
  }
  return r;
}

}  // namespace

Result<ExportResult> export_administrations(store::Store& store, domain::Instant since) {
  auto& db = store.database();
  auto tx = store::Transaction::begin(db, store::Transaction::Kind::kDeferred);
  if (!tx) return Unexpected(std::move(tx).error());
  std::vector<std::string> ids;
  {
    auto st = db.prepare(
        "SELECT record_id FROM administrations WHERE entered_at >= ?1 OR id IN"
        " (SELECT corrects_id FROM administrations WHERE entered_at >= ?1 AND corrects_id IS NOT NULL)"
        " ORDER BY id");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, static_cast<std::int64_t>(since.time_since_epoch().count()));
    for (;;) {
      auto row = st->step();
      if (!row) return Unexpected(std::move(row).error());
      if (!*row) break;
      ids.push_back(st->text(0));
    }
  }
  Exporter exporter(store);
  if (auto r = exporter.load_codes(); !r) return Unexpected(std::move(r).error());
  OJson entries = OJson::array();
  for (const auto& id : ids) {
    auto rec = store.administration(id);
    if (!rec) return Unexpected(std::move(rec).error());
    auto resource = exporter.resource(*rec);
    if (!resource) return Unexpected(std::move(resource).error());
    entries.push_back({{"fullUrl", "urn:uuid:" + rec->ack.record_id}, {"resource", std::move(*resource)}});
  }
  (void)tx->rollback();  // read-only
  ExportResult out;
  out.administrations = static_cast<int>(entries.size());
  OJson bundle{{"resourceType", "Bundle"},
               {"type", "collection"},
               {"timestamp", domain::to_string(store.now())},
               {"entry", std::move(entries)}};
  out.bundle_json = bundle.dump(2, ' ', false, OJson::error_handler_t::replace);
  return out;
}

}  // namespace bcma::station::emar
