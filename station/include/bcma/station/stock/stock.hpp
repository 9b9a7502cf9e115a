#pragma once
/// \file
/// Stock keeping on top of the store's ledger: booking a delivery in against what the pharmacy
/// dispensed, counts (carried forward at the start of a cycle, periodic, controlled drugs) with
/// their discrepancies, waste with its reason and witness, and returns notes. Every function
/// writes its rows, the ledger movements and the audit entry in one transaction: a booking or
/// a count is either wholly recorded or not at all.
///
/// Balances are always sums of ledger entries (docs/store.md). Tables: docs/reports.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/decimal.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::store {
class Store;
}

namespace bcma::station::stock {

// --- booking in ------------------------------------------------------------------------------

/// One pack taken out of the delivery and scanned.
struct ReceivedPack {
  std::optional<std::string> label_id;  ///< the pharmacy label barcode, when there is one
  domain::ResidentId resident_id = 0;   ///< whose bag it came in (0: not in a resident's bag)
  domain::SnomedId ampp_id;             ///< what the pack is (from its GTIN)
  domain::Decimal quantity;             ///< dose units in the pack
  std::string batch;                    ///< GS1 AI 10
  std::optional<domain::Date> expiry;   ///< GS1 AI 17
};

struct BookingRequest {
  std::string delivery_reference;          ///< the pharmacy's delivery note number
  std::vector<std::string> expected_labels;  ///< the labels the pharmacy says it sent
  std::vector<ReceivedPack> received;
  std::optional<domain::StaffId> witness;
  domain::Instant at{};
};

enum class BookingStatus : std::uint8_t {
  kMatched,        ///< expected, right item, right resident, right quantity: booked in
  kOver,           ///< more than expected (quantity, or a label not on this delivery): booked in
  kShort,          ///< less than expected, or not received at all: what came is booked in
  kWrongItem,      ///< the pack is not the labelled product (other VMP): not booked in
  kWrongResident,  ///< labelled for another resident than the bag it came in: not booked in
  kUnexpected,     ///< no label the pharmacy dispensed: not booked in
};
std::string_view to_string(BookingStatus s);  ///< "matched", "over", "short", ...

struct BookingLine {
  BookingStatus status = BookingStatus::kMatched;
  std::optional<std::string> label_id;
  std::optional<domain::ResidentId> resident_id;  ///< whose stock (the label's resident)
  std::optional<domain::SnomedId> expected_ampp_id;
  std::optional<domain::SnomedId> received_ampp_id;
  domain::Decimal expected_quantity;
  domain::Decimal received_quantity;
  std::string batch;
  std::optional<domain::Date> expiry;
  std::optional<std::int64_t> stock_entry_id;  ///< the receipt, when booked in
  std::string detail;                          ///< what is wrong, for a person
};

struct Booking {
  std::int64_t id = 0;
  std::string delivery_reference;
  std::vector<BookingLine> lines;  ///< received packs in scan order, then expected ones missing
  /// Lines that are not `kMatched`.
  std::size_t flagged() const;
};

/// Compares what came with what was dispensed, books in what may be booked in, and stores the
/// booking with every line. Errors: `invalid_argument` (empty reference, nothing received and
/// nothing expected, a received quantity not above 0), `invalid_time` (more than 10 minutes
/// ahead of the station clock), `unknown_product`, `unknown_staff`,
/// `invalid_witness` (the actor), `sqlite_error`, `database_busy`, `crypto_failure`.
Result<Booking> book_in(store::Store& store, const BookingRequest& request,
                        const store::Actor& actor);

// --- counts ----------------------------------------------------------------------------------

enum class CountKind : std::uint8_t {
  kCarriedForward,  ///< at the start of a cycle: what is carried into it
  kPeriodic,        ///< any other count
  kControlledDrug,  ///< a controlled drug register check (two people)
};
std::string_view to_string(CountKind k);  ///< "carried_forward", "periodic", "controlled_drug"

struct CountRequest {
  CountKind kind = CountKind::kPeriodic;
  domain::SnomedId amp_id;
  std::optional<domain::ResidentId> resident_id;  ///< nullopt: the home's own stock
  domain::Decimal counted;
  std::optional<domain::StaffId> witness;
  domain::Instant at{};
  std::string note;
};

struct CountResult {
  std::int64_t id = 0;
  domain::Decimal balance;      ///< the ledger balance at the count
  domain::Decimal counted;
  domain::Decimal discrepancy;  ///< counted - balance
  std::optional<std::int64_t> adjustment_id;  ///< the correcting ledger entry, if any
  bool controlled_drug = false;
  /// A controlled drug count that disagrees with its register balance.
  bool incident = false;
};

/// Records a count. A discrepancy is corrected in the ledger by an adjustment whose reason
/// names the count. A controlled drug (a category the policy wants witnessed, else Schedule 2)
/// needs a witness. Errors: `invalid_quantity` (counted < 0), `invalid_time`, `unknown_product`,
/// `unknown_resident`, `unknown_staff`, `witness_required`, `invalid_witness`, `sqlite_error`,
/// `database_busy`, `crypto_failure`.
Result<CountResult> record_count(store::Store& store, const CountRequest& request,
                                 const store::Actor& actor);

/// One line of a count sheet: what the ledger says should be on the shelf.
struct CountSheetLine {
  std::optional<domain::ResidentId> resident_id;  ///< nullopt: the home's own stock
  std::string resident;                           ///< display name, "home stock" when none
  domain::SnomedId amp_id;
  std::string product;                            ///< AMP name
  domain::Decimal balance;                        ///< ledger balance before `at`
  bool controlled_drug = false;                   ///< count with a witness
};

/// What to count at `at` (e.g. the carried-forward count at a cycle's start): every resident's
/// and the home's stock with a non-zero balance, by resident then product. The care worker
/// records each with `record_count`. Errors: `sqlite_error`, `corrupt_data`.
Result<std::vector<CountSheetLine>> count_sheet(store::Store& store, domain::Instant at);

// --- waste and returns -----------------------------------------------------------------------

enum class WasteReason : std::uint8_t {
  kRefusedDestroyed,
  kDropped,
  kContaminated,
  kExpired,
  kDiscontinued,
  kResidentDiedOrLeft,
};
/// "refused_destroyed", "dropped", "contaminated", "expired", "discontinued",
/// "resident_died_or_left".
std::string_view to_string(WasteReason r);
/// Also reads the store's own text for waste written with a refused-and-destroyed dose
/// ("refused and destroyed").
std::optional<WasteReason> waste_reason_from_string(std::string_view text);

struct WasteRequest {
  WasteReason reason = WasteReason::kDropped;
  domain::SnomedId ampp_id;               ///< optional when label_id names it
  std::optional<domain::ResidentId> resident_id;
  std::optional<std::string> label_id;
  domain::Decimal quantity;
  std::optional<domain::StaffId> witness;
  domain::Instant at{};
};

/// Records waste (the ledger's `reason` is the reason code). Controlled drugs need a witness.
/// Errors: those of `Store::record_stock`, plus `witness_required`, `invalid_time`.
Result<std::int64_t> record_waste(store::Store& store, const WasteRequest& request,
                                  const store::Actor& actor);

struct ReturnLine {
  domain::SnomedId ampp_id;  ///< optional when label_id names it
  std::optional<domain::ResidentId> resident_id;
  std::optional<std::string> label_id;
  domain::Decimal quantity;
  std::string reason;  ///< e.g. "discontinued", "over-supplied"
};

struct ReturnsNoteRequest {
  std::string pharmacy;
  std::vector<ReturnLine> lines;
  std::optional<domain::StaffId> witness;
  domain::Instant at{};
};

struct ReturnsNoteLine {
  std::int64_t stock_entry_id = 0;
  domain::SnomedId ampp_id;
  std::string product;  ///< AMPP name
  std::optional<domain::ResidentId> resident_id;
  std::string resident;  ///< display name, empty for home stock
  std::optional<std::string> label_id;
  domain::Decimal quantity;
  std::string reason;
};

struct ReturnsNote {
  std::int64_t id = 0;
  std::string pharmacy;
  domain::Instant created_at{};
  std::string staff;    ///< who returned it (name)
  std::string witness;  ///< name, may be empty
  std::vector<ReturnsNoteLine> lines;
};

/// Records every line as a return and groups them on one note. Controlled drugs need a
/// witness. Errors: `invalid_argument` (no pharmacy, no lines), `invalid_time`, those of
/// `Store::record_stock`,
/// `witness_required`.
Result<ReturnsNote> create_returns_note(store::Store& store, const ReturnsNoteRequest& request,
                                        const store::Actor& actor);
/// Errors: `not_found`, `sqlite_error`.
Result<ReturnsNote> returns_note(store::Store& store, std::int64_t id);
/// The note as plain text to print and hand to the pharmacy driver.
std::string format_returns_note(const ReturnsNote& note);

}  // namespace bcma::station::stock
