#pragma once
/// \file
/// The station's store: one SQLite file holding the home, its policy, residents, staff, dm+d
/// products, prescriptions (versioned), dispensed items, the stock ledger, administrations and
/// the audit log. Every write runs in one IMMEDIATE transaction together with its audit entry;
/// administrations are append-only and durable when `record_administration` returns.
///
/// One `Store` is one connection: use it from one thread at a time. Several processes may open
/// the same file (writers queue on the busy timeout). Schema and durability: docs/store.md.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/administration.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/domain/product.hpp"
#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/rules/policy.hpp"
#include "bcma/station/store/audit_log.hpp"
#include "bcma/station/store/database.hpp"
#include "bcma/station/store/pin_hash.hpp"
#include "bcma/station/store/records.hpp"

namespace bcma::station::store {

struct StoreOptions {
  std::chrono::milliseconds busy_timeout{5000};
  PinHashCost pin_cost = PinHashCost::interactive();
  /// How far an event time may lie ahead of the station clock (scanner clock drift) before a
  /// record is refused with `invalid_time`.
  std::chrono::seconds max_clock_skew{std::chrono::minutes{10}};
};

class Store {
 public:
  /// Opens or creates `file` and migrates it to the current schema. `clock` stamps entry times
  /// and must outlive the store. Errors: `cannot_open`, `schema_too_new` (written by a newer
  /// bcma: nothing is changed), `migration_failed`, `database_busy`, `sqlite_error`.
  static Result<Store> open(const std::filesystem::path& file, const domain::Clock& clock,
                            const StoreOptions& options = {});

  Store(Store&&) noexcept = default;
  Store& operator=(Store&&) noexcept = default;

  /// Errors: `sqlite_error`.
  Result<int> schema_version();

  // --- the home and its policy ---------------------------------------------------------------
  /// Errors: `invalid_argument` (empty name), `sqlite_error`, `database_busy`.
  Result<void> set_home(const Home& home, const Actor& actor);
  /// Errors: `no_home`, `sqlite_error`.
  Result<Home> home();
  /// Replaces the whole policy. Errors: `invalid_argument` (a round time outside 0..1439, a
  /// negative window, a non-positive ingredient limit), `sqlite_error`, `database_busy`.
  Result<void> set_policy(const rules::Policy& policy, const Actor& actor);
  /// The stored policy; a reason code the file has no row for (added to the engine later)
  /// reads as a block that cannot be overridden. Errors: `no_home` (never set), `corrupt_data`,
  /// `sqlite_error`.
  Result<rules::Policy> policy();

  /// Active codes in display order, or all with `include_inactive`. Errors: `sqlite_error`.
  Result<std::vector<NonAdministrationCode>> non_administration_codes(bool include_inactive = false);
  /// Adds or changes a code (retire with `active = false`). Errors: `invalid_argument` (empty or
  /// non-snake_case code, empty description, outcome given), `sqlite_error`, `database_busy`.
  Result<void> put_non_administration_code(const NonAdministrationCode& code, const Actor& actor);

  // --- residents and staff -------------------------------------------------------------------
  /// Errors: `invalid_nhs_number`, `invalid_gsrn` (not 18 digits with a GS1 check digit),
  /// `invalid_argument` (names, date of birth), `duplicate` (NHS number or wristband in use),
  /// `sqlite_error`, `database_busy`.
  Result<domain::ResidentId> add_resident(const domain::Resident& resident, const Actor& actor);
  /// Replaces the resident with `resident.id`. Errors: as add_resident, plus `unknown_resident`.
  Result<void> update_resident(const domain::Resident& resident, const Actor& actor);
  /// Errors: `unknown_resident`, `sqlite_error`.
  Result<domain::Resident> resident(domain::ResidentId id);
  /// Errors: `unknown_resident`, `sqlite_error`.
  Result<domain::Resident> resident_by_wristband(std::string_view gsrn);
  /// Accepts "9434765919" or "943 476 5919". Errors: `invalid_nhs_number`, `unknown_resident`.
  Result<domain::Resident> resident_by_nhs_number(std::string_view nhs_number);

