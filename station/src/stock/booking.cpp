// Booking a delivery in: each scanned pack is compared with the label the pharmacy dispensed,
// and only stock that is what it claims to be, for whom it claims, enters a resident's stock.
#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "bcma/station/stock/stock.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "stock_internal.hpp"

namespace bcma::station::stock {

namespace errc = store::errc;
using Json = nlohmann::ordered_json;

std::string_view to_string(BookingStatus s) {
  switch (s) {
    case BookingStatus::kMatched: return "matched";
    case BookingStatus::kOver: return "over";
    case BookingStatus::kShort: return "short";
    case BookingStatus::kWrongItem: return "wrong_item";
    case BookingStatus::kWrongResident: return "wrong_resident";
    case BookingStatus::kUnexpected: return "unexpected";
  }
  return "unexpected";
}

std::size_t Booking::flagged() const {
  return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [](const BookingLine& l) {
    return l.status != BookingStatus::kMatched;
  }));
}

namespace {

// Decides one received pack against what the pharmacy dispensed under its label.
Result<BookingLine> judge(store::Store& store, const ReceivedPack& pack,
                          const std::set<std::string>& expected, std::set<std::string>& seen) {
  BookingLine line;
  line.label_id = pack.label_id;
  line.received_ampp_id = pack.ampp_id;
  line.received_quantity = pack.quantity;
  line.batch = pack.batch;
  line.expiry = pack.expiry;
  auto received = detail::pack_info(store.database(), pack.ampp_id);
  if (!received) return Unexpected(std::move(received).error());
  if (!pack.label_id) {
    line.status = BookingStatus::kUnexpected;
    line.detail = "pack without a pharmacy label: not booked in; ask the pharmacy whose it is";
    return line;
  }
  auto item = store.dispensed_item(*pack.label_id);
  if (!item) {
    if (item.error().code != errc::kUnknownLabel) return Unexpected(std::move(item).error());
    line.status = BookingStatus::kUnexpected;
    line.detail = "label " + *pack.label_id + " was not dispensed by the pharmacy: not booked in";
    return line;
  }
  line.resident_id = item->resident_id;
  line.expected_ampp_id = item->ampp_id;
  line.expected_quantity = item->quantity;
  auto labelled = detail::pack_info(store.database(), item->ampp_id);
  if (!labelled) return Unexpected(std::move(labelled).error());

  if (pack.resident_id != 0 && pack.resident_id != item->resident_id) {
    line.status = BookingStatus::kWrongResident;
    line.detail = "labelled for resident " + std::to_string(item->resident_id) +
                  " but delivered in the bag of resident " + std::to_string(pack.resident_id) +
                  ": not booked in";
    seen.insert(*pack.label_id);  // it did arrive: not also short
    return line;
  }
  if (received->vmp_id != labelled->vmp_id) {
    line.status = BookingStatus::kWrongItem;
    line.detail = "the pack is " + received->ampp_name + " but the label says " +
                  labelled->ampp_name + ": not booked in";
    return line;
  }
  if (!seen.insert(*pack.label_id).second) {
    line.status = BookingStatus::kOver;
    line.detail = "label " + *pack.label_id + " scanned again: counted once";
    line.received_quantity = domain::Decimal{};
    return line;
  }
  if (!expected.contains(*pack.label_id)) {
    line.status = BookingStatus::kOver;
    line.detail = "not on this delivery's list: booked in, check why it was sent";
  } else if (pack.quantity > item->quantity) {
    line.status = BookingStatus::kOver;
    line.detail = "more than dispensed (" + pack.quantity.to_string() + " received, " +
                  item->quantity.to_string() + " on the label): booked in as received";
  } else if (pack.quantity < item->quantity) {
    line.status = BookingStatus::kShort;
    line.detail = "less than dispensed (" + pack.quantity.to_string() + " received, " +
                  item->quantity.to_string() + " on the label): booked in as received";
  } else {
    line.status = BookingStatus::kMatched;
    if (received->ampp_id != labelled->ampp_id) {
      line.detail = "another pack of the same medicine (" + received->ampp_name + ")";
    }
  }
  return line;
}

bool books_in(const BookingLine& l) {
  return (l.status == BookingStatus::kMatched || l.status == BookingStatus::kOver ||
          l.status == BookingStatus::kShort) &&
         l.resident_id && l.received_quantity > domain::Decimal{};
}

}  // namespace

