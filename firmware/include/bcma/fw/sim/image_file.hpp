#pragma once
/// \file
/// Image files for the simulator and `bcma decode`: PNG/JPEG (and the other formats stb_image
/// reads: BMP, GIF, TGA, PNM) loaded as 8-bit greyscale frames, and frames written as PNG.

#include <filesystem>

#include "bcma/core/result.hpp"
#include "bcma/fw/scan/frame.hpp"

namespace bcma::fw::sim {

/// Loads an image file as 8-bit greyscale (colour is converted by luminance, 16-bit samples
/// are reduced to 8 bits, alpha is dropped).
/// Errors: `file_not_found` (no such file), `unreadable_file` (exists but cannot be opened or
/// is a directory), `bad_image` (not an image stb_image can decode, or corrupt; the message
/// says why), `image_too_large` (more than 64 megapixels).
Result<scan::GreyImage> load_image(const std::filesystem::path& path);

/// Writes a frame as an 8-bit greyscale PNG.
/// Errors: `bad_frame` (see `scan::validate`), `write_failed` (the file could not be written).
Result<void> write_png(const std::filesystem::path& path, const scan::FrameView& frame);

}  // namespace bcma::fw::sim
