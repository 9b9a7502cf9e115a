// ServiceRunner: the requests protocol 1.1 added (docs/protocol.md): the round snapshot for
// offline checks and a witness's confirmation at the trolley. Like the others, each runs on
// the queue's thread, where the service, the store and the session book live.
#include <memory>

#include "bcma/station/server/service_runner.hpp"
#include "bcma/station/service/errors.hpp"
#include "codec.hpp"
#include "runner_calls.hpp"
#include "round_snapshot_codec.hpp"
#include "session_book.hpp"

namespace bcma::station::server {

namespace {

using detail::Call;
using detail::dispatch;
using detail::kNotSignedInMessage;
using detail::send_error;
using detail::send_reply;

}  // namespace

void ServiceRunner::round_snapshot(std::string device_id, std::uint64_t request_id,
                                   v1::RoundSnapshotRequest message, transport::Reply reply) {
  dispatch(*queue_, std::move(device_id), request_id, std::move(message), std::move(reply),
           [this](Call<v1::RoundSnapshotRequest>& call) {
             detail::SessionMemo* memo = book_->find(call.message.session_id(), call.device_id);
             if (memo == nullptr) {
               send_error(call.reply, call.request_id, service::errc::kNotSignedIn, kNotSignedInMessage);
               return;
             }
             const std::uint32_t part = call.message.part();
             if (part == 0) {
               auto data = service_.round_snapshot(call.message.session_id());
               if (!data) {
                 log_.warn("request_refused", call.device_id,
                           {{"request", "round_snapshot"}, {"code", data.error().code}});
                 send_error(call.reply, call.request_id, data.error().code, data.error().message);
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
               send_error(call.reply, call.request_id, detail::errc::kSnapshotExpired,
                           "snapshot '" + call.message.snapshot_id() +
                               "' is not the one this session holds: ask for part 0 again");
               return;
             }
             if (part >= memo->snapshot_parts.size()) {
               send_error(call.reply, call.request_id, detail::errc::kInvalidRequest,
                           "snapshot " + memo->snapshot_id + " has " +
                               std::to_string(memo->snapshot_parts.size()) + " parts, not part " +
                               std::to_string(part));
               return;
             }
             v1::Envelope env;
             env.set_request_id(call.request_id);
             if (!env.mutable_round_snapshot()->ParseFromString(memo->snapshot_parts[part])) {
               send_error(call.reply, call.request_id, detail::errc::kInternal,
                           "the station could not read back its own snapshot part");
               return;
             }
             send_reply(call.reply, env);
           });
}

void ServiceRunner::confirm_witness(std::string device_id, std::uint64_t request_id,
                                    v1::ConfirmWitness message, transport::Reply reply) {
  dispatch(*queue_, std::move(device_id), request_id, std::move(message), std::move(reply),
           [this](Call<v1::ConfirmWitness>& call) {
             if (book_->find(call.message.session_id(), call.device_id) == nullptr) {
               send_error(call.reply, call.request_id, service::errc::kNotSignedIn, kNotSignedInMessage);
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
               send_reply(call.reply, env);
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
               send_error(call.reply, call.request_id, code, confirmed.error().message);
               return;
             }
             send_reply(call.reply, env);
           });
}

}  // namespace bcma::station::server