Result<Booking> book_in(store::Store& store, const BookingRequest& request, const store::Actor& actor) {
  if (auto t = detail::check_event_time(request.at, store.now()); !t) {
    return Unexpected(std::move(t).error());
  }
  if (request.delivery_reference.empty()) {
    return fail(errc::kInvalidArgument, "a booking needs the delivery note reference");
  }
  if (request.received.empty() && request.expected_labels.empty()) {
    return fail(errc::kInvalidArgument, "nothing was expected and nothing was received");
  }
  for (const auto& p : request.received) {
    if (p.quantity <= domain::Decimal{}) {
      return fail(errc::kInvalidArgument, "a received pack must hold more than zero dose units");
    }
  }
  auto& db = store.database();
  auto tx = store::Transaction::begin(db);
  if (!tx) return Unexpected(std::move(tx).error());
  if (auto r = detail::check_signatures(db, actor, request.witness); !r) {
    return Unexpected(std::move(r).error());
  }
  const domain::Instant now = store.now();

  Booking booking;
  booking.delivery_reference = request.delivery_reference;
  const std::set<std::string> expected(request.expected_labels.begin(), request.expected_labels.end());
  std::set<std::string> seen;
  for (const auto& pack : request.received) {
    auto line = judge(store, pack, expected, seen);
    if (!line) return Unexpected(std::move(line).error());
    booking.lines.push_back(std::move(*line));
  }
  for (const auto& label : request.expected_labels) {
    if (seen.contains(label)) continue;
    BookingLine line;
    line.status = BookingStatus::kShort;
    line.label_id = label;
    auto item = store.dispensed_item(label);
    if (item) {
      line.resident_id = item->resident_id;
      line.expected_ampp_id = item->ampp_id;
      line.expected_quantity = item->quantity;
      line.detail = "dispensed but not received";
    } else if (item.error().code == errc::kUnknownLabel) {
      line.detail = "on the delivery list but unknown to the station";
    } else {
      return Unexpected(std::move(item).error());
    }
    seen.insert(label);
    booking.lines.push_back(std::move(line));
  }

  auto st = db.prepare(
      "INSERT INTO stock_bookings (delivery_reference, booked_at, staff_id, witness_id)"
      " VALUES (?1, ?2, ?3, ?4)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, request.delivery_reference).bind(2, detail::to_db(request.at)).bind(3, actor.staff_id)
      .bind(4, request.witness);
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  booking.id = db.last_insert_rowid();

  Json summary = Json::object();
  std::int64_t ordinal = 0;
  for (auto& line : booking.lines) {
    if (books_in(line)) {
      auto info = detail::pack_info(db, *line.received_ampp_id);
      if (!info) return Unexpected(std::move(info).error());
      store::StockEntry e;
      e.kind = store::StockKind::kReceipt;
      e.amp_id = info->amp_id;
      e.ampp_id = info->ampp_id;
      e.resident_id = line.resident_id;
      e.label_id = line.label_id;
      e.quantity = line.received_quantity;
      e.reason = "booked in: " + request.delivery_reference;
      e.staff_id = actor.staff_id;
      e.witness = request.witness;
      e.event_time = request.at;
      auto id = detail::write_ledger(db, e, actor, now);
      if (!id) return Unexpected(std::move(id).error());
      line.stock_entry_id = *id;
    }
    auto ins = db.prepare(
        "INSERT INTO stock_booking_lines (booking_id, ordinal, status, label_id, resident_id,"
        " expected_ampp_id, received_ampp_id, expected_quantity, received_quantity, batch, expiry,"
        " stock_entry_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (!ins) return Unexpected(std::move(ins).error());
    ins->bind(1, booking.id).bind(2, ++ordinal).bind(3, to_string(line.status)).bind(4, line.label_id)
        .bind(5, line.resident_id).bind(6, line.expected_ampp_id).bind(7, line.received_ampp_id)
        .bind(8, detail::to_db(line.expected_quantity)).bind(9, detail::to_db(line.received_quantity))
        .bind(10, line.batch)
        .bind(11, line.expiry ? std::optional<std::string>(domain::to_string(*line.expiry)) : std::nullopt)
        .bind(12, line.stock_entry_id).bind(13, line.detail);
    if (auto r = ins->run(); !r) return Unexpected(std::move(r).error());
    const std::string key(to_string(line.status));
    summary[key] = summary.value(key, 0) + 1;
  }
  Json j{{"booking_id", booking.id}, {"delivery_reference", request.delivery_reference},
         {"lines", booking.lines.size()}, {"by_status", summary}};
  auto a = store::append_audit(
      db,
      store::AuditEvent{store::AuditKind::kStock, actor, "booking:" + std::to_string(booking.id),
                        j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)},
      now);
  if (!a) return Unexpected(std::move(a).error());
  if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
  return booking;
}

}  // namespace bcma::station::stock
