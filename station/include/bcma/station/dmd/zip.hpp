#pragma once
/// \file
/// A small zip reader and writer: what a dm+d release needs and no more. Entries are stored or
/// deflated (zlib); Zip64 sizes and offsets are read; encryption, multi-disk archives and other
/// methods are refused. Reading streams: an entry is inflated in chunks and never held whole,
/// and its size and CRC-32 are checked at the end. A zip inside a zip (the GTIN file of a
/// release) is opened in place when stored, or inflated to an unnamed temporary file.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"

namespace bcma::station::dmd {

/// Where an archive's bytes come from: a file, a part of one, or a temporary file.
class ByteSource;

/// Receives an entry's bytes in order, in chunks; an error stops the reading.
using ChunkSink = std::function<Result<void>(std::string_view chunk)>;

class ZipArchive {
 public:
  struct Entry {
    std::string name;  ///< as stored, '/' separated
    std::uint16_t method = 0;  ///< 0 stored, 8 deflated
    std::uint32_t crc32 = 0;
    std::uint64_t compressed_size = 0;
    std::uint64_t size = 0;
    std::uint64_t local_header_offset = 0;
    bool is_directory() const { return !name.empty() && name.back() == '/'; }
  };

  /// Reads the central directory of `file`. `label` names the archive in messages (defaults
  /// to the file name). Errors: `io_error`, `bad_zip` (no end record, truncated, encrypted,
  /// multi-disk, an entry outside the file).
  static Result<ZipArchive> open(const std::filesystem::path& file);

  /// The entries in central-directory order.
  const std::vector<Entry>& entries() const { return entries_; }
  /// What messages call this archive: "release.zip" or "release.zip!gtin.zip".
  const std::string& label() const { return label_; }

  /// Streams the entry's uncompressed bytes to `sink`. Errors: `bad_zip` (unsupported method,
  /// corrupt or truncated data, size or CRC-32 mismatch), `io_error`, or the sink's error.
  Result<void> read(const Entry& entry, const ChunkSink& sink) const;

  /// Opens an entry that is itself a zip archive. Errors: as `open` and `read`.
  Result<ZipArchive> open_nested(const Entry& entry) const;

  ZipArchive(ZipArchive&&) noexcept;
  ZipArchive& operator=(ZipArchive&&) noexcept;
  ~ZipArchive();

 private:
  ZipArchive(std::shared_ptr<ByteSource> source, std::string label);
  static Result<ZipArchive> from_source(std::shared_ptr<ByteSource> source, std::string label);
  Result<std::uint64_t> data_offset(const Entry& entry) const;

  std::shared_ptr<ByteSource> source_;
  std::string label_;
  std::vector<Entry> entries_;
};

/// Writes a zip file entry by entry (the synthetic release generator). Sizes are limited to
/// 4 GiB per entry and per archive (no Zip64 on writing).
class ZipWriter {
 public:
  /// Errors: `io_error`.
  static Result<ZipWriter> create(const std::filesystem::path& file);

  ZipWriter(ZipWriter&&) noexcept;
  ZipWriter& operator=(ZipWriter&&) noexcept;
  ~ZipWriter();

  /// Starts an entry; `deflate` false stores it. Errors: `io_error`, `invalid_argument`.
  Result<void> begin_entry(std::string_view name, bool deflate);
  /// Appends bytes to the current entry. Errors: `io_error`, `invalid_argument` (no entry).
  Result<void> write(std::string_view bytes);
  /// Finishes the current entry (patches its local header). Errors: `io_error`.
  Result<void> end_entry();
  /// A whole file as one entry. Errors: `io_error`.
  Result<void> add_file(std::string_view name, const std::filesystem::path& file, bool deflate);
  /// Writes the central directory and closes the file. Errors: `io_error`.
  Result<void> finish();

 private:
  struct State;
  explicit ZipWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace bcma::station::dmd
