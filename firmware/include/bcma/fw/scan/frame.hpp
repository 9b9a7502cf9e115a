#pragma once
/// \file
/// Camera frames: an 8-bit greyscale view the pipeline reads but does not own (the camera
/// driver or the simulator owns the pixels), and a small owning image for the places that
/// need one (the simulator, reused work buffers).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "bcma/core/result.hpp"

namespace bcma::fw::scan {

/// A pixel position in a frame (x to the right, y down).
struct Point {
  int x = 0;
  int y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

/// Where a symbol lies in a frame, corners in the symbol's own reading order (top left of the
/// symbol as printed, then clockwise), so a rotated symbol has a rotated quad.
struct Quad {
  Point top_left;
  Point top_right;
  Point bottom_right;
  Point bottom_left;
  friend bool operator==(const Quad&, const Quad&) = default;

  Point center() const {
    return {(top_left.x + top_right.x + bottom_right.x + bottom_left.x) / 4,
            (top_left.y + top_right.y + bottom_right.y + bottom_left.y) / 4};
  }
};

/// A greyscale frame: `height` rows of `width` pixels, row `y` starting at `pixels + y*stride`.
/// 0 is black, 255 white. The view never owns or frees the pixels.
struct FrameView {
  int width = 0;
  int height = 0;
  int stride = 0;  ///< bytes from one row to the next, >= width
  const std::uint8_t* pixels = nullptr;

  const std::uint8_t* row(int y) const {
    return pixels + static_cast<std::ptrdiff_t>(y) * stride;
  }
  std::uint8_t at(int x, int y) const { return row(y)[x]; }
};

/// Checks that a view describes readable memory: non-null pixels, positive size, stride >= width.
/// Errors: `bad_frame` (with what is wrong).
Result<void> validate(const FrameView& frame);

/// An owning greyscale image with rows packed (stride == width). Resizing keeps the capacity,
/// so a buffer reused frame after frame stops allocating once it has seen the largest frame.
class GreyImage {
 public:
  GreyImage() = default;
  GreyImage(int width, int height, std::uint8_t fill = 255);

  /// Re-shapes the image; contents are unspecified afterwards. Never shrinks the allocation.
  void resize(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }
  bool empty() const { return width_ == 0 || height_ == 0; }

  std::uint8_t* row(int y) { return pixels_.data() + static_cast<std::size_t>(y) * stride(); }
  const std::uint8_t* row(int y) const {
    return pixels_.data() + static_cast<std::size_t>(y) * stride();
  }
  std::uint8_t& at(int x, int y) { return row(y)[x]; }
  std::uint8_t at(int x, int y) const { return row(y)[x]; }

  std::span<std::uint8_t> pixels() { return {pixels_.data(), size()}; }
  std::span<const std::uint8_t> pixels() const { return {pixels_.data(), size()}; }

  FrameView view() const { return FrameView{width_, height_, width_, pixels_.data()}; }

 private:
  std::size_t stride() const { return static_cast<std::size_t>(width_); }
  std::size_t size() const { return stride() * static_cast<std::size_t>(height_); }

  int width_ = 0;
  int height_ = 0;
  std::vector<std::uint8_t> pixels_;
};

/// Copies a view into an owning image; an invalid view (see `validate`) gives an empty image.
GreyImage copy_of(const FrameView& frame);

}  // namespace bcma::fw::scan
