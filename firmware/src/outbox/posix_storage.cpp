#include "bcma/fw/outbox/posix_storage.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

namespace bcma::fw::outbox {
namespace {

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Result<void> write_all(int fd, std::span<const std::uint8_t> data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unexpected(system_error("write", path, errno));
    }
    // A zero-byte write of a non-empty buffer is how some file systems say "no room".
    if (n == 0) return Unexpected(system_error("write", path, ENOSPC));
    done += static_cast<std::size_t>(n);
  }
  return {};
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Result<std::unique_ptr<PosixStorage>> PosixStorage::open(const std::filesystem::path& dir) {
  const std::string path = dir.string();
  if (::mkdir(path.c_str(), 0700) == 0) {
    // A new directory exists only once the entry in its parent is durable too.
    const std::string parent =
        dir.has_parent_path() ? dir.parent_path().string() : std::string(".");
    Fd p(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (p.get() < 0) return Unexpected(system_error("open directory", parent, errno));
    if (::fsync(p.get()) != 0) return Unexpected(system_error("fsync directory", parent, errno));
  } else if (errno != EEXIST) {
    return Unexpected(system_error("create directory", path, errno));
  }
  Fd d(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d.get() < 0) return Unexpected(system_error("open directory", path, errno));
  if (::flock(d.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Unexpected(OutboxError{Errc::locked,
                                    "the outbox in " + path + " is open in another process",
                                    EWOULDBLOCK, path});
    }
    return Unexpected(system_error("lock", path, errno));
  }
  std::unique_ptr<PosixStorage> storage(new PosixStorage(dir, d.release()));

  auto names = storage->list();
  if (!names) return Unexpected(std::move(names).error());
  bool removed = false;
  for (const auto& name : *names) {
    if (!ends_with(name, kTempSuffix)) continue;
    if (::unlinkat(storage->dir_fd_, name.c_str(), 0) != 0 && errno != ENOENT) {
      return Unexpected(system_error("remove leftover temporary file", storage->describe(name),
                                     errno));
    }
    removed = true;
  }
  if (removed) {
    if (auto synced = storage->sync_directory(); !synced) return Unexpected(std::move(synced).error());
  }
  return storage;
}

PosixStorage::~PosixStorage() {
  close_append_fd();
  if (dir_fd_ >= 0) ::close(dir_fd_);  // also releases the lock
}

std::string PosixStorage::do_describe(std::string_view name) const {
  return (dir_ / std::string(name)).string();
}

Result<void> PosixStorage::sync_directory() {
  if (::fsync(dir_fd_) != 0) return Unexpected(system_error("fsync directory", dir_.string(), errno));
  return {};
}

void PosixStorage::close_append_fd() {
  if (append_fd_ >= 0) ::close(append_fd_);
  append_fd_ = -1;
  append_name_.clear();
}

Result<int> PosixStorage::append_fd(std::string_view name) {
  if (append_fd_ >= 0 && append_name_ == name) return append_fd_;
  close_append_fd();
  const std::string n(name);
  int fd = ::openat(dir_fd_, n.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    fd = ::openat(dir_fd_, n.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      if (auto synced = sync_directory(); !synced) {
        ::close(fd);
        return Unexpected(std::move(synced).error());
      }
    }
  }
  if (fd < 0) return Unexpected(system_error("open for append", describe(name), errno));
  append_fd_ = fd;
  append_name_ = n;
  return fd;
}

Result<std::optional<Bytes>> PosixStorage::do_read(std::string_view name) {
  const std::string path = describe(name);
  Fd fd(::openat(dir_fd_, std::string(name).c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<Bytes>();
    return Unexpected(system_error("open for reading", path, errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Unexpected(system_error("stat", path, errno));
  Bytes content;
  content.reserve(static_cast<std::size_t>(st.st_size));
  std::uint8_t buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unexpected(system_error("read", path, errno));
    }
    if (n == 0) break;
    content.insert(content.end(), buffer, buffer + n);
  }
  return std::optional<Bytes>(std::move(content));
}

Result<void> PosixStorage::do_append(std::string_view name, std::span<const std::uint8_t> data) {
  auto fd = append_fd(name);
  if (!fd) return Unexpected(std::move(fd).error());
  auto written = write_all(*fd, data, describe(name));
  if (written && ::fdatasync(*fd) != 0) {
    written = Unexpected(system_error("fdatasync", describe(name), errno));
  }
  // After a failure the descriptor's state is not worth trusting: the next append reopens.
  if (!written) close_append_fd();
  return written;
}

Result<void> PosixStorage::do_truncate(std::string_view name, std::uint64_t size) {
  const std::string path = describe(name);
  Fd fd(::openat(dir_fd_, std::string(name).c_str(), O_WRONLY | O_CLOEXEC));
  if (fd.get() < 0) return Unexpected(system_error("open for truncation", path, errno));
  if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
    return Unexpected(system_error("truncate", path, errno));
  }
  if (::fsync(fd.get()) != 0) return Unexpected(system_error("fsync", path, errno));
  return {};
}

Result<void> PosixStorage::do_replace(std::string_view name, std::span<const std::uint8_t> data) {
  if (append_name_ == name) close_append_fd();  // it would point at the replaced file
  const std::string target(name);
  const std::string temp = target + std::string(kTempSuffix);
  const std::string temp_path = describe(temp);
  Result<void> outcome;
  {
    Fd fd(::openat(dir_fd_, temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (fd.get() < 0) return Unexpected(system_error("create", temp_path, errno));
    outcome = write_all(fd.get(), data, temp_path);
    // The content must be durable before the rename makes it the real file.
    if (outcome && ::fsync(fd.get()) != 0) outcome = Unexpected(system_error("fsync", temp_path, errno));
    if (outcome && ::close(fd.release()) != 0) {
      outcome = Unexpected(system_error("close", temp_path, errno));
    }
  }
  if (outcome && ::renameat(dir_fd_, temp.c_str(), dir_fd_, target.c_str()) != 0) {
    outcome = Unexpected(system_error("rename to " + describe(name), temp_path, errno));
  }
  if (!outcome) {
    ::unlinkat(dir_fd_, temp.c_str(), 0);  // best effort; open() removes it otherwise
    return outcome;
  }
  return sync_directory();
}

Result<void> PosixStorage::do_remove(std::string_view name) {
  if (append_name_ == name) close_append_fd();
  if (::unlinkat(dir_fd_, std::string(name).c_str(), 0) != 0) {
    if (errno == ENOENT) return {};
    return Unexpected(system_error("remove", describe(name), errno));
  }
  return sync_directory();
}

Result<std::vector<std::string>> PosixStorage::do_list() {
  const int fd = ::openat(dir_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Unexpected(system_error("open directory", dir_.string(), errno));
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    const int saved = errno;
    ::close(fd);
    return Unexpected(system_error("list directory", dir_.string(), saved));
  }
  std::vector<std::string> names;
  int saved = 0;
  for (;;) {
    errno = 0;  // readdir reports an error only through errno
    const dirent* entry = ::readdir(dir);
    if (entry == nullptr) {
      saved = errno;
      break;
    }
    const std::string_view n(entry->d_name);
    if (n != "." && n != "..") names.emplace_back(n);
  }
  ::closedir(dir);
  if (saved != 0) return Unexpected(system_error("list directory", dir_.string(), saved));
  return names;
}

}  // namespace bcma::fw::outbox
