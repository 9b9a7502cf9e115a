#pragma once
/// \file
/// Status values of the hardware abstraction layer: a code a program matches on and a message
/// a person can act on (which device, what the kernel said). Every HAL function lists the codes
/// it can return; nothing in the HAL throws.

#include <string>
#include <string_view>

#include "bcma/core/result.hpp"

namespace bcma::fw::hal {

enum class Errc {
  invalid_argument,  ///< the caller passed something the device cannot take
  unavailable,       ///< the device is absent, not open, or was closed
  timeout,           ///< nothing arrived within the caller's deadline (not a failure)
  end_of_input,      ///< a finite source (image folder, script) has nothing more
  bad_format,        ///< the device or file delivers a format this code does not read
  io,                ///< the operating system reported an error (errno in the message)
  not_connected,     ///< a link has no connection right now
};

/// Stable snake_case name, for logs and tests.
std::string_view to_string(Errc code);

struct HalError {
  Errc code = Errc::io;
  std::string message;

  friend bool operator==(const HalError&, const HalError&) = default;
};

template <class T>
using Result = bcma::Result<T, HalError>;

inline Unexpected<HalError> fail(Errc code, std::string message) {
  return Unexpected<HalError>(HalError{code, std::move(message)});
}

/// "<what>: <strerror(err)>" for messages about failed system calls.
std::string errno_message(std::string_view what, int err);

}  // namespace bcma::fw::hal
