// Importing a full-size synthetic dm+d release (tools/dmd-gen at scale 1: about 25,000 VMPs,
// 150,000 AMPs, 180,000 AMPPs, 150,000 GTINs) as the zip NHSBSA publishes, into a fresh station
// database on disk; then GTIN lookups on the result. The release is generated once, before
// anything is timed, in $BCMA_BENCH_DIR (or the system temp directory). Peak memory is the
// process's maximum resident set (getrusage), which includes the generator's small buffers.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "bcma/station/dmd/import.hpp"
#include "bcma/station/dmd/lookup.hpp"
#include "bcma/station/store/store.hpp"
#include "generator.hpp"

namespace {

using namespace bcma;
namespace fs = std::filesystem;

fs::path bench_dir() {
  const char* where = std::getenv("BCMA_BENCH_DIR");
  return fs::path(where != nullptr ? where : fs::temp_directory_path().string()) /
         ("bcma-dmd-bench-" + std::to_string(::getpid()));
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

struct Release {
  fs::path dir = bench_dir();
  fs::path zip;
  tools::dmdgen::Summary summary;
  Release() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    tools::dmdgen::Options o;
    o.seed = 1;
    o.scale = 1;
    auto s = tools::dmdgen::write_release(dir / "xml", o);
    if (!s) throw std::runtime_error(s.error().message);
    summary = *s;
    zip = dir / tools::dmdgen::release_zip_name(o);
    if (auto z = tools::dmdgen::zip_release(dir / "xml", zip); !z) throw std::runtime_error(z.error().message);
    fs::remove_all(dir / "xml");
  }
  ~Release() { fs::remove_all(dir); }
};

Release& release() {
  static Release r;
  return r;
}

domain::FixedClock& clock() {
  static domain::FixedClock c(domain::Instant{std::chrono::sys_days{std::chrono::year{2026} / 1 / 2}});
  return c;
}

void BM_ImportFullRelease(benchmark::State& state) {
  Release& r = release();
  const double rss_before = peak_rss_mb();
  std::int64_t records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path db = r.dir / "station.db";
    fs::remove(db);
    fs::remove(r.dir / "station.db-wal");
    fs::remove(r.dir / "station.db-shm");
    auto store = station::store::Store::open(db, clock());
    if (!store) throw std::runtime_error(store.error().message);
    state.ResumeTiming();
    auto report = station::dmd::import_release(*store, r.zip, station::store::Actor{std::nullopt, "bench"});
    if (!report) {
      state.SkipWithError(report.error().message.c_str());
      return;
    }
    records = report->counts["records"];
  }
  state.counters["records"] = static_cast<double>(records);
  state.counters["records_per_s"] = benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
  state.counters["gtins"] = static_cast<double>(r.summary.gtins);
  state.counters["xml_mb"] = static_cast<double>(r.summary.bytes) / (1024.0 * 1024.0);
  state.counters["zip_mb"] = static_cast<double>(fs::file_size(r.zip)) / (1024.0 * 1024.0);
  state.counters["peak_rss_mb"] = peak_rss_mb();
  state.counters["peak_rss_before_mb"] = rss_before;
}
BENCHMARK(BM_ImportFullRelease)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

void BM_LookupGtin(benchmark::State& state) {
  Release& r = release();
  station::store::OpenOptions o;
  o.mode = station::store::OpenOptions::Mode::kReadOnly;
  auto db = station::store::Database::open(r.dir / "station.db", o);
  if (!db) {
    state.SkipWithError("run BM_ImportFullRelease first");
    return;
  }
  const std::string gtin = "05000000000012";  // pack 1: the generator's first 13-digit GTIN
  const auto day = domain::Date{std::chrono::year{2026}, std::chrono::month{1}, std::chrono::day{2}};
  for (auto _ : state) {
    auto g = station::dmd::lookup_gtin(*db, gtin, day);
    benchmark::DoNotOptimize(g);
  }
}
BENCHMARK(BM_LookupGtin)->Unit(benchmark::kMicrosecond);

}  // namespace
