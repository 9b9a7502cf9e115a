// Service: recording outcomes. Each request is checked again at its event time (the verdict
// the scanner showed may be stale), authorised (override, witness), then stored through the
// store's group commit. A record id seen before is answered by the store's idempotency.
#include <algorithm>
#include <cctype>
#include <map>

#include "bcma/core/text.hpp"
#include "bcma/station/service/errors.hpp"
#include "bcma/station/service/service.hpp"
#include "bcma/station/store/errors.hpp"
#include "evaluation.hpp"
#include "record_support.hpp"
#include "scan_input.hpp"

namespace bcma::station::service {

using detail::refuse;
using domain::Outcome;

struct Service::Prepared {
  store::NewAdministration record;
  std::optional<domain::ProductMatch> product;
  bool repeat = false;  ///< the record id was used before: the store answers with its first ack
};

struct Service::BatchEntry {
  std::string record_id;  ///< lower-case
  store::NewAdministration record;
  std::optional<domain::ProductMatch> product;
};

Result<Service::Prepared, Refusal> Service::prepare_repeat(const Session& session,
                                                           const OutcomeRequest& req,
                                                           const store::NewAdministration& original) {
  // The same request again gets the same record: identities are looked up by badge (nothing
  // is written, so no PIN is checked again) and what the station derived is taken from the
  // first time. Any other difference makes the store answer `record_conflict`.
  Prepared p;
  p.repeat = true;
  p.record = detail::skeleton(session, req);
  auto id_of = [this](const Credentials& c) -> std::optional<domain::StaffId> {
    auto s = store_->staff_by_badge(c.badge_gsrn);
    if (!s) return std::nullopt;
    return s->id;
  };
  const Refusal conflict{store::errc::kRecordConflict,
                         "record " + req.record_id + " was already stored with different content",
                         std::nullopt};
  if (req.override) {
    store::Override o;
    o.reason = req.override->reason;
    if (req.override->by) {
      const auto by = id_of(*req.override->by);
      if (!by) return Unexpected(conflict);
      o.by = *by;
    } else {
      o.by = session.staff.id;
    }
    if (req.override->witness) {
      o.witness = id_of(*req.override->witness);
      if (!o.witness) return Unexpected(conflict);
    }
    p.record.override = o;
  }
  if (req.witness) {
    p.record.witness = id_of(*req.witness);
    if (!p.record.witness) return Unexpected(conflict);
  }
  p.record.prescription_id = req.prescription_id.value_or(original.prescription_id);
  p.record.slot = req.slot ? req.slot : original.slot;
  p.record.ampp_id = original.ampp_id;
  p.record.label_id = original.label_id;
  p.record.verdict = original.verdict;
  return p;
}

Result<Service::Prepared, Refusal> Service::prepare(const Session& session,
                                                    const OutcomeRequest& req,
                                                    std::span<const BatchEntry> earlier) {
  const std::optional<std::string> id = detail::normalise_uuid(req.record_id);
  if (!id) {
    return refuse(store::errc::kInvalidRecordId,
                  "record id '" + req.record_id + "' is not a UUID (8-4-4-4-12 hex digits)");
  }
  for (const BatchEntry& e : earlier) {
    if (e.record_id == *id) return prepare_repeat(session, req, e.record);
  }
  if (auto stored = store_->administration(*id)) {
    return prepare_repeat(session, req, stored->record);
  } else if (stored.error().code != store::errc::kUnknownRecord) {
    return refuse(stored.error());
  }

  // What was scanned, and is it this resident?
  if (req.resident_id <= 0) return refuse(errc::kInvalidRequest, "a record needs the resident");
  const scan::Context context = scan_context();
  if (auto r = detail::check_wristband(*store_, context, req); !r) return Unexpected(r.error());
  const bool taken = domain::was_taken(req.outcome);
  if (req.item && req.item->entry != ScanInput::Entry::kScanned && is_blank(req.item->reason)) {
    return refuse(errc::kInvalidRequest,
                  "an item that was not scanned needs the reason it could not be scanned");
  }
  if (req.outcome == Outcome::kGiven) {
    if (req.quantity <= domain::Decimal{}) {
      return refuse(store::errc::kInvalidQuantity, "a dose given needs a quantity more than zero");
    }
    if (!req.item) {
      return refuse(errc::kInvalidRequest,
                    "a dose given needs the item scan, or the reason it could not be scanned");
    }
    if (req.item->entry == ScanInput::Entry::kUnableToScan && !req.ampp_id) {
      return refuse(errc::kInvalidRequest,
                    "an item that could not be scanned must be identified by hand (its pack) "
                    "before a dose is recorded as given");
    }
  }

  // Doses this batch records before this one count as if they were stored already.
  std::vector<domain::PastDose> pending;
  for (const BatchEntry& e : earlier) {
    if (e.record.resident_id == req.resident_id) {
      pending.push_back(detail::past_dose_of(e.record, e.product));
    }
  }

  // The rules again, at the event time, against what the store holds now.
  std::optional<detail::Evaluation> eval;
  const bool can_evaluate =
      req.item && (req.item->entry != ScanInput::Entry::kUnableToScan || req.ampp_id);
  if (can_evaluate) {
    detail::EvalInput in;
    in.resident_id = req.resident_id;
    in.item = &*req.item;
    in.manual_ampp = req.ampp_id;
    if (taken) in.quantity = req.quantity;
    in.at = req.event_time;
    in.pending = pending;
    if (req.corrects) in.excluded_record = detail::normalise_uuid(*req.corrects);
    auto e = detail::evaluate_item(*store_, context, in);
    if (!e) return refuse(e.error());
    eval = std::move(*e);
    if (req.ampp_id && req.item->entry != ScanInput::Entry::kUnableToScan && eval->product &&
        eval->product->ampp.id != *req.ampp_id) {
      return refuse(errc::kInvalidRequest,
                    "pack " + *req.ampp_id + " is not the pack that was scanned");
    }
  }

  Prepared p;
  p.record = detail::skeleton(session, req);
  if (eval) {
    p.product = eval->product;
    if (eval->product) p.record.ampp_id = eval->product->ampp.id;
    if (eval->label) p.record.label_id = eval->label->label_id;
    p.record.verdict = store::RecordedVerdict{eval->verdict.decision, eval->verdict.reasons};
  } else {
    p.record.ampp_id = req.ampp_id;
  }

  // Who may give it: a block needs an override; a controlled drug a witness.
  if (req.outcome == Outcome::kGiven) {
    if (auto r = authorise(session, req, eval->verdict, eval->policy, p.record); !r) {
      return Unexpected(r.error());
    }
  } else {
    if (req.override) {
      return refuse(errc::kOverrideNotNeeded,
                    "only a dose given can override a verdict: record this outcome without an "
                    "override");
    }
    const bool cd_waste = req.outcome == Outcome::kRefusedAndDestroyed && eval &&
                          eval->verdict.witness_required;
    if (cd_waste && !req.witness) {
      return refuse(errc::kWitnessRequired,
                    "a controlled drug destroyed must be witnessed by a second member of staff");
    }
    if (req.witness) {
      auto w = authenticate(*req.witness, session.device_id, "witness");
      if (!w) return refuse(w.error());
      if (w->id == session.staff.id) {
        return refuse(errc::kInvalidWitness, "the witness must be a second person, not "
                                             "the person recording");
      }
      p.record.witness = w->id;
    }
  }

  // Which prescription and which dose: the re-evaluation's, or the one the request names.
  if (eval && eval->verdict.prescription_id) {
    const domain::PrescriptionId found = *eval->verdict.prescription_id;
    if (req.prescription_id && *req.prescription_id != found) {
      return refuse(errc::kPrescriptionMismatch,
                    "this scan now answers prescription " + std::to_string(found) + ", not " +
                        std::to_string(*req.prescription_id) +
                        ": the verdict shown was out of date. Scan the item again.",
                    eval->verdict);
    }
    if (req.slot && req.slot != eval->verdict.slot) {
      return refuse(errc::kSlotMismatch,
                    "this scan now answers " +
                        (eval->verdict.slot ? "the dose at " + domain::to_string(*eval->verdict.slot)
                                            : std::string("no scheduled dose")) +
                        ", not the dose at " + domain::to_string(*req.slot) +
                        ": the verdict shown was out of date. Scan the item again.",
                    eval->verdict);
    }
    p.record.prescription_id = found;
    p.record.slot = eval->verdict.slot;
  } else {
    if (!req.prescription_id) {
      return refuse(errc::kMissingPrescription,
                    "say which prescription this outcome is for (no item scan names one)");
    }
    auto slot = detail::resolve_slot(*store_, req, *req.prescription_id, pending);
    if (!slot) return Unexpected(slot.error());
    p.record.prescription_id = *req.prescription_id;
    p.record.slot = *slot;
  }
  return p;
}

std::vector<Result<OutcomeAck, Refusal>> Service::record_outcomes(
    std::string_view session_id, std::span<const OutcomeRequest> requests) {
  std::vector<SessionRecord> batch;
  batch.reserve(requests.size());
  for (const OutcomeRequest& r : requests) batch.push_back(SessionRecord{std::string(session_id), r});
  return record_outcomes(batch);
}

std::vector<Result<OutcomeAck, Refusal>> Service::record_outcomes(
    std::span<const SessionRecord> batch) {
  std::vector<Result<OutcomeAck, Refusal>> results(
      batch.size(), Result<OutcomeAck, Refusal>(Unexpected(Refusal{})));
  // Each session is looked up once per batch: a lookup can end an expired session, and every
  // record of it must get the same answer (`session_expired`, not `not_signed_in` after the
  // first).
  std::map<std::string, Result<Session>, std::less<>> sessions;
  std::vector<bool> settled(batch.size(), false);  // refused for good; not prepared again

  // Every record is checked before anything is written, each seeing the ones before it in the
  // batch (whatever their session) as if they were stored already. If the store then refuses
  // one of those, a later record of the same resident or id was checked against something
  // that will not exist (it may even have been refused as a second dose): the transaction is
  // withdrawn and those records are checked again without it. Each round settles at least one
  // record for good, so this ends.
  for (;;) {
    std::vector<BatchEntry> accepted;
    std::vector<store::NewAdministration> to_store;
    std::vector<std::size_t> index_of;  // to_store position -> batch position
    std::vector<bool> repeat;
    std::vector<std::size_t> refused;  // batch positions the checks refused in this round
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (settled[i]) continue;
      const SessionRecord& item = batch[i];
      auto known = sessions.find(item.session_id);
      if (known == sessions.end()) {
        auto live = live_session(item.session_id);
        known = sessions
                    .emplace(item.session_id, live ? Result<Session>(**live)
                                                   : Result<Session>(Unexpected(live.error())))
                    .first;
      }
      if (!known->second) {
        const Error& e = known->second.error();
        results[i] = Unexpected(Refusal{e.code, e.message, {}});
        settled[i] = true;
        continue;
      }
      auto p = prepare(*known->second, item.request, accepted);
      if (!p) {
        results[i] = Unexpected(std::move(p).error());
        refused.push_back(i);
        continue;
      }
      if (!p->repeat) {
        accepted.push_back(BatchEntry{*detail::normalise_uuid(item.request.record_id), p->record,
                                      p->product});
      }
      to_store.push_back(std::move(p->record));
      index_of.push_back(i);
      repeat.push_back(p->repeat);
    }
    if (to_store.empty()) return results;

    auto keep = [&](std::span<const Result<store::Ack>> acks) {
      std::vector<std::size_t> dropped;  // accepted by the checks, refused by the store
      for (std::size_t k = 0; k < acks.size(); ++k) {
        if (!acks[k] && !repeat[k]) dropped.push_back(index_of[k]);
      }
      auto misled = [&](std::size_t i) {  // checked assuming a dropped record would be stored
        const OutcomeRequest& r = batch[i].request;
        return std::any_of(dropped.begin(), dropped.end(), [&](std::size_t d) {
          const OutcomeRequest& earlier = batch[d].request;
          return d < i && (earlier.resident_id == r.resident_id ||
                           detail::normalise_uuid(earlier.record_id) ==
                               detail::normalise_uuid(r.record_id));
        });
      };
      const bool withdraw = std::any_of(index_of.begin(), index_of.end(), misled) ||
                            std::any_of(refused.begin(), refused.end(), misled);
      if (!withdraw) return true;
      // The store's refusals stand (the same content meets the same checks), and so do the
      // checks' refusals that no dropped record could have caused.
      for (std::size_t k = 0; k < acks.size(); ++k) {
        if (acks[k] || repeat[k]) continue;
        results[index_of[k]] = Unexpected(Refusal{acks[k].error().code, acks[k].error().message, {}});
        settled[index_of[k]] = true;
      }
      for (std::size_t i : refused) settled[i] = !misled(i);
      return false;
    };
    // One transaction for every session's records: one durable commit for the batch.
    auto acks = store_->record_administrations(to_store, keep);
    if (!acks) continue;
    for (std::size_t k = 0; k < acks->size(); ++k) {
      const std::size_t i = index_of[k];
      auto& ack = (*acks)[k];
      if (!ack) {
        results[i] = Unexpected(Refusal{ack.error().code, ack.error().message, {}});
        continue;
      }
      OutcomeAck out;
      out.ack = std::move(*ack);
      out.duplicate = repeat[k];
      out.prescription_id = to_store[k].prescription_id;
      out.slot = to_store[k].slot;
      out.verdict = to_store[k].verdict;
      results[i] = std::move(out);
    }
    return results;
  }
}

Result<OutcomeAck, Refusal> Service::record_outcome(std::string_view session_id,
                                                    const OutcomeRequest& request) {
  auto results = record_outcomes(session_id, std::span<const OutcomeRequest>(&request, 1));
  return std::move(results.front());
}

}  // namespace bcma::station::service
