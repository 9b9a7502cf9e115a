// Reading zip archives: central directory (with Zip64), stored and deflated entries, nested
// archives. Layout facts are from PKWARE's APPNOTE (sections 4.3 and 4.5).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "bcma/station/dmd/errors.hpp"
#include "bcma/station/dmd/zip.hpp"
#include "zip_format.hpp"

namespace bcma::station::dmd {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::uint64_t size() const = 0;
  /// Reads exactly `n` bytes at `offset`. Errors: `io_error`, `bad_zip` (past the end).
  virtual Result<void> read_at(std::uint64_t offset, char* buf, std::size_t n) const = 0;
};

namespace {

using zipfmt::get16;
using zipfmt::get32;
using zipfmt::get64;

Unexpected<Error> bad(const std::string& label, const std::string& why) {
  return fail(errc::kBadZip, label + ": " + why);
}

// A whole file, read with pread so that one descriptor serves every entry.
class FileSource final : public ByteSource {
 public:
  FileSource(int fd, std::uint64_t size, std::FILE* owned_stream)
      : fd_(fd), size_(size), stream_(owned_stream) {}
  ~FileSource() override {
    if (stream_ != nullptr) {
      std::fclose(stream_);
    } else if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::uint64_t size() const override { return size_; }
  Result<void> read_at(std::uint64_t offset, char* buf, std::size_t n) const override {
    if (offset > size_ || n > size_ - offset) {
      return fail(errc::kBadZip, "the archive ends before byte " + std::to_string(offset + n));
    }
    std::size_t done = 0;
    while (done < n) {
      const ssize_t got = ::pread(fd_, buf + done, n - done, static_cast<off_t>(offset + done));
      if (got < 0) {
        if (errno == EINTR) continue;
        return fail(errc::kIo, std::string("reading the archive: ") + std::strerror(errno));
      }
      if (got == 0) return fail(errc::kBadZip, "the archive is shorter than it claims");
      done += static_cast<std::size_t>(got);
    }
    return {};
  }

 private:
  int fd_;
  std::uint64_t size_;
  std::FILE* stream_;
};

// An entry stored (not compressed) inside another archive: read in place.
class SliceSource final : public ByteSource {
 public:
  SliceSource(std::shared_ptr<ByteSource> parent, std::uint64_t base, std::uint64_t size)
      : parent_(std::move(parent)), base_(base), size_(size) {}
  std::uint64_t size() const override { return size_; }
  Result<void> read_at(std::uint64_t offset, char* buf, std::size_t n) const override {
    if (offset > size_ || n > size_ - offset) {
      return fail(errc::kBadZip, "the nested archive ends before byte " + std::to_string(offset + n));
    }
    return parent_->read_at(base_ + offset, buf, n);
  }

