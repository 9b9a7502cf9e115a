#pragma once
// Private: the ids a release defines, for checking references while later files stream past.
// Ids are added in file order, sorted once their section is complete, and then searched; a
// full release holds about 600,000 (under 30 MB).

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/station/dmd/errors.hpp"

namespace bcma::station::dmd::detail {

struct IndexEntry {
  std::uint64_t id = 0;
  std::uint64_t parent = 0;  ///< VMP: its VTM (0 none); AMP, VMPP: its VMP
  std::uint64_t code = 0;    ///< VMP: unit dose UOM; VMPP: quantity UOM
  std::int64_t value = 0;    ///< VMPP: quantity in thousandths (-1 when not exact)
  std::uint32_t line = 0;
  std::uint16_t ingredients = 0;  ///< VMP: VPI rows so far (the store's ordinal)
  std::uint16_t routes = 0;       ///< VMP: DROUTE rows so far
  std::uint8_t marks = 0;         ///< per-kind bits: which one-per-record sections were seen
};

class IdIndex {
 public:
  void add(const IndexEntry& e) { entries_.push_back(e); }
  std::size_t size() const { return entries_.size(); }

  /// Sorts and rejects an id defined twice. The message starts with the line (the parser
  /// puts the file in front). Errors: duplicate_record.
  Result<void> seal(std::string_view what) {
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const IndexEntry& a, const IndexEntry& b) { return a.id < b.id; });
    for (std::size_t i = 1; i < entries_.size(); ++i) {
      if (entries_[i].id == entries_[i - 1].id) {
        return fail(errc::kDuplicate, std::to_string(entries_[i].line) + ": " + std::string(what) + " " +
                                          std::to_string(entries_[i].id) + " appears twice (first at line " +
                                          std::to_string(entries_[i - 1].line) + ")");
      }
    }
    sealed_ = true;
    return {};
  }
  bool sealed() const { return sealed_; }

  IndexEntry* find(std::uint64_t id) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                               [](const IndexEntry& e, std::uint64_t v) { return e.id < v; });
    return it != entries_.end() && it->id == id ? &*it : nullptr;
  }
  const std::vector<IndexEntry>& entries() const { return entries_; }

 private:
  std::vector<IndexEntry> entries_;
  bool sealed_ = false;
};

}  // namespace bcma::station::dmd::detail
