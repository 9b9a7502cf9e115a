#pragma once
/// \file
/// The web pages' requests and responses as plain values: the handler that makes pages never
/// touches a socket (the Beast server in server.cpp carries these to and from the network).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bcma::station::web {

struct Request {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< path and query, e.g. "/reports/waste?from=2026-03-01"
  std::string cookie;  ///< the Cookie header as sent, may be empty
  std::string content_type;
  std::string body;
  std::string remote;  ///< peer address, for the log only
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  ///< beyond the security headers
  std::string body;

  /// The first header named `name` (case-sensitive), or "".
  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return {};
  }
};

}  // namespace bcma::station::web
