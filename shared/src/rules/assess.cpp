#include <algorithm>

#include "checks.hpp"
#include "format.hpp"
#include "prn.hpp"
#include "schedule.hpp"

namespace bcma::rules::detail {
namespace {

namespace chr = std::chrono;
using domain::Instant;
using domain::Outcome;
using domain::PrescriptionStatus;

std::string_view outcome_words(Outcome o) {
  switch (o) {
    case Outcome::kGiven:
      return "given";
    case Outcome::kRefused:
      return "refused";
    case Outcome::kRefusedAndDestroyed:
      return "refused (and destroyed)";
    case Outcome::kOmitted:
      return "omitted";
    case Outcome::kNotRequired:
      return "not required";
    case Outcome::kSelfAdministered:
      return "self-administered";
  }
  return "recorded";
}

std::string record_text(const domain::PastDose& d, Instant now) {
  if (d.outcome == Outcome::kGiven) return "was given at " + clock_time(d.event_time, now);
  return "was recorded as " + std::string(outcome_words(d.outcome)) + " at " +
         clock_time(d.event_time, now);
}

std::string early_or_late(Instant slot, Instant now) {
  return now < slot ? duration(slot - now) + " early" : duration(now - slot) + " late";
}

class Assessor {
 public:
  Assessor(const Context& c, const domain::ProductMatch& product, const domain::Prescription& rx,
           bool brand_mismatch)
      : c_(c),
        product_(product),
        rx_(rx),
        name_(rx.medication_name.empty() ? product.vmp.name : rx.medication_name) {
    a_.rx = &rx;
    a_.brand_mismatch = brand_mismatch;
    a_.dose = rx.dose;
  }

  Assessment run() {
    check_identity();
    if (!check_valid() || !check_in_force()) {
      a_.plausibility = 3;
    } else {
      if (rx_.as_needed) {
        a_.plausibility = 1;
        if (std::optional<Reason> r = check_min_interval(dose_context())) add(std::move(*r));
      } else {
        check_schedule();
      }
      check_dose();
    }
    if (a_.brand_mismatch) a_.plausibility += 4;
    for (const Reason& r : a_.reasons) a_.worst = std::max(a_.worst, c_.policy.decision(r.code));
    return std::move(a_);
  }

 private:
  void add(ReasonCode code, std::string message) {
    a_.reasons.push_back(Reason{code, std::move(message), rx_.id});
  }
  void add(Reason r) { a_.reasons.push_back(std::move(r)); }

  DoseContext dose_context() const {
    return DoseContext{
        rx_,       product_, c_.snapshot.prescriptions, c_.resident.id, c_.snapshot.history,
        c_.policy, c_.now};
  }

  void check_identity() {
    if (a_.brand_mismatch) {
      add(ReasonCode::kBrandMismatch,
          c_.resident.display_name() + " is prescribed " + name_ + " by brand, and this pack is " +
              product_.amp.name +
              ": another brand must not be given without a clinician's agreement.");
    }
    const auto& routes = product_.vmp.route_ids;
    if (!rx_.route_id.empty() && !routes.empty() &&
        std::find(routes.begin(), routes.end(), rx_.route_id) == routes.end()) {
      add(ReasonCode::kRouteMismatch,
          name_ + " is prescribed by the " +
              (rx_.route_name.empty() ? "route " + rx_.route_id : rx_.route_name) +
              " route, and this product is not for that route.");
    }
  }

  bool check_valid() {
    const Result<void> valid = check_prescription(rx_, c_.policy);
    if (valid) return true;
    add(ReasonCode::kPrescriptionInvalid,
        valid.error().message +
            ". The dose cannot be checked: ask the pharmacy to correct the "
            "prescription.");
    return false;
  }

  bool check_in_force() {
    switch (rx_.status) {
      case PrescriptionStatus::kStopped:
      case PrescriptionStatus::kCancelled:
      case PrescriptionStatus::kCompleted:
        add(ReasonCode::kStopped, name_ + ": the prescription has been " +
                                      (rx_.status == PrescriptionStatus::kCompleted   ? "completed"
                                       : rx_.status == PrescriptionStatus::kCancelled ? "cancelled"
                                                                                      : "stopped") +
                                      ".");
        return false;
      case PrescriptionStatus::kOnHold:
        add(ReasonCode::kOnHold,
            name_ + " is on hold: do not give it until the prescriber restarts it.");
        return false;
      case PrescriptionStatus::kActive:
        break;
    }
    if (rx_.ends && c_.now >= *rx_.ends) {
      add(ReasonCode::kStopped,
          name_ + ": the prescription ended at " + clock_time(*rx_.ends, c_.now) + ".");
      return false;
    }
    if (c_.now < rx_.starts) {
      add(ReasonCode::kNotStarted,
          name_ + ": the prescription starts at " + clock_time(rx_.starts, c_.now) + ".");
      return false;
    }
    return true;
  }

