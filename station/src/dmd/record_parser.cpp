#include "record_parser.hpp"

#include <expat.h>

#include <cstring>
#include <limits>
#include <optional>

#include "bcma/station/dmd/errors.hpp"

namespace bcma::station::dmd::detail {

namespace {

enum class Level : std::uint8_t { kTop, kRoot, kSection, kRecord, kField, kGroup, kGroupField, kDone };

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void trim(std::string& s) {
  std::size_t b = 0;
  while (b < s.size() && is_space(s[b])) ++b;
  std::size_t e = s.size();
  while (e > b && is_space(s[e - 1])) --e;
  if (b != 0 || e != s.size()) s = s.substr(b, e - b);
}

}  // namespace

struct RecordParser::Impl {
  const FileSpec& spec;
  std::string label;
  RecordHandler on_record;
  SectionHandler on_section_end;
  RecordParser* owner = nullptr;
  XML_Parser parser = nullptr;

  Level level = Level::kTop;
  bool flat = false;          // records directly under the root
  int section = -1;           // index into spec.records of the open section
  int last_section = -1;      // for the order check
  std::vector<bool> seen_sections;
  int field = -1;             // the open field (record or group)
  Record record;
  std::optional<Error> error;

  Impl(const FileSpec& s, std::string l, RecordHandler r, SectionHandler e)
      : spec(s), label(std::move(l)), on_record(std::move(r)), on_section_end(std::move(e)) {
    flat = !spec.records.empty() && spec.records.front().section.empty();
    seen_sections.assign(spec.records.size(), false);
  }

  std::uint64_t line() const { return XML_GetCurrentLineNumber(parser); }

  void stop(const char* code, const std::string& why, std::uint64_t at = 0) {
    if (error) return;
    error = Error{code, label + ":" + std::to_string(at != 0 ? at : line()) + ": " + why};
    XML_StopParser(parser, XML_FALSE);
  }

  void start_record(int index) {
    const RecordSpec& r = spec.records[static_cast<std::size_t>(index)];
    record.spec = &r;
    record.line = line();
    record.values.resize(r.fields.size());
    record.present.assign(r.fields.size(), false);
    record.group_count = 0;
    level = Level::kRecord;
  }

