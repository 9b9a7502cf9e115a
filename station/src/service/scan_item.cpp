// Service: scanning a pack or a pharmacy label - the verdict, audited with the scan.
#include "audit_json.hpp"
#include "bcma/station/service/errors.hpp"
#include "bcma/station/service/service.hpp"
#include "bcma/station/store/transaction.hpp"
#include "evaluation.hpp"

namespace bcma::station::service {

Result<ItemCheck> Service::scan_item(std::string_view session_id, const ItemRequest& request) {
  auto live = live_session(session_id);
  if (!live) return Unexpected(std::move(live).error());
  const Session& session = **live;
  if (request.resident_id && request.resident_id != session.resident_id) {
    // The scanner and the station disagree about whose medicines these are: never guess.
    return fail(errc::kResidentNotCurrent,
                "resident " + std::to_string(*request.resident_id) +
                    " is not the resident whose wristband this session scanned last: scan the "
                    "wristband again");
  }
  const domain::Instant now = clock_->now();

  // The snapshot is read and the verdict audited inside one write transaction, so the audit
  // says exactly what the verdict was made from.
  auto tx = store::Transaction::begin(store_->database());
  if (!tx) return Unexpected(std::move(tx).error());
  detail::EvalInput in;
  in.resident_id = session.resident_id;
  in.item = &request.item;
  in.quantity = request.quantity;
  in.at = now;
  auto e = detail::evaluate_item(*store_, scan_context(), in);
  if (!e) return Unexpected(std::move(e).error());

  const store::Actor actor{session.staff.id, session.device_id};
  const std::string subject =
      session.resident_id ? "resident:" + std::to_string(*session.resident_id) : "scan";
  const scan::Scan unscanned = [] {
    scan::Scan s;
    s.data = scan::Unknown{scan::UnknownReason::kEmpty, "Nothing was scanned."};
    return s;
  }();
  const scan::Scan& seen = e->scan ? *e->scan : unscanned;
  auto scan_logged = store::append_audit(
      store_->database(),
      store::AuditEvent{store::AuditKind::kScan, actor, subject,
                        detail::scan_payload("item", request.item, seen, scan::to_string(seen.kind),
                                             session.resident_id)},
      now);
  if (!scan_logged) return Unexpected(std::move(scan_logged).error());
  auto verdict_logged = store::append_audit(
      store_->database(),
      store::AuditEvent{store::AuditKind::kVerdict, actor, subject,
                        detail::verdict_payload(session.resident_id, e->verdict, scan_logged->seq)},
      now);
  if (!verdict_logged) return Unexpected(std::move(verdict_logged).error());
  if (auto c = tx->commit(); !c) return Unexpected(std::move(c).error());

  ItemCheck out;
  out.kind = seen.kind;
  out.verdict = std::move(e->verdict);
  out.product = std::move(e->product);
  if (e->label) out.label_id = e->label->label_id;
  out.verdict_audit_seq = verdict_logged->seq;
  // What authorise() will accept, so that a scanner offers an override only where it counts.
  if (out.verdict.decision == rules::Decision::kBlock) {
    out.override_allowed = true;
    for (const rules::Reason& r : out.verdict.reasons) {
      const rules::ReasonPolicy& rp = e->policy.for_reason(r.code);
      if (rp.decision != rules::Decision::kBlock) continue;
      out.override_allowed = out.override_allowed && e->policy.may_override(r.code, session.staff.role);
      out.override_needs_witness = out.override_needs_witness || rp.override_needs_witness;
    }
  }
  return out;
}

}  // namespace bcma::station::service
