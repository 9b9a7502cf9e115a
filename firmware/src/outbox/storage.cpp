#include "bcma/fw/outbox/storage.hpp"

namespace bcma::fw::outbox {
namespace {

// A plain name keeps every file inside the storage's directory, whatever the caller passes.
Result<void> check_name(std::string_view name) {
  if (name.empty() || name == "." || name == ".." ||
      name.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos) {
    return fail(Errc::invalid_argument,
                "storage file name \"" + std::string(name) + "\" is not a plain file name");
  }
  return {};
}

}  // namespace

Result<std::optional<Bytes>> Storage::read(std::string_view name) {
  if (auto ok = check_name(name); !ok) return Unexpected(std::move(ok).error());
  return do_read(name);
}

Result<void> Storage::append(std::string_view name, std::span<const std::uint8_t> data) {
  if (auto ok = check_name(name); !ok) return ok;
  return do_append(name, data);
}

Result<void> Storage::truncate(std::string_view name, std::uint64_t size) {
  if (auto ok = check_name(name); !ok) return ok;
  return do_truncate(name, size);
}

Result<void> Storage::replace(std::string_view name, std::span<const std::uint8_t> data) {
  if (auto ok = check_name(name); !ok) return ok;
  return do_replace(name, data);
}

Result<void> Storage::remove(std::string_view name) {
  if (auto ok = check_name(name); !ok) return ok;
  return do_remove(name);
}

Result<std::vector<std::string>> Storage::list() { return do_list(); }

}  // namespace bcma::fw::outbox
