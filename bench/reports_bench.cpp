// The reports over a year of one home: 60 residents, four regular medicines at four rounds and
// a PRN each (about 400,000 administrations), deliveries booked in every 28-day cycle, counts,
// waste, overrides and blocked scans. The data goes in through the store and stock APIs (group
// commit per day); each report then runs over the whole year and over one cycle, and the
// evaluator's audit export of the whole year is written once as CSV and once as JSONL.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>

#include <unistd.h>

#include "bcma/rules/policy.hpp"
#include "bcma/station/export/audit_export.hpp"
#include "bcma/station/reports/report.hpp"
#include "bcma/station/stock/cycle.hpp"
#include "bcma/station/stock/stock.hpp"
#include "bcma/station/store/audit_log.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"

namespace {

using namespace std::chrono;
using bcma::domain::Decimal;
namespace st = bcma::station::store;
namespace sk = bcma::station::stock;
namespace dm = bcma::domain;
namespace ex = bcma::station::exporting;

constexpr int kResidents = 60;
constexpr int kDays = 364;  // 13 cycles
const dm::Date kFirstDay{year{2025} / 1 / 6};

struct Med {
  const char* vmp;
  const char* amp;
  const char* ampp;
  const char* name;
  const char* substance;
  const char* substance_name;
  std::int64_t pack;
  std::int64_t price;
  bool time_critical;
};
const Med kMeds[] = {
    {"42109611000001109", "4161211000001102", "1006311000001105", "Paracetamol 500mg tablets", "387517004",
     "Paracetamol", 32, 320, false},
    {"319283006", "4149711000001103", "1037711000001105", "Amlodipine 5mg tablets", "386864001", "Amlodipine", 28,
     84, false},
    {"41901011000001107", "3913211000001103", "1001711000001103", "Co-careldopa 25mg/100mg tablets", "387086006",
     "Levodopa", 100, 1000, true},
    {"41946511000001104", "3834711000001109", "1006711000001101", "Carbamazepine 200mg MR tablets", "387222003",
     "Carbamazepine", 56, 560, false},
    {"42108011000001103", "3935511000001106", "1054211000001102", "Co-codamol 30mg/500mg tablets", "261000",
     "Codeine phosphate", 30, 450, false},  // the PRN
};
constexpr int kRegular = 4;
const char* const kRounds[] = {"MORN", "NOON", "EVE", "NIGHT"};
const int kRoundHours[] = {8, 12, 17, 22};

std::string uuid(std::uint64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-0000-4000-8000-%012llx", static_cast<unsigned long long>(n >> 48),
                static_cast<unsigned long long>(n & 0xffffffffffffULL));
  return buf;
}

std::string check_digit(std::string digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const int d = digits[digits.size() - 1 - i] - '0';
    sum += (i % 2 == 0) ? d * 3 : d;
  }
  return digits + std::to_string((10 - sum % 10) % 10);
}

std::string nhs(int serial) {
  for (int s = serial;; ++s) {
    char nine[16];
    std::snprintf(nine, sizeof nine, "999%06d", s);
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (nine[i] - '0') * (10 - i);
    const int check = 11 - sum % 11;
    if (check == 10) continue;
    return std::string(nine) + std::to_string(check == 11 ? 0 : check);
  }
}

void must(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "reports_bench: setup failed: %s\n", what);
    std::abort();
  }
}

struct Year {
  std::filesystem::path dir;
  dm::FixedClock clock{dm::London::start_of_day(kFirstDay)};
  std::unique_ptr<st::Store> store;
  std::int64_t administrations = 0;
  double build_seconds = 0;
  dm::Instant from{}, to{};
};

