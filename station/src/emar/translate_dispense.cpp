// MedicationDispense -> DispensedItem: the labelled pack the home will book in.
#include "bcma/gs1/gtin.hpp"
#include "bcma/station/emar/errors.hpp"
#include "bcma/station/emar/fhir_systems.hpp"
#include "dose.hpp"
#include "resolve.hpp"
#include "translate.hpp"

namespace bcma::station::emar::detail {

namespace {

// GS1 character set 82, which a GDTI serial is drawn from.
bool cset82(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  static constexpr std::string_view kPunct = "!\"%&'()*+,-./:;<=>?_";
  return kPunct.find(c) != std::string_view::npos;
}

// The label barcode's AI 253 value: 13-digit GDTI with a valid check digit, then the
// dispensing serial (1 to 17 characters), which bcma requires (docs/pharmacy-label.md).
std::optional<std::string> check_label(const std::string& value, std::string* why) {
  if (value.size() < 14 || value.size() > 30) {
    *why = "\"" + quote(value) + "\" is not a GDTI with a serial (13 digits, then 1 to 17 characters)";
    return std::nullopt;
  }
  const std::string gdti = value.substr(0, 13);
  for (char c : gdti) {
    if (c < '0' || c > '9') {
      *why = "\"" + quote(value) + "\" does not start with the 13 digits of a GDTI";
      return std::nullopt;
    }
  }
  if (!gs1::has_valid_mod10(gdti)) {
    *why = "the GDTI " + gdti + " in \"" + value + "\" has a wrong check digit";
    return std::nullopt;
  }
  for (char c : value.substr(13)) {
    if (!cset82(c)) {
      *why = "the serial in \"" + quote(value) + "\" has a character a GS1 barcode cannot carry";
      return std::nullopt;
    }
  }
  return value;
}

void read_authorizing(const FeedEntry& entry, const Feed& feed, DispenseCandidate& c) {
  const Json* list = get_array(*entry.resource, "authorizingPrescription", "", c.problems);
  if (list == nullptr || list->empty()) return;
  if (list->size() > 1) {
    c.problems.add(reason::kAmbiguousData, "/authorizingPrescription",
                   "one labelled pack is dispensed against one prescription, not " + std::to_string(list->size()));
    return;
  }
  const Json& ref = (*list)[0];
  const std::string p = "/authorizingPrescription/0";
  if (const Json* ident = get_object(ref, "identifier", p, c.problems)) {
    const std::string system = string_of(*ident, "system");
    const std::string value = string_of(*ident, "value");
    if (!system.empty() && !value.empty()) {
      c.authorizing_keys.push_back(system + "|" + value);
      c.authorizing_text = system + "|" + value;
    }
  }
  if (const auto reference = get_string(ref, "reference", p, c.problems)) {
    c.authorizing_text = *reference;
    if (const Json* in_feed = feed.resolve(*reference, entry)) {
      FeedEntry tmp;
      tmp.resource = in_feed;
      tmp.type = "MedicationRequest";
      tmp.id = string_of(*in_feed, "id");
      if (auto ident = identify(tmp)) {
        for (auto& k : ident->keys) c.authorizing_keys.push_back(std::move(k));
      }
      if (!tmp.id.empty()) c.authorizing_resource_ids.push_back(tmp.id);
    } else if (const auto [type, id] = type_and_id(*reference); type == "MedicationRequest") {
      c.authorizing_resource_ids.push_back(id);
    } else {
      c.problems.add(reason::kInvalidResource, p + "/reference",
                     "\"" + quote(*reference) + "\" is not a MedicationRequest reference");
    }
  }
}

}  // namespace

Result<DispenseCandidate> translate_dispense(const FeedEntry& entry, const Feed& feed,
                                             store::Store& store) {
  DispenseCandidate c;
  c.entry = &entry;
  auto ident = identify(entry);
  if (!ident) return Unexpected(std::move(ident).error());
  c.identity = std::move(*ident);
  Problems& pr = c.problems;
  const Json& r = *entry.resource;

  const auto status = get_string(r, "status", "", pr);
  if (!status) {
    if (member(r, "status") == nullptr) pr.add(reason::kInvalidResource, "/status", "status is required");
  } else if (*status == "preparation" || *status == "in-progress" || *status == "on-hold") {
    c.ignored = true;
    c.ignored_why = "status " + *status + ": not handed over yet";
  } else if (*status == "cancelled" || *status == "stopped" || *status == "declined" ||
             *status == "entered-in-error") {
    c.withdrawn = true;
  } else if (*status != "completed") {
    pr.add(reason::kUnsupportedStatus, "/status",
           "status \"" + quote(*status) + "\" does not say whether the pack was sent");
  }

  // The label barcode: exactly one identifier in the label system.
  std::vector<std::string> labels;
  if (const Json* ids = get_array(r, "identifier", "", pr)) {
    for (std::size_t i = 0; i < ids->size(); ++i) {
      if (string_of((*ids)[i], "system") == fhir::kPharmacyLabel) labels.push_back(string_of((*ids)[i], "value"));
    }
  }
  if (labels.empty()) {
    pr.add(reason::kInvalidLabel, "/identifier",
           "no pharmacy label barcode (identifier system " + std::string(fhir::kPharmacyLabel) +
               "): the home could not book the pack in by scanning it");
  } else if (labels.size() > 1) {
    pr.add(reason::kInvalidLabel, "/identifier",
           "one dispense carries " + std::to_string(labels.size()) +
               " labels: send one MedicationDispense per labelled pack, each with its quantity");
  } else {
    std::string why;
    if (auto label = check_label(labels[0], &why)) {
      c.item.label_id = *label;
    } else {
      pr.add(reason::kInvalidLabel, "/identifier", why);
    }
  }
  if (c.ignored || c.withdrawn) return c;

  refuse_modifier_extensions(r, "", pr);
  auto subject = resolve_subject(entry, feed, store, pr);
  if (!subject) return Unexpected(std::move(subject).error());
  c.identity.nhs_number = subject->nhs_number;
  if (subject->resident) c.item.resident_id = subject->resident->id;

  if (const auto med = medication_code(entry, feed, pr)) {
    c.identity.medication = med->code + (med->display.empty() ? "" : " " + med->display);
    auto found = pack(store.database(), med->code);
    if (!found) return Unexpected(std::move(found).error());
    if (*found) {
      c.pack = std::move(**found);
      c.item.ampp_id = c.pack->ampp_id;
    } else {
      auto kind = classify_code(store.database(), med->code);
      if (!kind) return Unexpected(std::move(kind).error());
      if (*kind == DmdKind::kUnknown) {
        pr.add(reason::kUnknownMedication, med->pointer,
               "dm+d code " + med->code + " is not in this home's dm+d data");
      } else {
        pr.add(reason::kUnsupportedMedicationLevel, med->pointer,
               "dm+d code " + med->code + " is a " + std::string(to_string(*kind)) +
                   ": a dispensed pack is named by its AMPP, so that stock can be counted");
      }
    }
  }

  if (const Json* quantity = get_object(r, "quantity", "", pr)) {
    if (c.pack) {
      if (auto q = dose_units(*quantity, "/quantity", c.pack->vmp, false, pr)) c.item.quantity = q->units;
    }
  } else {
    pr.add(reason::kInvalidResource, "/quantity", "the quantity dispensed is required for booking in");
  }
  std::optional<FhirDateTime> when = get_datetime(r, "whenHandedOver", "", pr);
  if (!when) when = get_datetime(r, "whenPrepared", "", pr);
  if (when) {
    c.item.dispensed_on = when->date;
  } else {
    pr.add(reason::kInvalidResource, "/whenHandedOver", "whenHandedOver (or whenPrepared) is required");
  }
  if (const Json* performers = member(r, "performer"); performers != nullptr && performers->is_array() &&
                                                       !performers->empty()) {
    if (const Json* actor = member((*performers)[0], "actor")) {
      c.item.pharmacy = string_of(*actor, "display");
      if (c.item.pharmacy.empty()) {
        if (const Json* org = feed.resolve(string_of(*actor, "reference"), entry)) {
          c.item.pharmacy = string_of(*org, "name");
        }
      }
    }
  }
  read_authorizing(entry, feed, c);
  return c;
}

}  // namespace bcma::station::emar::detail
