#pragma once
// Private: streams one dm+d XML file through expat and hands over one record at a time, so
// that no file is ever held whole. The structure is checked against the file's `FileSpec`
// as it goes: the wrong root, an unknown section or element, a section out of order, a field
// twice, text where none belongs or a missing required field stop the parse with the file,
// the line and the reason.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "schema.hpp"

namespace bcma::station::dmd::detail {

/// One record as read: the text of each field (trimmed of surrounding white space) and, for
/// the GTIN file, each GTINDATA group.
struct Record {
  const RecordSpec* spec = nullptr;
  std::uint64_t line = 0;  ///< where the record's start tag is
  std::vector<std::string> values;
  std::vector<bool> present;
  struct Group {
    std::uint64_t line = 0;
    std::vector<std::string> values;
    std::vector<bool> present;
  };
  std::vector<Group> groups;
  std::size_t group_count = 0;  ///< groups in use (the vector is reused between records)

  bool has(int field) const { return field >= 0 && present[static_cast<std::size_t>(field)]; }
  std::string_view get(int field) const {
    return has(field) ? std::string_view(values[static_cast<std::size_t>(field)]) : std::string_view();
  }
};

class RecordParser {
 public:
  /// Called for each complete record. An error stops the parse; its message gets the
  /// "file:line: " of the record put in front.
  using RecordHandler = std::function<Result<void>(const Record&)>;
  /// Called when a section closes (or, for files without sections, when the root closes).
  using SectionHandler = std::function<Result<void>(std::string_view section)>;

  RecordParser(const FileSpec& spec, std::string file_label, RecordHandler on_record,
               SectionHandler on_section_end);
  ~RecordParser();
  RecordParser(const RecordParser&) = delete;
  RecordParser& operator=(const RecordParser&) = delete;

  /// Parses the next chunk of the file. Errors: `malformed_xml`, `unknown_schema`,
  /// `invalid_value`, or a handler's error.
  Result<void> feed(std::string_view chunk);
  /// Ends the document: a truncated file fails here. Errors: as `feed`.
  Result<void> finish();

  std::uint64_t records() const { return records_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint64_t records_ = 0;
};

}  // namespace bcma::station::dmd::detail
