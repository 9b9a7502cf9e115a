#include "checks.hpp"

#include <algorithm>
#include <cctype>

#include "format.hpp"

namespace bcma::rules::detail {
namespace {

namespace chr = std::chrono;
using domain::ProductMatch;

std::string product_name(const ProductMatch& p) {
  return p.amp.name.empty() ? p.vmp.name : p.amp.name;
}

bool same_batch(std::string_view a, std::string_view b) {
  // Case-blind: a recall notice typed by a person must still catch the batch on the pack.
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) ==
                  std::toupper(static_cast<unsigned char>(y));
         });
}

std::string_view kind_words(scan::Kind k) {
  switch (k) {
    case scan::Kind::kResidentWristband:
      return "a resident's wristband";
    case scan::Kind::kStaffBadge:
      return "a staff badge";
    case scan::Kind::kLocation:
      return "a location barcode";
    case scan::Kind::kMedicinePack:
      return "a medicine pack";
    case scan::Kind::kPharmacyLabel:
      return "a pharmacy label";
    case scan::Kind::kUnknown:
      return "not a barcode bcma uses";
  }
  return "not a barcode bcma uses";
}

constexpr std::string_view kScanAdvice =
    " Scan the 2D barcode on the medicine pack or the pharmacy label.";

const std::optional<scan::ExpiryDate>& expiry_of(const Item& item) {
  static const std::optional<scan::ExpiryDate> kNone;
  if (item.pack != nullptr) return item.pack->expiry;
  if (item.label != nullptr) return item.label->expiry;
  return kNone;
}

const std::optional<std::string>& batch_of(const Item& item) {
  static const std::optional<std::string> kNone;
  if (item.pack != nullptr) return item.pack->batch;
  if (item.label != nullptr) return item.label->batch;
  return kNone;
}

std::string gtin_of(const Item& item, const ProductMatch* product) {
  if (product != nullptr && !product->gtin.empty()) return product->gtin;
  if (item.pack != nullptr) return item.pack->gtin;
  if (item.label != nullptr && item.label->gtin) return *item.label->gtin;
  return {};
}

// AI 17's DD=00 means the last day of the month; resolved here too so that a scan built by
// hand (or by a future parser) cannot leave day 0 behind.
std::optional<domain::Date> expiry_date(const scan::ExpiryDate& e) {
  if (e.month < 1 || e.month > 12) return std::nullopt;
  const chr::year y{e.year};
  const chr::month m{static_cast<unsigned>(e.month)};
  const domain::Date d =
      e.day_was_zero ? domain::Date{chr::year_month_day_last{y, chr::month_day_last{m}}}
                     : domain::Date{y, m, chr::day{static_cast<unsigned>(std::max(e.day, 0))}};
  if (!d.ok()) return std::nullopt;
  return d;
}

std::string allergy_match(const domain::Allergy& a, const ProductMatch& p) {
  using Level = domain::Allergy::Level;
  switch (a.level) {
    case Level::kSubstance:
      for (const domain::Ingredient& i : p.vmp.ingredients) {
        if (i.substance_id == a.code) return product_name(p) + " contains " + i.name + ".";
      }
      return {};
    case Level::kVtm: {
      const bool vtm = (p.vmp.vtm_id && *p.vmp.vtm_id == a.code) || (p.vtm && p.vtm->id == a.code);
      if (!vtm) return {};
      return product_name(p) + " is a form of " + (p.vtm ? p.vtm->name : p.vmp.name) + ".";
    }
    case Level::kVmp:
      return p.vmp.id == a.code ? product_name(p) + " is " + p.vmp.name + "." : std::string();
    case Level::kAmp:
      return p.amp.id == a.code ? "This pack is " + p.amp.name + "." : std::string();
  }
  return {};
}

}  // namespace