 private:
  std::shared_ptr<ByteSource> parent_;
  std::uint64_t base_;
  std::uint64_t size_;
};

constexpr std::size_t kChunk = 256 * 1024;

// Finds the end of central directory record in the last 64 KiB + 22 bytes of the archive.
Result<std::uint64_t> find_eocd(const ByteSource& src, const std::string& label) {
  const std::uint64_t size = src.size();
  if (size < zipfmt::kEocdSize) return bad(label, "too short to be a zip archive");
  const std::uint64_t span = std::min<std::uint64_t>(size, zipfmt::kEocdSize + 0xFFFF);
  std::string tail(static_cast<std::size_t>(span), '\0');
  if (auto r = src.read_at(size - span, tail.data(), tail.size()); !r) {
    return Unexpected(Error{r.error().code, label + ": " + r.error().message});
  }
  for (std::size_t i = tail.size() - zipfmt::kEocdSize + 1; i-- > 0;) {
    if (get32(tail.data() + i) == zipfmt::kEocdSig) {
      // The comment must run exactly to the end of the file, or this is comment text.
      const std::uint16_t comment = get16(tail.data() + i + 20);
      if (i + zipfmt::kEocdSize + comment == tail.size()) return size - span + i;
    }
  }
  return bad(label, "no end of central directory record: not a zip archive, or truncated");
}

}  // namespace

ZipArchive::ZipArchive(std::shared_ptr<ByteSource> source, std::string label)
    : source_(std::move(source)), label_(std::move(label)) {}
ZipArchive::ZipArchive(ZipArchive&&) noexcept = default;
ZipArchive& ZipArchive::operator=(ZipArchive&&) noexcept = default;
ZipArchive::~ZipArchive() = default;

Result<ZipArchive> ZipArchive::open(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail(errc::kIo, "cannot open " + file.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return fail(errc::kIo, "cannot read " + file.string() + ": " + std::strerror(e));
  }
  auto src = std::make_shared<FileSource>(fd, static_cast<std::uint64_t>(st.st_size), nullptr);
  return from_source(std::move(src), file.filename().string());
}

Result<ZipArchive> ZipArchive::from_source(std::shared_ptr<ByteSource> source, std::string label) {
  ZipArchive zip(std::move(source), std::move(label));
  const ByteSource& src = *zip.source_;
  auto eocd_at = find_eocd(src, zip.label_);
  if (!eocd_at) return Unexpected(std::move(eocd_at).error());
  std::array<char, zipfmt::kEocdSize> eocd{};
  if (auto r = src.read_at(*eocd_at, eocd.data(), eocd.size()); !r) return Unexpected(r.error());
  std::uint64_t disk = get16(eocd.data() + 4);
  std::uint64_t cd_disk = get16(eocd.data() + 6);
  std::uint64_t count = get16(eocd.data() + 10);
  std::uint64_t cd_size = get32(eocd.data() + 12);
  std::uint64_t cd_offset = get32(eocd.data() + 16);

  if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
    // Zip64: a locator just before the end record points at the Zip64 end record.
    if (*eocd_at < zipfmt::kZip64LocatorSize) return bad(zip.label_, "Zip64 locator missing");
    std::array<char, zipfmt::kZip64LocatorSize> loc{};
    if (auto r = src.read_at(*eocd_at - loc.size(), loc.data(), loc.size()); !r) return Unexpected(r.error());
    if (get32(loc.data()) != zipfmt::kZip64LocatorSig) return bad(zip.label_, "Zip64 locator missing");
    const std::uint64_t z64_at = get64(loc.data() + 8);
    std::array<char, zipfmt::kZip64EocdSize> z64{};
    if (auto r = src.read_at(z64_at, z64.data(), z64.size()); !r) {
      return bad(zip.label_, "Zip64 end record outside the archive");
    }
    if (get32(z64.data()) != zipfmt::kZip64EocdSig) return bad(zip.label_, "Zip64 end record missing");
    disk = get32(z64.data() + 16);
    cd_disk = get32(z64.data() + 20);
    count = get64(z64.data() + 32);
    cd_size = get64(z64.data() + 40);
    cd_offset = get64(z64.data() + 48);
  }
  if (disk != 0 || cd_disk != 0) return bad(zip.label_, "multi-disk archives are not supported");
  if (cd_offset > src.size() || cd_size > src.size() - cd_offset) {
    return bad(zip.label_, "the central directory lies outside the archive (truncated?)");
  }
  // The central directory of a dm+d release is a few kilobytes; read it whole.
  if (cd_size > 64 * 1024 * 1024) return bad(zip.label_, "central directory too large");
  std::string cd(static_cast<std::size_t>(cd_size), '\0');
  if (auto r = src.read_at(cd_offset, cd.data(), cd.size()); !r) return Unexpected(r.error());

  std::size_t p = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (p + zipfmt::kCentralSize > cd.size() || get32(cd.data() + p) != zipfmt::kCentralSig) {
      return bad(zip.label_, "central directory entry " + std::to_string(i + 1) + " is damaged");
    }
    const char* h = cd.data() + p;
    Entry e;
    const std::uint16_t flags = get16(h + 8);
    e.method = get16(h + 10);
    e.crc32 = get32(h + 16);
    e.compressed_size = get32(h + 20);
    e.size = get32(h + 24);
    const std::size_t name_len = get16(h + 28);
    const std::size_t extra_len = get16(h + 30);
    const std::size_t comment_len = get16(h + 32);
    e.local_header_offset = get32(h + 42);
    if (p + zipfmt::kCentralSize + name_len + extra_len + comment_len > cd.size()) {
      return bad(zip.label_, "central directory entry " + std::to_string(i + 1) + " is damaged");
    }
    e.name.assign(h + zipfmt::kCentralSize, name_len);
    // Zip64 extended information: the fields whose 32-bit value is all ones, in this order.
    const char* x = h + zipfmt::kCentralSize + name_len;
    for (std::size_t q = 0; q + 4 <= extra_len;) {
      const std::uint16_t id = get16(x + q);
      const std::size_t len = get16(x + q + 2);
      if (q + 4 + len > extra_len) break;
      if (id == 0x0001) {
        std::size_t f = q + 4;
        auto take = [&](std::uint64_t& field) {
          if (field == 0xFFFFFFFF && f + 8 <= q + 4 + len) {
            field = get64(x + f);
            f += 8;
          }
        };
        take(e.size);
        take(e.compressed_size);
        take(e.local_header_offset);
      }
      q += 4 + len;
    }
    if ((flags & 0x0001) != 0) return bad(zip.label_, e.name + " is encrypted");
    if (e.local_header_offset >= src.size()) {
      return bad(zip.label_, e.name + " starts past the end of the archive (truncated?)");
    }
    zip.entries_.push_back(std::move(e));
    p += zipfmt::kCentralSize + name_len + extra_len + comment_len;
  }
  return zip;
}