  /// Stores the member of staff with the Argon2id hash of `pin`. Errors: `invalid_pin`,
  /// `invalid_gsrn`, `invalid_argument` (empty name), `duplicate` (badge in use),
  /// `crypto_failure`, `sqlite_error`, `database_busy`.
  Result<domain::StaffId> add_staff(const domain::Staff& staff, std::string_view pin,
                                    const Actor& actor);
  /// Errors: `unknown_staff`, `invalid_pin`, `crypto_failure`, `sqlite_error`, `database_busy`.
  Result<void> set_staff_pin(domain::StaffId id, std::string_view pin, const Actor& actor);
  /// Errors: `unknown_staff`, `sqlite_error`, `database_busy`.
  Result<void> set_staff_active(domain::StaffId id, bool active, const Actor& actor);
  /// Errors: `unknown_staff`, `sqlite_error`.
  Result<domain::Staff> staff(domain::StaffId id);
  /// Errors: `unknown_badge`, `sqlite_error`.
  Result<domain::Staff> staff_by_badge(std::string_view badge_gsrn);
  /// Badge + PIN sign-in on `device_id`; success and failure are both audited (never the PIN).
  /// Errors: `unknown_badge`, `wrong_pin`, `staff_inactive`, `sqlite_error`, `database_busy`.
  Result<domain::Staff> login(std::string_view badge_gsrn, std::string_view pin,
                              std::string_view device_id);

  // --- dm+d products -------------------------------------------------------------------------
  /// Inserts or replaces (by id) everything in `batch` in one transaction, parents before
  /// children (VTM, VMP, AMP, AMPP, GTIN); one audit entry counts what changed.
  /// Errors: `invalid_gtin`, `invalid_argument` (empty id or name, GTIN start after end),
  /// `unknown_product` (refers to a product neither in the batch nor stored), `sqlite_error`.
  Result<void> import_products(const ProductBatch& batch, const Actor& actor);
  /// What a GTIN (13 or 14 digits) meant on `date`: the mapping whose start <= date <= end.
  /// Errors: `invalid_gtin`, `unknown_product` (no mapping in force that day), `sqlite_error`.
  Result<domain::ProductMatch> product_by_gtin(std::string_view gtin, domain::Date date);
  /// The product of an AMPP (gtin left empty). Errors: `unknown_product`, `sqlite_error`.
  Result<domain::ProductMatch> product_by_ampp(const domain::SnomedId& ampp_id);
  /// Every GTIN mapping of an AMPP. Errors: `sqlite_error`.
  Result<std::vector<GtinMapping>> gtins_of(const domain::SnomedId& ampp_id);

  /// Errors: `invalid_gtin`, `invalid_argument` (neither GTIN nor VMP, no batch or reference),
  /// `sqlite_error`, `database_busy`.
  Result<std::int64_t> add_recall(const domain::Recall& recall, const Actor& actor);
  /// Every recall, oldest first. Errors: `sqlite_error`.
  Result<std::vector<domain::Recall>> recalls();

  // --- prescriptions -------------------------------------------------------------------------
  /// Stores a prescription. With `id == 0` a new prescription (version 1) is created; otherwise
  /// a new version of `id`, effective from `effective_from`, which must not be earlier than the
  /// latest version's. Returns the stored prescription with its id and version.
  /// Errors: `unknown_resident`, `unknown_prescription`, `prescription_not_for_resident` (a
  /// version for another resident), `unknown_product` (medication not in dm+d), `version_order`,
  /// `invalid_prescription` (rules::check_prescription refuses it under the stored policy, or
  /// the defaults when none is stored; the message carries the engine's code), `sqlite_error`,
  /// `database_busy`.
  Result<domain::Prescription> put_prescription(const domain::Prescription& prescription,
                                                domain::Instant effective_from,
                                                const Actor& actor);
  /// For every prescription of the resident, the version in force at `at` (whatever its status:
  /// the rules engine explains stopped or not-yet-started ones). Ordered by prescription id.
  /// Errors: `sqlite_error`, `corrupt_data`.
  Result<std::vector<domain::Prescription>> current_prescriptions(domain::ResidentId resident,
                                                                  domain::Instant at);
  /// The version of one prescription in force at `at`.
  /// Errors: `unknown_prescription` (none yet at `at`), `sqlite_error`, `corrupt_data`.
  Result<domain::Prescription> prescription_at(domain::PrescriptionId id, domain::Instant at);
  /// Every version, oldest first. Errors: `unknown_prescription`, `sqlite_error`.
  Result<std::vector<PrescriptionVersion>> prescription_history(domain::PrescriptionId id);

  // --- dispensed items and stock -------------------------------------------------------------
  /// Errors: `invalid_argument` (empty label id, negative quantity), `unknown_resident`,
  /// `unknown_product`, `unknown_prescription`, `prescription_not_for_resident`, `duplicate`
  /// (label id in use), `sqlite_error`, `database_busy`.
  Result<void> add_dispensed_item(const DispensedItem& item, const Actor& actor);
  /// Errors: `unknown_label`, `sqlite_error`.
  Result<DispensedItem> dispensed_item(std::string_view label_id);

