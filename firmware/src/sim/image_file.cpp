#include "bcma/fw/sim/image_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>

// The implementations come from Debian's compiled libstb (linked by bcma_fw_sim), so the
// headers are included for declarations only.
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

namespace bcma::fw::sim {

namespace {

constexpr long long kMaxPixels = 64LL * 1024 * 1024;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
struct StbFree {
  void operator()(unsigned char* p) const { stbi_image_free(p); }
};

std::string quoted(const std::filesystem::path& path) {
  std::string q(1, '\'');
  q.append(path.string()).push_back('\'');
  return q;
}

}  // namespace

Result<scan::GreyImage> load_image(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    return fail("file_not_found", "no such file: " + quoted(path));
  }
  if (status.type() == std::filesystem::file_type::directory) {
    return fail("unreadable_file", quoted(path) + " is a directory, not an image file");
  }
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return fail("unreadable_file",
                "cannot open " + quoted(path) + ": " + std::strerror(errno));
  }
  int width = 0;
  int height = 0;
  int channels = 0;
  if (stbi_info_from_file(file.get(), &width, &height, &channels) == 0) {
    return fail("bad_image", quoted(path) + " is not a readable PNG/JPEG image (" +
                                 stbi_failure_reason() + ")");
  }
  if (static_cast<long long>(width) * height > kMaxPixels) {
    return fail("image_too_large", quoted(path) + " is " + std::to_string(width) + "x" +
                                       std::to_string(height) +
                                       " pixels; the limit is 64 megapixels");
  }
  std::unique_ptr<unsigned char, StbFree> pixels(
      stbi_load_from_file(file.get(), &width, &height, &channels, 1));
  if (!pixels) {
    return fail("bad_image",
                "cannot decode " + quoted(path) + " (" + stbi_failure_reason() + ")");
  }
  scan::GreyImage image(width, height);
  const auto bytes = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  std::memcpy(image.pixels().data(), pixels.get(), bytes);
  return image;
}

Result<void> write_png(const std::filesystem::path& path, const scan::FrameView& frame) {
  if (auto valid = scan::validate(frame); !valid) return Unexpected(valid.error());
  errno = 0;
  if (stbi_write_png(path.c_str(), frame.width, frame.height, 1, frame.pixels, frame.stride) ==
      0) {
    const std::string why = errno != 0 ? std::strerror(errno) : "encoder failed";
    return fail("write_failed", "cannot write PNG " + quoted(path) + ": " + why);
  }
  return {};
}

}  // namespace bcma::fw::sim
