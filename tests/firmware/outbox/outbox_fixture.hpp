#pragma once
// GoogleTest helpers of the outbox tests.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "outbox_test_support.hpp"

namespace bcma::fw::outbox::testing {

/// Opens the outbox in `dir`, or fails the calling test and returns nullptr.
inline std::unique_ptr<Outbox> open_or_fail(const std::filesystem::path& dir,
                                            Options options = {}) {
  auto box = Outbox::open_directory(dir, options);
  if (!box) {
    ADD_FAILURE() << "cannot open the outbox in " << dir << ": " << box.error().message;
    return nullptr;
  }
  return std::move(*box);
}

/// The ids of the pending records, in append order.
inline std::vector<Uuid> pending_ids(const Outbox& box) {
  std::vector<Uuid> ids;
  for (const auto& r : box.pending()) ids.push_back(r.id);
  return ids;
}

/// Pending records expected for these numbers (id_of / payload_of), in this order.
inline std::vector<std::pair<Uuid, Bytes>> expected_records(const std::vector<std::uint64_t>& ns) {
  std::vector<std::pair<Uuid, Bytes>> out;
  for (const auto n : ns) out.emplace_back(id_of(n), payload_of(n));
  return out;
}

inline std::vector<std::pair<Uuid, Bytes>> as_pairs(const std::vector<PendingRecord>& records) {
  std::vector<std::pair<Uuid, Bytes>> out;
  for (const auto& r : records) out.emplace_back(r.id, r.payload);
  return out;
}

class OutboxTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::filesystem::path log_ = log_path(dir_.path());

  /// Appends the records for `ns` (id_of(n), payload_of(n)) or fails the test.
  static void append_all(Outbox& box, const std::vector<std::uint64_t>& ns) {
    for (const auto n : ns) {
      const auto appended = box.append(id_of(n), payload_of(n));
      ASSERT_TRUE(appended) << appended.error().message;
    }
  }
};

}  // namespace bcma::fw::outbox::testing

// GoogleTest prints ids readably in failure messages.
namespace bcma::fw::outbox {
inline void PrintTo(const Uuid& id, std::ostream* os) { *os << id.to_string(); }
}  // namespace bcma::fw::outbox
