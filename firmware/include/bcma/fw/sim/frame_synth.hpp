#pragma once
/// \file
/// Synthetic camera frames: a barcode bitmap (see barcode_maker.hpp) placed on a textured
/// background the way a handheld camera sees a pack or a wristband - at a scale, any rotation,
/// tilted (perspective), out of focus, noisy, in poor or uneven light, with a glare spot.
/// Deterministic: the same scene and seed give the same pixels on every run.

#include <cstdint>

#include "bcma/core/result.hpp"
#include "bcma/fw/scan/frame.hpp"

namespace bcma::fw::sim {

struct Scene {
  int frame_width = 640;
  int frame_height = 480;
  double scale = 1.0;         ///< frame pixels per barcode bitmap pixel
  double rotation_deg = 0.0;  ///< any angle, counter-clockwise as seen on screen
  double center_x = 0.5;      ///< where the symbol's centre lands, as a fraction of the width
  double center_y = 0.5;      ///< ... and of the height
  double tilt_x_deg = 0.0;    ///< perspective: label turned about the horizontal axis
  double tilt_y_deg = 0.0;    ///< ... and about the vertical axis
  double blur_sigma = 0.0;    ///< Gaussian defocus, in frame pixels
  double noise_sigma = 0.0;   ///< sensor noise, standard deviation in grey levels
  double contrast = 1.0;      ///< 1 = black ink on white; 0.3 = faded ink, grey on grey
  double illumination = 0.2;  ///< unevenness of the light across the frame, 0 = flat
  double glare = 0.0;         ///< peak of a specular spot over the symbol, 0..1 of full white
  double glare_radius = 0.25; ///< glare spot size, as a fraction of the symbol's diagonal
  int clutter = 6;            ///< text-like marks printed on the background around the symbol
  std::uint64_t seed = 1;     ///< background, noise, clutter and glare placement
};

struct SyntheticFrame {
  scan::GreyImage image;
  scan::Quad symbol;  ///< where the barcode bitmap's corners landed (ground truth for tests)
};

/// Renders `scene` with `barcode` (black on white, quiet zones included) as the label.
/// Errors: `bad_frame` (the barcode view is invalid), `bad_scene` (frame size outside
/// 16..4096, scale outside 0.05..20, tilt of 70 degrees or more, negative blur/noise/glare,
/// contrast outside 0..1).
Result<SyntheticFrame> synthesize(const scan::FrameView& barcode, const Scene& scene);

}  // namespace bcma::fw::sim
