#include "bcma/fw/outbox/error.hpp"

#include <cerrno>
#include <system_error>

namespace bcma::fw::outbox {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::io: return "io";
    case Errc::storage_full: return "storage_full";
    case Errc::locked: return "locked";
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::payload_too_large: return "payload_too_large";
    case Errc::id_conflict: return "id_conflict";
    case Errc::unsupported_format: return "unsupported_format";
    case Errc::failed: return "failed";
    case Errc::random_unavailable: return "random_unavailable";
  }
  return "unknown";
}

OutboxError system_error(std::string_view what, const std::string& path, int sys_errno) {
  const bool full = sys_errno == ENOSPC || sys_errno == EDQUOT || sys_errno == EFBIG;
  std::string message(what);
  message += " failed on ";
  message += path;
  message += ": ";
  message += std::system_category().message(sys_errno);
  if (full) message += " (storage full)";
  return OutboxError{full ? Errc::storage_full : Errc::io, std::move(message), sys_errno, path};
}

}  // namespace bcma::fw::outbox
