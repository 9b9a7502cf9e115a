#include "bcma/station/pki/error.hpp"

namespace bcma::station::pki {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::io: return "io";
    case Errc::not_initialised: return "not_initialised";
    case Errc::already_initialised: return "already_initialised";
    case Errc::bad_station_name: return "bad_station_name";
    case Errc::bad_organisation: return "bad_organisation";
    case Errc::bad_device_id: return "bad_device_id";
    case Errc::device_already_paired: return "device_already_paired";
    case Errc::unknown_device: return "unknown_device";
    case Errc::already_revoked: return "already_revoked";
    case Errc::bad_certificate: return "bad_certificate";
    case Errc::corrupt: return "corrupt";
    case Errc::insecure_permissions: return "insecure_permissions";
    case Errc::crypto: return "crypto";
  }
  return "unknown";
}

}  // namespace bcma::station::pki
