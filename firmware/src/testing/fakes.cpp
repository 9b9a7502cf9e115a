#include "bcma/fw/testing/fakes.hpp"

namespace bcma::fw::testing {

outbox::Result<void> FailingStorage::do_append(std::string_view name, std::span<const std::uint8_t> data) {
  if (control_->fail_writes) {
    return Unexpected(outbox::OutboxError{control_->fail_code, "injected: storage refused the write", 28, std::string(name)});
  }
  return inner_->append(name, data);
}

outbox::Result<void> FailingStorage::do_replace(std::string_view name, std::span<const std::uint8_t> data) {
  if (control_->fail_writes) {
    return Unexpected(outbox::OutboxError{control_->fail_code, "injected: storage refused the write", 28, std::string(name)});
  }
  return inner_->replace(name, data);
}

}  // namespace bcma::fw::testing
