#pragma once
// `bcma demo`: a morning medication round at a demo care home, end to end (demo.cpp), and
// `bcma demo scans`, what bcma makes of a set of sample barcodes (demo_scans.cpp).

#include <string_view>

#include "../command.hpp"

namespace bcma::cli::demo {

/// Classifies the sample scans and prints what each one is, or why it is rejected.
int demo_scans(Io io);

/// The script bcma-scanner plays for the round (docs/scanner.md "Scripts"); image paths are
/// relative to the script, which sits beside the barcodes/ folder.
std::string_view round_script();

}  // namespace bcma::cli::demo