Year& year_of_data() {
  static Year* y = [] {
    auto* out = new Year;
    const auto started = steady_clock::now();
    out->dir = std::filesystem::temp_directory_path() / ("bcma-reports-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(out->dir);
    // The database is about 0.6 GB: remove it when the benchmark ends.
    static const std::filesystem::path kDir = out->dir;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(kDir, ignored);
    });
    st::StoreOptions options;
    options.pin_cost = st::PinHashCost::minimum();
    auto opened = st::Store::open(out->dir / "station.db", out->clock, options);
    must(opened.has_value(), "open");
    out->store = std::make_unique<st::Store>(std::move(*opened));
    st::Store& s = *out->store;
    const st::Actor setup{std::nullopt, "setup"};
    must(s.set_home({"Bench House", "VN999"}, setup).has_value(), "home");
    must(s.set_policy(bcma::rules::Policy::defaults(), setup).has_value(), "policy");
    st::ProductBatch batch;
    for (const Med& m : kMeds) {
      dm::Vmp v;
      v.id = m.vmp;
      v.name = m.name;
      v.ingredients = {{m.substance, m.substance_name, Decimal::from_int(100), "mg"}};
      v.route_ids = {"26643006"};
      v.unit_dose_unit = "tablet";
      v.controlled_drug_code = "0000";
      batch.vmps.push_back(v);
      batch.amps.push_back({m.amp, m.vmp, std::string(m.name) + " (Generic)", "Generic"});
      batch.ampps.push_back({m.ampp, m.amp, std::string(m.name) + " pack", Decimal::from_int(m.pack), m.price});
    }
    must(s.import_products(batch, setup).has_value(), "products");
    std::vector<dm::StaffId> staff;
    for (int i = 0; i < 10; ++i) {
      const auto role = i < 7 ? dm::Role::kCareWorker : (i < 9 ? dm::Role::kSenior : dm::Role::kManager);
      auto id = s.add_staff({0, "Staff " + std::to_string(i), check_digit("80170000000001" + std::to_string(100 + i)),
                             role, true},
                            "1234", setup);
      must(id.has_value(), "staff");
      staff.push_back(*id);
    }
    std::vector<dm::ResidentId> residents;
    std::vector<std::vector<dm::PrescriptionId>> rx(kResidents);
    const dm::Instant start = dm::London::start_of_day(kFirstDay) - days{30};
    for (int r = 0; r < kResidents; ++r) {
      dm::Resident res;
      res.nhs_number = nhs(100 + r * 7);
      res.given_name = "Resident";
      res.family_name = "R" + std::to_string(1000 + r);
      res.date_of_birth = year{1940} / 1 / 1;
      res.no_known_allergies = true;
      res.room = std::to_string(r);
      auto id = s.add_resident(res, setup);
      must(id.has_value(), "resident");
      residents.push_back(*id);
      for (int m = 0; m < 5; ++m) {
        dm::Prescription p;
        p.resident_id = *id;
        p.medication_id = kMeds[m].vmp;
        p.medication_name = kMeds[m].name;
        p.route_id = "26643006";
        p.route_name = "oral";
        p.dose = {Decimal::from_int(1), Decimal::from_int(1), "tablet"};
        if (m < kRegular) {
          for (const char* round : kRounds) p.times.push_back({round, {}});
          p.time_critical = kMeds[m].time_critical;
        } else {
          p.as_needed = true;
          p.prn = dm::PrnRule{minutes{240}, Decimal::from_int(8), "for pain"};
        }
        p.starts = start;
        auto put = s.put_prescription(p, start, setup);
        must(put.has_value(), "prescription");
        rx[static_cast<std::size_t>(r)].push_back(put->id);
      }
    }
    std::mt19937_64 rng(42);
    auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
    std::uint64_t next_id = 1;
    const sk::CycleCalendar cal{kFirstDay};
    must(sk::set_cycle_anchor(s, kFirstDay, st::Actor{staff[9], "station"}).has_value(), "anchor");
    std::vector<std::vector<std::string>> labels(kResidents, std::vector<std::string>(5));
    for (int day = 0; day < kDays; ++day) {
      const dm::Date date{sys_days{kFirstDay} + days{day}};
      if (day % sk::kCycleDays == 0) {
        // The cycle's delivery: one labelled pack per resident per medicine, booked in.
        sk::BookingRequest req;
        req.delivery_reference = "DN-" + std::to_string(day / sk::kCycleDays);
        req.at = dm::London::to_instant(date, dm::TimeOfDay::hm(7, 0));
        out->clock.set(req.at);
        for (int r = 0; r < kResidents; ++r) {
          for (int m = 0; m < 5; ++m) {
            const std::string label = "L" + std::to_string(day) + "-" + std::to_string(r) + "-" + std::to_string(m);
            const Decimal qty = Decimal::from_int(m < kRegular ? 112 : 60);
            must(s.add_dispensed_item({label, residents[static_cast<std::size_t>(r)], kMeds[m].ampp,
                                       rx[static_cast<std::size_t>(r)][static_cast<std::size_t>(m)], qty, date,
                                       "Bench Pharmacy"},
                                      setup)
                     .has_value(),
                 "label");
            labels[static_cast<std::size_t>(r)][static_cast<std::size_t>(m)] = label;
            req.expected_labels.push_back(label);
            req.received.push_back({label, residents[static_cast<std::size_t>(r)], kMeds[m].ampp,
                                    chance(2) ? Decimal::from_int(100) : qty, "B" + std::to_string(day),
                                    dm::Date{sys_days{date} + days{chance(5) ? 40 : 400}}});
          }
        }
        must(sk::book_in(s, req, st::Actor{staff[0], "station"}).has_value(), "booking");
        // The counts happen half an hour later: stock events may not lie ahead of the clock.
        out->clock.set(req.at + minutes{30});
        for (int r = 0; r < kResidents; r += 4) {
          must(sk::record_count(s, {sk::CountKind::kCarriedForward, kMeds[0].amp, residents[static_cast<std::size_t>(r)],
                                    Decimal::from_int(static_cast<std::int64_t>(rng() % 50)), staff[1],
                                    req.at + minutes{30}, ""},
                                st::Actor{staff[0], "station"})
                   .has_value(),
               "count");
        }
      }
      std::vector<st::NewAdministration> records;
      std::vector<std::pair<std::string, std::string>> verdicts;  // decision, reason
      for (int r = 0; r < kResidents; ++r) {
        const auto ri = static_cast<std::size_t>(r);
        for (int m = 0; m < 5; ++m) {
          const auto mi = static_cast<std::size_t>(m);
          const int doses = m < kRegular ? 4 : static_cast<int>(rng() % 5);
          for (int k = 0; k < doses; ++k) {
            st::NewAdministration a;
            a.record_id = uuid(next_id++);
            a.resident_id = residents[ri];
            a.prescription_id = rx[ri][mi];
            const dm::Instant slot = dm::London::to_instant(date, dm::TimeOfDay::hm(kRoundHours[k], 0));
            if (m < kRegular) a.slot = slot;
            a.event_time = slot + minutes{static_cast<int>(rng() % 120) - 40};
            a.device_id = "scanner-01";
            a.staff_id = staff[rng() % 7];
            a.wristband = st::ScanEvidence::scanned("wristband", "]d2");
            const int roll = static_cast<int>(rng() % 100);
            if (roll < 88 || m == kRegular) {
              a.outcome = dm::Outcome::kGiven;
              a.quantity = Decimal::from_int(1);
              a.label_id = labels[ri][mi];
              a.items = {st::ScanEvidence::scanned(labels[ri][mi], "]C1")};
              if (chance(1)) {  // given late after a warning, overridden by a senior
                a.verdict = st::RecordedVerdict{
                    bcma::rules::Decision::kWarn,
                    {bcma::rules::Reason{bcma::rules::ReasonCode::kTooLate, "late", rx[ri][mi]}}};
                a.override = st::Override{staff[7], "resident was asleep at the round", std::nullopt};
              }
            } else if (roll < 94) {
              a.outcome = dm::Outcome::kRefused;
            } else if (roll < 96) {
              a.outcome = dm::Outcome::kRefusedAndDestroyed;
              a.quantity = Decimal::from_int(1);
              a.label_id = labels[ri][mi];
              a.items = {st::ScanEvidence::scanned(labels[ri][mi], "]C1")};
            } else {
              a.outcome = dm::Outcome::kOmitted;
              a.code = "asleep";
            }
            records.push_back(std::move(a));
            if (chance(8)) verdicts.push_back({chance(30) ? "block" : "warn", chance(50) ? "too_late" : "too_early"});
          }
        }
      }
      out->clock.set(dm::London::to_instant(date, dm::TimeOfDay::hm(23, 59)));
      for (const auto& result : s.record_administrations(records)) {
        must(result.has_value(), "administration");
        ++out->administrations;
      }
      auto tx = st::Transaction::begin(s.database());
      must(tx.has_value(), "audit tx");
      for (const auto& [decision, reason] : verdicts) {
        const std::string payload = "{\"resident_id\":1,\"decision\":\"" + decision + "\",\"reasons\":[{\"code\":\"" +
                                    reason + "\",\"message\":\"bench\"}],\"prescription_id\":null}";
        must(st::append_audit(s.database(), {st::AuditKind::kVerdict, {staff[0], "scanner-01"}, "resident:1", payload},
                              out->clock.now())
                 .has_value(),
             "verdict");
      }
      must(tx->commit().has_value(), "audit commit");
      for (int w = 0; w < 2; ++w) {
        const auto ri = static_cast<std::size_t>(rng() % kResidents);
        must(sk::record_waste(s, {sk::WasteReason::kDropped, "", std::nullopt, labels[ri][0], Decimal::from_int(1),
                                  std::nullopt, dm::London::to_instant(date, dm::TimeOfDay::hm(13, 0))},
                              st::Actor{staff[2], "station"})
                 .has_value(),
             "waste");
      }
    }
    out->from = dm::London::start_of_day(kFirstDay);
    out->to = dm::London::start_of_day(dm::Date{sys_days{kFirstDay} + days{kDays}});
    out->build_seconds = duration<double>(steady_clock::now() - started).count();
    std::fprintf(stderr, "reports_bench: %lld administrations for %d residents over %d days built in %.1f s\n",
                 static_cast<long long>(out->administrations), kResidents, kDays, out->build_seconds);
    return out;
  }();
  return *y;
}

