#pragma once
/// \file
/// Error values of the scanner's outbox: a stable code a program can match on, the operating
/// system's errno and the file involved where there is one, and a message a person can act on.

#include <string>
#include <string_view>

#include "bcma/core/result.hpp"

namespace bcma::fw::outbox {

/// Stable codes; `to_string` gives the snake_case name used in logs. Never renumber or rename.
enum class Errc {
  io,                  ///< a read, write, fsync, rename or directory operation failed (errno, path)
  storage_full,        ///< no space left (ENOSPC, EDQUOT, EFBIG): earlier records are intact
  locked,              ///< another process has this outbox open
  invalid_argument,    ///< a nil id, or a storage file name that is not a plain name
  payload_too_large,   ///< the payload is bigger than `Options::max_payload_bytes`
  id_conflict,         ///< the id is already pending with a different payload
  unsupported_format,  ///< the log was written by a newer format version: it is left untouched
  failed,              ///< an earlier I/O failure left the log in an unknown state: reopen it
  random_unavailable,  ///< the random source for UUIDs failed
};

/// Stable snake_case name of a code, for logs and tests.
std::string_view to_string(Errc code);

struct OutboxError {
  Errc code = Errc::io;
  std::string message;  ///< plain English, names the file and the operation
  int sys_errno = 0;    ///< the errno behind an `io` / `storage_full` error, else 0
  std::string path;     ///< the file or directory involved, if any

  friend bool operator==(const OutboxError&, const OutboxError&) = default;
};

template <class T>
using Result = bcma::Result<T, OutboxError>;

inline Unexpected<OutboxError> fail(Errc code, std::string message) {
  return Unexpected<OutboxError>(OutboxError{code, std::move(message), 0, {}});
}

/// An error from a failed system call: `storage_full` for ENOSPC, EDQUOT and EFBIG (the
/// file cannot grow), `io` for everything else. The message names `what` and `path` and
/// carries the system's description of `sys_errno`.
OutboxError system_error(std::string_view what, const std::string& path, int sys_errno);

}  // namespace bcma::fw::outbox
