#include "bcma/fw/round/outbox_sender.hpp"

#include <cstring>

namespace bcma::fw::round {

namespace {

bool is_session_gone(std::string_view code) {
  return code == "not_signed_in" || code == "session_expired" || code == "staff_inactive";
}

/// The rejected journal's record: the RecordOutcome, then the Acknowledgement, each behind a
/// 4-byte little-endian length.
outbox::Bytes rejection_payload(const std::string& record, const v1::Acknowledgement& ack) {
  const std::string a = ack.SerializeAsString();
  outbox::Bytes out;
  auto put = [&](const std::string& s) {
    const auto n = static_cast<std::uint32_t>(s.size());
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    out.insert(out.end(), s.begin(), s.end());
  };
  put(record);
  put(a);
  return out;
}

}  // namespace

OutboxSender::OutboxSender(outbox::Outbox& outbox, outbox::Outbox* rejected, StationClient& client,
                           const hal::Clock& clock, SenderOptions options)
    : outbox_(outbox), rejected_(rejected), client_(client), clock_(clock), options_(options) {}

void OutboxSender::set_session(std::optional<SenderSession> session) { session_ = std::move(session); }

void OutboxSender::handle(const v1::Envelope& response) {
  auto it = by_request_.find(response.request_id());
  if (it == by_request_.end()) return;
  const outbox::Uuid id = it->second;
  by_request_.erase(it);
  in_flight_.erase(id);

  if (response.has_acknowledgement()) {
    const auto& ack = response.acknowledgement();
    if (ack.outcome_id() != id.to_string()) return;  // not ours to act on: resent later
    if (ack.status() == v1::Acknowledgement::STATUS_REJECTED) {
      Rejection r;
      r.outcome_id = ack.outcome_id();
      for (const auto& reason : ack.reasons()) r.reasons.emplace_back(reason.code(), reason.message());
      if (rejected_ != nullptr) {
        // Journal first: if that fails the record stays pending and is sent again, so the
        // rejection is seen again rather than lost.
        const auto record = outbox_.find(id);
        const std::string payload =
            record ? std::string(record->payload.begin(), record->payload.end()) : std::string();
        if (auto kept = rejected_->append(id, rejection_payload(payload, ack)); !kept) {
          stats_.last_error = "cannot keep a rejected record: " + kept.error().message;
          return;
        }
      }
      if (auto done = outbox_.acknowledge(id); !done) {
        stats_.last_error = "outbox: " + done.error().message;
        return;
      }
      retry_at_.erase(id);
      ++stats_.rejected;
      new_rejections_.push_back(std::move(r));
      return;
    }
    if (ack.status() == v1::Acknowledgement::STATUS_RECORDED) {
      if (auto done = outbox_.acknowledge(id); !done) {
        stats_.last_error = "outbox: " + done.error().message;
        return;
      }
      retry_at_.erase(id);
      ++stats_.recorded;
    }
    return;
  }
  if (response.has_error()) {
    const auto& e = response.error();
    stats_.last_error = e.code() + ": " + e.message();
    if (is_session_gone(e.code())) {
      if (auto record = outbox_.find(id)) {
        v1::RecordOutcome msg;
        if (msg.ParseFromArray(record->payload.data(), static_cast<int>(record->payload.size()))) {
          ended_sessions_.insert(msg.session_id());
        }
      }
      retry_at_.erase(id);  // resend as soon as its recorder has a session
      sent_this_epoch_.erase(id);
      return;
    }
    retry_at_[id] = clock_.monotonic() + options_.retry_after;
  }
}

void OutboxSender::send_pending() {
  stats_.waiting_for_signin = 0;
  const auto now = clock_.monotonic();
  for (const auto& record : outbox_.pending()) {
    if (in_flight_.size() >= options_.max_in_flight) return;
    if (in_flight_.count(record.id) != 0) continue;
    if (sent_this_epoch_.count(record.id) != 0) {
      auto retry = retry_at_.find(record.id);
      if (retry == retry_at_.end() || now < retry->second) continue;
    }
    v1::Envelope env;
    v1::RecordOutcome* msg = env.mutable_record_outcome();
    if (!msg->ParseFromArray(record.payload.data(), static_cast<int>(record.payload.size()))) {
      stats_.last_error = "outbox record " + record.id.to_string() + " does not parse";
      continue;
    }
    if (ended_sessions_.count(msg->session_id()) != 0) {
      // Only the same person's new session may carry it (the station attributes a record to
      // the session's member of staff).
      if (!session_ || session_->badge_gsrn.empty() ||
          session_->badge_gsrn != msg->recorded_by_badge_gsrn() ||
          ended_sessions_.count(session_->session_id) != 0) {
        ++stats_.waiting_for_signin;
        continue;
      }
      msg->set_session_id(session_->session_id);
    }
    auto posted = client_.post(std::move(env));
    if (!posted) return;  // offline: everything waits for the next connection
    by_request_[*posted] = record.id;
    in_flight_.insert(record.id);
    sent_this_epoch_.insert(record.id);
    retry_at_.erase(record.id);
    ++stats_.sent;
  }
}

void OutboxSender::pump() {
  client_.poll(std::chrono::milliseconds(0));
  for (const auto& response : client_.take_responses()) handle(response);
  if (!client_.online()) {
    if (auto greeted = client_.ensure_greeted(); !greeted) return;
  }
  if (client_.greeted_epoch() != epoch_) {
    // A new connection: whatever was in flight on the old one may never be answered, so every
    // pending record is sent once more on this one (the station deduplicates by id).
    epoch_ = client_.greeted_epoch();
    in_flight_.clear();
    sent_this_epoch_.clear();
    retry_at_.clear();
  }
  send_pending();
}

SenderStats OutboxSender::stats() const {
  SenderStats s = stats_;
  s.pending = outbox_.size();
  s.in_flight = in_flight_.size();
  return s;
}

std::vector<Rejection> OutboxSender::take_rejections() {
  std::vector<Rejection> out;
  out.swap(new_rejections_);
  return out;
}

}  // namespace bcma::fw::round
