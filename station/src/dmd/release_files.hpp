#pragma once
// Private: finding the files of a release as NHSBSA publishes it - a folder of XML files, or
// the zip, with the GTIN file in a zip of its own inside it (and the bonus BNF zip beside it
// when present). File names are f_<stem><major>_<minor><DDMMYY>.xml: the schema version and
// the release date.

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/dmd/zip.hpp"
#include "schema.hpp"

namespace bcma::station::dmd::detail {

struct ReleaseFile {
  FileKind kind = FileKind::kLookup;
  std::string name;      ///< "f_vmp2_3010617.xml"
  std::string location;  ///< where it was found, for messages: "release.zip!gtin.zip!f_gtin2_0010617.xml"
  domain::Date date{};   ///< from the file name
  std::uint64_t size = 0;  ///< uncompressed bytes
  /// Streams the file's bytes. Errors: `io_error`, `bad_zip`, or the sink's.
  std::function<Result<void>(const ChunkSink&)> read;
};

struct ReleaseFiles {
  std::string source;     ///< the path given
  std::string version;    ///< "3.4.0" from nhsbsa_dmd_3.4.0_20210329000001, else ""
  domain::Date date{};    ///< the release date: the date of the core files
  std::array<std::optional<ReleaseFile>, kFileKindCount> files;
  std::vector<std::shared_ptr<ZipArchive>> archives;  ///< kept open while the files are read

  const std::optional<ReleaseFile>& file(FileKind k) const { return files[static_cast<std::size_t>(k)]; }
};

/// What a file name says: kind, schema version and date. Nullopt for names that are not a
/// dm+d data file of a kind we read (f_history, f_vtm_ing, readme files...).
struct ParsedName {
  FileKind kind;
  int major;
  int minor;
  domain::Date date;
};
std::optional<ParsedName> parse_file_name(std::string_view name);

/// Finds every file of the release at `path` (a folder or a zip). Errors: `io_error`,
/// `bad_zip`, `missing_file` (a required kind is absent), `mixed_release` (a kind twice, or
/// core files of different dates), `unknown_schema` (a schema version we do not read).
Result<ReleaseFiles> find_release_files(const std::filesystem::path& path);

}  // namespace bcma::station::dmd::detail