Result<std::uint64_t> ZipArchive::data_offset(const Entry& e) const {
  std::array<char, zipfmt::kLocalSize> h{};
  if (auto r = source_->read_at(e.local_header_offset, h.data(), h.size()); !r) {
    return bad(label_, e.name + ": local header outside the archive (truncated?)");
  }
  if (get32(h.data()) != zipfmt::kLocalSig) return bad(label_, e.name + ": local header is damaged");
  const std::uint64_t at =
      e.local_header_offset + zipfmt::kLocalSize + get16(h.data() + 26) + get16(h.data() + 28);
  if (at > source_->size() || e.compressed_size > source_->size() - at) {
    return bad(label_, e.name + " is truncated: the archive ends inside its data");
  }
  return at;
}

Result<void> ZipArchive::read(const Entry& e, const ChunkSink& sink) const {
  if (e.method != 0 && e.method != 8) {
    return bad(label_, e.name + " uses compression method " + std::to_string(e.method) +
                           " (only stored and deflated are supported)");
  }
  auto at = data_offset(e);
  if (!at) return Unexpected(std::move(at).error());
  std::string in(kChunk, '\0');
  uLong crc = ::crc32(0L, Z_NULL, 0);
  std::uint64_t produced = 0;
  auto emit = [&](const char* data, std::size_t n) -> Result<void> {
    if (n == 0) return {};
    produced += n;
    if (produced > e.size) return bad(label_, e.name + " holds more bytes than its directory entry says");
    crc = ::crc32(crc, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(n));
    return sink(std::string_view(data, n));
  };

  if (e.method == 0) {
    if (e.compressed_size != e.size) return bad(label_, e.name + ": stored entry with two sizes");
    for (std::uint64_t done = 0; done < e.size;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, e.size - done));
      if (auto r = source_->read_at(*at + done, in.data(), n); !r) return r;
      if (auto r = emit(in.data(), n); !r) return r;
      done += n;
    }
  } else {
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return bad(label_, "zlib could not start");
    struct Guard {
      z_stream* z;
      ~Guard() { inflateEnd(z); }
    } guard{&zs};
    std::string out(kChunk, '\0');
    std::uint64_t consumed = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (zs.avail_in == 0) {
        if (consumed == e.compressed_size) {
          return bad(label_, e.name + " is truncated: its compressed data ends early");
        }
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, e.compressed_size - consumed));
        if (auto r = source_->read_at(*at + consumed, in.data(), n); !r) return r;
        consumed += n;
        zs.next_in = reinterpret_cast<Bytef*>(in.data());
        zs.avail_in = static_cast<uInt>(n);
      }
      zs.next_out = reinterpret_cast<Bytef*>(out.data());
      zs.avail_out = static_cast<uInt>(out.size());
      rc = inflate(&zs, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) {
        return bad(label_, e.name + " has corrupt compressed data (zlib: " +
                               (zs.msg != nullptr ? zs.msg : "error " + std::to_string(rc)) + ")");
      }
      if (auto r = emit(out.data(), out.size() - zs.avail_out); !r) return r;
    }
    if (zs.avail_in != 0 || consumed != e.compressed_size) {
      return bad(label_, e.name + ": compressed data continues after its end");
    }
  }
  if (produced != e.size) {
    return bad(label_, e.name + " is truncated: " + std::to_string(produced) + " of " +
                           std::to_string(e.size) + " bytes");
  }
  if (static_cast<std::uint32_t>(crc) != e.crc32) return bad(label_, e.name + ": CRC-32 mismatch");
  return {};
}

Result<ZipArchive> ZipArchive::open_nested(const Entry& e) const {
  const std::string label = label_ + "!" + e.name;
  if (e.method == 0) {
    auto at = data_offset(e);
    if (!at) return Unexpected(std::move(at).error());
    // Check the stored bytes once (CRC) before trusting them as an archive.
    if (auto r = read(e, [](std::string_view) -> Result<void> { return {}; }); !r) return Unexpected(r.error());
    return from_source(std::make_shared<SliceSource>(source_, *at, e.size), label);
  }
  std::FILE* tmp = std::tmpfile();
  if (tmp == nullptr) return fail(errc::kIo, std::string("cannot create a temporary file: ") + std::strerror(errno));
  auto src = std::make_shared<FileSource>(::fileno(tmp), e.size, tmp);
  auto r = read(e, [tmp](std::string_view chunk) -> Result<void> {
    if (std::fwrite(chunk.data(), 1, chunk.size(), tmp) != chunk.size()) {
      return fail(errc::kIo, std::string("writing a temporary file: ") + std::strerror(errno));
    }
    return {};
  });
  if (!r) return Unexpected(r.error());
  if (std::fflush(tmp) != 0) return fail(errc::kIo, std::string("writing a temporary file: ") + std::strerror(errno));
  return from_source(std::move(src), label);
}

}  // namespace bcma::station::dmd
