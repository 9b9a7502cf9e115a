// Writing zip archives for the synthetic release: each entry's local header is written with
// zero sizes and patched once the entry is complete (the output is a seekable file), so no
// data descriptors are needed and any unzip reads the result.
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

#include "bcma/station/dmd/errors.hpp"
#include "bcma/station/dmd/zip.hpp"
#include "zip_format.hpp"

namespace bcma::station::dmd {

namespace {

constexpr std::uint32_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01: reproducible output
constexpr std::uint32_t kUtf8Names = 0x0800;

Unexpected<Error> io_failure(const std::string& what) {
  return fail(errc::kIo, what + ": " + std::strerror(errno));
}

}  // namespace

struct ZipWriter::State {
  struct Done {
    std::string name;
    std::uint16_t method;
    std::uint32_t crc;
    std::uint64_t compressed;
    std::uint64_t size;
    std::uint64_t offset;
  };
  std::FILE* file = nullptr;
  std::string path;
  std::vector<Done> done;
  bool open_entry = false;
  Done current{};
  z_stream zs{};
  bool deflating = false;
  std::string buffer;

  ~State() {
    if (deflating) deflateEnd(&zs);
    if (file != nullptr) std::fclose(file);
  }

  Result<void> put(const char* data, std::size_t n) {
    if (n != 0 && std::fwrite(data, 1, n, file) != n) return io_failure("writing " + path);
    current.compressed += n;
    return {};
  }

  Result<void> pump(const char* data, std::size_t n, int flush) {
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    zs.avail_in = static_cast<uInt>(n);
    int rc = Z_OK;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buffer.data());
      zs.avail_out = static_cast<uInt>(buffer.size());
      rc = deflate(&zs, flush);
      if (rc == Z_STREAM_ERROR) return fail(errc::kIo, "zlib deflate failed");
      if (auto r = put(buffer.data(), buffer.size() - zs.avail_out); !r) return r;
    } while (zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    return {};
  }
};

ZipWriter::ZipWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
ZipWriter::ZipWriter(ZipWriter&&) noexcept = default;
ZipWriter& ZipWriter::operator=(ZipWriter&&) noexcept = default;
ZipWriter::~ZipWriter() = default;

Result<ZipWriter> ZipWriter::create(const std::filesystem::path& file) {
  auto s = std::make_unique<State>();
  s->path = file.string();
  s->file = std::fopen(file.c_str(), "wb");
  if (s->file == nullptr) return io_failure("cannot create " + file.string());
  s->buffer.resize(256 * 1024);
  return ZipWriter(std::move(s));
}

