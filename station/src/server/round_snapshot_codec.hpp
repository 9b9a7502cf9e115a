#pragma once
// The round snapshot (protocol 1.1, proto/bcma/v1/offline.proto) from the service's data:
// pure, no I/O. Enumerations travel as the domain's stable snake_case names, amounts as exact
// decimals, dates ISO 8601 (offline.proto says how each field is written).

#include <cstddef>
#include <string>
#include <vector>

#include "bcma/station/service/round_snapshot.hpp"
#include "bcma/v1/offline.pb.h"

namespace bcma::station::server::detail {

/// Bytes of lists one part may carry: well under the 64 KiB frame with room for the envelope,
/// and under the lower maximum a station may be configured with (docs/station.md).
inline constexpr std::size_t kSnapshotPartBytes = 16 * 1024;

/// The snapshot as parts of at most about `part_bytes` each (a single list item larger than
/// that gets a part of its own). Part 0 carries the policy, codes, prefixes and role; every
/// part carries `snapshot_id`, its number, the count and both times. Never empty.
std::vector<v1::RoundSnapshot> snapshot_parts(const service::RoundSnapshotData& data,
                                              const std::string& snapshot_id,
                                              std::size_t part_bytes = kSnapshotPartBytes);

}  // namespace bcma::station::server::detail