void run(benchmark::State& state, const std::string& name, bool one_cycle) {
  Year& y = year_of_data();
  const dm::Instant from = one_cycle ? y.to - days{sk::kCycleDays} : y.from;
  std::size_t rows = 0;
  for (auto _ : state) {
    auto r = bcma::station::reports::run_report(name, *y.store, from, y.to);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    rows = r->rows.size();
    benchmark::DoNotOptimize(rows);
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["administrations"] = static_cast<double>(y.administrations);
}

// The evaluator's full audit export of the year (every audit entry, pseudonymised and
// scrubbed, and its proof, which verifies the whole chain first), into a fresh directory.
void run_export(benchmark::State& state, ex::Format format) {
  Year& y = year_of_data();
  auto key = ex::PseudonymKey::random();
  must(key.has_value(), "key");
  const ex::Pseudonymiser pseudonyms(*key);
  std::int64_t rows = 0;
  std::uintmax_t bytes = 0;
  int n = 0;
  for (auto _ : state) {
    const auto out = y.dir / ("export-" + std::to_string(n++));
    auto r = ex::export_audit(y.store->database(), pseudonyms, {y.from, y.to, format, {}}, out);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    rows = r->rows;
    state.PauseTiming();
    bytes = std::filesystem::file_size(r->events_file);
    std::error_code ignored;
    std::filesystem::remove_all(out, ignored);
    state.ResumeTiming();
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}

[[maybe_unused]] const bool kRegistered = [] {
  for (const auto& info : bcma::station::reports::catalogue()) {
    const std::string name = info.name;
    benchmark::RegisterBenchmark(("BM_Report_Year/" + name).c_str(),
                                 [name](benchmark::State& s) { run(s, name, false); })
        ->Unit(benchmark::kMillisecond)
        ->Iterations(3);
    benchmark::RegisterBenchmark(("BM_Report_Cycle/" + name).c_str(),
                                 [name](benchmark::State& s) { run(s, name, true); })
        ->Unit(benchmark::kMillisecond)
        ->Iterations(3);
  }
  benchmark::RegisterBenchmark("BM_AuditExport_Year/csv", [](benchmark::State& s) { run_export(s, ex::Format::kCsv); })
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1);
  benchmark::RegisterBenchmark("BM_AuditExport_Year/jsonl", [](benchmark::State& s) { run_export(s, ex::Format::kJsonl); })
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1);
  return true;
}();

}  // namespace