Result<void> ZipWriter::begin_entry(std::string_view name, bool deflate) {
  State& s = *state_;
  if (s.open_entry) return fail("invalid_argument", "an entry is still open");
  if (name.empty() || name.size() > 0xFFFF) return fail("invalid_argument", "bad entry name");
  const long at = std::ftell(s.file);
  if (at < 0) return io_failure("writing " + s.path);
  s.current = State::Done{std::string(name), static_cast<std::uint16_t>(deflate ? 8 : 0),
                          static_cast<std::uint32_t>(::crc32(0L, Z_NULL, 0)), 0, 0, static_cast<std::uint64_t>(at)};
  std::string h;
  zipfmt::put32(h, zipfmt::kLocalSig);
  zipfmt::put16(h, 20);
  zipfmt::put16(h, kUtf8Names);
  zipfmt::put16(h, s.current.method);
  zipfmt::put16(h, 0);
  zipfmt::put16(h, kDosDate);
  zipfmt::put32(h, 0);  // CRC-32, compressed and uncompressed size: patched by end_entry
  zipfmt::put32(h, 0);
  zipfmt::put32(h, 0);
  zipfmt::put16(h, static_cast<std::uint32_t>(name.size()));
  zipfmt::put16(h, 0);
  h.append(name);
  if (std::fwrite(h.data(), 1, h.size(), s.file) != h.size()) return io_failure("writing " + s.path);
  if (deflate) {
    s.zs = z_stream{};
    // Level 1: the generator writes hundreds of megabytes; speed matters more than size.
    if (deflateInit2(&s.zs, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return fail(errc::kIo, "zlib could not start");
    }
    s.deflating = true;
  }
  s.open_entry = true;
  return {};
}

Result<void> ZipWriter::write(std::string_view bytes) {
  State& s = *state_;
  if (!s.open_entry) return fail("invalid_argument", "no entry is open");
  s.current.crc = static_cast<std::uint32_t>(::crc32(s.current.crc, reinterpret_cast<const Bytef*>(bytes.data()),
                                                     static_cast<uInt>(bytes.size())));
  s.current.size += bytes.size();
  if (s.deflating) return s.pump(bytes.data(), bytes.size(), Z_NO_FLUSH);
  return s.put(bytes.data(), bytes.size());
}

Result<void> ZipWriter::end_entry() {
  State& s = *state_;
  if (!s.open_entry) return fail("invalid_argument", "no entry is open");
  if (s.deflating) {
    if (auto r = s.pump(nullptr, 0, Z_FINISH); !r) return r;
    deflateEnd(&s.zs);
    s.deflating = false;
  }
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (s.current.size >= kMax || s.current.compressed >= kMax || s.current.offset >= kMax) {
    return fail(errc::kIo, s.current.name + " is too large for a zip without Zip64");
  }
  std::string patch;
  zipfmt::put32(patch, s.current.crc);
  zipfmt::put32(patch, static_cast<std::uint32_t>(s.current.compressed));
  zipfmt::put32(patch, static_cast<std::uint32_t>(s.current.size));
  if (std::fseek(s.file, static_cast<long>(s.current.offset + 14), SEEK_SET) != 0 ||
      std::fwrite(patch.data(), 1, patch.size(), s.file) != patch.size() ||
      std::fseek(s.file, 0, SEEK_END) != 0) {
    return io_failure("writing " + s.path);
  }
  s.done.push_back(s.current);
  s.open_entry = false;
  return {};
}

Result<void> ZipWriter::add_file(std::string_view name, const std::filesystem::path& file, bool deflate) {
  std::FILE* in = std::fopen(file.c_str(), "rb");
  if (in == nullptr) return io_failure("cannot open " + file.string());
  struct Closer {
    std::FILE* f;
    ~Closer() { std::fclose(f); }
  } closer{in};
  if (auto r = begin_entry(name, deflate); !r) return r;
  std::string buf(256 * 1024, '\0');
  for (;;) {
    const std::size_t n = std::fread(buf.data(), 1, buf.size(), in);
    if (n > 0) {
      if (auto r = write(std::string_view(buf.data(), n)); !r) return r;
    }
    if (n < buf.size()) {
      if (std::ferror(in) != 0) return io_failure("reading " + file.string());
      break;
    }
  }
  return end_entry();
}

Result<void> ZipWriter::finish() {
  State& s = *state_;
  if (s.open_entry) return fail("invalid_argument", "an entry is still open");
  const long cd_at = std::ftell(s.file);
  if (cd_at < 0) return io_failure("writing " + s.path);
  std::string cd;
  for (const auto& d : s.done) {
    zipfmt::put32(cd, zipfmt::kCentralSig);
    zipfmt::put16(cd, 0x031E);  // made by: Unix, spec 3.0
    zipfmt::put16(cd, 20);
    zipfmt::put16(cd, kUtf8Names);
    zipfmt::put16(cd, d.method);
    zipfmt::put16(cd, 0);
    zipfmt::put16(cd, kDosDate);
    zipfmt::put32(cd, d.crc);
    zipfmt::put32(cd, static_cast<std::uint32_t>(d.compressed));
    zipfmt::put32(cd, static_cast<std::uint32_t>(d.size));
    zipfmt::put16(cd, static_cast<std::uint32_t>(d.name.size()));
    zipfmt::put16(cd, 0);
    zipfmt::put16(cd, 0);
    zipfmt::put16(cd, 0);
    zipfmt::put16(cd, 0);
    zipfmt::put32(cd, 0100644u << 16);  // a regular file, rw-r--r--
    zipfmt::put32(cd, static_cast<std::uint32_t>(d.offset));
    cd += d.name;
  }
  if (s.done.size() >= 0xFFFF) return fail(errc::kIo, "too many entries for a zip without Zip64");
  zipfmt::put32(cd, zipfmt::kEocdSig);
  zipfmt::put16(cd, 0);
  zipfmt::put16(cd, 0);
  zipfmt::put16(cd, static_cast<std::uint32_t>(s.done.size()));
  zipfmt::put16(cd, static_cast<std::uint32_t>(s.done.size()));
  zipfmt::put32(cd, static_cast<std::uint32_t>(cd.size() - 0));  // patched below
  zipfmt::put32(cd, static_cast<std::uint32_t>(cd_at));
  zipfmt::put16(cd, 0);
  // The central directory size excludes the end record itself.
  const std::uint32_t cd_size = static_cast<std::uint32_t>(cd.size() - zipfmt::kEocdSize);
  std::string size_bytes;
  zipfmt::put32(size_bytes, cd_size);
  cd.replace(cd.size() - zipfmt::kEocdSize + 12, 4, size_bytes);
  if (std::fwrite(cd.data(), 1, cd.size(), s.file) != cd.size()) return io_failure("writing " + s.path);
  const int rc = std::fclose(s.file);
  s.file = nullptr;
  if (rc != 0) return io_failure("closing " + s.path);
  return {};
}

}  // namespace bcma::station::dmd