void check_resident(const Context& c, std::vector<Reason>& out) {
  using domain::ResidentStatus;
  const std::string who = c.resident.display_name();
  switch (c.resident.status) {
    case ResidentStatus::kPresent:
      return;
    case ResidentStatus::kInHospital:
    case ResidentStatus::kOnLeave:
      out.push_back(Reason{
          ReasonCode::kResidentNotPresent,
          who + " is recorded as " +
              (c.resident.status == ResidentStatus::kInHospital ? "in hospital" : "on leave") +
              ": doses are not given in the home until the record says " + who + " is back.",
          std::nullopt});
      return;
    case ResidentStatus::kDischarged:
    case ResidentStatus::kDeceased:
      out.push_back(
          Reason{ReasonCode::kResidentDischarged,
                 who + " is recorded as " +
                     (c.resident.status == ResidentStatus::kDeceased ? "having died"
                                                                     : "discharged from the home") +
                     ": no medicine may be given on this record.",
                 std::nullopt});
      return;
  }
}

Item check_item(const Context& c, std::vector<Reason>& out) {
  const scan::Scan* scan = c.snapshot.item;
  Item item;
  if (scan != nullptr) {
    if (scan->kind == scan::Kind::kMedicinePack)
      item.pack = std::get_if<scan::MedicinePack>(&scan->data);
    if (scan->kind == scan::Kind::kPharmacyLabel)
      item.label = std::get_if<scan::PharmacyLabel>(&scan->data);
  }
  if (!item.usable()) {
    std::string msg;
    if (scan == nullptr) {
      msg = "No medicine was scanned.";
    } else if (scan->kind == scan::Kind::kUnknown) {
      const auto* unknown = std::get_if<scan::Unknown>(&scan->data);
      msg = "This barcode cannot be used";
      msg += unknown != nullptr && !unknown->reason.empty() ? ": " + unknown->reason : ".";
      if (!msg.ends_with('.')) msg += '.';
    } else if (scan->kind == scan::Kind::kMedicinePack ||
               scan->kind == scan::Kind::kPharmacyLabel) {
      msg = "The scan of this item is incomplete.";
    } else {
      msg = "This is " + std::string(kind_words(scan->kind)) + ", not a medicine.";
    }
    out.push_back(
        Reason{ReasonCode::kInvalidBarcode, msg + std::string(kScanAdvice), std::nullopt});
    return item;
  }

  if (const auto& e = expiry_of(item); e && !expiry_date(*e)) {
    out.push_back(Reason{ReasonCode::kInvalidBarcode,
                         "The expiry date in this barcode is not a real date, so the pack cannot "
                         "be checked." +
                             std::string(kScanAdvice),
                         std::nullopt});
  }

  if (item.label != nullptr) {
    const domain::Resident* owner = c.snapshot.label_owner;
    const std::string who = c.resident.display_name();
    std::string msg;
    if (owner != nullptr) {
      if (owner->id != c.resident.id) {
        msg = "This pharmacy label is for " + owner->display_name() + ", not " + who + ".";
      }
    } else if (!item.label->resident_gsrn.empty() && !c.resident.wristband_gsrn.empty() &&
               item.label->resident_gsrn != c.resident.wristband_gsrn) {
      msg = "This pharmacy label is for another person (wristband number " +
            item.label->resident_gsrn + "), not " + who + ".";
    } else if (item.label->resident_nhs_number && !c.resident.nhs_number.empty() &&
               *item.label->resident_nhs_number != c.resident.nhs_number) {
      msg = "This pharmacy label is for another person (NHS number " +
            *item.label->resident_nhs_number + "), not " + who + ".";
    }
    if (!msg.empty()) {
      out.push_back(Reason{ReasonCode::kWrongResident,
                           msg + " Return it to that resident's medicines.", std::nullopt});
    }
  }
  return item;
}

void report_unknown_product(const Context&, const Item& item, std::vector<Reason>& out) {
  const std::string gtin = gtin_of(item, nullptr);
  std::string msg;
  if (!gtin.empty()) {
    msg = "The product with barcode number " + gtin +
          " is not in the home's medicines list, so it cannot be checked.";
  } else {
    msg = "This pharmacy label (item " + item.label->dispensed_item +
          ") does not match a medicine the pharmacy has sent, so it cannot be checked.";
  }
  out.push_back(Reason{ReasonCode::kUnknownProduct, std::move(msg), std::nullopt});
}

