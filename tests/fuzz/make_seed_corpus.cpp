// Writes the fuzzer's seed corpus: every generated test message (every AI, shortest and
// longest values) in every form, plus the error vectors of the unit tests' kind.
// Usage: bcma_gs1_seed_corpus <directory>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "bcma/gs1/element_string.hpp"
#include "message_generator.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus directory>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path directory = argv[1];
  std::filesystem::create_directories(directory);
  std::size_t count = 0;
  const auto write = [&](const std::string& text) {
    std::ofstream(directory / ("seed-" + std::to_string(count++)), std::ios::binary) << text;
  };
  using bcma::gs1::testing::Variant;
  for (const auto& definition : bcma::gs1::all_ais()) {
    for (Variant variant : {Variant::kShortest, Variant::kLongest}) {
      const auto message = bcma::gs1::validate(bcma::gs1::testing::digital_link_message_for(definition, variant));
      if (!message) continue;
      write(bcma::gs1::to_element_string(*message));
      write(bcma::gs1::to_bracketed(*message));
      write(bcma::gs1::to_scan_data(*message));
      if (const auto uri = bcma::gs1::to_digital_link(*message)) write(*uri);
    }
  }
  for (const char* broken : {"]d2", "]d1https://id.gs1.org/01/09506000134352", "(01)0950600013435",
                             "]d20109506000134352" "10A\x1D\x1D" "21B", "(10)A\\B",
                             "https://id.gs1.org/01/09506000134352/10/%2", "^^01"})
    write(broken);
  std::printf("%zu seeds in %s\n", count, directory.c_str());
  return 0;
}
