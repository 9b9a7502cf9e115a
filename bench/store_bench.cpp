// Durable recorded administrations per second: one record per transaction, and group commits
// of 8, 32 and 128 records per transaction. A real file on disk (the system temp directory,
// or $BCMA_BENCH_DIR), WAL with synchronous=FULL: every acknowledged record is on disk.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bcma/station/store/store.hpp"

namespace {

using namespace bcma;
using namespace bcma::station::store;
using domain::Decimal;

std::string uuid(std::uint64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(n >> 48),
                static_cast<unsigned long long>(n & 0xffffffffffffULL));
  return buf;
}

// A small home: one resident, one member of staff, paracetamol, one prescription.
struct Home {
  std::filesystem::path dir;
  domain::FixedClock clock{domain::Instant{std::chrono::sys_days{std::chrono::year{2026} / 3 / 10}}};
  std::optional<Store> store;
  NewAdministration base;
  std::uint64_t next = 1;

  Home() {
    const char* where = std::getenv("BCMA_BENCH_DIR");
    dir = std::filesystem::path(where != nullptr ? where : std::filesystem::temp_directory_path().string()) /
          ("bcma-store-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    StoreOptions o;
    o.pin_cost = PinHashCost::minimum();
    auto s = Store::open(dir / "station.db", clock, o);
    if (!s) throw std::runtime_error(s.error().message);
    store.emplace(std::move(*s));
    const Actor setup{std::nullopt, "bench"};
    check(store->set_home({"Bench House", ""}, setup));
    check(store->set_policy(rules::Policy::defaults(), setup));
    domain::Resident r;
    r.nhs_number = "9990000026";
    r.given_name = "Bench";
    r.family_name = "Resident";
    r.date_of_birth = std::chrono::year{1940} / 1 / 1;
    const auto resident = value(store->add_resident(r, setup));
    const auto staff = value(store->add_staff(
        {0, "Bench Carer", "801700000000000112", domain::Role::kCareWorker, true}, "1234", setup));
    ProductBatch b;
    domain::Vmp vmp;
    vmp.id = "42109611000001109";
    vmp.name = "Paracetamol 500mg tablets";
    vmp.ingredients = {{"387517004", "Paracetamol", Decimal::from_int(500), "mg"}};
    vmp.route_ids = {"26643006"};
    vmp.unit_dose_unit = "tablet";
    b.vmps = {vmp};
    b.amps = {{"3421011000001103", vmp.id, "Paracetamol 500mg tablets (Accord)", "Accord"}};
    b.ampps = {{"1006311000001105", "3421011000001103", "Paracetamol 500mg tablets 32", Decimal::from_int(32), 85}};
    check(store->import_products(b, setup));
    domain::Prescription p;
    p.resident_id = resident;
    p.medication_id = vmp.id;
    p.route_id = "26643006";
    p.route_name = "oral";
    p.dose = {Decimal::from_int(2), Decimal::from_int(2), "tablet"};
    p.times = {{"MORN", {}}};
    p.starts = clock.now() - std::chrono::hours(24);
    const auto rx = value(store->put_prescription(p, p.starts, setup));

    base.resident_id = resident;
    base.prescription_id = rx.id;
    base.outcome = domain::Outcome::kGiven;
    base.quantity = Decimal::from_int(2);
    base.ampp_id = "1006311000001105";
    base.wristband = ScanEvidence::scanned("]d28018801800000000000013", "]d2");
    base.items = {ScanEvidence::scanned("]d20105012345000017", "]d2")};
    base.verdict = RecordedVerdict{rules::Decision::kProceed, {}};
    base.event_time = clock.now();
    base.device_id = "scanner-bench";
    base.staff_id = staff;
  }
  ~Home() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  Home(const Home&) = delete;
  Home& operator=(const Home&) = delete;

  NewAdministration record() {
    NewAdministration r = base;
    r.record_id = uuid(next++);
    return r;
  }
  static void check(const Result<void>& r) {
    if (!r) throw std::runtime_error(r.error().message);
  }
  template <class T>
  static T value(Result<T> r) {
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(*r);
  }
};

void BM_RecordOnePerTransaction(benchmark::State& state) {
  Home home;
  for (auto _ : state) {
    auto ack = home.store->record_administration(home.record());
    if (!ack) state.SkipWithError(ack.error().message.c_str());
    benchmark::DoNotOptimize(ack);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["records_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RecordOnePerTransaction)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);

void BM_RecordGroupCommit(benchmark::State& state) {
  Home home;
  const auto group = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<NewAdministration> batch;
    for (std::size_t i = 0; i < group; ++i) batch.push_back(home.record());
    state.ResumeTiming();
    auto results = home.store->record_administrations(batch);
    for (const auto& r : results) {
      if (!r) state.SkipWithError(r.error().message.c_str());
    }
    benchmark::DoNotOptimize(results);
  }
  const auto records = static_cast<double>(state.iterations() * static_cast<std::int64_t>(group));
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.counters["records_per_s"] = benchmark::Counter(records, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RecordGroupCommit)->Arg(8)->Arg(32)->Arg(128)->Unit(benchmark::kMillisecond)
    ->UseRealTime()->MinTime(3.0);

}  // namespace