bool check_product(const Context& c, const Item& item, const ProductMatch& product,
                   std::vector<Reason>& out) {
  const std::string name = product_name(product);
  const std::optional<std::string>& batch = batch_of(item);
  const std::string batch_text = batch ? ", batch " + *batch + "," : "";

  // Expiry: usable up to the end of its date, in the home's local day.
  if (const auto& e = expiry_of(item)) {
    if (const std::optional<domain::Date> until = expiry_date(*e)) {
      const domain::Date today = domain::London::local_date(c.now);
      if (chr::sys_days{today} > chr::sys_days{*until}) {
        out.push_back(
            Reason{ReasonCode::kExpired,
                   name + batch_text + " has expired: it could be used until the end of " +
                       day_month_year(*until) + (e->day_was_zero ? " (end of month)" : "") +
                       ", and today is " + day_month_year(today) + ". Do not use this pack.",
                   std::nullopt});
      }
    }
  }

  // Recalls: by GTIN (or every GTIN of the VMP) and batch; a recall with no batch covers all.
  const std::string gtin = gtin_of(item, &product);
  std::vector<const domain::Recall*> unverified;
  for (const domain::Recall& r : c.snapshot.recalls) {
    const bool product_matches = r.gtin.empty() ? r.vmp_id == product.vmp.id : r.gtin == gtin;
    if (!product_matches) continue;
    const std::string ref = r.reference.empty() ? "" : " (" + r.reference + ")";
    if (r.batch.empty() || (batch && same_batch(*batch, r.batch))) {
      out.push_back(Reason{ReasonCode::kRecalledBatch,
                           (r.batch.empty() ? "All batches of " + name + " have"
                                            : "Batch " + r.batch + " of " + name + " has") +
                               " been recalled" + ref +
                               ". Do not use this pack; set it aside for return.",
                           std::nullopt});
    } else if (!batch) {
      unverified.push_back(&r);
    }
  }
  if (!unverified.empty()) {
    std::string batches;
    for (std::size_t i = 0; i < unverified.size(); ++i) {
      if (i > 0) batches += i + 1 == unverified.size() ? " or " : ", ";
      batches += unverified[i]->batch;
    }
    out.push_back(Reason{ReasonCode::kBatchUnverified,
                         "Some batches of " + name +
                             " have been recalled, and this barcode has no "
                             "batch number: check the pack is not batch " +
                             batches + ".",
                         std::nullopt});
  }

  for (const domain::Allergy& a : c.resident.allergies) {
    const std::string why = allergy_match(a, product);
    if (why.empty()) continue;
    out.push_back(Reason{ReasonCode::kAllergy,
                         c.resident.display_name() + " has a recorded allergy: " +
                             (a.description.empty() ? a.code : a.description) + ". " + why,
                         std::nullopt});
  }

  const auto& cats = c.policy.witness_categories;
  if (std::find(cats.begin(), cats.end(), product.vmp.controlled_drug) != cats.end()) {
    out.push_back(Reason{ReasonCode::kControlledDrugWitnessRequired,
                         name + " is a " +
                             std::string(controlled_drug_name(product.vmp.controlled_drug)) +
                             " controlled drug: a second member of staff must witness the dose "
                             "and sign the register.",
                         std::nullopt});
    return true;
  }
  return false;
}

void report_not_prescribed(const Context& c, const ProductMatch& product,
                           std::vector<Reason>& out) {
  const std::string who = c.resident.display_name();
  std::string msg = product_name(product) + " is not prescribed for " + who + ".";
  std::vector<std::string> related;
  for (const domain::Prescription& p : c.snapshot.prescriptions) {
    if (p.resident_id != c.resident.id || p.status != domain::PrescriptionStatus::kActive) continue;
    const bool shares =
        std::any_of(p.ingredients.begin(), p.ingredients.end(), [&](const domain::Ingredient& i) {
          return std::any_of(
              product.vmp.ingredients.begin(), product.vmp.ingredients.end(),
              [&](const domain::Ingredient& j) { return i.substance_id == j.substance_id; });
        });
    if (shares && std::find(related.begin(), related.end(), p.medication_name) == related.end()) {
      related.push_back(p.medication_name);
    }
  }
  if (!related.empty()) {
    msg += " Prescribed with the same ingredient: ";
    for (std::size_t i = 0; i < related.size(); ++i) {
      if (i > 0) msg += i + 1 == related.size() ? " and " : ", ";
      msg += related[i];
    }
    msg += ".";
  }
  out.push_back(Reason{ReasonCode::kNotPrescribed, std::move(msg), std::nullopt});
}

}  // namespace bcma::rules::detail
