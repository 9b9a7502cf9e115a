#include "release_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "bcma/station/dmd/errors.hpp"

namespace bcma::station::dmd::detail {

namespace {

constexpr int kMaxDepth = 3;  // release zip > GTIN zip > file, or folder > zip > zip > file

std::string base_name(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && lower(s.substr(s.size() - suffix.size())) == suffix;
}

struct Collector {
  ReleaseFiles& out;

  Result<void> add(ReleaseFile f) {
    auto& slot = out.files[static_cast<std::size_t>(f.kind)];
    if (slot) {
      return fail(errc::kMixedRelease, "two f_" + std::string(stem(f.kind)) + " files: " +
                                           slot->location + " and " + f.location);
    }
    slot = std::move(f);
    return {};
  }

  Result<void> scan_zip(std::shared_ptr<ZipArchive> zip, int depth) {
    out.archives.push_back(zip);
    for (const auto& e : zip->entries()) {
      if (e.is_directory()) continue;
      const std::string name = base_name(e.name);
      if (ends_with_ci(name, ".zip")) {
        if (depth >= kMaxDepth) continue;
        auto nested = zip->open_nested(e);
        if (!nested) return Unexpected(std::move(nested).error());
        if (auto r = scan_zip(std::make_shared<ZipArchive>(std::move(*nested)), depth + 1); !r) return r;
        continue;
      }
      const auto parsed = parse_file_name(name);
      if (!parsed) continue;
      ReleaseFile f{parsed->kind, name, zip->label() + "!" + e.name, parsed->date, e.size, {}};
      const ZipArchive* archive = zip.get();
      const ZipArchive::Entry entry = e;
      f.read = [archive, entry](const ChunkSink& sink) { return archive->read(entry, sink); };
      if (auto r = add(std::move(f)); !r) return r;
    }
    return {};
  }

  Result<void> scan_dir(const std::filesystem::path& dir, int depth) {
    std::error_code ec;
    std::vector<std::filesystem::path> children;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      children.push_back(it->path());
    }
    if (ec) return fail(errc::kIo, "cannot list " + dir.string() + ": " + ec.message());
    std::sort(children.begin(), children.end());
    for (const auto& p : children) {
      const std::string name = p.filename().string();
      if (std::filesystem::is_directory(p, ec)) {
        if (depth < kMaxDepth) {
          if (auto r = scan_dir(p, depth + 1); !r) return r;
        }
        continue;
      }
      if (ends_with_ci(name, ".zip")) {
        auto zip = ZipArchive::open(p);
        if (!zip) return Unexpected(std::move(zip).error());
        if (auto r = scan_zip(std::make_shared<ZipArchive>(std::move(*zip)), depth + 1); !r) return r;
        continue;
      }
      const auto parsed = parse_file_name(name);
      if (!parsed) continue;
      const auto size = std::filesystem::file_size(p, ec);
      ReleaseFile f{parsed->kind, name, p.string(), parsed->date, ec ? 0 : size, {}};
      f.read = [p](const ChunkSink& sink) -> Result<void> {
        std::FILE* in = std::fopen(p.c_str(), "rb");
        if (in == nullptr) return fail(errc::kIo, "cannot open " + p.string() + ": " + std::strerror(errno));
        struct Closer {
          std::FILE* f;
          ~Closer() { std::fclose(f); }
        } closer{in};
        std::string buf(256 * 1024, '\0');
        for (;;) {
          const std::size_t n = std::fread(buf.data(), 1, buf.size(), in);
          if (n > 0) {
            if (auto r = sink(std::string_view(buf.data(), n)); !r) return r;
          }
          if (n < buf.size()) {
            if (std::ferror(in) != 0) return fail(errc::kIo, "cannot read " + p.string());
            return {};
          }
        }
      };
      if (auto r = add(std::move(f)); !r) return r;
    }
    return {};
  }
};

// "nhsbsa_dmd_3.4.0_20210329000001" (a zip or its unpacked folder) carries the version.
std::string version_from(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  if (name.empty()) name = path.parent_path().filename().string();
  constexpr std::string_view kPrefix = "nhsbsa_dmd_";
  if (name.rfind(kPrefix, 0) != 0) return "";
  const std::string rest = name.substr(kPrefix.size());
  const auto end = rest.find('_');
  return end == std::string::npos ? "" : rest.substr(0, end);
}

}  // namespace