  /// Appends a stock movement. The staff member is `actor.staff_id`.
  /// Errors: `invalid_quantity` (<= 0, or 0 for an adjustment), `invalid_argument` (no reason
  /// for waste, return or adjustment), `unknown_product`, `unknown_label`, `unknown_resident`,
  /// `label_not_for_resident`, `product_mismatch`, `unknown_staff`, `sqlite_error`.
  Result<std::int64_t> record_stock(const NewStockEntry& entry, const Actor& actor);
  /// Sum of the ledger for an AMP: one resident's labelled stock, or the home's own stock
  /// (nullopt). Errors: `sqlite_error`.
  Result<domain::Decimal> stock_balance(const domain::SnomedId& amp_id,
                                        std::optional<domain::ResidentId> resident);
  /// The ledger entries behind `stock_balance`, oldest first. Errors: `sqlite_error`.
  Result<std::vector<StockEntry>> stock_entries(const domain::SnomedId& amp_id,
                                                std::optional<domain::ResidentId> resident);

  // --- administrations -----------------------------------------------------------------------
  /// Records one outcome durably, with its audit entries and (for a dose given) its stock
  /// movement, in one transaction. The same record id with the same content returns the
  /// original acknowledgement and writes nothing.
  /// Errors: `invalid_record_id`, `record_conflict` (the id was used for other content),
  /// `unknown_resident`, `unknown_prescription`, `prescription_not_for_resident`,
  /// `unknown_staff`, `unknown_product`, `unknown_label`, `label_not_for_resident`,
  /// `product_mismatch`, `missing_product`, `invalid_quantity`, `missing_code`, `unknown_code`,
  /// `code_not_for_outcome`, `unexpected_code`, `missing_text`, `invalid_scan`,
  /// `invalid_override`, `invalid_witness`, `invalid_correction`, `invalid_time`,
  /// `invalid_argument` (no device id), `database_busy`, `sqlite_error`.
  /// On any error nothing is written.
  Result<Ack> record_administration(const NewAdministration& record);
  /// Group commit: all records in one durable transaction, each in its own savepoint, so that
  /// a refused record does not affect the others. Results are in input order; if the final
  /// commit fails every result is that error and nothing is kept.
  std::vector<Result<Ack>> record_administrations(std::span<const NewAdministration> records);
  /// Asked before a group commit commits, with the results so far (input order).
  using KeepBatch = std::function<bool(std::span<const Result<Ack>> results)>;
  /// As above, but `keep` decides before the commit: false rolls the whole transaction back
  /// and returns nullopt (nothing written, nothing to acknowledge). For a caller whose checks
  /// of later records assumed an earlier record would be stored, and it was refused.
  std::optional<std::vector<Result<Ack>>> record_administrations(
      std::span<const NewAdministration> records, const KeepBatch& keep);
  /// Errors: `unknown_record`, `invalid_record_id`, `sqlite_error`, `corrupt_data`.
  Result<AdministrationRecord> administration(std::string_view record_id);
  /// The resident's outcomes with event time >= `since`, oldest first, as the rules engine sees
  /// them: a record that was corrected is replaced by its correction.
  /// Errors: `sqlite_error`, `corrupt_data`.
  Result<std::vector<domain::PastDose>> history(domain::ResidentId resident, domain::Instant since);

  // --- audit ---------------------------------------------------------------------------------
  /// Appends one event (scans and verdicts at the scanner) in its own transaction.
  /// Errors: `sqlite_error`, `database_busy`, `crypto_failure`.
  Result<AuditEntry> append_audit(const AuditEvent& event);
  /// Errors: `sqlite_error`.
  Result<std::vector<AuditEntry>> audit_entries(std::int64_t from_seq, std::int64_t limit);
  /// Errors: `sqlite_error`, `crypto_failure`.
  Result<AuditVerification> verify_audit();

  /// The connection, for tools and tests that read what the API does not offer.
  Database& database() { return db_; }
  domain::Instant now() const { return clock_->now(); }

 private:
  Store(Database db, const domain::Clock& clock, const StoreOptions& options)
      : db_(std::move(db)), clock_(&clock), options_(options) {}

  struct Prepared;  // a validated administration, ready to insert (store_administrations.cpp)
  Result<Ack> record_one(const NewAdministration& record);
  Result<Prepared> prepare_record(const NewAdministration& record, const std::string& record_id);
  Result<void> ensure_product(const domain::SnomedId& ampp_id, domain::SnomedId* amp_id);
  Result<void> ensure_staff(domain::StaffId id, std::string_view what);
  Result<domain::Prescription> load_version(domain::PrescriptionId id, int version);
  Result<std::vector<NonAdministrationCode>> load_codes(bool include_inactive);
  Result<std::int64_t> insert_stock(const StockEntry& entry);
  Result<void> audit(AuditKind kind, const Actor& actor, std::string subject, std::string payload);

  Database db_;
  const domain::Clock* clock_;
  StoreOptions options_;
};

}  // namespace bcma::station::store
