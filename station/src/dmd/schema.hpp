#pragma once
// Private: the dm+d release files as published by NHSBSA (technical specification of data
// files R2 v3, schema version 2.3; GTIN file 2.0; BNF bonus file 1.0): root element, sections
// in file order, the record element of each section and the fields a record may hold. Anything
// else in a file is an unknown schema and stops the import.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bcma::station::dmd::detail {

enum class FileKind : std::uint8_t { kLookup, kIngredient, kVtm, kVmp, kAmp, kVmpp, kAmpp, kGtin, kBnf };
inline constexpr int kFileKindCount = 9;
/// Import order: every file refers only to files before it.
inline constexpr FileKind kImportOrder[] = {FileKind::kLookup, FileKind::kIngredient, FileKind::kVtm,
                                            FileKind::kVmp,    FileKind::kAmp,        FileKind::kVmpp,
                                            FileKind::kAmpp,   FileKind::kGtin,       FileKind::kBnf};

struct FieldSpec {
  std::string_view name;
  bool required = false;
};

struct RecordSpec {
  std::string_view section;  ///< "" when records sit directly under the root element
  std::string_view element;
  std::vector<FieldSpec> fields;
  std::string_view group;    ///< a repeated child holding fields of its own ("GTINDATA"), or ""
  std::vector<FieldSpec> group_fields;

  /// Index of `name` in `fields` (or `group_fields`); -1 if absent. Used once per handler.
  int field(std::string_view name) const;
  int group_field(std::string_view name) const;
};

struct FileSpec {
  FileKind kind;
  std::string_view stem;  ///< "vmp": the file is f_vmp<major>_<minor>DDMMYY.xml
  int major = 0;
  int minor = 0;
  std::string_view root;
  bool ordered_sections = true;  ///< sections must come in the listed order (later refer to earlier)
  bool required = true;          ///< false: the BNF bonus file
  std::vector<RecordSpec> records;

  /// "vmp_v2_3.xsd": what xsi:noNamespaceSchemaLocation names, when present.
  std::string xsd_name() const;
};

const FileSpec& file_spec(FileKind kind);
std::string_view stem(FileKind kind);

}  // namespace bcma::station::dmd::detail
