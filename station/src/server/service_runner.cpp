#include "bcma/station/server/service_runner.hpp"

#include <map>

#include "codec.hpp"
#include "runner_calls.hpp"
#include "session_book.hpp"

namespace bcma::station::server {

namespace {

using detail::serialize;

using detail::Call;
using detail::dispatch;
using detail::kNotSignedInMessage;
using detail::kStoppingMessage;
using detail::send_error;
using detail::send_reply;

std::string reason_codes(const rules::Verdict& v) {
  std::string out;
  for (const auto& r : v.reasons) {
    if (!out.empty()) out += ",";
    out += rules::to_string(r.code);
  }
  return out;
}

}  // namespace

ServiceRunner::ServiceRunner(service::Service& service, store::Store& store,
                             const domain::Clock& clock, Logger& log, WorkQueueOptions options)
    : service_(service),
      store_(store),
      clock_(clock),
      log_(log),
      book_(std::make_unique<detail::SessionBook>()),
      queue_(std::make_unique<WorkQueue<PendingRecord>>(
          options, [this](std::vector<PendingRecord>& batch) { write_batch(batch); })) {}

ServiceRunner::~ServiceRunner() { stop(); }

void ServiceRunner::stop() { queue_->stop(); }

WorkQueueStats ServiceRunner::stats() const { return queue_->stats(); }

void ServiceRunner::login(std::string device_id, std::uint64_t request_id, v1::StaffLogin message,
                          transport::Reply reply) {
  dispatch(*queue_, std::move(device_id), request_id, std::move(message), std::move(reply),
           [this](Call<v1::StaffLogin>& call) {
             v1::Envelope env;
             env.set_request_id(call.request_id);
             auto* out = env.mutable_staff_login_result();
             auto session = service_.login(
                 service::Credentials{call.message.badge_gsrn(), call.message.pin()},
                 call.device_id);
             if (session) {
               book_->signed_in(session->id, call.device_id, session->staff.id,
                                session->expires_at, clock_.now());
               out->set_status(v1::StaffLoginResult::STATUS_OK);
               out->set_session_id(session->id);
               out->set_staff_name(session->staff.name);
               detail::set_timestamp(*out->mutable_expires_at(), session->expires_at);
               log_.info("login", call.device_id, {{"staff_id", session->staff.id}});
               send_reply(call.reply, env);
               return;
             }
             const std::string& code = session.error().code;
             log_.warn("login_refused", call.device_id, {{"code", code}});
             if (code == "locked_out") {
               out->set_status(v1::StaffLoginResult::STATUS_LOCKED_OUT);
               out->set_message(session.error().message);
             } else if (code == "unknown_badge" || code == "wrong_pin" ||
                        code == "staff_inactive") {
               // Deliberately one answer: which of the three it was would help a guesser.
               out->set_status(v1::StaffLoginResult::STATUS_REJECTED);
               out->set_message("Badge or PIN not accepted.");
             } else {
               send_error(call.reply, call.request_id, code, session.error().message);
               return;
             }
             send_reply(call.reply, env);
           });
}

void ServiceRunner::scan_resident(std::string device_id, std::uint64_t request_id,
                                  v1::ScanResident message, transport::Reply reply) {
  dispatch(*queue_, std::move(device_id), request_id, std::move(message), std::move(reply),
           [this](Call<v1::ScanResident>& call) {
             detail::SessionMemo* memo = book_->find(call.message.session_id(), call.device_id);
             if (memo == nullptr) {
               send_error(call.reply, call.request_id, "not_signed_in", kNotSignedInMessage);
               return;
             }
             const service::ScanInput input =
                 detail::scan_input(call.message.decode(), call.message.entry());
             auto view = service_.scan_resident(call.message.session_id(), input);
             if (!view) {
               log_.warn("request_refused", call.device_id,
                         {{"request", "scan_resident"}, {"code", view.error().code}});
               send_error(call.reply, call.request_id, view.error().code, view.error().message);
               return;
             }
             const bool found = view->status == service::ResidentScanStatus::kFound && view->resident;
             book_->resident_scanned(*memo, found ? std::optional(view->resident->id) : std::nullopt,
                                     input);
             v1::Envelope env;
             env.set_request_id(call.request_id);
             detail::fill_summary(*view, *env.mutable_resident_summary());
             log_.info("resident_scanned", call.device_id,
                       {{"status", service::to_string(view->status)},
                        {"resident_id", found ? view->resident->id : 0}});
             send_reply(call.reply, env);
           });
}

void ServiceRunner::scan_item(std::string device_id, std::uint64_t request_id, v1::ScanItem message,
                              transport::Reply reply) {
  dispatch(*queue_, std::move(device_id), request_id, std::move(message), std::move(reply),
           [this](Call<v1::ScanItem>& call) {
             detail::SessionMemo* memo = book_->find(call.message.session_id(), call.device_id);
             if (memo == nullptr) {
               send_error(call.reply, call.request_id, "not_signed_in", kNotSignedInMessage);
               return;
             }
             auto resident = detail::parse_id(call.message.resident_id(), "resident");
             if (!resident) {
               send_error(call.reply, call.request_id, resident.error().code,
                          resident.error().message);
               return;
             }
             service::ItemRequest request;
             request.item = detail::scan_input(call.message.decode(), call.message.entry());
             request.resident_id = *resident;
             auto check = service_.scan_item(call.message.session_id(), request);
             if (!check) {
               log_.warn("request_refused", call.device_id,
                         {{"request", "scan_item"}, {"code", check.error().code}});
               send_error(call.reply, call.request_id, check.error().code, check.error().message);
               return;
             }
             const auto for_resident = *resident ? *resident : memo->current_resident;
             book_->verdict_given(*memo, check->verdict_audit_seq,
                                  detail::memo_of(*check, request.item, for_resident));
             v1::Envelope env;
             env.set_request_id(call.request_id);
             detail::fill_verdict(*check, *env.mutable_verdict());
             log_.info("verdict", call.device_id,
                       {{"verdict_id", check->verdict_audit_seq},
                        {"resident_id", for_resident.value_or(0)},
                        {"decision", rules::to_string(check->verdict.decision)},
                        {"reasons", reason_codes(check->verdict)}});
             send_reply(call.reply, env);
           });
}

void ServiceRunner::record(PendingRecord record) {
  // submit() moves only on success, so a refused record is still ours to answer.
  if (!queue_->submit(std::move(record))) {
    send_error(record.reply, record.request_id, detail::errc::kStationStopping, kStoppingMessage);
  }
}

void ServiceRunner::write_batch(std::vector<PendingRecord>& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::map<std::string, domain::Outcome, std::less<>> codes;
  if (auto table = store_.non_administration_codes(/*include_inactive=*/true)) {
    for (const auto& c : *table) codes[c.code] = c.outcome;
  }

  auto answer = [&](PendingRecord& p, const Result<service::OutcomeAck, service::Refusal>& result) {
    const std::string& outcome_id = p.message.outcome_id();
    if (result) {
      v1::Envelope env;
      env.set_request_id(p.request_id);
      detail::fill_ack(*result, outcome_id, *env.mutable_acknowledgement());
      log_.info("record", p.device_id,
                {{"outcome_id", outcome_id}, {"status", "recorded"},
                 {"duplicate", result->duplicate}, {"sequence", result->ack.sequence}});
      send_reply(p.reply, env);
      return;
    }
    const service::Refusal& r = result.error();
    if (detail::is_transient(r.code)) {
      log_.warn("record", p.device_id,
                {{"outcome_id", outcome_id}, {"status", "error"}, {"code", r.code}});
      send_error(p.reply, p.request_id, r.code, r.message);
      return;
    }
    v1::Envelope env;
    env.set_request_id(p.request_id);
    detail::fill_rejection(r, outcome_id, *env.mutable_acknowledgement());
    log_.warn("record", p.device_id,
              {{"outcome_id", outcome_id}, {"status", "rejected"}, {"code", r.code}});
    send_reply(p.reply, env);
  };

  // Every session's records go to the service together: one transaction, one fsync for the
  // whole batch (docs/station.md "Group commit"). The service checks each record on its own
  // and answers it on its own; nothing here is answered before that commit has returned.
  std::vector<service::SessionRecord> records;
  std::vector<std::size_t> index;  // records position -> batch position
  records.reserve(batch.size());
  index.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    PendingRecord& p = batch[i];
    detail::SessionMemo* memo = book_->find(p.message.session_id(), p.device_id);
    if (memo == nullptr) {
      answer(p, Unexpected(service::Refusal{"not_signed_in", std::string(kNotSignedInMessage), {}}));
      continue;
    }
    auto request = detail::outcome_request(p.message, detail::RecordContext{memo, memo->staff_id, &codes});
    if (!request) {
      answer(p, Unexpected(std::move(request).error()));
      continue;
    }
    records.push_back(service::SessionRecord{p.message.session_id(), std::move(*request)});
    index.push_back(i);
  }
  const std::uint64_t commits_before = store_.database().commits();
  if (!records.empty()) {
    auto results = service_.record_outcomes(records);
    for (std::size_t k = 0; k < results.size() && k < index.size(); ++k) {
      answer(batch[index[k]], results[k]);
    }
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  // Commits as SQLite counted them: the batch's own, plus any sign-in of an overrider or
  // witness (audited in its own transaction).
  log_.debug("batch_committed", "",
             {{"records", batch.size()},
              {"transactions", store_.database().commits() - commits_before},
              {"duration_us", micros}});
}

}  // namespace bcma::station::server
