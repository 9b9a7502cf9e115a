#pragma once
// A GoogleTest fixture: a store in a fresh temporary file, seeded with a home (see
// store_test_support.hpp), on a fixed clock.

#include <gtest/gtest.h>

#include <optional>

#include "store_test_support.hpp"

namespace bcma::station::store::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() / "station.db";
    auto s = Store::open(path_, clock_, options());
    ASSERT_TRUE(s) << s.error().code << ": " << s.error().message;
    store_.emplace(std::move(*s));
    auto seeded = seed_home(*store_);
    ASSERT_TRUE(seeded) << seeded.error().code << ": " << seeded.error().message;
    seed_ = *seeded;
  }

  /// Tests use libsodium's minimum Argon2id cost: the hashing is the same, only cheaper.
  static StoreOptions options() {
    StoreOptions o;
    o.pin_cost = PinHashCost::minimum();
    return o;
  }

  Store& store() { return *store_; }

  TempDir dir_;
  std::filesystem::path path_;
  domain::FixedClock clock_{test_now()};
  std::optional<Store> store_;
  Seed seed_;
};

}  // namespace bcma::station::store::testing
