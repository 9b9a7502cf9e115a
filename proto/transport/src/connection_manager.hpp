#pragma once
// Owns the server's live connections so that stop() and disconnect_device() can reach them.
// Private to bcma_transport.

#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_set>

#include "bcma/transport/frame_handler.hpp"

namespace bcma::transport::detail {

class Connection;

class ConnectionManager {
 public:
  /// Takes ownership and starts the connection.
  void start(std::shared_ptr<Connection> connection);
  /// Drops ownership (the connection calls it when it has closed).
  void remove(const std::shared_ptr<Connection>& connection);
  /// Asks every connection to close gracefully.
  void drain_all(CloseReason reason);
  /// Asks every connection of `device_id` to close gracefully; returns how many.
  std::size_t drain_device(std::string_view device_id, CloseReason reason);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
};

}  // namespace bcma::transport::detail