  void start(std::string_view name, const XML_Char** attrs) {
    switch (level) {
      case Level::kTop: {
        if (name != spec.root) {
          stop(errc::kUnknownSchema, "root element <" + std::string(name) + ">, expected <" +
                                         std::string(spec.root) + "> for an f_" +
                                         std::string(spec.stem) + " file");
          return;
        }
        for (const XML_Char** a = attrs; a != nullptr && *a != nullptr; a += 2) {
          const std::string_view attr(a[0]);
          const std::string_view value(a[1]);
          const bool is_location = attr == "xsi:noNamespaceSchemaLocation" ||
                                   attr.ends_with(":noNamespaceSchemaLocation");
          if (is_location && spec.kind != FileKind::kBnf && value.ends_with(".xsd") &&
              value != spec.xsd_name()) {
            stop(errc::kUnknownSchema, "schema " + std::string(value) + ", this bcma reads " +
                                           spec.xsd_name());
            return;
          }
        }
        level = Level::kRoot;
        return;
      }
      case Level::kRoot: {
        for (std::size_t i = 0; i < spec.records.size(); ++i) {
          const RecordSpec& r = spec.records[i];
          if (flat ? r.element == name : r.section == name) {
            if (flat) {
              start_record(static_cast<int>(i));
              return;
            }
            if (seen_sections[i]) {
              stop(errc::kUnknownSchema, "section <" + std::string(name) + "> appears twice");
              return;
            }
            if (spec.ordered_sections && static_cast<int>(i) < last_section) {
              stop(errc::kUnknownSchema, "section <" + std::string(name) + "> is out of order");
              return;
            }
            seen_sections[i] = true;
            section = last_section = static_cast<int>(i);
            level = Level::kSection;
            return;
          }
        }
        stop(errc::kUnknownSchema, "unknown " + std::string(flat ? "record" : "section") + " <" +
                                       std::string(name) + "> in <" + std::string(spec.root) + ">");
        return;
      }
      case Level::kSection: {
        const RecordSpec& r = spec.records[static_cast<std::size_t>(section)];
        if (name != r.element) {
          stop(errc::kUnknownSchema, "unknown element <" + std::string(name) + "> in <" +
                                         std::string(r.section) + ">");
          return;
        }
        start_record(section);
        return;
      }
      case Level::kRecord: {
        const RecordSpec& r = *record.spec;
        const int f = r.field(name);
        if (f >= 0) {
          if (record.present[static_cast<std::size_t>(f)]) {
            stop(errc::kUnknownSchema, "<" + std::string(name) + "> appears twice in one <" +
                                           std::string(r.element) + ">");
            return;
          }
          record.present[static_cast<std::size_t>(f)] = true;
          record.values[static_cast<std::size_t>(f)].clear();
          field = f;
          level = Level::kField;
          return;
        }
        if (!r.group.empty() && name == r.group) {
          if (record.groups.size() <= record.group_count) record.groups.emplace_back();
          Record::Group& g = record.groups[record.group_count++];
          g.line = line();
          g.values.resize(r.group_fields.size());
          g.present.assign(r.group_fields.size(), false);
          level = Level::kGroup;
          return;
        }
        stop(errc::kUnknownSchema, "unknown field <" + std::string(name) + "> in <" +
                                       std::string(r.element) + ">");
        return;
      }
      case Level::kGroup: {
        const RecordSpec& r = *record.spec;
        const int f = r.group_field(name);
        Record::Group& g = record.groups[record.group_count - 1];
        if (f < 0 || g.present[static_cast<std::size_t>(f)]) {
          stop(errc::kUnknownSchema, (f < 0 ? "unknown field <" : "repeated field <") +
                                         std::string(name) + "> in <" + std::string(r.group) + ">");
          return;
        }
        g.present[static_cast<std::size_t>(f)] = true;
        g.values[static_cast<std::size_t>(f)].clear();
        field = f;
        level = Level::kGroupField;
        return;
      }
      case Level::kField:
      case Level::kGroupField:
        stop(errc::kUnknownSchema, "unexpected element <" + std::string(name) + "> inside a field");
        return;
      case Level::kDone:
        stop(errc::kMalformedXml, "content after the root element");
        return;
    }
  }

  void end_record() {
    const RecordSpec& r = *record.spec;
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      if (r.fields[i].required && !record.present[i]) {
        stop(errc::kInvalidValue, "<" + std::string(r.element) + "> without <" +
                                      std::string(r.fields[i].name) + ">", record.line);
        return;
      }
    }
    for (std::size_t g = 0; g < record.group_count; ++g) {
      for (std::size_t i = 0; i < r.group_fields.size(); ++i) {
        if (r.group_fields[i].required && !record.groups[g].present[i]) {
          stop(errc::kInvalidValue, "<" + std::string(r.group) + "> without <" +
                                        std::string(r.group_fields[i].name) + ">",
               record.groups[g].line);
          return;
        }
      }
    }
    ++owner->records_;
    if (auto res = on_record(record); !res) {
      error = Error{res.error().code, label + ":" + std::to_string(record.line) + ": " + res.error().message};
      XML_StopParser(parser, XML_FALSE);
    }
  }

  void end_section(std::string_view name) {
    if (auto res = on_section_end(name); !res) {
      // A section-level problem (a duplicate id, a record with no controlled drug entry)
      // already names its own line.
      error = Error{res.error().code, label + ":" + res.error().message};
      XML_StopParser(parser, XML_FALSE);
    }
  }

