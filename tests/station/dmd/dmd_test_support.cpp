#include "dmd_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace bcma::station::dmd::testing {

std::filesystem::path fixtures() { return std::filesystem::path(BCMA_SOURCE_DIR) / "tests" / "fixtures" / "dmd"; }

TestStore::TestStore() : clock(store::testing::test_now()) {
  store::StoreOptions o;
  o.pin_cost = store::PinHashCost::minimum();
  auto s = store::Store::open(file(), clock, o);
  if (!s) throw std::runtime_error(s.error().message);
  store.emplace(std::move(*s));
}

Result<ImportReport> import(store::Store& s, const std::filesystem::path& path, bool force) {
  ImportOptions o;
  o.force = force;
  return import_release(s, path, store::Actor{std::nullopt, "test"}, o);
}

void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to);
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

domain::Date day(int y, unsigned m, unsigned d) {
  return domain::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

}  // namespace bcma::station::dmd::testing