  void check_time_critical(Instant slot) {
    if (!rx_.time_critical) return;
    const chr::seconds off = c_.now < slot ? slot - c_.now : c_.now - slot;
    if (off <= on_time_window(rx_, c_.policy)) return;
    add(ReasonCode::kTimeCritical,
        name_ + " is time-critical: " + slot_phrase(slot, c_.now) + " must be given within " +
            duration(on_time_window(rx_, c_.policy)) + " of that time, and it is " +
            early_or_late(slot, c_.now) + ".");
  }

  void check_schedule() {
    using State = SlotFinding::State;
    const SlotFinding f = find_slot(rx_, c_.policy, c_.snapshot.history, c_.now);
    const Instant now = c_.now;
    const chr::seconds w = recognition_window(rx_, c_.policy);
    a_.plausibility = 2;
    a_.slot = f.slot;
    if (f.slot) a_.distance = now < *f.slot ? *f.slot - now : now - *f.slot;
    const std::string next =
        f.other_slot ? " The next dose is due at " + clock_time(*f.other_slot, now) + "." : "";
    switch (f.state) {
      case State::kDueNow:
        a_.plausibility = 0;
        check_time_critical(*f.slot);
        return;
      case State::kAlreadyRecorded:
        add(ReasonCode::kAlreadyGiven, name_ + ": " + slot_phrase(*f.slot, now) + " " +
                                           record_text(*f.record, now) + "." +
                                           (*f.slot < now ? next : ""));
        return;
      case State::kTooEarly: {
        std::string msg = name_ + ": " + slot_phrase(*f.slot, now) + " can be given from " +
                          clock_time(*f.slot - w, now) + "; it is " + clock_time(now, now) + " (" +
                          duration(*f.slot - w - now) + " too early).";
        if (f.other_slot) {
          // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on `" " + str`.
          msg.append(" ").append(slot_phrase(*f.other_slot, now, true)).append(" ");
          msg.append(f.other_record != nullptr ? record_text(*f.other_record, now)
                                               : std::string("has no record"));
          msg.append(".");
        }
        add(ReasonCode::kTooEarly, std::move(msg));
        check_time_critical(*f.slot);
        return;
      }
      case State::kTooLate: {
        // Said against the on-time window: for a time-critical medicine that is the truth
        // ("due by 08:15"), even though only the home window makes it too_late.
        const chr::seconds on_time = on_time_window(rx_, c_.policy);
        add(ReasonCode::kTooLate, name_ + ": " + slot_phrase(*f.slot, now) + " was due by " +
                                      clock_time(*f.slot + on_time, now) + "; it is " +
                                      clock_time(now, now) + " (" +
                                      duration(now - *f.slot - on_time) + " after that)." + next);
        check_time_critical(*f.slot);
        return;
      }
      case State::kNotDueToday: {
        const chr::weekday today{chr::sys_days{domain::London::local_date(now)}};
        add(ReasonCode::kNotDueToday, name_ + " is given " + describe(rx_.days) +
                                          ", and it is not due today (" +
                                          std::string(weekday_name(today)) + ")." + next);
        return;
      }
      case State::kNoMoreDoses:
        add(ReasonCode::kNotDueToday,
            name_ + ": no more doses are scheduled" +
                (rx_.ends ? " (the prescription ends at " + clock_time(*rx_.ends, now) + ")" : "") +
                ".");
        return;
    }
  }

  void check_dose() {
    const std::optional<domain::Decimal>& q = c_.snapshot.proposed_quantity;
    if (q && *q > rx_.dose.max) {
      add(ReasonCode::kDoseExceedsPrescribed, name_ + ": " + quantity_text(*q, rx_.dose.unit) +
                                                  " is more than the prescribed dose of " +
                                                  dose(rx_.dose) + ".");
    } else if (q && *q < rx_.dose.min) {
      add(ReasonCode::kDoseBelowPrescribed, name_ + ": " + quantity_text(*q, rx_.dose.unit) +
                                                " is less than the prescribed dose of " +
                                                dose(rx_.dose) + ".");
    }
    MaximaFinding m = check_maxima(dose_context(), rx_.dose, q);
    for (Reason& r : m.reasons) add(std::move(r));
    if (m.narrowed_max) a_.dose.max = *m.narrowed_max;
  }

  const Context& c_;
  const domain::ProductMatch& product_;
  const domain::Prescription& rx_;
  std::string name_;
  Assessment a_;
};

}  // namespace

Assessment assess(const Context& c, const domain::ProductMatch& product,
                  const domain::Prescription& rx, bool brand_mismatch) {
  return Assessor(c, product, rx, brand_mismatch).run();
}

}  // namespace bcma::rules::detail
