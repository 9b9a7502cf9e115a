// Test helper for crash_test.cpp: records administrations in a loop (groups of GROUP records
// per durable transaction) and writes each acknowledged record id to stdout only after the
// commit returned. It runs until it is killed, or for at most 60 seconds.
//
// usage: bcma_store_crash_child DB FIRST_NUMBER GROUP RESIDENT PRESCRIPTION STAFF
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "store_test_support.hpp"

using namespace bcma::station::store;

namespace {

bool write_all(const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, s.data() + done, s.size() - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s DB FIRST_NUMBER GROUP RESIDENT PRESCRIPTION STAFF\n", argv[0]);
    return 2;
  }
  const std::string db = argv[1];
  std::uint64_t n = std::strtoull(argv[2], nullptr, 10);
  const std::size_t group = std::strtoul(argv[3], nullptr, 10);
  testing::Seed seed;
  seed.alice = std::strtoll(argv[4], nullptr, 10);
  seed.alice_paracetamol = std::strtoll(argv[5], nullptr, 10);
  seed.carer = std::strtoll(argv[6], nullptr, 10);
  seed.alice_gsrn = testing::gsrn("80180000000000001");

  bcma::domain::FixedClock clock(testing::test_now());
  auto store = Store::open(db, clock);
  if (!store) {
    std::fprintf(stderr, "crash child: %s\n", store.error().message.c_str());
    return 1;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::vector<NewAdministration> batch;
    for (std::size_t i = 0; i < group; ++i) {
      batch.push_back(testing::given_record(seed, n++, testing::test_now()));
    }
    const auto results = store->record_administrations(batch);
    std::string acked;
    for (const auto& r : results) {
      if (!r) {
        std::fprintf(stderr, "crash child: %s: %s\n", r.error().code.c_str(),
                     r.error().message.c_str());
        return 1;
      }
      acked += r->record_id + "\n";
    }
    // Only now, after the commit returned, is anything acknowledged.
    if (!write_all(acked)) return 1;
  }
  return 0;
}
