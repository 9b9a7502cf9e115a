#include "image_ops.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>
#include <cstdint>
#include <numbers>

namespace bcma::fw::scan {

Point BackMap::operator()(Point p) const {
  return {static_cast<int>(std::lround(xx * p.x + xy * p.y + x0)),
          static_cast<int>(std::lround(yx * p.x + yy * p.y + y0))};
}

BackMap downscale_half(const FrameView& in, GreyImage& out) {
  out.resize(in.width / 2, in.height / 2);
  for (int y = 0; y < out.height(); ++y) {
    const std::uint8_t* a = in.row(2 * y);
    const std::uint8_t* b = in.row(2 * y + 1);
    std::uint8_t* o = out.row(y);
    for (int x = 0; x < out.width(); ++x) {
      const int sum = a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1];
      o[x] = static_cast<std::uint8_t>((sum + 2) / 4);
    }
  }
  // Output pixel centre (x + 0.5) covers input pixels 2x .. 2x+1, centre 2x + 1.
  return BackMap{2, 0, 0.5, 0, 2, 0.5};
}

BackMap rotate(const FrameView& in, double degrees, GreyImage& out) {
  const double a = degrees * std::numbers::pi / 180.0;
  const double c = std::cos(a);
  const double s = std::sin(a);
  const int w = static_cast<int>(std::ceil(std::abs(in.width * c) + std::abs(in.height * s)));
  const int h = static_cast<int>(std::ceil(std::abs(in.width * s) + std::abs(in.height * c)));
  out.resize(w, h);
  // Output (x, y) relative to its centre, turned back by the angle, gives the input point.
  // Screen y points down, so counter-clockwise on screen is clockwise in maths coordinates.
  const double icx = in.width / 2.0;
  const double icy = in.height / 2.0;
  const double ocx = w / 2.0;
  const double ocy = h / 2.0;
  const BackMap back{c, -s, icx - c * ocx + s * ocy, s, c, icy - s * ocx - c * ocy};
  // Fixed point (16.16) stepping along each row keeps the inner loop to adds and shifts.
  constexpr int kShift = 16;
  constexpr double kOne = 1 << kShift;
  const auto step_x = static_cast<std::int64_t>(std::lround(back.xx * kOne));
  const auto step_y = static_cast<std::int64_t>(std::lround(back.yx * kOne));
  const std::int64_t max_x = static_cast<std::int64_t>(in.width - 1) << kShift;
  const std::int64_t max_y = static_cast<std::int64_t>(in.height - 1) << kShift;
  for (int y = 0; y < h; ++y) {
    std::uint8_t* o = out.row(y);
    // Sample at pixel centres: input coordinate minus 0.5 indexes the pixel grid.
    auto fx = static_cast<std::int64_t>(
        std::lround((back.xx * 0.5 + back.xy * (y + 0.5) + back.x0 - 0.5) * kOne));
    auto fy = static_cast<std::int64_t>(
        std::lround((back.yx * 0.5 + back.yy * (y + 0.5) + back.y0 - 0.5) * kOne));
    for (int x = 0; x < w; ++x, fx += step_x, fy += step_y) {
      if (fx < 0 || fy < 0 || fx > max_x || fy > max_y) {
        o[x] = 128;
        continue;
      }
      const auto ix = static_cast<int>(fx >> kShift);
      const auto iy = static_cast<int>(fy >> kShift);
      const auto tx = static_cast<int>((fx >> 8) & 0xFF);
      const auto ty = static_cast<int>((fy >> 8) & 0xFF);
      const std::uint8_t* r0 = in.row(iy) + ix;
      const std::uint8_t* r1 = iy + 1 < in.height ? r0 + in.stride : r0;
      const int dx = ix + 1 < in.width ? 1 : 0;
      const int top = r0[0] * (256 - tx) + r0[dx] * tx;
      const int bottom = r1[0] * (256 - tx) + r1[dx] * tx;
      o[x] = static_cast<std::uint8_t>((top * (256 - ty) + bottom * ty + 32768) >> 16);
    }
  }
  return back;
}

BackMap invert(const FrameView& in, GreyImage& out) {
  out.resize(in.width, in.height);
  for (int y = 0; y < in.height; ++y) {
    const std::uint8_t* i = in.row(y);
    std::uint8_t* o = out.row(y);
    for (int x = 0; x < in.width; ++x) o[x] = static_cast<std::uint8_t>(255 - i[x]);
  }
  return {};
}

}  // namespace bcma::fw::scan

