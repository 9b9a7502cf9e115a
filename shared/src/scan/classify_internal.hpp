#pragma once
// Helpers shared by the classification sources; not part of the public API.

#include <cstddef>
#include <string>
#include <string_view>

#include "bcma/scan/scan.hpp"

namespace bcma::scan::detail {

inline constexpr std::string_view kWhatWeScan =
    "bcma scans resident wristbands, medicine packs, pharmacy labels, staff badges and "
    "location labels.";

Scan make_unknown(UnknownReason code, std::string reason);

/// A scan rejected for invalid GS1 data. `input` is the text the parser saw (used only to say
/// what the code appeared to be); `position_offset` is added to the parser's position so that
/// it points into the caller's text (clamped at 0).
Scan unreadable_gs1(gs1::Error error, std::string_view input, gs1::Form form,
                    std::ptrdiff_t position_offset);

/// A GTIN (already 14 digits) checked against the ranges no medicine uses; a medicine pack
/// holding just that GTIN, or unknown.
Scan linear_pack(std::string gtin14);

/// Why a 14-digit GTIN can never be a medicine pack ("a coupon", ...), or empty if it may be.
std::string_view non_medicine_range(std::string_view gtin14);

}  // namespace bcma::scan::detail
