#include "session_book.hpp"

namespace bcma::station::server::detail {

void SessionBook::signed_in(const std::string& session_id, std::string_view device_id,
                            domain::StaffId staff_id, domain::Instant expires_at,
                            domain::Instant now) {
  std::erase_if(sessions_, [&](const auto& entry) { return entry.second.expires_at < now; });
  SessionMemo memo;
  memo.device_id = std::string(device_id);
  memo.staff_id = staff_id;
  memo.expires_at = expires_at;
  sessions_[session_id] = std::move(memo);
}

SessionMemo* SessionBook::find(std::string_view session_id, std::string_view device_id) {
  auto it = sessions_.find(session_id);
  if (it == sessions_.end() || it->second.device_id != device_id) return nullptr;
  return &it->second;
}

void SessionBook::resident_scanned(SessionMemo& memo, std::optional<domain::ResidentId> resident,
                                   const service::ScanInput& wristband) {
  memo.current_resident = resident;
  if (resident) memo.wristbands[*resident] = wristband;
}

void SessionBook::verdict_given(SessionMemo& memo, std::int64_t verdict_id, VerdictMemo verdict) {
  if (memo.verdicts.emplace(verdict_id, std::move(verdict)).second) {
    memo.verdict_order.push_back(verdict_id);
  }
  while (memo.verdict_order.size() > kMaxVerdictsPerSession) {
    memo.verdicts.erase(memo.verdict_order.front());
    memo.verdict_order.pop_front();
  }
}

}  // namespace bcma::station::server::detail
