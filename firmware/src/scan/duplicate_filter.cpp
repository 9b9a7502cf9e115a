#include "bcma/fw/scan/duplicate_filter.hpp"

#include <iterator>

namespace bcma::fw::scan {

bool DuplicateFilter::admit(std::string_view key, Timestamp now) {
  // Drop codes that have left the view, so memory stays bounded by what is in view.
  for (auto it = last_seen_.begin(); it != last_seen_.end();) {
    const auto age = now - it->second;
    it = (age > window_ || age < Timestamp::duration::zero()) ? last_seen_.erase(it)
                                                                : std::next(it);
  }
  const auto [it, inserted] = last_seen_.try_emplace(std::string(key), now);
  it->second = now;
  return inserted;
}

}  // namespace bcma::fw::scan
