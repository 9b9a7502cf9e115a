#include "bcma/fw/sim/frame_synth.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace bcma::fw::sim {

namespace {

// splitmix64: tiny, fast and identical on every platform (std:: distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = std::max(uniform(), 1e-300);
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * std::numbers::pi * u2);
    has_spare_ = true;
    return r * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

using Mat3 = std::array<std::array<double, 3>, 3>;

Mat3 multiply(const Mat3& a, const Mat3& b) {
  Mat3 r{};
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 3; ++k) r[i][j] += a[i][k] * b[k][j];
  return r;
}

Mat3 inverse(const Mat3& m) {
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  Mat3 r{};
  r[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
  r[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det;
  r[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det;
  r[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
  r[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
  r[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
  r[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
  r[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det;
  r[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
  return r;
}

struct Vec2 {
  double x;
  double y;
};

Vec2 apply(const Mat3& m, double x, double y) {
  const double w = m[2][0] * x + m[2][1] * y + m[2][2];
  return {(m[0][0] * x + m[0][1] * y + m[0][2]) / w, (m[1][0] * x + m[1][1] * y + m[1][2]) / w};
}

double radians(double deg) { return deg * std::numbers::pi / 180.0; }

// Barcode bitmap pixel -> frame pixel: centre the bitmap, scale, rotate, tilt the label plane in
// front of a pinhole camera, move to the placement point.
Mat3 barcode_to_frame(const scan::FrameView& barcode, const Scene& s) {
  const Mat3 centre{{{1, 0, -barcode.width / 2.0}, {0, 1, -barcode.height / 2.0}, {0, 0, 1}}};
  const Mat3 scale{{{s.scale, 0, 0}, {0, s.scale, 0}, {0, 0, 1}}};
  // Counter-clockwise on screen: y points down, so the usual matrix with -angle.
  const double a = radians(-s.rotation_deg);
  const Mat3 rotate{{{std::cos(a), -std::sin(a), 0}, {std::sin(a), std::cos(a), 0}, {0, 0, 1}}};
  // Plane point (u, v) -> R * (u, v, 0) + (0, 0, f), projected with focal length f, so an
  // untilted label maps 1:1. f about the frame diagonal is a typical phone-like field of view.
  const double f = std::hypot(s.frame_width, s.frame_height);
  const double ax = radians(s.tilt_x_deg);
  const double ay = radians(s.tilt_y_deg);
  const Mat3 rx{{{1, 0, 0}, {0, std::cos(ax), -std::sin(ax)}, {0, std::sin(ax), std::cos(ax)}}};
  const Mat3 ry{{{std::cos(ay), 0, std::sin(ay)}, {0, 1, 0}, {-std::sin(ay), 0, std::cos(ay)}}};
  const Mat3 r = multiply(ry, rx);
  const Mat3 project{{{f * r[0][0], f * r[0][1], 0}, {f * r[1][0], f * r[1][1], 0},
                      {r[2][0], r[2][1], f}}};
  const Mat3 place{{{1, 0, s.center_x * s.frame_width}, {0, 1, s.center_y * s.frame_height},
                    {0, 0, 1}}};
  return multiply(place, multiply(project, multiply(rotate, multiply(scale, centre))));
}

// Smooth random field in [-1, 1]: random values on a coarse grid, bilinearly interpolated.
class ValueNoise {
 public:
  ValueNoise(Rng& rng, int width, int height, int cell)
      : cell_(cell), cols_(width / cell + 2), rows_(height / cell + 2) {
    grid_.resize(static_cast<std::size_t>(cols_ * rows_));
    for (auto& v : grid_) v = rng.uniform(-1.0, 1.0);
  }
  double at(int x, int y) const {
    const double fx = static_cast<double>(x) / cell_;
    const double fy = static_cast<double>(y) / cell_;
    const int ix = static_cast<int>(fx);
    const int iy = static_cast<int>(fy);
    const double tx = fx - ix;
    const double ty = fy - iy;
    auto g = [&](int cx, int cy) { return grid_[static_cast<std::size_t>(cy * cols_ + cx)]; };
    const double top = g(ix, iy) * (1 - tx) + g(ix + 1, iy) * tx;
    const double bottom = g(ix, iy + 1) * (1 - tx) + g(ix + 1, iy + 1) * tx;
    return top * (1 - ty) + bottom * ty;
  }

 private:
  int cell_;
  int cols_;
  int rows_;
  std::vector<double> grid_;
};

// Bilinear sample of the barcode; outside the bitmap, -1 (background shows through).
double sample(const scan::FrameView& b, double x, double y) {
  x -= 0.5;
  y -= 0.5;
  if (x < -0.5 || y < -0.5 || x > b.width - 0.5 || y > b.height - 0.5) return -1.0;
  const int x0 = std::clamp(static_cast<int>(std::floor(x)), 0, b.width - 1);
  const int y0 = std::clamp(static_cast<int>(std::floor(y)), 0, b.height - 1);
  const int x1 = std::min(x0 + 1, b.width - 1);
  const int y1 = std::min(y0 + 1, b.height - 1);
  const double tx = std::clamp(x - x0, 0.0, 1.0);
  const double ty = std::clamp(y - y0, 0.0, 1.0);
  const double top = b.at(x0, y0) * (1 - tx) + b.at(x1, y0) * tx;
  const double bottom = b.at(x0, y1) * (1 - tx) + b.at(x1, y1) * tx;
  return (top * (1 - ty) + bottom * ty) / 255.0;
}

void gaussian_blur(std::vector<float>& img, int w, int h, double sigma) {
  const int radius = static_cast<int>(std::ceil(3.0 * sigma));
  std::vector<float> kernel(static_cast<std::size_t>(2 * radius + 1));
  float sum = 0.0F;
  for (int i = -radius; i <= radius; ++i) {
    const auto k = static_cast<float>(std::exp(-(i * i) / (2.0 * sigma * sigma)));
    kernel[static_cast<std::size_t>(i + radius)] = k;
    sum += k;
  }
  for (auto& k : kernel) k /= sum;
  std::vector<float> tmp(img.size());
  auto idx = [w](int x, int y) { return static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
                                        static_cast<std::size_t>(x); };
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      float acc = 0.0F;
      for (int i = -radius; i <= radius; ++i) {
        acc += kernel[static_cast<std::size_t>(i + radius)] * img[idx(std::clamp(x + i, 0, w - 1), y)];
      }
      tmp[idx(x, y)] = acc;
    }
  }
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      float acc = 0.0F;
      for (int i = -radius; i <= radius; ++i) {
        acc += kernel[static_cast<std::size_t>(i + radius)] * tmp[idx(x, std::clamp(y + i, 0, h - 1))];
      }
      img[idx(x, y)] = acc;
    }
  }
}

Result<void> check(const Scene& s) {
  auto bad = [](const std::string& what) { return fail("bad_scene", what); };
  if (s.frame_width < 16 || s.frame_height < 16 || s.frame_width > 4096 || s.frame_height > 4096)
    return bad("frame size must be 16..4096 pixels each way");
  if (!(s.scale >= 0.05 && s.scale <= 20.0)) return bad("scale must be 0.05..20");
  if (!(std::abs(s.tilt_x_deg) < 70.0 && std::abs(s.tilt_y_deg) < 70.0))
    return bad("tilt must be under 70 degrees");
  if (!(s.blur_sigma >= 0.0 && s.blur_sigma <= 20.0)) return bad("blur must be 0..20 pixels");
  if (!(s.noise_sigma >= 0.0 && s.noise_sigma <= 128.0)) return bad("noise must be 0..128");
  if (!(s.contrast >= 0.0 && s.contrast <= 1.0)) return bad("contrast must be 0..1");
  if (!(s.illumination >= 0.0 && s.illumination <= 1.0)) return bad("illumination must be 0..1");
  if (!(s.glare >= 0.0 && s.glare <= 1.0)) return bad("glare must be 0..1");
  if (!(s.glare_radius > 0.0 && s.glare_radius <= 4.0)) return bad("glare radius must be 0..4");
  if (s.clutter < 0 || s.clutter > 1000) return bad("clutter must be 0..1000");
  if (!std::isfinite(s.rotation_deg) || !std::isfinite(s.center_x) || !std::isfinite(s.center_y))
    return bad("rotation and centre must be finite");
  return {};
}

}  // namespace

Result<SyntheticFrame> synthesize(const scan::FrameView& barcode, const Scene& s) {
  if (auto v = scan::validate(barcode); !v) return Unexpected(v.error());
  if (auto v = check(s); !v) return Unexpected(v.error());

  const int w = s.frame_width;
  const int h = s.frame_height;
  Rng rng(s.seed);
  const Mat3 to_frame = barcode_to_frame(barcode, s);
  const Mat3 to_barcode = inverse(to_frame);

  SyntheticFrame out;
  auto corner = [&](double x, double y) {
    const Vec2 p = apply(to_frame, x, y);
    return scan::Point{static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y))};
  };
  const double bw = barcode.width;
  const double bh = barcode.height;
  out.symbol = {corner(0, 0), corner(bw, 0), corner(bw, bh), corner(0, bh)};

  // Background: a desk or a pack surface, mid grey with soft texture.
  const ValueNoise texture(rng, w, h, 24);
  const double base = rng.uniform(0.35, 0.6);
  std::vector<float> img(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
  auto px = [&](int x, int y) -> float& {
    return img[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)];
  };
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) px(x, y) = static_cast<float>(base + 0.08 * texture.at(x, y));

  // Clutter: short dark strokes like printed text, kept off the symbol's bounding box.
  const auto [min_x, max_x] = std::minmax({out.symbol.top_left.x, out.symbol.top_right.x,
                                          out.symbol.bottom_right.x, out.symbol.bottom_left.x});
  const auto [min_y, max_y] = std::minmax({out.symbol.top_left.y, out.symbol.top_right.y,
                                          out.symbol.bottom_right.y, out.symbol.bottom_left.y});
  for (int i = 0; i < s.clutter; ++i) {
    const int cw = static_cast<int>(rng.uniform(20, 120));
    const int ch = static_cast<int>(rng.uniform(4, 10));
    const int cx = static_cast<int>(rng.uniform(0, w - cw));
    const int cy = static_cast<int>(rng.uniform(0, h - ch));
    if (cx + cw >= min_x && cx <= max_x && cy + ch >= min_y && cy <= max_y) continue;
    const double ink = rng.uniform(0.05, 0.25);
    for (int y = cy; y < cy + ch; ++y)
      for (int x = cx; x < cx + cw; ++x)
        if (((x - cx) / 3) % 4 != 3) px(x, y) = static_cast<float>(ink);  // gaps between "letters"
  }

  // The label: 2x2 supersampled so that scaled-down modules are averaged, not aliased.
  const double paper = 0.92;
  const double ink = paper - s.contrast * (paper - 0.08);
  const int x_lo = std::max(0, min_x - 2);
  const int x_hi = std::min(w - 1, max_x + 2);
  const int y_lo = std::max(0, min_y - 2);
  const int y_hi = std::min(h - 1, max_y + 2);
  for (int y = y_lo; y <= y_hi; ++y) {
    for (int x = x_lo; x <= x_hi; ++x) {
      double acc = 0.0;
      int inside = 0;
      for (const double oy : {0.25, 0.75}) {
        for (const double ox : {0.25, 0.75}) {
          const Vec2 b = apply(to_barcode, x + ox, y + oy);
          const double v = sample(barcode, b.x, b.y);
          if (v < 0.0) continue;
          acc += ink + (paper - ink) * v;
          ++inside;
        }
      }
      if (inside > 0) {
        px(x, y) = static_cast<float>((acc + (4 - inside) * static_cast<double>(px(x, y))) / 4.0);
      }
    }
  }

  // Uneven light: a broad gradient across the frame.
  const double gx = rng.uniform(-1.0, 1.0);
  const double gy = rng.uniform(-1.0, 1.0);
  if (s.illumination > 0.0) {
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const double t = (gx * (x - w / 2.0) / w + gy * (y - h / 2.0) / h);  // about -1..1
        px(x, y) = static_cast<float>(px(x, y) * (1.0 - s.illumination * (0.5 + 0.5 * t)));
      }
    }
  }

  if (s.blur_sigma > 0.05) gaussian_blur(img, w, h, s.blur_sigma);

  // Glare: a specular spot somewhere over the symbol, added after the optics blur it anyway.
  if (s.glare > 0.0) {
    const scan::Point c = out.symbol.center();
    const double diag = std::hypot(max_x - min_x, max_y - min_y);
    const double gcx = c.x + rng.uniform(-0.3, 0.3) * (max_x - min_x);
    const double gcy = c.y + rng.uniform(-0.3, 0.3) * (max_y - min_y);
    const double sigma = std::max(2.0, s.glare_radius * diag / 2.0);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const double d2 = (x - gcx) * (x - gcx) + (y - gcy) * (y - gcy);
        if (d2 > 9 * sigma * sigma) continue;
        px(x, y) += static_cast<float>(s.glare * std::exp(-d2 / (2 * sigma * sigma)));
      }
    }
  }

  out.image = scan::GreyImage(w, h);
  for (int y = 0; y < h; ++y) {
    std::uint8_t* row = out.image.row(y);
    for (int x = 0; x < w; ++x) {
      double v = px(x, y) * 255.0;
      if (s.noise_sigma > 0.0) v += s.noise_sigma * rng.normal();
      row[x] = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
    }
  }
  return out;
}

}  // namespace bcma::fw::sim
