#pragma once
// Pixel operations the decoder's harder passes need, writing into caller-owned buffers that are
// reused from frame to frame (no allocation once they have grown to the frame size).

#include <vector>

#include "bcma/fw/scan/frame.hpp"

namespace bcma::fw::scan {

/// Maps a point of a transformed copy back to the original frame.
struct BackMap {
  double xx = 1, xy = 0, x0 = 0;  // original x = xx*x + xy*y + x0
  double yx = 0, yy = 1, y0 = 0;  // original y = yx*x + yy*y + y0

  Point operator()(Point p) const;
};

/// Half-size copy, each output pixel the mean of a 2x2 block. Needs width and height >= 2.
BackMap downscale_half(const FrameView& in, GreyImage& out);

/// Copy rotated by `degrees` counter-clockwise (as seen on screen) about the frame centre,
/// bilinear, large enough to hold the whole rotated frame; uncovered corners are mid grey.
BackMap rotate(const FrameView& in, double degrees, GreyImage& out);

/// A region that looks like a symbol: dense, strong edges.
struct Candidate {
  Point center;
  int radius = 0;  ///< half the side of a square window that should hold the whole symbol
};

/// Up to `max_count` regions with the densest strong edges (printed symbols), best first.
/// `scratch` is reused work memory.
std::vector<Candidate> find_candidates(const FrameView& in, int max_count,
                                       std::vector<int>& scratch);

/// Square window of side 2*radius centred on `center` (mid grey beyond the frame), so that the
/// window's centre lines cross the candidate: ZXing 1.4's DataMatrix detector (as Debian builds
/// it) only searches along the lines through the image centre.
BackMap window(const FrameView& in, Point center, int radius, GreyImage& out);

/// Photographic negative, for light symbols printed on a dark background.
BackMap invert(const FrameView& in, GreyImage& out);

}  // namespace bcma::fw::scan
