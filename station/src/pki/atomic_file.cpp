#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace bcma::station::pki::detail {

namespace {

std::string errno_text() { return std::strerror(errno); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  /// Closes and reports close()'s result (a delayed write error can surface here).
  bool close() { return ::close(std::exchange(fd_, -1)) == 0; }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Result<void> fsync_directory(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    return fail(Errc::io, "cannot sync directory " + dir.string() + ": " + errno_text());
  }
  return {};
}

Result<void> write_file_atomic(const std::filesystem::path& file, std::string_view content, mode_t mode) {
  const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  std::string name = (dir / ("." + file.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> templ(name.begin(), name.end());
  templ.push_back('\0');
  // mkostemp creates the file 0600; fchmod then widens it if asked (certificates), before
  // any content is written.
  Fd fd(::mkostemp(templ.data(), O_CLOEXEC));
  if (fd.get() < 0) return fail(Errc::io, "cannot create a file in " + dir.string() + ": " + errno_text());
  const std::string temp(templ.data());
  auto give_up = [&](const std::string& what) {
    const std::string message = what + " " + file.string() + ": " + errno_text();
    ::unlink(temp.c_str());
    return fail(Errc::io, message);
  };
  if (::fchmod(fd.get(), mode) != 0) return give_up("cannot set permissions of");
  if (!write_all(fd.get(), content)) return give_up("cannot write");
  if (::fsync(fd.get()) != 0) return give_up("cannot sync");
  if (!fd.close()) return give_up("cannot close");
  if (::rename(temp.c_str(), file.c_str()) != 0) return give_up("cannot replace");
  return fsync_directory(dir);
}

Result<std::string> read_file(const std::filesystem::path& file) {
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return fail(Errc::io, "cannot open " + file.string() + ": " + errno_text());
  std::string out;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(Errc::io, "cannot read " + file.string() + ": " + errno_text());
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

Result<FileLock> FileLock::acquire(const std::filesystem::path& lock_file) {
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::io, "cannot open lock " + lock_file.string() + ": " + errno_text());
  FileLock lock(fd);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) return fail(Errc::io, "cannot lock " + lock_file.string() + ": " + errno_text());
  }
  return lock;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace bcma::station::pki::detail
