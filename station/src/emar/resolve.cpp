#include "resolve.hpp"

#include <algorithm>
#include <cctype>

#include "bcma/ident/nhs_number.hpp"
#include "bcma/station/emar/errors.hpp"
#include "bcma/station/emar/fhir_systems.hpp"

namespace bcma::station::emar::detail {

namespace {

std::string lower_trim(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
  std::size_t i = 0;
  while (i < out.size() && std::isspace(static_cast<unsigned char>(out[i]))) ++i;
  return out.substr(i);
}

// The Patient's details must not contradict the home's record of the resident: a wrong NHS
// number typed at the pharmacy would otherwise give one resident another's medicines.
void check_patient(const Json& patient, const domain::Resident& resident, const std::string& nhs,
                   Problems& problems) {
  const std::string dob = string_of(patient, "birthDate");
  if (!dob.empty() && dob != domain::to_string(resident.date_of_birth)) {
    problems.add(reason::kPatientMismatch, "/subject",
                 "the feed's Patient with NHS number " + nhs + " was born " + dob + ", but the home's " +
                     resident.display_name() + " with that NHS number was born " +
                     domain::to_string(resident.date_of_birth) + ": check the NHS number");
  }
  const Json* names = member(patient, "name");
  if (names == nullptr || !names->is_array() || names->empty()) return;
  bool any_family = false;
  for (const Json& n : *names) {
    const std::string family = string_of(n, "family");
    if (family.empty()) continue;
    any_family = true;
    if (lower_trim(family) == lower_trim(resident.family_name)) return;
  }
  if (any_family) {
    problems.add(reason::kPatientMismatch, "/subject",
                 "the feed's Patient with NHS number " + nhs + " is not called " +
                     resident.family_name + " as the home's resident with that NHS number is: check the NHS number");
  }
}

}  // namespace

std::vector<std::string> nhs_numbers_of(const Json& resource) {
  std::vector<std::string> out;
  const Json* ids = member(resource, "identifier");
  if (ids == nullptr || !ids->is_array()) return out;
  for (const Json& id : *ids) {
    if (string_of(id, "system") != fhir::kNhsNumber) continue;
    const std::string value = string_of(id, "value");
    if (!value.empty() && std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
  }
  return out;
}

Result<Subject> resolve_subject(const FeedEntry& entry, const Feed& feed, store::Store& store,
                                Problems& problems) {
  Subject out;
  const Json& r = *entry.resource;
  const Json* subject = get_object(r, "subject", "", problems);
  if (subject == nullptr) {
    problems.add(reason::kInvalidResource, "/subject", "the resource has no subject (whose medicine is it?)");
    return out;
  }
  std::vector<std::string> numbers;
  const Json* patient = nullptr;
  if (const Json* identifier = get_object(*subject, "identifier", "/subject", problems)) {
    const std::string system = string_of(*identifier, "system");
    if (system != fhir::kNhsNumber) {
      problems.add(reason::kUnresolvedSubject, "/subject/identifier/system",
                   "the subject is identified in \"" + system + "\", not by NHS number (" +
                       std::string(fhir::kNhsNumber) + ")");
    } else {
      numbers.push_back(string_of(*identifier, "value"));
    }
  }
  if (const auto ref = get_string(*subject, "reference", "/subject", problems)) {
    patient = feed.resolve(*ref, entry);
    if (patient == nullptr) {
      if (numbers.empty()) {
        problems.add(reason::kUnresolvedSubject, "/subject/reference",
                     "the subject \"" + *ref + "\" is not in the feed and no NHS number is given");
      }
    } else if (string_of(*patient, "resourceType") != "Patient") {
      problems.add(reason::kInvalidResource, "/subject/reference",
                   "the subject \"" + *ref + "\" is a " + string_of(*patient, "resourceType") + ", not a Patient");
      patient = nullptr;
    } else {
      for (auto& n : nhs_numbers_of(*patient)) {
        if (std::find(numbers.begin(), numbers.end(), n) == numbers.end()) numbers.push_back(n);
      }
    }
  }
  if (numbers.empty()) {
    if (problems.empty()) {
      problems.add(reason::kUnresolvedSubject, "/subject",
                   "no NHS number (" + std::string(fhir::kNhsNumber) + ") identifies the subject");
    }
    return out;
  }
  if (numbers.size() > 1) {
    problems.add(reason::kUnresolvedSubject, "/subject",
                 "the subject carries more than one NHS number (" + numbers[0] + ", " + numbers[1] + ")");
    return out;
  }
  out.nhs_number = numbers[0];
  auto parsed = ident::NhsNumber::parse(out.nhs_number);
  if (!parsed) {
    problems.add(reason::kInvalidNhsNumber, "/subject",
                 "\"" + quote(out.nhs_number) + "\" is not a valid NHS number: " + parsed.error().message);
    return out;
  }
  out.nhs_number = parsed->digits();
  auto resident = store.resident_by_nhs_number(out.nhs_number);
  if (!resident) {
    if (resident.error().code == "unknown_resident") {
      problems.add(reason::kUnknownPatient, "/subject",
                   "NHS number " + parsed->formatted() + " is not a resident of this home");
      return out;
    }
    return Unexpected(std::move(resident).error());
  }
  if (resident->status == domain::ResidentStatus::kDischarged ||
      resident->status == domain::ResidentStatus::kDeceased) {
    problems.add(reason::kResidentLeft, "/subject",
                 resident->display_name() + " (NHS number " + parsed->formatted() + ") is recorded as " +
                     std::string(domain::to_string(resident->status)) + ": not imported");
    return out;
  }
  if (patient != nullptr) check_patient(*patient, *resident, parsed->formatted(), problems);
  out.resident = std::move(*resident);
  return out;
}

std::optional<MedicationCode> medication_code(const FeedEntry& entry, const Feed& feed,
                                              Problems& problems) {
  const Json& r = *entry.resource;
  const Json* codeable = get_object(r, "medicationCodeableConcept", "", problems);
  const Json* reference = get_object(r, "medicationReference", "", problems);
  if (codeable != nullptr && reference != nullptr) {
    problems.add(reason::kAmbiguousData, "", "both medicationCodeableConcept and medicationReference are given");
    return std::nullopt;
  }
  std::string pointer = "/medicationCodeableConcept";
  if (reference != nullptr) {
    const auto ref = get_string(*reference, "reference", "/medicationReference", problems);
    const Json* med = ref ? feed.resolve(*ref, entry) : nullptr;
    if (med == nullptr || string_of(*med, "resourceType") != "Medication") {
      problems.add(reason::kInvalidResource, "/medicationReference",
                   "medicationReference \"" + ref.value_or("") + "\" is not a Medication in the feed");
      return std::nullopt;
    }
    codeable = get_object(*med, "code", "/medicationReference", problems);
    pointer = "/medicationReference(" + *ref + ")/code";
  }
  if (codeable == nullptr) {
    problems.add(reason::kInvalidResource, pointer, "the medication is missing");
    return std::nullopt;
  }
  const auto dmd = codings(*codeable, fhir::kDmd, pointer, problems);
  if (dmd.empty()) {
    const std::string text = concept_text(*codeable);
    problems.add(reason::kNotDmdCoded, pointer,
                 "the medication" + (text.empty() ? std::string() : " \"" + text + "\"") +
                     " has no dm+d code (system " + std::string(fhir::kDmd) + ")");
    return std::nullopt;
  }
  for (const auto& c : dmd) {
    if (c.code != dmd.front().code) {
      problems.add(reason::kAmbiguousMedication, pointer,
                   "the medication has two different dm+d codes (" + dmd.front().code + ", " + c.code + ")");
      return std::nullopt;
    }
  }
  std::string display = dmd.front().display;
  if (display.empty()) display = concept_text(*codeable);
  return MedicationCode{dmd.front().code, display, dmd.front().pointer};
}

}  // namespace bcma::station::emar::detail
