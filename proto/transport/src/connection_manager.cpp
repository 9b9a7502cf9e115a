#include "connection_manager.hpp"

#include <vector>

#include "connection.hpp"

namespace bcma::transport::detail {

void ConnectionManager::start(std::shared_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    connections_.insert(connection);
  }
  connection->start();
}

void ConnectionManager::remove(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
}

void ConnectionManager::drain_all(CloseReason reason) {
  std::vector<std::shared_ptr<Connection>> all;
  {
    std::lock_guard lock(mutex_);
    all.assign(connections_.begin(), connections_.end());
  }
  // Outside the lock: a connection that closes at once calls remove().
  for (auto& c : all) c->drain(reason);
}

std::size_t ConnectionManager::drain_device(std::string_view device_id, CloseReason reason) {
  std::vector<std::shared_ptr<Connection>> matching;
  {
    std::lock_guard lock(mutex_);
    for (const auto& c : connections_) {
      if (c->device_id() == device_id) matching.push_back(c);
    }
  }
  for (auto& c : matching) c->drain(reason);
  return matching.size();
}

std::size_t ConnectionManager::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

}  // namespace bcma::transport::detail
