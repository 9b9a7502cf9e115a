#include "outbox_test_support.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace bcma::fw::outbox::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "bcma-outbox-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Uuid id_of(std::uint64_t n) {
  // 5ca7xxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx with n (< 2^62) in the last eight bytes.
  Uuid id;
  id.bytes[0] = 0x5c;
  id.bytes[1] = 0xa7;
  id.bytes[6] = 0x40;
  id.bytes[8] = static_cast<std::uint8_t>(0x80 | ((n >> 56) & 0x3F));
  for (std::size_t i = 9; i < 16; ++i) {
    id.bytes[i] = static_cast<std::uint8_t>(n >> (8 * (15 - i)));
  }
  return id;
}

std::uint64_t number_of(const Uuid& id) {
  std::uint64_t n = static_cast<std::uint64_t>(id.bytes[8] & 0x3F) << 56;
  for (std::size_t i = 9; i < 16; ++i) n |= static_cast<std::uint64_t>(id.bytes[i]) << (8 * (15 - i));
  return n;
}

Bytes payload_of(std::uint64_t n, std::size_t size) {
  if (size == 0) size = 40 + static_cast<std::size_t>(n % 160);
  Bytes out;
  out.reserve(size);
  std::uint64_t x = n * 0x9E3779B97F4A7C15ull + 1;
  // Field 1 (outcome id), length-delimited; then pseudo-random filler.
  out.push_back(0x0A);
  out.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(size, 127)));
  while (out.size() < size) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out.push_back(static_cast<std::uint8_t>(x));
  }
  out.resize(size);
  return out;
}

Bytes read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::filesystem::path& file, const Bytes& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(content.data()),
            static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::filesystem::path log_path(const std::filesystem::path& dir) {
  return dir / std::string(Outbox::kLogName);
}

std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::optional<Bytes>> FaultyStorage::do_read(std::string_view name) {
  return inner_->read(name);
}

Result<void> FaultyStorage::do_append(std::string_view name, std::span<const std::uint8_t> data) {
  ++appends;
  if (faults.append_partial) {
    const std::size_t n = std::min(*faults.append_partial, data.size());
    if (n > 0) {
      if (auto part = inner_->append(name, data.first(n)); !part) return part;
    }
    return Unexpected(system_error("write", describe(name), faults.append_errno));
  }
  return inner_->append(name, data);
}

Result<void> FaultyStorage::do_truncate(std::string_view name, std::uint64_t size) {
  if (faults.fail_truncate) return Unexpected(system_error("truncate", describe(name), EIO));
  return inner_->truncate(name, size);
}

Result<void> FaultyStorage::do_replace(std::string_view name, std::span<const std::uint8_t> data) {
  ++replaces;
  const bool affected = name.starts_with(faults.replace_prefix);
  if (affected && faults.fail_replace_before) {
    return Unexpected(system_error("write", describe(name), ENOSPC));
  }
  auto done = inner_->replace(name, data);
  if (done && affected && faults.fail_replace_after) {
    return Unexpected(system_error("fsync directory", describe(name), EIO));
  }
  return done;
}

Result<void> FaultyStorage::do_remove(std::string_view name) { return inner_->remove(name); }

Result<std::vector<std::string>> FaultyStorage::do_list() { return inner_->list(); }

std::string FaultyStorage::do_describe(std::string_view name) const {
  return inner_->describe(name);
}

}  // namespace bcma::fw::outbox::testing