namespace bcma::fw::scan {

namespace {
constexpr int kCell = 8;         // activity is measured per 8x8 cell
constexpr int kEdgeStep = 20;    // grey-level step that counts as an edge (noise is smaller)
}  // namespace

std::vector<Candidate> find_candidates(const FrameView& in, int max_count,
                                       std::vector<int>& scratch) {
  const int cols = in.width / kCell;
  const int rows = in.height / kCell;
  std::vector<Candidate> found;
  if (cols < 3 || rows < 3 || max_count <= 0) return found;
  const auto cells = static_cast<std::size_t>(cols * rows);
  scratch.assign(2 * cells, 0);
  int* activity = scratch.data();
  int* score = scratch.data() + cells;
  auto at = [cols](int* grid, int cx, int cy) -> int& {
    return grid[static_cast<std::size_t>(cy * cols + cx)];
  };
  // Count strong horizontal and vertical steps on every other pixel of every other row.
  for (int cy = 0; cy < rows; ++cy) {
    for (int y = cy * kCell; y < cy * kCell + kCell && y + 1 < in.height; y += 2) {
      const std::uint8_t* r = in.row(y);
      const std::uint8_t* below = in.row(y + 1);
      for (int cx = 0; cx < cols; ++cx) {
        int n = 0;
        for (int x = cx * kCell; x < cx * kCell + kCell && x + 1 < in.width; x += 2) {
          n += (std::abs(r[x + 1] - r[x]) > kEdgeStep) + (std::abs(below[x] - r[x]) > kEdgeStep);
        }
        at(activity, cx, cy) += n;
      }
    }
  }
  // 3x3 sums: a symbol is busy over an area, an isolated stroke of text is not.
  int best = 0;
  for (int cy = 1; cy + 1 < rows; ++cy) {
    for (int cx = 1; cx + 1 < cols; ++cx) {
      int s = 0;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) s += at(activity, cx + dx, cy + dy);
      at(score, cx, cy) = s;
      best = std::max(best, s);
    }
  }
  // At least a fifth of the samples in a 3x3 block must be edges (9 cells x 32 samples).
  constexpr int kMinScore = 9 * 32 / 5;
  for (int pick = 0; pick < max_count; ++pick) {
    int peak = 0;
    int px = -1;
    int py = -1;
    for (int cy = 1; cy + 1 < rows; ++cy)
      for (int cx = 1; cx + 1 < cols; ++cx)
        if (at(score, cx, cy) > peak) {
          peak = at(score, cx, cy);
          px = cx;
          py = cy;
        }
    if (px < 0 || peak < kMinScore) break;
    // Extent: how far the busy area reaches from the peak along the four directions.
    const int floor_score = peak * 2 / 5;
    int reach = 1;
    for (const auto& [dx, dy] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
      int k = 1;
      while (px + k * dx >= 1 && px + k * dx < cols - 1 && py + k * dy >= 1 &&
             py + k * dy < rows - 1 && at(score, px + k * dx, py + k * dy) >= floor_score)
        ++k;
      reach = std::max(reach, k);
    }
    // Generous: blur and glare thin out the edges at a symbol's ends, and a linear symbol
    // needs its quiet zones inside the window.
    const int radius = std::clamp(reach * kCell * 2 + 4 * kCell, 12 * kCell,
                                  std::max(in.width, in.height) / 2);
    found.push_back({{px * kCell + kCell / 2, py * kCell + kCell / 2}, radius});
    // Suppress the whole busy area so the next pick is another symbol.
    const int clear = reach + 2;
    for (int cy = std::max(1, py - clear); cy <= std::min(rows - 2, py + clear); ++cy)
      for (int cx = std::max(1, px - clear); cx <= std::min(cols - 2, px + clear); ++cx)
        at(score, cx, cy) = 0;
  }
  return found;
}

BackMap window(const FrameView& in, Point center, int radius, GreyImage& out) {
  const int side = 2 * radius;
  out.resize(side, side);
  const int x0 = center.x - radius;
  const int y0 = center.y - radius;
  for (int y = 0; y < side; ++y) {
    std::uint8_t* o = out.row(y);
    const int sy = y0 + y;
    if (sy < 0 || sy >= in.height) {
      std::fill(o, o + side, std::uint8_t{128});
      continue;
    }
    const std::uint8_t* r = in.row(sy);
    for (int x = 0; x < side; ++x) {
      const int sx = x0 + x;
      o[x] = (sx >= 0 && sx < in.width) ? r[sx] : std::uint8_t{128};
    }
  }
  return BackMap{1, 0, static_cast<double>(x0), 0, 1, static_cast<double>(y0)};
}

}  // namespace bcma::fw::scan
