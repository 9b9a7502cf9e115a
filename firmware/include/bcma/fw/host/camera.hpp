#pragma once
/// \file
/// The simulator's camera: a queue of frames that the scenario (a script, a test, a person at
/// the terminal) puts in front of the lens - image files, every image of a folder, or frames
/// synthesised from a barcode the way a handheld camera sees it (bcma::fw_sim).

#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/fw/hal/camera.hpp"
#include "bcma/fw/scan/frame.hpp"

namespace bcma::fw::host {

class QueueCamera final : public hal::Camera {
 public:
  /// Puts frames in front of the lens; each is captured once, in order.
  void show(scan::GreyImage frame);
  void show(std::vector<scan::GreyImage> frames);
  /// No more frames will come: `capture` then answers `end_of_input` once the queue is empty.
  void close() { closed_ = true; }
  std::size_t queued() const { return frames_.size(); }

 private:
  hal::Result<void> DoStart() override;
  hal::Result<hal::CapturedFrame> DoCapture(std::chrono::milliseconds timeout) override;
  void DoStop() override;

  std::deque<scan::GreyImage> frames_;
  scan::GreyImage current_;  ///< the frame last captured: its view stays valid until the next
  bool started_ = false;
  bool closed_ = false;
};

/// The images of `path`: the file itself, or every file of a folder with an image extension
/// (.png .jpg .jpeg .bmp .gif .pgm .pnm .tga), in name order.
/// Errors: `file_not_found`, `unreadable_file`, `bad_image`, `image_too_large`
/// (see sim::load_image), `no_images` (a folder with no image in it).
Result<std::vector<scan::GreyImage>> load_frames(const std::filesystem::path& path);

/// How a synthesised frame looks: the symbology and the camera's view of it.
struct SynthOptions {
  /// "gs1-datamatrix", "datamatrix", "qr", "gs1-qr", "code128", "gs1-128", "ean13",
  /// "databar"; empty: GS1 DataMatrix for bracketed GS1 data "(01)...", DataMatrix otherwise.
  std::string symbology;
  double scale = 2.0;      ///< frame pixels per barcode pixel (4 px modules)
  double rotate_deg = 0;
  double blur = 0;         ///< Gaussian sigma, frame pixels
  double noise = 0;        ///< grey levels
  double contrast = 1.0;   ///< 0..1
  double skew_deg = 0;     ///< perspective tilt about both axes
  double glare = 0;        ///< 0..1
  int width = 640;
  int height = 480;
  std::uint64_t seed = 1;
};

/// Parses "key=value" options of a `scan-synth` step (symbology, scale, rotate, blur, noise,
/// contrast, skew, glare, width, height, seed) into `options`.
/// Errors: `bad_option` (unknown key, or a value that is not a number where one is needed).
Result<void> apply_synth_option(std::string_view key_value, SynthOptions& options);

/// A camera frame of a barcode holding `content`.
/// Errors: `bad_option` (unknown symbology), the encoder's (`encode_failed`, `bad_spec`) and
/// the synthesiser's (`bad_scene`).
Result<scan::GreyImage> synthesize_frame(const std::string& content, const SynthOptions& options);

}  // namespace bcma::fw::host
