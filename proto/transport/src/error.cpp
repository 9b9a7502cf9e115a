#include "bcma/transport/error.hpp"

namespace bcma::transport {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::frame_empty: return "frame_empty";
    case Errc::frame_too_large: return "frame_too_large";
    case Errc::bad_credentials: return "bad_credentials";
    case Errc::bad_bundle: return "bad_bundle";
    case Errc::bad_device_id: return "bad_device_id";
    case Errc::bad_certificate: return "bad_certificate";
    case Errc::io: return "io";
    case Errc::bind_failed: return "bind_failed";
    case Errc::not_connected: return "not_connected";
    case Errc::stopped: return "stopped";
    case Errc::timeout: return "timeout";
    case Errc::connect_failed: return "connect_failed";
    case Errc::station_untrusted: return "station_untrusted";
    case Errc::refused: return "refused";
    case Errc::connection_lost: return "connection_lost";
  }
  return "unknown";
}

}  // namespace bcma::transport
