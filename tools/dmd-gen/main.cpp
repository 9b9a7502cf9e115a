// bcma-dmd-gen: writes a synthetic NHS dm+d release (generator.hpp) for tests and benchmarks.
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "generator.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: bcma-dmd-gen --out DIR [--seed N] [--scale N] [--release N] [--bnf] [--zip FILE]\n"
    "\n"
    "Writes a synthetic dm+d release (made-up products, the real file names and XML schema)\n"
    "into DIR: about 25,000 VMPs, 150,000 AMPs, 180,000 AMPPs and 150,000 GTINs at --scale 1,\n"
    "each count divided by --scale. The same --seed gives the same files; --release N is the\n"
    "same dictionary N-1 weeks later (some VMP codes changed, some packs withdrawn).\n"
    "  --bnf        also write the bonus BNF file\n"
    "  --zip FILE   also pack DIR as a release zip, with the GTIN file in a nested zip\n"
    "Prints one JSON line with the counts. Exit status 0 done, 1 failed, 2 usage error.\n";

bool number(const std::string& s, long long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return end != nullptr && *end == '\0' && out >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bcma::tools::dmdgen;
  Options o;
  std::string out;
  std::string zip;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](long long& v) { return i + 1 < argc && number(argv[++i], v); };
    long long v = 0;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else if (a == "--zip" && i + 1 < argc) {
      zip = argv[++i];
    } else if (a == "--bnf") {
      o.bnf = true;
    } else if (a == "--seed" && value(v)) {
      o.seed = static_cast<std::uint64_t>(v);
    } else if (a == "--scale" && value(v) && v >= 1 && v <= 100000) {
      o.scale = static_cast<int>(v);
    } else if (a == "--release" && value(v) && v >= 1 && v <= 200) {
      o.release = static_cast<int>(v);
    } else {
      std::cerr << "bcma-dmd-gen: bad argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  if (out.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  auto s = write_release(out, o);
  if (!s) {
    std::cerr << "bcma-dmd-gen: " << s.error().message << "\n";
    return 1;
  }
  if (!zip.empty()) {
    if (auto r = zip_release(out, zip); !r) {
      std::cerr << "bcma-dmd-gen: " << r.error().message << "\n";
      return 1;
    }
  }
  std::cout << "{\"release_date\":\"" << s->release_date << "\",\"vtms\":" << s->vtms
            << ",\"ingredients\":" << s->ingredients << ",\"vmps\":" << s->vmps << ",\"amps\":" << s->amps
            << ",\"vmpps\":" << s->vmpps << ",\"ampps\":" << s->ampps << ",\"gtins\":" << s->gtins
            << ",\"code_changes\":" << s->code_changes << ",\"bytes\":" << s->bytes << "}\n";
  return 0;
}
