// GS1 parses per second for the inputs a care home scanner meets: a medicine pack (GS1
// DataMatrix scan data, bracketed text, Digital Link URI) and a resident's wristband.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "bcma/gs1/element_string.hpp"

namespace {

void parse_input(benchmark::State& state, const std::string& input) {
  for (auto _ : state) {
    auto message = bcma::gs1::parse(input);
    if (!message) state.SkipWithError("the benchmark input does not parse");
    benchmark::DoNotOptimize(message);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_MedicinePackScanData(benchmark::State& state) {
  parse_input(state, "]d20109506000134352172512311" "0ABC123\x1D" "21XYZ987654321\x1D" "714ABC-12345");
}
void BM_MedicinePackBracketed(benchmark::State& state) {
  parse_input(state, "(01)09506000134352(17)251231(10)ABC123(21)XYZ987654321(714)ABC-12345");
}
void BM_MedicinePackDigitalLink(benchmark::State& state) {
  parse_input(state, "https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ987654321?17=251231&714=ABC-12345");
}
void BM_WristbandScanData(benchmark::State& state) {
  parse_input(state, "]d28018950600013435200015");
}
void BM_MessageToElementString(benchmark::State& state) {
  const auto message = bcma::gs1::parse("(01)09506000134352(17)251231(10)ABC123(21)XYZ987654321");
  for (auto _ : state) benchmark::DoNotOptimize(bcma::gs1::to_element_string(*message));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK(BM_MedicinePackScanData);
BENCHMARK(BM_MedicinePackBracketed);
BENCHMARK(BM_MedicinePackDigitalLink);
BENCHMARK(BM_WristbandScanData);
BENCHMARK(BM_MessageToElementString);

}  // namespace
