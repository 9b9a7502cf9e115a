#include "bcma/fw/host/devices.hpp"

namespace bcma::fw::host {

hal::Result<hal::Key> QueueKeypad::DoNextKey(std::chrono::milliseconds timeout) {
  (void)timeout;  // keys are pressed by the caller between turns of the loop: none arrive meanwhile
  if (keys_.empty()) {
    if (closed_) return hal::fail(hal::Errc::end_of_input, "no more keys");
    return hal::fail(hal::Errc::timeout, "no key pressed");
  }
  const hal::Key k = keys_.front();
  keys_.pop_front();
  return k;
}

}  // namespace bcma::fw::host