  void end() {
    switch (level) {
      case Level::kField:
        trim(record.values[static_cast<std::size_t>(field)]);
        level = Level::kRecord;
        return;
      case Level::kGroupField:
        trim(record.groups[record.group_count - 1].values[static_cast<std::size_t>(field)]);
        level = Level::kGroup;
        return;
      case Level::kGroup:
        level = Level::kRecord;
        return;
      case Level::kRecord:
        level = flat ? Level::kRoot : Level::kSection;
        end_record();
        return;
      case Level::kSection:
        level = Level::kRoot;
        end_section(spec.records[static_cast<std::size_t>(section)].section);
        return;
      case Level::kRoot:
        level = Level::kDone;
        if (flat) end_section("");
        return;
      case Level::kTop:
      case Level::kDone:
        return;
    }
  }

  void text(std::string_view s) {
    if (level == Level::kField) {
      record.values[static_cast<std::size_t>(field)].append(s);
    } else if (level == Level::kGroupField) {
      record.groups[record.group_count - 1].values[static_cast<std::size_t>(field)].append(s);
    } else {
      for (char c : s) {
        if (!is_space(c)) {
          stop(errc::kUnknownSchema, "unexpected text outside a field");
          return;
        }
      }
    }
  }

  static void on_start(void* self, const XML_Char* name, const XML_Char** attrs) {
    static_cast<Impl*>(self)->start(name, attrs);
  }
  static void on_end(void* self, const XML_Char*) { static_cast<Impl*>(self)->end(); }
  static void on_text(void* self, const XML_Char* s, int len) {
    static_cast<Impl*>(self)->text(std::string_view(s, static_cast<std::size_t>(len)));
  }
  // A DOCTYPE could declare entities; a dm+d file has none, so refuse rather than expand.
  static void on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<Impl*>(self)->stop(errc::kUnknownSchema, "a DOCTYPE declaration is not allowed");
  }

  Result<void> parse(const char* data, std::size_t n, bool last) {
    while (true) {
      const int part = static_cast<int>(std::min<std::size_t>(n, std::numeric_limits<int>::max() / 2));
      const bool final_part = last && static_cast<std::size_t>(part) == n;
      if (XML_Parse(parser, data, part, final_part ? XML_TRUE : XML_FALSE) == XML_STATUS_ERROR) {
        if (error) return Unexpected(*error);
        const XML_Error code = XML_GetErrorCode(parser);
        return fail(errc::kMalformedXml, label + ":" + std::to_string(line()) + ": " +
                                             XML_ErrorString(code) +
                                             (code == XML_ERROR_NO_ELEMENTS ? " (empty or truncated file)" : ""));
      }
      if (error) return Unexpected(*error);
      data += part;
      n -= static_cast<std::size_t>(part);
      if (n == 0) break;
    }
    return {};
  }
};

RecordParser::RecordParser(const FileSpec& spec, std::string file_label, RecordHandler on_record,
                           SectionHandler on_section_end)
    : impl_(std::make_unique<Impl>(spec, std::move(file_label), std::move(on_record),
                                   std::move(on_section_end))) {
  impl_->owner = this;
  impl_->parser = XML_ParserCreate(nullptr);
  XML_SetUserData(impl_->parser, impl_.get());
  XML_SetElementHandler(impl_->parser, &Impl::on_start, &Impl::on_end);
  XML_SetCharacterDataHandler(impl_->parser, &Impl::on_text);
  XML_SetStartDoctypeDeclHandler(impl_->parser, &Impl::on_doctype);
}

RecordParser::~RecordParser() {
  if (impl_ && impl_->parser != nullptr) XML_ParserFree(impl_->parser);
}

Result<void> RecordParser::feed(std::string_view chunk) {
  if (impl_->parser == nullptr) return fail(errc::kMalformedXml, impl_->label + ": could not start the XML parser");
  return impl_->parse(chunk.data(), chunk.size(), false);
}

Result<void> RecordParser::finish() {
  if (auto r = impl_->parse(nullptr, 0, true); !r) return r;
  if (impl_->level != Level::kDone) {
    return fail(errc::kMalformedXml, impl_->label + ":" + std::to_string(impl_->line()) +
                                         ": the file ends before its root element is closed");
  }
  return {};
}

}  // namespace bcma::station::dmd::detail
