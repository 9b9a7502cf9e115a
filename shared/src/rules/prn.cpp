#include "prn.hpp"

#include <algorithm>
#include <string>

#include "format.hpp"

namespace bcma::rules::detail {
namespace {

namespace chr = std::chrono;
using domain::Decimal;
using domain::Ingredient;
using domain::Instant;
using domain::PastDose;
using domain::Prescription;

// Amounts are quantity (thousandths of a dose unit) x strength (thousandths) x unit factor:
// exact, and wide enough for grams expressed in nanograms.
__extension__ typedef __int128 Wide;

constexpr chr::hours kDay{24};

/// A unit family: amounts in units with the same `base` add up after scaling by `factor`.
struct UnitScale {
  std::string_view base;
  std::int64_t factor = 1;
};

UnitScale scale_of(std::string_view unit) {
  if (unit == "g" || unit == "gram" || unit == "grams") return {"mass", 1'000'000'000};
  if (unit == "mg" || unit == "milligram" || unit == "milligrams") return {"mass", 1'000'000};
  if (unit == "microgram" || unit == "micrograms" || unit == "mcg") return {"mass", 1'000};
  if (unit == "nanogram" || unit == "nanograms") return {"mass", 1};
  return {unit, 1};
}

Wide amount(Decimal quantity, const Ingredient& ing) {
  return static_cast<Wide>(quantity.thousandths()) * ing.strength.thousandths() *
         scale_of(ing.strength_unit).factor;
}

// An amount for a person: the largest unit that shows it exactly ("4 g", "3.5 g", "62.5
// micrograms"); units outside the mass family are shown as they are written.
std::string show_amount(Wide v, std::string_view unit) {
  const UnitScale scale = scale_of(unit);
  auto show_in = [v](std::int64_t factor, std::string_view name) {
    const Wide per_thousandth = static_cast<Wide>(factor) * 1000;
    return Decimal::from_thousandths(static_cast<std::int64_t>(v / per_thousandth)).to_string() +
           " " + std::string(name);
  };
  if (scale.base != "mass") return show_in(1, unit);
  constexpr std::array<std::pair<std::int64_t, std::string_view>, 4> kUnits{
      {{1'000'000'000, "g"}, {1'000'000, "mg"}, {1'000, "micrograms"}, {1, "nanograms"}}};
  for (const auto& [factor, name] : kUnits) {
    const Wide whole = static_cast<Wide>(factor) * 1'000'000;
    if (v >= whole && v % (static_cast<Wide>(factor) * 1000) == 0) return show_in(factor, name);
  }
  if (v == 0) return "0 " + std::string(unit);
  return show_in(1, "nanograms");
}

const Prescription* find_prescription(const DoseContext& c, domain::PrescriptionId id) {
  for (const Prescription& p : c.prescriptions) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

// What a past dose contained per unit: as recorded, else as its prescription says, else (for
// this prescription) as the scanned product says - the same VMP.
std::span<const Ingredient> ingredients_of(const DoseContext& c, const PastDose& d) {
  if (!d.ingredients.empty()) return d.ingredients;
  if (const Prescription* p = find_prescription(c, d.prescription_id)) {
    if (!p->ingredients.empty()) return p->ingredients;
    if (p->id == c.rx.id) return c.product.vmp.ingredients;
  }
  return {};
}

const Ingredient* find_substance(std::span<const Ingredient> list, const domain::SnomedId& id) {
  for (const Ingredient& i : list) {
    if (i.substance_id == id) return &i;
  }
  return nullptr;
}

std::string name_of_dose(const DoseContext& c, const PastDose& d) {
  if (const Prescription* p = find_prescription(c, d.prescription_id)) return p->medication_name;
  return "another medicine";
}

bool counts_towards_maxima(const PastDose& d, Instant now) {
  return domain::was_taken(d.outcome) && d.event_time > now - kDay;
}

/// One limit and what counts against it, in one amount scale.
struct Tally {
  std::vector<std::pair<Instant, Wide>> parts;  ///< each past dose's contribution
  Wide total = 0;
  Wide limit = 0;
  Wide per_thousandth = 0;           ///< the amount in a thousandth of a dose unit of what is given
  std::vector<std::string> sources;  ///< names of the products counted, first-seen order

  void add(Instant t, Wide v, std::string name) {
    parts.emplace_back(t, v);
    total += v;
    if (std::find(sources.begin(), sources.end(), name) == sources.end()) {
      sources.push_back(std::move(name));
    }
  }
  /// The most that may still be given, in thousandths of a dose unit (may be negative).
  Wide allowed_thousandths() const {
    const Wide room = limit - total;
    if (room < 0) return -1;
    return room / per_thousandth;
  }
  /// When `quantity` will fit, as earlier doses leave the 24 hours; nullopt if it never does.
  std::optional<Instant> fits_from(Decimal quantity) const {
    const Wide dose = static_cast<Wide>(quantity.thousandths()) * per_thousandth;
    if (dose > limit) return std::nullopt;
    std::vector<std::pair<Instant, Wide>> sorted = parts;
    std::sort(sorted.begin(), sorted.end());
    Wide remaining = total;
    for (const auto& [t, v] : sorted) {
      remaining -= v;
      if (remaining + dose <= limit) return t + kDay;
    }
    return std::nullopt;
  }
};

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::string when_next(const Tally& t, Decimal quantity, Instant now) {
  const std::optional<Instant> from = t.fits_from(quantity);
  if (!from) return " This dose alone is over the maximum.";
  return " It can be given from " + clock_time(*from, now) + ".";
}

}  // namespace

std::optional<Reason> check_min_interval(const DoseContext& c) {
  if (!c.rx.prn || c.rx.prn->min_interval <= domain::Minutes{0}) return std::nullopt;
  const PastDose* latest = nullptr;
  const Ingredient* shared = nullptr;
  for (const PastDose& d : c.history) {
    if (!domain::was_taken(d.outcome)) continue;
    const Ingredient* common = nullptr;
    if (d.prescription_id != c.rx.id) {
      // Another product counts when it shares an active ingredient: paracetamol 500 mg an hour
      // after co-codamol 30/500 is paracetamol twice in an hour.
      for (const Ingredient& i : ingredients_of(c, d)) {
        if ((common = find_substance(c.product.vmp.ingredients, i.substance_id))) break;
      }
      if (common == nullptr) continue;
    }
    if (latest == nullptr || d.event_time > latest->event_time) {
      latest = &d;
      shared = common;
    }
  }
  if (latest == nullptr) return std::nullopt;
  const Instant allowed = latest->event_time + c.rx.prn->min_interval;
  if (c.now >= allowed) return std::nullopt;
  std::string msg = c.rx.medication_name + ": ";
  // The same medicine under another prescription (a regular and a PRN paracetamol) reads as
  // simply "last given".
  if (shared != nullptr && name_of_dose(c, *latest) == c.rx.medication_name) shared = nullptr;
  if (shared == nullptr) {
    msg += "last given at " + clock_time(latest->event_time, c.now);
  } else {
    msg += name_of_dose(c, *latest) + ", which also contains " + shared->name + ", was given at " +
           clock_time(latest->event_time, c.now);
  }
  msg += "; the next dose is allowed from " + clock_time(allowed, c.now) + " (at least " +
         duration(c.rx.prn->min_interval) + " apart).";
  return Reason{ReasonCode::kPrnTooSoon, std::move(msg), c.rx.id};
}

MaximaFinding check_maxima(const DoseContext& c, const domain::DoseRange& dose,
                           std::optional<Decimal> quantity) {
  const Decimal giving = quantity.value_or(dose.min);
  MaximaFinding out;
  Wide allowed = -2;  // -2: no limit applies
  auto tighten = [&allowed](Wide a) { allowed = allowed == -2 ? a : std::min(allowed, a); };
  auto exceeded_by = [&](const Tally& t) {
    return static_cast<Wide>(giving.thousandths()) * t.per_thousandth + t.total > t.limit;
  };

  // This prescription's own maximum, in dose units.
  if (c.rx.prn && c.rx.prn->max_per_24h) {
    Tally t;
    t.limit = c.rx.prn->max_per_24h->thousandths();
    t.per_thousandth = 1;
    for (const PastDose& d : c.history) {
      if (d.prescription_id == c.rx.id && counts_towards_maxima(d, c.now)) {
        t.add(d.event_time, d.quantity.thousandths(), c.rx.medication_name);
      }
    }
    tighten(t.allowed_thousandths());
    if (exceeded_by(t)) {
      out.reasons.push_back(
          Reason{ReasonCode::kPrnMaxExceeded,
                 c.rx.medication_name + ": " +
                     quantity_text(Decimal::from_thousandths(static_cast<std::int64_t>(t.total)),
                                   dose.unit) +
                     " given in the last 24 hours; " + quantity_text(giving, dose.unit) +
                     " more would be over the maximum of " +
                     quantity_text(*c.rx.prn->max_per_24h, dose.unit) + " in 24 hours." +
                     when_next(t, giving, c.now),
                 c.rx.id});
    }
  }

  // Each active ingredient of what is being given, across every product.
  for (const Ingredient& ing : c.product.vmp.ingredients) {
    const UnitScale scale = scale_of(ing.strength_unit);
    Tally t;
    t.per_thousandth = amount(Decimal::from_thousandths(1), ing);
    if (t.per_thousandth <= 0) continue;
    std::string source;
    bool limited = false;
    auto consider = [&](Wide limit, std::string why) {
      if (!limited || limit < t.limit) {
        t.limit = limit;
        source = std::move(why);
        limited = true;
      }
    };
    for (const Prescription& p : c.prescriptions) {
      if (p.resident_id != c.resident_id || !p.prn || !p.prn->max_per_24h) continue;
      const bool current = p.status == domain::PrescriptionStatus::kActive ||
                           p.status == domain::PrescriptionStatus::kOnHold;
      if (!current || (p.ends && *p.ends <= c.now)) continue;
      std::span<const Ingredient> list = p.ingredients;
      if (list.empty() && p.id == c.rx.id) list = c.product.vmp.ingredients;
      const Ingredient* mine = find_substance(list, ing.substance_id);
      if (mine == nullptr || scale_of(mine->strength_unit).base != scale.base) continue;
      consider(amount(*p.prn->max_per_24h, *mine),
               p.medication_name + ": at most " + quantity_text(*p.prn->max_per_24h, p.dose.unit) +
                   " in 24 hours");
    }
    for (const IngredientLimit& l : c.policy.ingredient_limits) {
      const UnitScale ls = scale_of(l.unit);
      if (l.substance_id != ing.substance_id || ls.base != scale.base) continue;
      consider(static_cast<Wide>(l.max_per_24h.thousandths()) * 1000 * ls.factor,
               "the home's limit for " + l.name);
    }
    if (!limited) continue;

    for (const PastDose& d : c.history) {
      if (!counts_towards_maxima(d, c.now)) continue;
      const Ingredient* had = find_substance(ingredients_of(c, d), ing.substance_id);
      if (had == nullptr || scale_of(had->strength_unit).base != scale.base) continue;
      t.add(d.event_time, amount(d.quantity, *had), name_of_dose(c, d));
    }
    tighten(t.allowed_thousandths());
    if (!exceeded_by(t)) continue;
    const Wide this_dose = static_cast<Wide>(giving.thousandths()) * t.per_thousandth;
    std::string msg = ing.name + ": ";
    if (t.total > 0) {
      msg += show_amount(t.total, ing.strength_unit) + " given in the last 24 hours (" +
             joined(t.sources) + "); ";
    }
    msg += quantity_text(giving, dose.unit) + " of " + c.product.vmp.name + " (" +
           show_amount(this_dose, ing.strength_unit) + ")";
    msg += t.total > 0 ? " would make " + show_amount(t.total + this_dose, ing.strength_unit) + ","
                       : " is";
    msg += " over the maximum of " + show_amount(t.limit, ing.strength_unit) + " in 24 hours (" +
           source + ")." + when_next(t, giving, c.now);
    out.reasons.push_back(Reason{ReasonCode::kPrnMaxExceeded, std::move(msg), c.rx.id});
  }

  // With no quantity given, the top of a range that does not fit is cut to what does.
  if (!quantity && out.reasons.empty() && allowed >= 0 &&
      allowed < static_cast<Wide>(dose.max.thousandths())) {
    std::int64_t most = static_cast<std::int64_t>(allowed);
    if (dose.min.is_whole() && dose.max.is_whole()) most -= most % Decimal::kScale;
    out.narrowed_max = Decimal::from_thousandths(most);
  }
  return out;
}

}  // namespace bcma::rules::detail