std::optional<ParsedName> parse_file_name(std::string_view name) {
  const std::string n = lower(name);
  if (n.rfind("f_", 0) != 0 || !ends_with_ci(n, ".xml")) return std::nullopt;
  const std::string_view body = std::string_view(n).substr(2, n.size() - 6);  // without f_ and .xml
  std::size_t i = 0;
  while (i < body.size() && body[i] >= 'a' && body[i] <= 'z') ++i;
  const std::string_view stem_text = body.substr(0, i);
  // <major digit> _ <minor digit> DDMMYY
  const std::string_view rest = body.substr(i);
  if (rest.size() != 9 || rest[1] != '_') return std::nullopt;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t k : {0u, 2u, 3u, 4u, 5u, 6u, 7u, 8u}) {
    if (!digit(rest[k])) return std::nullopt;
  }
  for (auto kind : kImportOrder) {
    if (stem(kind) != stem_text) continue;
    auto two = [&](std::size_t at) { return (rest[at] - '0') * 10 + (rest[at + 1] - '0'); };
    const std::chrono::year_month_day date{std::chrono::year{2000 + two(7)},
                                           std::chrono::month{static_cast<unsigned>(two(5))},
                                           std::chrono::day{static_cast<unsigned>(two(3))}};
    if (!date.ok()) return std::nullopt;
    return ParsedName{kind, rest[0] - '0', rest[2] - '0', date};
  }
  return std::nullopt;
}

Result<ReleaseFiles> find_release_files(const std::filesystem::path& path) {
  ReleaseFiles out;
  out.source = path.string();
  out.version = version_from(path);
  Collector c{out};
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    if (auto r = c.scan_dir(path, 0); !r) return Unexpected(r.error());
  } else if (std::filesystem::exists(path, ec)) {
    auto zip = ZipArchive::open(path);
    if (!zip) return Unexpected(std::move(zip).error());
    if (auto r = c.scan_zip(std::make_shared<ZipArchive>(std::move(*zip)), 1); !r) return Unexpected(r.error());
  } else {
    return fail(errc::kIo, "no release at " + path.string());
  }

  std::optional<domain::Date> core_date;
  std::string core_from;
  for (auto kind : kImportOrder) {
    const FileSpec& spec = file_spec(kind);
    const auto& f = out.file(kind);
    if (!f) {
      if (spec.required) {
        return fail(errc::kMissingFile, "the release at " + path.string() + " has no f_" +
                                            std::string(spec.stem) + " file");
      }
      continue;
    }
    const auto parsed = parse_file_name(f->name);
    if (parsed->major != spec.major || parsed->minor != spec.minor) {
      return fail(errc::kUnknownSchema, f->location + ": schema version " + std::to_string(parsed->major) +
                                            "." + std::to_string(parsed->minor) + ", this bcma reads " +
                                            std::to_string(spec.major) + "." + std::to_string(spec.minor));
    }
    // The GTIN and bonus files are published beside the core files and may carry another date.
    if (kind == FileKind::kGtin || kind == FileKind::kBnf) continue;
    if (!core_date) {
      core_date = f->date;
      core_from = f->name;
    } else if (*core_date != f->date) {
      return fail(errc::kMixedRelease, f->location + " is dated " + domain::to_string(f->date) + " but " +
                                           core_from + " " + domain::to_string(*core_date) +
                                           ": files of two releases");
    }
  }
  out.date = *core_date;
  return out;
}

}  // namespace bcma::station::dmd::detail
