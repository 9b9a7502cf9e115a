// Waste and returns notes. Each is a ledger movement out; controlled drugs need two signatures.
#include <array>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bcma/station/stock/stock.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "stock_internal.hpp"

namespace bcma::station::stock {

namespace errc = store::errc;
using Json = nlohmann::ordered_json;

namespace {

constexpr std::array<std::pair<WasteReason, std::string_view>, 6> kWasteReasons{{
    {WasteReason::kRefusedDestroyed, "refused_destroyed"},
    {WasteReason::kDropped, "dropped"},
    {WasteReason::kContaminated, "contaminated"},
    {WasteReason::kExpired, "expired"},
    {WasteReason::kDiscontinued, "discontinued"},
    {WasteReason::kResidentDiedOrLeft, "resident_died_or_left"},
}};

struct Resolved {
  detail::PackInfo pack;
  std::optional<domain::ResidentId> resident_id;
};

// The pack and whose stock it is, from the pack id and/or the label (as Store::record_stock).
Result<Resolved> resolve(store::Store& store, const domain::SnomedId& ampp_id,
                         const std::optional<std::string>& label_id,
                         std::optional<domain::ResidentId> resident_id) {
  domain::SnomedId ampp = ampp_id;
  if (label_id) {
    auto item = store.dispensed_item(*label_id);
    if (!item) return Unexpected(std::move(item).error());
    if (resident_id && *resident_id != item->resident_id) {
      return fail(errc::kLabelNotForResident, "label " + *label_id + " was dispensed for resident " +
                                                  std::to_string(item->resident_id));
    }
    if (!ampp.empty() && ampp != item->ampp_id) {
      return fail(errc::kProductMismatch, "label " + *label_id + " is for pack " + item->ampp_id +
                                              ", not " + ampp);
    }
    ampp = item->ampp_id;
    resident_id = item->resident_id;
  }
  if (ampp.empty()) return fail(errc::kMissingProduct, "a stock entry needs the pack (AMPP) or a label");
  auto pack = detail::pack_info(store.database(), ampp);
  if (!pack) return Unexpected(std::move(pack).error());
  if (resident_id) {
    if (auto r = store.resident(*resident_id); !r) return Unexpected(std::move(r).error());
  }
  return Resolved{std::move(*pack), resident_id};
}

Result<void> check_witness(const std::vector<int>& categories, const detail::PackInfo& pack,
                           std::optional<domain::StaffId> witness, std::string_view what) {
  if (detail::in_categories(categories, pack.cd_category) && !witness) {
    return fail("witness_required", std::string(what) + " of " + pack.vmp_name +
                                        " (a controlled drug) is signed by two people");
  }
  return {};
}

}  // namespace

std::string_view to_string(WasteReason r) {
  for (const auto& [reason, text] : kWasteReasons) {
    if (reason == r) return text;
  }
  return "dropped";
}

std::optional<WasteReason> waste_reason_from_string(std::string_view text) {
  if (text == "refused and destroyed") return WasteReason::kRefusedDestroyed;
  for (const auto& [reason, code] : kWasteReasons) {
    if (code == text) return reason;
  }
  return std::nullopt;
}

Result<std::int64_t> record_waste(store::Store& store, const WasteRequest& request,
                                  const store::Actor& actor) {
  if (auto t = detail::check_event_time(request.at, store.now()); !t) {
    return Unexpected(std::move(t).error());
  }
  if (request.quantity <= domain::Decimal{}) {
    return fail(errc::kInvalidQuantity, "wasted quantity must be more than zero");
  }
  auto categories = detail::register_categories(store);
  if (!categories) return Unexpected(std::move(categories).error());
  auto& db = store.database();
  auto tx = store::Transaction::begin(db);
  if (!tx) return Unexpected(std::move(tx).error());
  auto r = resolve(store, request.ampp_id, request.label_id, request.resident_id);
  if (!r) return Unexpected(std::move(r).error());
  if (auto c = detail::check_signatures(db, actor, request.witness); !c) return Unexpected(std::move(c).error());
  if (auto c = check_witness(*categories, r->pack, request.witness, "waste"); !c) {
    return Unexpected(std::move(c).error());
  }
  store::StockEntry e;
  e.kind = store::StockKind::kWaste;
  e.amp_id = r->pack.amp_id;
  e.ampp_id = r->pack.ampp_id;
  e.resident_id = r->resident_id;
  e.label_id = request.label_id;
  e.quantity = domain::Decimal{} - request.quantity;
  e.reason = std::string(to_string(request.reason));
  e.staff_id = actor.staff_id;
  e.witness = request.witness;
  e.event_time = request.at;
  auto id = detail::write_ledger(db, e, actor, store.now());
  if (!id) return id;
  if (auto c = tx->commit(); !c) return Unexpected(std::move(c).error());
  return id;
}

Result<ReturnsNote> create_returns_note(store::Store& store, const ReturnsNoteRequest& request,
                                        const store::Actor& actor) {
  if (auto t = detail::check_event_time(request.at, store.now()); !t) {
    return Unexpected(std::move(t).error());
  }
  if (request.pharmacy.empty()) return fail(errc::kInvalidArgument, "a returns note names the pharmacy");
  if (request.lines.empty()) return fail(errc::kInvalidArgument, "a returns note needs at least one line");
  for (const auto& l : request.lines) {
    if (l.quantity <= domain::Decimal{}) {
      return fail(errc::kInvalidQuantity, "a returned quantity must be more than zero");
    }
    if (l.reason.empty()) return fail(errc::kInvalidArgument, "every returned line needs a reason");
  }
  auto categories = detail::register_categories(store);
  if (!categories) return Unexpected(std::move(categories).error());
  auto& db = store.database();
  auto tx = store::Transaction::begin(db);
  if (!tx) return Unexpected(std::move(tx).error());
  if (auto c = detail::check_signatures(db, actor, request.witness); !c) return Unexpected(std::move(c).error());
  const domain::Instant now = store.now();
  auto st = db.prepare(
      "INSERT INTO stock_returns_notes (pharmacy, created_at, staff_id, witness_id) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, request.pharmacy).bind(2, detail::to_db(request.at)).bind(3, actor.staff_id).bind(4, request.witness);
  if (auto c = st->run(); !c) return Unexpected(std::move(c).error());
  const std::int64_t note_id = db.last_insert_rowid();
  for (const auto& l : request.lines) {
    auto r = resolve(store, l.ampp_id, l.label_id, l.resident_id);
    if (!r) return Unexpected(std::move(r).error());
    if (auto c = check_witness(*categories, r->pack, request.witness, "a return"); !c) {
      return Unexpected(std::move(c).error());
    }
    store::StockEntry e;
    e.kind = store::StockKind::kReturn;
    e.amp_id = r->pack.amp_id;
    e.ampp_id = r->pack.ampp_id;
    e.resident_id = r->resident_id;
    e.label_id = l.label_id;
    e.quantity = domain::Decimal{} - l.quantity;
    e.reason = "returns note " + std::to_string(note_id) + ": " + l.reason;
    e.staff_id = actor.staff_id;
    e.witness = request.witness;
    e.event_time = request.at;
    auto id = detail::write_ledger(db, e, actor, now);
    if (!id) return Unexpected(std::move(id).error());
    auto link = db.prepare("INSERT INTO stock_returns_note_lines (note_id, stock_entry_id) VALUES (?1, ?2)");
    if (!link) return Unexpected(std::move(link).error());
    link->bind(1, note_id).bind(2, *id);
    if (auto c = link->run(); !c) return Unexpected(std::move(c).error());
  }
  if (auto c = tx->commit(); !c) return Unexpected(std::move(c).error());
  return returns_note(store, note_id);
}

Result<ReturnsNote> returns_note(store::Store& store, std::int64_t id) {
  auto& db = store.database();
  auto head = db.prepare(
      "SELECT n.pharmacy, n.created_at, coalesce(s.name, ''), coalesce(w.name, '')"
      " FROM stock_returns_notes n LEFT JOIN staff s ON s.id = n.staff_id"
      " LEFT JOIN staff w ON w.id = n.witness_id WHERE n.id = ?1");
  if (!head) return Unexpected(std::move(head).error());
  head->bind(1, id);
  auto row = head->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kNotFound, "no returns note " + std::to_string(id));
  ReturnsNote note;
  note.id = id;
  note.pharmacy = head->text(0);
  note.created_at = detail::instant(head->int64(1));
  note.staff = head->text(2);
  note.witness = head->text(3);
  auto st = db.prepare(
      "SELECT l.id, l.ampp_id, coalesce(p.name, ''), l.resident_id,"
      "       coalesce(r.given_name || ' ' || r.family_name, ''), l.label_id, l.quantity, l.reason"
      " FROM stock_returns_note_lines n JOIN stock_ledger l ON l.id = n.stock_entry_id"
      " LEFT JOIN ampp p ON p.id = l.ampp_id LEFT JOIN residents r ON r.id = l.resident_id"
      " WHERE n.note_id = ?1 ORDER BY l.id");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id);
  for (;;) {
    auto r = st->step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) break;
    ReturnsNoteLine l;
    l.stock_entry_id = st->int64(0);
    l.ampp_id = st->optional_text(1).value_or("");
    l.product = st->text(2);
    l.resident_id = st->optional_int64(3);
    l.resident = st->text(4);
    l.label_id = st->optional_text(5);
    l.quantity = domain::Decimal{} - detail::dec(st->int64(6));
    std::string reason = st->text(7);
    // Stored as "returns note N: why"; the note shows only why.
    if (const auto colon = reason.find(": "); colon != std::string::npos) reason = reason.substr(colon + 2);
    l.reason = std::move(reason);
    note.lines.push_back(std::move(l));
  }
  return note;
}

std::string format_returns_note(const ReturnsNote& note) {
  std::ostringstream out;
  out << "RETURNS NOTE " << note.id << "\n"
      << "To: " << note.pharmacy << "\n"
      << "Date: " << domain::London::to_local(note.created_at).to_string() << "\n"
      << "Returned by: " << note.staff;
  if (!note.witness.empty()) out << "   Witness: " << note.witness;
  out << "\n\n";
  int n = 0;
  for (const auto& l : note.lines) {
    out << ++n << ". " << l.product << "  x " << l.quantity.to_string();
    if (!l.resident.empty()) out << "  for " << l.resident;
    if (l.label_id) out << "  (label " << *l.label_id << ")";
    out << "  - " << l.reason << "\n";
  }
  out << "\nReceived by (pharmacy): ____________________   Date: __________\n";
  return out.str();
}

}  // namespace bcma::station::stock
