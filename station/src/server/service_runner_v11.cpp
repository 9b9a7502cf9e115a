// ServiceRunner: the requests protocol 1.1 added (docs/protocol.md): the round snapshot for
// offline checks and a witness's confirmation at the trolley. Like the others, each runs on
// the queue's thread, where the service, the store and the session book live.
#include <memory>

#include "bcma/station/server/service_runner.hpp"
#include "bcma/station/service/errors.hpp"
#include "codec.hpp"
#include "round_snapshot_codec.hpp"
#include "session_book.hpp"

namespace bcma::station::server {

namespace {

/// A 1.1 request on its way to the queue's thread (shared: a Job is copied, a Reply cannot be).
template <class Message>
struct V11Call {
  std::string device_id;
  std::uint64_t request_id = 0;
  Message message;
  transport::Reply reply;
};

void reply_error(transport::Reply& reply, std::uint64_t request_id, std::string_view code,
                 std::string_view message) {
  reply.send(detail::error_envelope(request_id, code, message));
  reply.finish();
}

void reply_with(transport::Reply& reply, const v1::Envelope& envelope) {
  reply.send(detail::serialize(envelope));
  reply.finish();
}

template <class Message, class Fn>
void post_v11(WorkQueue<PendingRecord>& queue, std::string device_id, std::uint64_t request_id,
              Message message, transport::Reply reply, Fn fn) {
  auto call = std::make_shared<V11Call<Message>>(
      V11Call<Message>{std::move(device_id), request_id, std::move(message), std::move(reply)});
  if (!queue.post([call, fn] { fn(*call); })) {
    reply_error(call->reply, call->request_id, detail::errc::kStationStopping,
                "the station is shutting down: nothing was done; send it again when it is back");
  }
}

constexpr std::string_view kV11NotSignedIn =
    "not signed in on this scanner (or the station restarted): sign in again";

}  // namespace

void ServiceRunner::round_snapshot(std::string device_id, std::uint64_t request_id,
                                   v1::RoundSnapshotRequest message, transport::Reply reply) {
  post_v11(*queue_, std::move(device_id), request_id, std::move(message), std::move(reply),
           [this](V11Call<v1::RoundSnapshotRequest>& call) {
             detail::SessionMemo* memo = book_->find(call.message.session_id(), call.device_id);
             if (memo == nullptr) {
               reply_error(call.reply, call.request_id, service::errc::kNotSignedIn, kV11NotSignedIn);
               return;
             }
             const std::uint32_t part = call.message.part();
             if (part == 0) {
               auto data = service_.round_snapshot(call.message.session_id());
               if (!data) {
                 log_.warn("request_refused", call.device_id,
                           {{"request", "round_snapshot"}, {"code", data.error().code}});
                 reply_error(call.reply, call.request_id, data.error().code, data.error().message);
                 return;
               }
               // Unique on this station for its lifetime; the session book keeps one per session.
               static std::uint64_t counter = 0;
               const std::string id = std::to_string(data->generated_at.time_since_epoch().count()) +
                                      "-" + std::to_string(++counter);
               memo->snapshot_id = id;
               memo->snapshot_parts.clear();
               for (const auto& p : detail::snapshot_parts(*data, id)) {
                 memo->snapshot_parts.push_back(p.SerializeAsString());
               }
               log_.info("round_snapshot", call.device_id,
                         {{"snapshot_id", id},
                          {"parts", memo->snapshot_parts.size()},
                          {"residents", data->residents.size()},
                          {"prescriptions", data->prescriptions.size()},
                          {"products", data->products.size()},
                          {"doses", data->history.size()}});
             } else if (call.message.snapshot_id() != memo->snapshot_id) {
               reply_error(call.reply, call.request_id, detail::errc::kSnapshotExpired,
                           "snapshot '" + call.message.snapshot_id() +
                               "' is not the one this session holds: ask for part 0 again");
               return;
             }
             if (part >= memo->snapshot_parts.size()) {
               reply_error(call.reply, call.request_id, detail::errc::kInvalidRequest,
                           "snapshot " + memo->snapshot_id + " has " +
                               std::to_string(memo->snapshot_parts.size()) + " parts, not part " +
                               std::to_string(part));
               return;
             }
             v1::Envelope env;
             env.set_request_id(call.request_id);
             if (!env.mutable_round_snapshot()->ParseFromString(memo->snapshot_parts[part])) {
               reply_error(call.reply, call.request_id, detail::errc::kInternal,
                           "the station could not read back its own snapshot part");
               return;
             }
             reply_with(call.reply, env);
           });
}

void ServiceRunner::confirm_witness(std::string device_id, std::uint64_t request_id,
                                    v1::ConfirmWitness message, transport::Reply reply) {
  post_v11(*queue_, std::move(device_id), request_id, std::move(message), std::move(reply),
           [this](V11Call<v1::ConfirmWitness>& call) {
             if (book_->find(call.message.session_id(), call.device_id) == nullptr) {
               reply_error(call.reply, call.request_id, service::errc::kNotSignedIn, kV11NotSignedIn);
               return;
             }
             auto confirmed = service_.confirm_witness(
                 call.message.session_id(),
                 service::Credentials{call.message.badge_gsrn(), call.message.pin()});
             v1::Envelope env;
             env.set_request_id(call.request_id);
             auto* out = env.mutable_witness_confirmation();
             if (confirmed) {
               out->set_status(v1::WitnessConfirmation::STATUS_CONFIRMED);
               out->set_confirmation_id(confirmed->confirmation_id);
               out->set_witness_name(confirmed->witness.name);
               log_.info("witness_confirmed", call.device_id,
                         {{"witness_staff_id", confirmed->witness.id},
                          {"verdict_id", call.message.verdict_id()}});
               reply_with(call.reply, env);
               return;
             }
             const std::string& code = confirmed.error().code;
             log_.warn("witness_refused", call.device_id,
                       {{"code", code}, {"verdict_id", call.message.verdict_id()}});
             if (code == "locked_out") {
               out->set_status(v1::WitnessConfirmation::STATUS_LOCKED_OUT);
               out->set_message(confirmed.error().message);
             } else if (code == service::errc::kInvalidWitness) {
               out->set_status(v1::WitnessConfirmation::STATUS_REJECTED);
               out->set_message(confirmed.error().message);
             } else if (code == "unknown_badge" || code == "wrong_pin" || code == "staff_inactive") {
               // One answer for the three, as at sign-in: which it was would help a guesser.
               out->set_status(v1::WitnessConfirmation::STATUS_REJECTED);
               out->set_message("Witness badge or PIN not accepted.");
             } else {
               reply_error(call.reply, call.request_id, code, confirmed.error().message);
               return;
             }
             reply_with(call.reply, env);
           });
}

}  // namespace bcma::station::server
