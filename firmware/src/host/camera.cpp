#include "bcma/fw/host/camera.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "bcma/fw/sim/barcode_maker.hpp"
#include "bcma/fw/sim/frame_synth.hpp"
#include "bcma/fw/sim/image_file.hpp"

namespace bcma::fw::host {

void QueueCamera::show(scan::GreyImage frame) { frames_.push_back(std::move(frame)); }

void QueueCamera::show(std::vector<scan::GreyImage> frames) {
  for (auto& f : frames) frames_.push_back(std::move(f));
}

hal::Result<void> QueueCamera::DoStart() {
  started_ = true;
  return {};
}

hal::Result<hal::CapturedFrame> QueueCamera::DoCapture(std::chrono::milliseconds timeout) {
  (void)timeout;  // frames are put in front of the lens by the caller: nothing arrives meanwhile
  if (!started_) return hal::fail(hal::Errc::unavailable, "the camera is not started");
  if (frames_.empty()) {
    if (closed_) return hal::fail(hal::Errc::end_of_input, "no more frames");
    return hal::fail(hal::Errc::timeout, "no frame in front of the camera");
  }
  current_ = std::move(frames_.front());
  frames_.pop_front();
  return hal::CapturedFrame{current_.view(), std::chrono::steady_clock::now()};
}

void QueueCamera::DoStop() { started_ = false; }

namespace {

bool is_image_name(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pgm", ".pnm", ".tga"}) {
    if (ext == e) return true;
  }
  return false;
}

Result<double> number(std::string_view key, std::string_view text) {
  double v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || !std::isfinite(v)) {
    return fail("bad_option", std::string(key) + "=" + std::string(text) + ": not a number");
  }
  return v;
}

Result<sim::Symbology> symbology_of(const std::string& name, const std::string& content) {
  if (name.empty()) {
    return content.starts_with("(") ? sim::Symbology::kGs1DataMatrix : sim::Symbology::kDataMatrix;
  }
  static const std::pair<const char*, sim::Symbology> kNames[] = {
      {"gs1-datamatrix", sim::Symbology::kGs1DataMatrix}, {"datamatrix", sim::Symbology::kDataMatrix},
      {"gs1-qr", sim::Symbology::kGs1QrCode},             {"qr", sim::Symbology::kQrCode},
      {"code128", sim::Symbology::kCode128},              {"gs1-128", sim::Symbology::kGs1_128},
      {"ean13", sim::Symbology::kEan13},                  {"databar", sim::Symbology::kDataBar},
  };
  for (const auto& [n, s] : kNames) {
    if (name == n) return s;
  }
  return fail("bad_option", "symbology=" + name +
                                ": not one of gs1-datamatrix, datamatrix, gs1-qr, qr, code128, "
                                "gs1-128, ean13, databar");
}

}  // namespace

Result<std::vector<scan::GreyImage>> load_frames(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      if (entry.is_regular_file() && is_image_name(entry.path())) files.push_back(entry.path());
    }
    if (ec) return fail("unreadable_file", path.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) return fail("no_images", path.string() + ": no image files in this folder");
  } else {
    files.push_back(path);
  }
  std::vector<scan::GreyImage> out;
  for (const auto& f : files) {
    auto image = sim::load_image(f);
    if (!image) return Unexpected(image.error());
    out.push_back(std::move(*image));
  }
  return out;
}

Result<void> apply_synth_option(std::string_view key_value, SynthOptions& options) {
  const auto eq = key_value.find('=');
  if (eq == std::string_view::npos) {
    return fail("bad_option", std::string(key_value) + ": expected key=value");
  }
  const std::string_view key = key_value.substr(0, eq);
  const std::string_view value = key_value.substr(eq + 1);
  if (key == "symbology") {
    options.symbology = std::string(value);
    return {};
  }
  auto v = number(key, value);
  if (!v) return Unexpected(v.error());
  if (key == "scale") options.scale = *v;
  else if (key == "rotate") options.rotate_deg = *v;
  else if (key == "blur") options.blur = *v;
  else if (key == "noise") options.noise = *v;
  else if (key == "contrast") options.contrast = *v;
  else if (key == "skew") options.skew_deg = *v;
  else if (key == "glare") options.glare = *v;
  else if (key == "width") options.width = static_cast<int>(*v);
  else if (key == "height") options.height = static_cast<int>(*v);
  else if (key == "seed") options.seed = static_cast<std::uint64_t>(*v);
  else {
    return fail("bad_option", std::string(key) +
                                  ": unknown option (symbology, scale, rotate, blur, noise, "
                                  "contrast, skew, glare, width, height, seed)");
  }
  return {};
}

Result<scan::GreyImage> synthesize_frame(const std::string& content, const SynthOptions& options) {
  auto symbology = symbology_of(options.symbology, content);
  if (!symbology) return Unexpected(symbology.error());
  sim::BarcodeSpec spec;
  spec.symbology = *symbology;
  spec.data = content;
  auto barcode = sim::make_barcode(spec);
  if (!barcode) return Unexpected(barcode.error());
  sim::Scene scene;
  scene.frame_width = options.width;
  scene.frame_height = options.height;
  scene.scale = options.scale;
  scene.rotation_deg = options.rotate_deg;
  scene.tilt_x_deg = options.skew_deg;
  scene.tilt_y_deg = options.skew_deg / 2;
  scene.blur_sigma = options.blur;
  scene.noise_sigma = options.noise;
  scene.contrast = options.contrast;
  scene.glare = options.glare;
  scene.seed = options.seed;
  auto frame = sim::synthesize(barcode->view(), scene);
  if (!frame) return Unexpected(frame.error());
  return std::move(frame->image);
}

}  // namespace bcma::fw::host
