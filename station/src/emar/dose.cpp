#include "dose.hpp"

#include <cctype>

#include "bcma/station/emar/errors.hpp"
#include "bcma/station/emar/fhir_systems.hpp"

namespace bcma::station::emar::detail {

namespace {

using domain::Decimal;

std::string lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

// Nanograms per unit of mass; nullopt for anything that is not a mass.
std::optional<std::int64_t> nanograms_per(std::string_view unit) {
  const std::string u = lower(unit);
  if (u == "g" || u == "gram" || u == "grams") return 1'000'000'000;
  if (u == "mg" || u == "milligram" || u == "milligrams") return 1'000'000;
  if (u == "ug" || u == "mcg" || u == "microgram" || u == "micrograms" || u == "µg") return 1'000;
  if (u == "ng" || u == "nanogram" || u == "nanograms") return 1;
  return std::nullopt;
}

bool is_volume_unit(std::string_view normalised) { return normalised == "ml"; }

}  // namespace

std::string normalise_unit(std::string_view unit) {
  std::string u = lower(unit);
  if (u.size() > 3 && u.compare(u.size() - 3, 3, "(s)") == 0) u.erase(u.size() - 3);
  if (u == "millilitre" || u == "milliliter" || u == "millilitres" || u == "milliliters") u = "ml";
  auto ends_with = [&](std::string_view tail) {
    return u.size() > tail.size() && u.compare(u.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (ends_with("ches") || ends_with("shes") || ends_with("sses") || ends_with("xes")) {
    u.erase(u.size() - 2);  // "patches" -> "patch"
  } else if (ends_with("s") && !ends_with("ss")) {
    u.pop_back();
  }
  return u;
}

std::optional<DoseAmount> dose_units(const Json& quantity, const std::string& pointer,
                                     const VmpInfo& vmp, bool whole_units, Problems& problems) {
  if (!quantity.is_object()) {
    problems.add(reason::kInvalidResource, pointer, "a quantity must be an object");
    return std::nullopt;
  }
  const std::size_t before = problems.size();
  const auto value = get_decimal(quantity, "value", pointer, problems);
  const auto unit = get_string(quantity, "unit", pointer, problems);
  const auto system = get_string(quantity, "system", pointer, problems);
  const auto code = get_string(quantity, "code", pointer, problems);
  if (const auto cmp = get_string(quantity, "comparator", pointer, problems)) {
    problems.add(reason::kUnsupportedDose, child(pointer, "comparator"),
                 "a dose \"" + *cmp + "\" a value is not a dose the station can check");
    return std::nullopt;
  }
  if (problems.size() != before) return std::nullopt;
  if (!value) {
    problems.add(reason::kInvalidResource, child(pointer, "value"), "the quantity has no value");
    return std::nullopt;
  }
  if (*value <= Decimal{}) {
    problems.add(reason::kUnsupportedDose, child(pointer, "value"),
                 "the quantity must be more than 0, not " + value->to_string());
    return std::nullopt;
  }
  // UCUM's code is exact; otherwise the human-readable unit (SNOMED unit codes are read by name).
  const std::string written_unit =
      system && *system == fhir::kUcum && code ? *code : (unit ? *unit : (code ? *code : ""));
  if (written_unit.empty()) {
    problems.add(reason::kUnsupportedDose, pointer, "the quantity " + value->to_string() + " has no unit");
    return std::nullopt;
  }
  DoseAmount out;
  out.as_written = value->to_string() + " " + (unit ? *unit : written_unit);
  const std::string product_unit = normalise_unit(vmp.unit_dose_unit);
  if (normalise_unit(written_unit) == product_unit) {
    out.units = *value;
    return out;
  }

  const auto factor = nanograms_per(written_unit);
  if (!factor) {
    problems.add(reason::kUnsupportedDose, pointer,
                 "the unit \"" + written_unit + "\" is neither the unit of " + vmp.name + " (\"" +
                     vmp.unit_dose_unit + "\") nor a mass the station can convert");
    return std::nullopt;
  }
  if (vmp.ingredients.size() != 1) {
    problems.add(reason::kDoseNotConvertible, pointer,
                 out.as_written + " cannot be turned into " + vmp.unit_dose_unit + "s of " +
                     vmp.name + ": it has " + std::to_string(vmp.ingredients.size()) +
                     " active ingredients, so a dose by mass is ambiguous; ask for the dose in " +
                     vmp.unit_dose_unit + "s");
    return std::nullopt;
  }
  const domain::Ingredient& ing = vmp.ingredients.front();
  const auto strength_factor = nanograms_per(ing.strength_unit);
  if (!strength_factor || ing.strength <= Decimal{}) {
    problems.add(reason::kDoseNotConvertible, pointer,
                 out.as_written + " cannot be converted: the strength of " + vmp.name + " is \"" +
                     ing.strength.to_string() + " " + ing.strength_unit + "\", not a mass per " +
                     vmp.unit_dose_unit);
    return std::nullopt;
  }
  const auto amount = value->times(Decimal::from_int(*factor));
  const auto per_unit = ing.strength.times(Decimal::from_int(*strength_factor));
  const auto units = amount && per_unit ? amount->divided_by(*per_unit) : std::nullopt;
  const std::string strength_text = ing.strength.to_string() + " " + ing.strength_unit;
  if (!units) {
    problems.add(reason::kDoseNotConvertible, pointer,
                 out.as_written + " is not an exact number of " + vmp.unit_dose_unit + "s of " +
                     vmp.name + " (" + strength_text + " per " + vmp.unit_dose_unit +
                     "); ask for the dose in " + vmp.unit_dose_unit + "s");
    return std::nullopt;
  }
  if (whole_units && !is_volume_unit(product_unit) && !units->is_whole()) {
    problems.add(reason::kDoseNotConvertible, pointer,
                 out.as_written + " is " + units->to_string() + " " + vmp.unit_dose_unit + " of " +
                     vmp.name + " (" + strength_text + " per " + vmp.unit_dose_unit +
                     "): the station does not turn a dose by mass into part of a " +
                     vmp.unit_dose_unit + "; ask for the dose in " + vmp.unit_dose_unit + "s");
    return std::nullopt;
  }
  out.units = *units;
  out.converted = true;
  return out;
}

std::optional<DoseResult> dosage_dose(const Json& dosage, const std::string& pointer,
                                      const VmpInfo& vmp, Problems& problems) {
  const Json* list = get_array(dosage, "doseAndRate", pointer, problems);
  const std::string list_ptr = child(pointer, "doseAndRate");
  if (list == nullptr || list->empty()) {
    problems.add(reason::kUnsupportedDose, list_ptr,
                 "there is no structured dose (doseQuantity or doseRange): a dose in text alone "
                 "cannot be checked at the bedside");
    return std::nullopt;
  }
  if (list->size() > 1) {
    problems.add(reason::kUnsupportedDose, list_ptr,
                 "several doses in one dosage instruction are not supported");
    return std::nullopt;
  }
  const Json& dr = (*list)[0];
  const std::string p = child(list_ptr, std::size_t{0});
  for (const char* rate : {"rateRatio", "rateRange", "rateQuantity"}) {
    if (member(dr, rate) != nullptr) {
      problems.add(reason::kUnsupportedDose, child(p, rate),
                   "a rate of administration (infusion) is not something the station gives");
      return std::nullopt;
    }
  }
  const Json* quantity = get_object(dr, "doseQuantity", p, problems);
  const Json* range = get_object(dr, "doseRange", p, problems);
  if (quantity != nullptr && range != nullptr) {
    problems.add(reason::kAmbiguousData, p, "both doseQuantity and doseRange are given");
    return std::nullopt;
  }
  const std::string unit = vmp.unit_dose_unit;
  if (quantity != nullptr) {
    auto q = dose_units(*quantity, child(p, "doseQuantity"), vmp, true, problems);
    if (!q) return std::nullopt;
    return DoseResult{{q->units, q->units, unit}, q->converted ? q->as_written : ""};
  }
  if (range == nullptr) {
    problems.add(reason::kUnsupportedDose, p, "the dose has neither doseQuantity nor doseRange");
    return std::nullopt;
  }
  const std::string rp = child(p, "doseRange");
  const Json* low = get_object(*range, "low", rp, problems);
  const Json* high = get_object(*range, "high", rp, problems);
  if (low == nullptr || high == nullptr) {
    problems.add(reason::kUnsupportedDose, rp,
                 "a dose range needs both low and high (\"up to N\" is not a dose)");
    return std::nullopt;
  }
  auto lo = dose_units(*low, child(rp, "low"), vmp, true, problems);
  auto hi = dose_units(*high, child(rp, "high"), vmp, true, problems);
  if (!lo || !hi) return std::nullopt;
  if (lo->units > hi->units) {
    problems.add(reason::kAmbiguousData, rp,
                 "the dose range's low (" + lo->as_written + ") is above its high (" + hi->as_written + ")");
    return std::nullopt;
  }
  std::string written;
  if (lo->converted || hi->converted) written = lo->as_written + " to " + hi->as_written;
  return DoseResult{{lo->units, hi->units, unit}, written};
}

std::optional<Decimal> dosage_max_per_24h(const Json& dosage, const std::string& pointer,
                                          const VmpInfo& vmp, const std::optional<DoseResult>& dose,
                                          Problems& problems) {
  if (member(dosage, "maxDosePerLifetime") != nullptr) {
    problems.add(reason::kUnsupportedDose, child(pointer, "maxDosePerLifetime"),
                 "a lifetime maximum cannot be enforced by the station");
  }
  if (const Json* per_admin = get_object(dosage, "maxDosePerAdministration", pointer, problems)) {
    auto m = dose_units(*per_admin, child(pointer, "maxDosePerAdministration"), vmp, false, problems);
    if (m && dose && m->units < dose->range.max) {
      problems.add(reason::kAmbiguousData, child(pointer, "maxDosePerAdministration"),
                   "the maximum per administration (" + m->as_written +
                       ") is below the dose itself (" + dose->range.max.to_string() + " " +
                       dose->range.unit + ")");
    }
  }
  const Json* ratio = get_object(dosage, "maxDosePerPeriod", pointer, problems);
  if (ratio == nullptr) return std::nullopt;
  const std::string rp = child(pointer, "maxDosePerPeriod");
  const Json* num = get_object(*ratio, "numerator", rp, problems);
  const Json* den = get_object(*ratio, "denominator", rp, problems);
  if (num == nullptr || den == nullptr) {
    problems.add(reason::kInvalidResource, rp, "maxDosePerPeriod needs a numerator and a denominator");
    return std::nullopt;
  }
  const std::string dp = child(rp, "denominator");
  const std::size_t before = problems.size();
  const auto dv = get_decimal(*den, "value", dp, problems);
  const auto du = get_string(*den, "unit", dp, problems);
  const auto dc = get_string(*den, "code", dp, problems);
  if (problems.size() != before) return std::nullopt;
  const std::string unit = normalise_unit(dc ? *dc : du.value_or(""));
  const bool per_day = dv && ((*dv == Decimal::from_int(1) && (unit == "d" || unit == "day")) ||
                              (*dv == Decimal::from_int(24) && (unit == "h" || unit == "hour")));
  if (!per_day) {
    problems.add(reason::kUnsupportedDose, dp,
                 "the station holds a maximum per 24 hours; a maximum per " +
                     (dv ? dv->to_string() : std::string("?")) + " " + (dc ? *dc : du.value_or("?")) +
                     " cannot be held without changing its meaning");
    return std::nullopt;
  }
  auto m = dose_units(*num, child(rp, "numerator"), vmp, false, problems);
  if (!m) return std::nullopt;
  if (dose && m->units < dose->range.min) {
    problems.add(reason::kAmbiguousData, rp,
                 "the 24-hour maximum (" + m->as_written + ") is below a single dose");
    return std::nullopt;
  }
  return m->units;
}

}  // namespace bcma::station::emar::detail
