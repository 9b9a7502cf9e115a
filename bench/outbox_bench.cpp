// The scanner outbox's costs on a real file system (the system temp directory, or
// $BCMA_BENCH_DIR): a durable append (one fdatasync), a durable acknowledgement, a steady
// append+acknowledge cycle with compaction, and recovery (open) of a log holding N records.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "bcma/fw/outbox/outbox.hpp"

namespace {

using namespace bcma::fw::outbox;

std::filesystem::path bench_dir(const std::string& name) {
  const char* where = std::getenv("BCMA_BENCH_DIR");
  const auto base = where != nullptr ? std::filesystem::path(where)
                                     : std::filesystem::temp_directory_path();
  auto dir = base / ("bcma-outbox-bench-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

Uuid id_of(std::uint64_t n) {
  Uuid id;
  for (std::size_t i = 0; i < 8; ++i) id.bytes[8 + i] = static_cast<std::uint8_t>(n >> (8 * i));
  id.bytes[6] = 0x40;
  id.bytes[0] = 0x01;
  return id;
}

// About the size of a serialized RecordOutcome with an override and a note.
const Bytes kPayload(300, 0x5A);

std::unique_ptr<Outbox> open(const std::filesystem::path& dir, Options options = {}) {
  auto box = Outbox::open_directory(dir, options);
  if (!box) throw std::runtime_error(box.error().message);
  return std::move(*box);
}

void BM_DurableAppend(benchmark::State& state) {
  const auto dir = bench_dir("append");
  auto box = open(dir);
  std::uint64_t n = 1;
  for (auto _ : state) {
    if (!box->append(id_of(n++), kPayload)) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations());
  box.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DurableAppend)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AppendThenAcknowledge(benchmark::State& state) {
  // The steady state of a round with the station reachable: each record acknowledged soon
  // after it was written; compaction runs with the default threshold.
  const auto dir = bench_dir("cycle");
  auto box = open(dir);
  std::uint64_t n = 1;
  for (auto _ : state) {
    if (!box->append(id_of(n), kPayload)) state.SkipWithError("append failed");
    if (!box->acknowledge(id_of(n))) state.SkipWithError("acknowledge failed");
    ++n;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["compactions"] = static_cast<double>(box->stats().compactions);
  box.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_AppendThenAcknowledge)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RecoverPending(benchmark::State& state) {
  // Opening after a restart with N records still pending (a long offline spell).
  const auto dir = bench_dir("recover");
  {
    auto box = open(dir);
    for (std::int64_t n = 1; n <= state.range(0); ++n) {
      if (!box->append(id_of(static_cast<std::uint64_t>(n)), kPayload)) {
        state.SkipWithError("append failed");
      }
    }
  }
  for (auto _ : state) {
    auto box = open(dir);
    benchmark::DoNotOptimize(box->size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RecoverPending)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
