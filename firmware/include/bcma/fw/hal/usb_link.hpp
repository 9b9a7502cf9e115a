#pragma once
/// \file
/// The dock's USB link: the same length-prefixed frames as the network (4-byte big-endian
/// length, then one serialized Envelope) over a pair of bulk endpoints of a vendor-specific
/// interface (hardware/handheld.json: VID 0x1209, PID 0xbc4a). Used in the dock for pairing
/// (the device bundle) and for draining the outbox when Wi-Fi is down. Backend:
/// `embedded::LibusbLink` (libusb-1.0: the dock side, which is the USB host).

#include <chrono>
#include <string>
#include <string_view>

#include "bcma/fw/hal/error.hpp"

namespace bcma::fw::hal {

class UsbLink {
 public:
  virtual ~UsbLink() = default;
  UsbLink() = default;
  UsbLink(const UsbLink&) = delete;
  UsbLink& operator=(const UsbLink&) = delete;

  /// Finds and claims the device's bulk interface.
  /// Errors: `unavailable` (nothing docked, or no permission: see hardware/udev), `bad_format`
  /// (the device has no bulk IN and OUT endpoint pair), `io`.
  Result<void> open() { return DoOpen(); }

  /// Sends one frame (header and payload), waiting at most `timeout` for the device to take it.
  /// Errors: `invalid_argument` (empty, or over the frame limit), `not_connected` (not open),
  /// `timeout`, `unavailable` (undocked meanwhile), `io`.
  Result<void> send(std::string_view payload, std::chrono::milliseconds timeout) {
    return DoSend(payload, timeout);
  }

  /// The next whole frame's payload, waiting at most `timeout`.
  /// Errors: `timeout`, `not_connected`, `unavailable`, `bad_format` (a frame header announced
  /// 0 or more than the limit: the stream cannot be trusted; close and open again), `io`.
  Result<std::string> receive(std::chrono::milliseconds timeout) { return DoReceive(timeout); }

  /// Releases the interface. Idempotent.
  void close() { DoClose(); }

 private:
  virtual Result<void> DoOpen() = 0;
  virtual Result<void> DoSend(std::string_view payload, std::chrono::milliseconds timeout) = 0;
  virtual Result<std::string> DoReceive(std::chrono::milliseconds timeout) = 0;
  virtual void DoClose() = 0;
};

}  // namespace bcma::fw::hal
