#include "bcma/station/server/protocol_handler.hpp"

#include <google/protobuf/unknown_field_set.h>

#include <algorithm>

#include "codec.hpp"

namespace bcma::station::server {

namespace {

void answer(transport::Reply& reply, const v1::Envelope& envelope) {
  reply.send(detail::serialize(envelope));
  reply.finish();
}

void answer_error(transport::Reply& reply, std::uint64_t request_id, std::string_view code,
                  std::string_view message) {
  reply.send(detail::error_envelope(request_id, code, message));
  reply.finish();
}

std::string_view payload_name(v1::Envelope::PayloadCase c) {
  const auto* field = v1::Envelope::descriptor()->FindFieldByNumber(static_cast<int>(c));
  return field != nullptr ? std::string_view(field->name()) : std::string_view("unknown");
}

}  // namespace

ProtocolHandler::ProtocolHandler(ServiceRunner& runner, const domain::Clock& clock, Logger& log,
                                 HandlerOptions options)
    : runner_(runner), clock_(clock), log_(log), options_(std::move(options)) {}

void ProtocolHandler::on_connect(const transport::Session& session) {
  {
    const std::lock_guard lock(mutex_);
    states_[session.id] = State{session.device.device_id, session.device.fingerprint_sha256};
  }
  log_.info("connected", session.device.device_id,
            {{"connection", session.id}, {"remote", session.remote}});
}

void ProtocolHandler::on_close(const transport::Session& session, transport::CloseReason reason) {
  {
    const std::lock_guard lock(mutex_);
    states_.erase(session.id);
  }
  log_.info("disconnected", session.device.device_id,
            {{"connection", session.id}, {"reason", transport::to_string(reason)}});
}

std::string ProtocolHandler::on_framing_error(const transport::Session& session,
                                              transport::CloseReason reason,
                                              std::string_view detail) {
  const bool too_large = reason == transport::CloseReason::frame_too_large;
  log_.warn("framing_error", session.device.device_id,
            {{"connection", session.id}, {"reason", transport::to_string(reason)}, {"detail", detail}});
  return detail::error_envelope(0, too_large ? detail::errc::kFrameTooLarge : detail::errc::kMalformedFrame,
                                std::string(detail) + "; the connection is closed");
}

std::vector<ProtocolHandler::Connection> ProtocolHandler::connections() const {
  const std::lock_guard lock(mutex_);
  std::vector<Connection> out;
  out.reserve(states_.size());
  for (const auto& [id, s] : states_) out.push_back(Connection{id, s.device_id, s.fingerprint_sha256});
  return out;
}

void ProtocolHandler::set_greeted(std::uint64_t session_id, std::uint32_t minor) {
  const std::lock_guard lock(mutex_);
  if (auto it = states_.find(session_id); it != states_.end()) {
    it->second.greeted = true;
    it->second.minor = minor;
  }
}

void ProtocolHandler::refuse_and_close(const transport::Session& session, std::uint64_t request_id,
                                       std::string_view code, std::string_view message,
                                       transport::Reply reply) {
  {
    const std::lock_guard lock(mutex_);
    if (auto it = states_.find(session.id); it != states_.end()) it->second.closing = true;
  }
  reply.send(detail::error_envelope(request_id, code, message));
  reply.close();
}

void ProtocolHandler::on_frame(const transport::Session& session, std::string payload,
                               transport::Reply reply) {
  const std::string& device = session.device.device_id;
  v1::Envelope env;
  if (!env.ParseFromString(payload)) {
    log_.warn("malformed_envelope", device, {{"connection", session.id}, {"bytes", payload.size()}});
    refuse_and_close(session, 0, detail::errc::kMalformedFrame,
                     "the frame is not a bcma.v1 Envelope; the connection is closed", std::move(reply));
    return;
  }
  const std::uint64_t rid = env.request_id();
  bool greeted = false;
  std::uint32_t minor = 0;
  {
    const std::lock_guard lock(mutex_);
    auto it = states_.find(session.id);
    if (it == states_.end() || it->second.closing) return;  // the Reply finishes unanswered
    greeted = it->second.greeted;
    minor = it->second.minor;
  }

  switch (env.payload_case()) {
    case v1::Envelope::PAYLOAD_NOT_SET:
      if (!env.GetReflection()->GetUnknownFields(env).empty()) {
        // A payload added in a later minor version: say so, and carry on.
        log_.info("unsupported_message", device, {{"connection", session.id}, {"request_id", rid}});
        answer_error(reply, rid, detail::errc::kUnsupportedMessage,
                     "this station (protocol 1." + std::to_string(detail::kProtocolMinor) +
                         ") does not know this message type");
        return;
      }
      log_.warn("malformed_envelope", device, {{"connection", session.id}, {"request_id", rid}});
      refuse_and_close(session, rid, detail::errc::kMalformedFrame,
                       "the envelope has no payload; the connection is closed", std::move(reply));
      return;
    case v1::Envelope::kHeartbeat: {
      v1::Envelope out;
      out.set_request_id(rid);
      detail::set_timestamp(*out.mutable_heartbeat()->mutable_sent_at(), clock_.now());
      log_.debug("heartbeat", device,
                 {{"connection", session.id}, {"pending_outcomes", env.heartbeat().pending_outcomes()}});
      answer(reply, out);
      return;
    }
    case v1::Envelope::kDeviceHello:
      hello(session, rid, env.device_hello(), std::move(reply));
      return;
    case v1::Envelope::kRoundSnapshotRequest:
    case v1::Envelope::kConfirmWitness:
      if (!greeted) break;  // answered below, as any request before the hello
      if (minor < 1) {
        // This connection speaks 1.0: the answer a 1.0 station gives (docs/protocol.md).
        log_.info("unsupported_message", device,
                  {{"connection", session.id}, {"request_id", rid},
                   {"payload", payload_name(env.payload_case())}});
        answer_error(reply, rid, detail::errc::kUnsupportedMessage,
                     "this connection speaks protocol 1.0 (the scanner's hello said so), which "
                     "has no " + std::string(payload_name(env.payload_case())));
        return;
      }
      serve_v11(session, env, std::move(reply));
      return;
    case v1::Envelope::kStaffLogin:
    case v1::Envelope::kScanResident:
    case v1::Envelope::kScanItem:
    case v1::Envelope::kRecordOutcome:
      break;
    default:
      log_.warn("unexpected_message", device,
                {{"connection", session.id}, {"payload", payload_name(env.payload_case())}});
      answer_error(reply, rid, detail::errc::kUnexpectedMessage,
                   std::string(payload_name(env.payload_case())) +
                       " is sent by the station, never to it");
      return;
  }

  if (!greeted) {
    answer_error(reply, rid, detail::errc::kHelloRequired,
                 "send DeviceHello first: the station does not yet know this scanner's protocol version");
    return;
  }
  switch (env.payload_case()) {
    case v1::Envelope::kStaffLogin:
      runner_.login(device, rid, std::move(*env.mutable_staff_login()), std::move(reply));
      return;
    case v1::Envelope::kScanResident:
      runner_.scan_resident(device, rid, std::move(*env.mutable_scan_resident()), std::move(reply));
      return;
    case v1::Envelope::kScanItem:
      runner_.scan_item(device, rid, std::move(*env.mutable_scan_item()), std::move(reply));
      return;
    case v1::Envelope::kRecordOutcome:
      runner_.record(PendingRecord{device, rid, std::move(*env.mutable_record_outcome()), std::move(reply)});
      return;
    default:
      return;  // handled above
  }
}

void ProtocolHandler::hello(const transport::Session& session, std::uint64_t request_id,
                            const v1::DeviceHello& hello, transport::Reply reply) {
  const std::string& device = session.device.device_id;
  const std::string version =
      std::to_string(hello.protocol_major()) + "." + std::to_string(hello.protocol_minor());
  if (hello.protocol_major() != detail::kProtocolMajor) {
    log_.warn("hello_refused", device,
              {{"connection", session.id}, {"reason", "unsupported_version"}, {"protocol", version}});
    refuse_and_close(session, request_id, detail::errc::kUnsupportedVersion,
                     "this station speaks bcma protocol " + std::to_string(detail::kProtocolMajor) +
                         "." + std::to_string(detail::kProtocolMinor) + "; the scanner speaks " +
                         version + ": update the scanner or the station",
                     std::move(reply));
    return;
  }
  v1::Envelope out;
  out.set_request_id(request_id);
  auto* r = out.mutable_hello_response();
  r->set_protocol_major(detail::kProtocolMajor);
  r->set_protocol_minor(detail::kProtocolMinor);
  r->set_station_id(options_.station_id);
  detail::set_timestamp(*r->mutable_station_time(), clock_.now());
  if (hello.device_id() != device) {
    // The certificate is authoritative; a hello naming another device is a misconfigured or
    // cloned scanner, and nothing it sends can be attributed safely.
    log_.warn("hello_refused", device,
              {{"connection", session.id}, {"reason", "device_id_mismatch"},
               {"claimed_device", hello.device_id()}});
    r->set_accepted(false);
    r->set_message("this scanner's certificate belongs to device " + device +
                   ", but it says it is " + hello.device_id());
    {
      const std::lock_guard lock(mutex_);
      if (auto it = states_.find(session.id); it != states_.end()) it->second.closing = true;
    }
    reply.send(detail::serialize(out));
    reply.close();
    return;
  }
  r->set_accepted(true);
  // Within a major version the lower minor is spoken; the response still names the station's
  // own version, so that the scanner knows what it could have.
  const std::uint32_t minor = std::min(hello.protocol_minor(), detail::kProtocolMinor);
  set_greeted(session.id, minor);
  log_.info("hello", device,
            {{"connection", session.id}, {"protocol", version}, {"negotiated", "1." + std::to_string(minor)},
             {"firmware", hello.firmware_version()}});
  answer(reply, out);
}

void ProtocolHandler::serve_v11(const transport::Session& session, v1::Envelope& env,
                                transport::Reply reply) {
  const std::string& device = session.device.device_id;
  const std::uint64_t rid = env.request_id();
  // Content that can never be a request closes the connection, as a malformed frame does: a
  // scanner that sends it is broken, and nothing else it sends can be trusted.
  auto malformed = [&](std::string what) {
    log_.warn("malformed_request", device,
              {{"connection", session.id}, {"request_id", rid},
               {"payload", payload_name(env.payload_case())}, {"detail", what}});
    refuse_and_close(session, rid, detail::errc::kInvalidRequest,
                     std::string(payload_name(env.payload_case())) + ": " + what +
                         "; the connection is closed",
                     std::move(reply));
  };
  if (env.payload_case() == v1::Envelope::kRoundSnapshotRequest) {
    const v1::RoundSnapshotRequest& m = env.round_snapshot_request();
    if (m.session_id().empty()) return malformed("no session_id");
    if (m.part() > 0 && m.snapshot_id().empty()) {
      return malformed("part " + std::to_string(m.part()) + " asked for without the snapshot_id part 0 gave");
    }
    if (m.part() == 0 && !m.snapshot_id().empty()) {
      return malformed("part 0 starts a new snapshot and names none, but snapshot_id is set");
    }
    runner_.round_snapshot(device, rid, std::move(*env.mutable_round_snapshot_request()), std::move(reply));
    return;
  }
  const v1::ConfirmWitness& m = env.confirm_witness();
  if (m.session_id().empty()) return malformed("no session_id");
  const std::string& badge = m.badge_gsrn();
  if (badge.size() != 18 || badge.find_first_not_of("0123456789") != std::string::npos) {
    return malformed("badge_gsrn is not an 18-digit staff badge number (AI 8017)");
  }
  if (m.pin().empty()) return malformed("no PIN");
  runner_.confirm_witness(device, rid, std::move(*env.mutable_confirm_witness()), std::move(reply));
}

}  // namespace bcma::station::server
