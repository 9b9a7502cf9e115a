// Verdicts per second for the rules engine on a realistic snapshot: a resident with 15
// prescriptions (regular, PRN, weekly, a patch cycle, a controlled drug, a time-critical one)
// and two days of history. The catalogue is the rules tests' (tests/shared/rules/fixtures).

#include <benchmark/benchmark.h>

#include <optional>

#include "../tests/shared/rules/fixtures.hpp"

namespace {

using namespace bcma;
using namespace bcma::rules::testing;
using domain::Minutes;

// Fifteen prescriptions for Jane, and every dose of the last two days recorded.
World busy_resident() {
  World w;
  const auto q = fixed("1", "tablet");
  w.with(regular(1, amlodipine_5(), {round("MORN")}, q));
  w.with(regular(2, co_careldopa_25_100(), {at(7, 0), at(11, 0), at(15, 0), at(19, 0)}, q));
  w.prescriptions.back().time_critical = true;
  w.with(regular(3, paracetamol_500(), {round("MORN"), round("NOON"), round("EVE"), round("NIGHT")},
                 fixed("2", "tablet")));
  w.with(prn(4, co_codamol_30_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")));
  w.with(prn(5, paracetamol_500(), range("1", "2", "tablet"), Minutes{240}, dec("8")));
  w.with(prn(6, oxycodone_5(), fixed("1", "capsule"), Minutes{240}, dec("4")));
  domain::Prescription alendronate = regular(7, alendronic_acid_70(), {at(7, 0)}, q);
  alendronate.days.kind = domain::DayPattern::Kind::kDaysOfWeek;
  alendronate.days.weekdays = 0b0000001;
  w.with(alendronate);
  domain::Prescription patch = regular(8, fentanyl_25_patch(), {at(9, 0)}, fixed("1", "patch"));
  patch.days.kind = domain::DayPattern::Kind::kEveryNDays;
  patch.days.every_n_days = 3;
  patch.days.anchor = date(2026, 3, 1);
  w.with(patch);
  w.with(regular(9, amoxicillin_500(), {at(8, 0), at(14, 0), at(20, 0)}, fixed("1", "capsule")));
  domain::Prescription tegretol =
      regular(10, tegretol_retard_200(), {round("MORN"), round("EVE")}, q);
  tegretol.level = domain::MedicationLevel::kAmp;
  tegretol.medication_id = tegretol_retard_200().amp.id;
  w.with(tegretol);
  w.with(regular(11, amlodipine_5(), {round("NIGHT")}, q));
  w.with(regular(12, alendronic_acid_70(), {round("NOON")}, q));
  w.prescriptions.back().status = domain::PrescriptionStatus::kStopped;
  w.with(regular(13, paracetamol_1g_suppository(), {round("NIGHT")}, fixed("1", "suppository")));
  w.prescriptions.back().status = domain::PrescriptionStatus::kOnHold;
  w.with(regular(14, co_careldopa_25_100(), {at(23, 0)}, q));
  w.with(regular(15, amoxicillin_500(), {round("NOON")}, fixed("1", "capsule")));

  // Two days of history up to Wednesday 4 March 2026 at 08:00: every due dose given on time,
  // plus PRN doses.
  const rules::Policy& policy = w.policy;
  for (unsigned day : {2U, 3U, 4U}) {
    for (const rules::DueDose& d : rules::due_doses(w.prescriptions, date(2026, 3, day), policy)) {
      if (d.slot >= local(2026, 3, 4, 8, 0)) continue;
      if (d.slot < local(2026, 3, 2, 8, 0)) continue;
      w.history.push_back(
          given(d.prescription_id, d.slot + Minutes{4}, d.dose.min.to_string(), d.slot));
    }
  }
  for (unsigned day : {2U, 3U}) {
    w.history.push_back(given(4, local(2026, 3, day, 15, 30), "2"));
    w.history.push_back(given(6, local(2026, 3, day, 21, 0), "1"));
  }
  return w;
}

// A benchmark must time the path it names: stop with an error if the verdict is not it.
bool verdict_is(benchmark::State& state, const rules::Verdict& v, rules::Decision d,
                std::optional<rules::ReasonCode> code) {
  if (v.decision == d && (!code || v.has(*code))) return true;
  state.SkipWithError(("unexpected verdict: " + codes(v)).c_str());
  return false;
}

void BM_RegularDoseDueNow(benchmark::State& state) {
  World w = busy_resident();
  w.scanning(amlodipine_5());
  const Instant now = local(2026, 3, 4, 8, 5);
  if (!verdict_is(state, w.evaluate(now), rules::Decision::kProceed, std::nullopt)) return;
  for (auto _ : state) benchmark::DoNotOptimize(w.evaluate(now));
  state.SetItemsProcessed(state.iterations());
  state.counters["history"] = static_cast<double>(w.history.size());
}
BENCHMARK(BM_RegularDoseDueNow);

void BM_PrnAcrossProducts(benchmark::State& state) {
  // Paracetamol when required: interval and 24-hour maxima over co-codamol and the regular
  // paracetamol; the regular one is not due, so both readings are weighed.
  World w = busy_resident();
  w.scanning(paracetamol_500());
  w.proposed = dec("2");
  const Instant now = local(2026, 3, 4, 10, 30);
  // Regular paracetamol 1 g three times since yesterday noon plus co-codamol 30/500 make 4 g:
  // the 24-hour paracetamol maximum blocks, counted across both products.
  if (!verdict_is(state, w.evaluate(now), rules::Decision::kBlock,
                  rules::ReasonCode::kPrnMaxExceeded)) {
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(w.evaluate(now));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrnAcrossProducts);

void BM_ControlledDrugTooSoon(benchmark::State& state) {
  World w = busy_resident();
  w.scanning(oxycodone_5());
  w.history.push_back(given(6, local(2026, 3, 4, 7, 0), "1"));
  const Instant now = local(2026, 3, 4, 9, 0);
  if (!verdict_is(state, w.evaluate(now), rules::Decision::kBlock,
                  rules::ReasonCode::kPrnTooSoon)) {
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(w.evaluate(now));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ControlledDrugTooSoon);

void BM_NotPrescribed(benchmark::State& state) {
  World w = busy_resident();
  w.scanning(panadol_500());
  w.prescriptions.erase(w.prescriptions.begin() + 2, w.prescriptions.begin() + 5);
  const Instant now = local(2026, 3, 4, 8, 5);
  if (!verdict_is(state, w.evaluate(now), rules::Decision::kBlock,
                  rules::ReasonCode::kNotPrescribed)) {
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(w.evaluate(now));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NotPrescribed);

void BM_DueDosesForADay(benchmark::State& state) {
  const World w = busy_resident();
  for (auto _ : state) {
    benchmark::DoNotOptimize(rules::due_doses(w.prescriptions, date(2026, 3, 29), w.policy));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DueDosesForADay);

}  // namespace
