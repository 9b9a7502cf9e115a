#include "schema.hpp"

#include <functional>
#include <string>
#include <vector>

#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/records.hpp"
#include "bcma/station/store/transaction.hpp"
#include "codec.hpp"

namespace bcma::station::store::schema {

namespace {

// Version 1: every table. Quantities are INTEGER thousandths, instants INTEGER Unix seconds
// (UTC), dates TEXT 'YYYY-MM-DD', dm+d ids TEXT. Append-only tables carry triggers that RAISE
// on UPDATE and DELETE: a record is never changed, a correction is a new record.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE home (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  ods_code TEXT NOT NULL
) STRICT;

CREATE TABLE policy_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  default_window_min INTEGER NOT NULL CHECK (default_window_min >= 0),
  time_critical_window_min INTEGER NOT NULL CHECK (time_critical_window_min >= 0)
) STRICT;
CREATE TABLE policy_rounds (
  name TEXT PRIMARY KEY,
  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1439)
) STRICT;
CREATE TABLE policy_reasons (
  code TEXT PRIMARY KEY,
  decision TEXT NOT NULL CHECK (decision IN ('proceed', 'warn', 'block')),
  override_needs_witness INTEGER NOT NULL CHECK (override_needs_witness IN (0, 1))
) STRICT;
CREATE TABLE policy_override_roles (
  code TEXT NOT NULL REFERENCES policy_reasons(code),
  ordinal INTEGER NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (code, ordinal)
) STRICT;
CREATE TABLE policy_ingredient_limits (
  ordinal INTEGER PRIMARY KEY,
  substance_id TEXT NOT NULL,
  name TEXT NOT NULL,
  max_per_24h INTEGER NOT NULL CHECK (max_per_24h > 0),
  unit TEXT NOT NULL
) STRICT;
CREATE TABLE policy_witness_categories (
  ordinal INTEGER PRIMARY KEY,
  category INTEGER NOT NULL
) STRICT;

CREATE TABLE non_administration_codes (
  code TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  outcome TEXT NOT NULL
    CHECK (outcome IN ('refused', 'refused_destroyed', 'omitted', 'not_required', 'self_administered')),
  requires_text INTEGER NOT NULL CHECK (requires_text IN (0, 1)),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  ordinal INTEGER NOT NULL
) STRICT;

CREATE TABLE residents (
  id INTEGER PRIMARY KEY,
  nhs_number TEXT NOT NULL UNIQUE CHECK (length(nhs_number) = 10),
  wristband_gsrn TEXT UNIQUE CHECK (wristband_gsrn IS NULL OR length(wristband_gsrn) = 18),
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth TEXT NOT NULL,
  photo_ref TEXT NOT NULL,
  no_known_allergies INTEGER NOT NULL CHECK (no_known_allergies IN (0, 1)),
  status TEXT NOT NULL
    CHECK (status IN ('present', 'in_hospital', 'on_leave', 'discharged', 'deceased')),
  room TEXT NOT NULL
) STRICT;
CREATE TABLE resident_allergies (
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  ordinal INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('substance', 'vtm', 'vmp', 'amp')),
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (resident_id, ordinal)
) STRICT;

CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  badge_gsrn TEXT NOT NULL UNIQUE CHECK (length(badge_gsrn) = 18),
  role TEXT NOT NULL
    CHECK (role IN ('care_worker', 'senior', 'nurse', 'manager', 'pharmacist', 'evaluator')),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$argon2id$%')
) STRICT;

CREATE TABLE vtm (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL
) STRICT;
CREATE TABLE vmp (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  vtm_id TEXT REFERENCES vtm(id),
  unit_dose_unit TEXT NOT NULL,
  cd_code TEXT NOT NULL,
  cd_category INTEGER NOT NULL,
  invalid INTEGER NOT NULL CHECK (invalid IN (0, 1))
) STRICT;
CREATE TABLE vmp_ingredients (
  vmp_id TEXT NOT NULL REFERENCES vmp(id),
  ordinal INTEGER NOT NULL,
  substance_id TEXT NOT NULL,
  name TEXT NOT NULL,
  strength INTEGER NOT NULL,
  strength_unit TEXT NOT NULL,
  PRIMARY KEY (vmp_id, ordinal)
) STRICT;
CREATE TABLE vmp_routes (
  vmp_id TEXT NOT NULL REFERENCES vmp(id),
  ordinal INTEGER NOT NULL,
  route_id TEXT NOT NULL,
  PRIMARY KEY (vmp_id, ordinal)
) STRICT;
CREATE TABLE amp (
  id TEXT PRIMARY KEY,
  vmp_id TEXT NOT NULL REFERENCES vmp(id),
  name TEXT NOT NULL,
  supplier TEXT NOT NULL
) STRICT;
CREATE INDEX amp_by_vmp ON amp(vmp_id);
CREATE TABLE ampp (
  id TEXT PRIMARY KEY,
  amp_id TEXT NOT NULL REFERENCES amp(id),
  name TEXT NOT NULL,
  pack_size INTEGER NOT NULL,
  price_pence INTEGER
) STRICT;
CREATE INDEX ampp_by_amp ON ampp(amp_id);
CREATE TABLE gtins (
  gtin TEXT NOT NULL CHECK (length(gtin) = 14),
  ampp_id TEXT NOT NULL REFERENCES ampp(id),
  start_date TEXT NOT NULL,
  end_date TEXT,
  PRIMARY KEY (gtin, ampp_id, start_date)
) STRICT;
CREATE INDEX gtins_by_ampp ON gtins(ampp_id);

CREATE TABLE recalls (
  id INTEGER PRIMARY KEY,
  gtin TEXT NOT NULL,
  vmp_id TEXT NOT NULL,
  batch TEXT NOT NULL,
  reference TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  CHECK (gtin <> '' OR vmp_id <> '')
) STRICT;

CREATE TABLE prescriptions (
  id INTEGER PRIMARY KEY,
  resident_id INTEGER NOT NULL REFERENCES residents(id)
) STRICT;
CREATE INDEX prescriptions_by_resident ON prescriptions(resident_id);
CREATE TABLE prescription_versions (
  prescription_id INTEGER NOT NULL REFERENCES prescriptions(id),
  version INTEGER NOT NULL CHECK (version >= 1),
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  effective_from INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('vmp', 'amp')),
  medication_id TEXT NOT NULL,
  medication_name TEXT NOT NULL,
  route_id TEXT NOT NULL,
  route_name TEXT NOT NULL,
  dose_min INTEGER NOT NULL,
  dose_max INTEGER NOT NULL,
  dose_unit TEXT NOT NULL,
  as_needed INTEGER NOT NULL CHECK (as_needed IN (0, 1)),
  prn_min_interval_min INTEGER,
  prn_max_per_24h INTEGER,
  prn_indication TEXT,
  day_kind TEXT NOT NULL CHECK (day_kind IN ('every_day', 'days_of_week', 'every_n_days')),
  weekdays INTEGER NOT NULL,
  every_n_days INTEGER NOT NULL,
  anchor TEXT,
  starts INTEGER NOT NULL,
  ends INTEGER,
  status TEXT NOT NULL
    CHECK (status IN ('active', 'on_hold', 'stopped', 'cancelled', 'completed')),
  time_critical INTEGER NOT NULL CHECK (time_critical IN (0, 1)),
  window_min INTEGER,
  instructions TEXT NOT NULL,
  PRIMARY KEY (prescription_id, version)
) STRICT;
CREATE INDEX prescription_versions_by_resident
  ON prescription_versions(resident_id, effective_from);
CREATE TABLE prescription_times (
  prescription_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  round TEXT NOT NULL,
  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1439),
  PRIMARY KEY (prescription_id, version, ordinal),
  FOREIGN KEY (prescription_id, version) REFERENCES prescription_versions(prescription_id, version)
) STRICT;

CREATE TABLE dispensed_items (
  label_id TEXT PRIMARY KEY,
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  ampp_id TEXT NOT NULL REFERENCES ampp(id),
  prescription_id INTEGER REFERENCES prescriptions(id),
  quantity INTEGER NOT NULL CHECK (quantity >= 0),
  dispensed_on TEXT NOT NULL,
  pharmacy TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;

CREATE TABLE administrations (
  id INTEGER PRIMARY KEY,
  record_id TEXT NOT NULL UNIQUE,
  content_sha256 TEXT NOT NULL,
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  prescription_id INTEGER NOT NULL REFERENCES prescriptions(id),
  prescription_version INTEGER NOT NULL,
  slot INTEGER,
  outcome TEXT NOT NULL
    CHECK (outcome IN ('given', 'refused', 'refused_destroyed', 'omitted', 'not_required',
                       'self_administered')),
  quantity INTEGER NOT NULL CHECK (quantity >= 0),
  ampp_id TEXT REFERENCES ampp(id),
  amp_id TEXT REFERENCES amp(id),
  label_id TEXT REFERENCES dispensed_items(label_id),
  code TEXT REFERENCES non_administration_codes(code),
  code_text TEXT NOT NULL,
  decision TEXT CHECK (decision IN ('proceed', 'warn', 'block')),
  override_by INTEGER REFERENCES staff(id),
  override_reason TEXT,
  override_witness INTEGER REFERENCES staff(id),
  witness_id INTEGER REFERENCES staff(id),
  event_time INTEGER NOT NULL,
  entered_at INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  corrects_id INTEGER UNIQUE REFERENCES administrations(id),
  note TEXT NOT NULL,
  audit_seq INTEGER NOT NULL,
  CHECK (outcome <> 'given' OR quantity > 0),
  CHECK ((outcome = 'given') = (code IS NULL))
) STRICT;
CREATE INDEX administrations_by_resident ON administrations(resident_id, event_time);
CREATE TABLE administration_scans (
  administration_id INTEGER NOT NULL REFERENCES administrations(id),
  ordinal INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('wristband', 'item')),
  symbology TEXT NOT NULL,
  raw_text TEXT,
  unable_reason TEXT,
  CHECK ((raw_text IS NULL) <> (unable_reason IS NULL)),
  PRIMARY KEY (administration_id, ordinal)
) STRICT;
CREATE TABLE administration_reasons (
  administration_id INTEGER NOT NULL REFERENCES administrations(id),
  ordinal INTEGER NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  prescription_id INTEGER,
  PRIMARY KEY (administration_id, ordinal)
) STRICT;

CREATE TABLE stock_ledger (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL
    CHECK (kind IN ('receipt', 'administration', 'waste', 'return', 'adjustment')),
  amp_id TEXT NOT NULL REFERENCES amp(id),
  ampp_id TEXT REFERENCES ampp(id),
  resident_id INTEGER REFERENCES residents(id),
  label_id TEXT REFERENCES dispensed_items(label_id),
  quantity INTEGER NOT NULL CHECK (quantity <> 0),
  reason TEXT NOT NULL,
  staff_id INTEGER REFERENCES staff(id),
  witness_id INTEGER REFERENCES staff(id),
  administration_id INTEGER REFERENCES administrations(id),
  event_time INTEGER NOT NULL,
  entered_at INTEGER NOT NULL,
  CHECK (kind <> 'receipt' OR quantity > 0),
  CHECK (kind NOT IN ('administration', 'waste', 'return') OR quantity < 0)
) STRICT;
CREATE INDEX stock_by_product ON stock_ledger(amp_id, resident_id);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  staff_id INTEGER,
  device_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;

CREATE TRIGGER administrations_no_update BEFORE UPDATE ON administrations
BEGIN SELECT RAISE(ABORT, 'administrations are append-only: record a correction instead'); END;
CREATE TRIGGER administrations_no_delete BEFORE DELETE ON administrations
BEGIN SELECT RAISE(ABORT, 'administrations are append-only: record a correction instead'); END;
CREATE TRIGGER administration_scans_no_update BEFORE UPDATE ON administration_scans
BEGIN SELECT RAISE(ABORT, 'administration scans are append-only'); END;
CREATE TRIGGER administration_scans_no_delete BEFORE DELETE ON administration_scans
BEGIN SELECT RAISE(ABORT, 'administration scans are append-only'); END;
CREATE TRIGGER administration_reasons_no_update BEFORE UPDATE ON administration_reasons
BEGIN SELECT RAISE(ABORT, 'administration reasons are append-only'); END;
CREATE TRIGGER administration_reasons_no_delete BEFORE DELETE ON administration_reasons
BEGIN SELECT RAISE(ABORT, 'administration reasons are append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER stock_ledger_no_update BEFORE UPDATE ON stock_ledger
BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only: record an adjustment instead'); END;
CREATE TRIGGER stock_ledger_no_delete BEFORE DELETE ON stock_ledger
BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only: record an adjustment instead'); END;
CREATE TRIGGER prescription_versions_no_update BEFORE UPDATE ON prescription_versions
BEGIN SELECT RAISE(ABORT, 'prescription versions are append-only: add a new version'); END;
CREATE TRIGGER prescription_versions_no_delete BEFORE DELETE ON prescription_versions
BEGIN SELECT RAISE(ABORT, 'prescription versions are append-only: add a new version'); END;
CREATE TRIGGER prescription_times_no_update BEFORE UPDATE ON prescription_times
BEGIN SELECT RAISE(ABORT, 'prescription versions are append-only: add a new version'); END;
CREATE TRIGGER prescription_times_no_delete BEFORE DELETE ON prescription_times
BEGIN SELECT RAISE(ABORT, 'prescription versions are append-only: add a new version'); END;
CREATE TRIGGER dispensed_items_no_update BEFORE UPDATE ON dispensed_items
BEGIN SELECT RAISE(ABORT, 'dispensed items are append-only'); END;
CREATE TRIGGER dispensed_items_no_delete BEFORE DELETE ON dispensed_items
BEGIN SELECT RAISE(ABORT, 'dispensed items are append-only'); END;
)sql";

Result<void> apply_v1(Database& db) { return db.exec_script(kSchemaV1); }

// Version 2: the default non-administration codes every home starts with.
Result<void> apply_v2(Database& db) {
  std::int64_t ordinal = 0;
  for (const auto& c : default_non_administration_codes()) {
    auto st = db.prepare(
        "INSERT INTO non_administration_codes"
        " (code, description, outcome, requires_text, active, ordinal)"
        " VALUES (?1, ?2, ?3, ?4, 1, ?5)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, c.code).bind(2, c.description).bind(3, codec::to_text(c.outcome))
        .bind(4, std::int64_t{c.requires_text ? 1 : 0}).bind(5, ++ordinal);
    if (auto r = st->run(); !r) return r;
  }
  return {};
}

// Version 3: the pharmacy eMAR feed (station/src/emar, docs/emar-feed.md): which FHIR
// MedicationRequest produced which prescription and version, and the review queue of resources
// that were not imported. IF NOT EXISTS: re-running it over its own tables is harmless.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE IF NOT EXISTS emar_requests (
  id INTEGER PRIMARY KEY,
  prescription_id INTEGER NOT NULL REFERENCES prescriptions(id),
  resource_id TEXT NOT NULL,
  authored_on INTEGER,
  last_updated INTEGER,
  version_id TEXT,
  content_sha256 TEXT,
  supply TEXT NOT NULL,
  replaced_by INTEGER REFERENCES emar_requests(id),
  linked_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS emar_request_keys (
  key TEXT PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES emar_requests(id)
) STRICT;
CREATE INDEX IF NOT EXISTS emar_request_keys_by_request ON emar_request_keys(request_id);
CREATE TABLE IF NOT EXISTS emar_prescription_versions (
  prescription_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  request_id INTEGER NOT NULL REFERENCES emar_requests(id),
  resource_id TEXT NOT NULL,
  version_id TEXT NOT NULL,
  PRIMARY KEY (prescription_id, version),
  FOREIGN KEY (prescription_id, version) REFERENCES prescription_versions(prescription_id, version)
) STRICT;
CREATE TABLE IF NOT EXISTS emar_review_queue (
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'superseded')),
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  keys TEXT NOT NULL,
  authored_on INTEGER,
  last_updated INTEGER,
  version_id TEXT,
  content_sha256 TEXT NOT NULL,
  nhs_number TEXT NOT NULL,
  medication TEXT NOT NULL,
  reasons TEXT NOT NULL,
  resource TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  resolved_at INTEGER,
  resolution TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS emar_review_by_status ON emar_review_queue(status);
)sql";

Result<void> apply_v3(Database& db) { return db.exec_script(kSchemaV3); }

// Version 4: dm+d release import (station/src/dmd, docs/dmd-import.md): the releases
// imported, the dm+d detail kept beside the product tables above (lookups, ingredients, VMP
// form and strengths as published, VMPPs, legal category, combination packs, BNF codes), and
// the code history (VPIDPREV, VTMIDPREV) that keeps old codes resolving. Keyed by the same ids
// as vtm/vmp/amp/ampp, without foreign keys, so a release can replace them in any order.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE IF NOT EXISTS dmd_releases (
  id INTEGER PRIMARY KEY,
  release_date TEXT NOT NULL,
  version TEXT NOT NULL,
  source TEXT NOT NULL,
  counts TEXT NOT NULL,
  forced INTEGER NOT NULL CHECK (forced IN (0, 1)),
  imported_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS dmd_lookups (
  section TEXT NOT NULL,
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  previous_code TEXT,
  valid_from TEXT,
  invalid INTEGER NOT NULL CHECK (invalid IN (0, 1)),
  PRIMARY KEY (section, code)
) STRICT;
CREATE TABLE IF NOT EXISTS dmd_ingredients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  invalid INTEGER NOT NULL CHECK (invalid IN (0, 1)),
  previous_id TEXT,
  id_date TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS dmd_vtms (
  id TEXT PRIMARY KEY,
  invalid INTEGER NOT NULL CHECK (invalid IN (0, 1)),
  abbreviated_name TEXT,
  previous_id TEXT,
  id_date TEXT,
  release_id INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1))
) STRICT;
CREATE TABLE IF NOT EXISTS dmd_vmps (
  id TEXT PRIMARY KEY,
  previous_id TEXT,
  id_date TEXT,
  invalid INTEGER NOT NULL CHECK (invalid IN (0, 1)),
  abbreviated_name TEXT,
  basis_code TEXT,
  prescribing_status TEXT,
  combination_code TEXT,
  non_availability_code TEXT,
  dose_form_indicator TEXT,
  udfs TEXT,
  udfs_uom TEXT,
  unit_dose_uom TEXT,
  form_code TEXT,
  bnf_code TEXT,
  atc_code TEXT,
  ddd TEXT,
  ddd_uom TEXT,
  release_id INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1))
) STRICT;
CREATE TABLE IF NOT EXISTS dmd_vmp_ingredients (
  vmp_id TEXT NOT NULL,
  ingredient_id TEXT NOT NULL,
  basis_code TEXT,
  basis_substance_id TEXT,
  numerator TEXT,
  numerator_uom TEXT,
  denominator TEXT,
  denominator_uom TEXT,
  PRIMARY KEY (vmp_id, ingredient_id)
) STRICT;
CREATE TABLE IF NOT EXISTS dmd_vmp_history (
  old_id TEXT PRIMARY KEY,
  vmp_id TEXT NOT NULL,
  changed_on TEXT,
  release_id INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS dmd_vmp_history_by_vmp ON dmd_vmp_history(vmp_id);
CREATE TABLE IF NOT EXISTS dmd_vtm_history (
  old_id TEXT PRIMARY KEY,
  vtm_id TEXT NOT NULL,
  changed_on TEXT,
  release_id INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS dmd_vtm_history_by_vtm ON dmd_vtm_history(vtm_id);
CREATE TABLE IF NOT EXISTS dmd_amps (
  id TEXT PRIMARY KEY,
  invalid INTEGER NOT NULL CHECK (invalid IN (0, 1)),
  description TEXT,
  abbreviated_name TEXT,
  supplier_code TEXT NOT NULL,
  licensing_code TEXT,
  combination_code TEXT,
  availability_code TEXT,
  bnf_code TEXT,
  release_id INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1))
) STRICT;
CREATE TABLE IF NOT EXISTS dmd_vmpps (
  id TEXT PRIMARY KEY,
  vmp_id TEXT NOT NULL,
  name TEXT NOT NULL,
  invalid INTEGER NOT NULL CHECK (invalid IN (0, 1)),
  quantity TEXT NOT NULL,
  quantity_uom TEXT NOT NULL,
  combination_code TEXT,
  tariff_category TEXT,
  tariff_price_pence INTEGER,
  tariff_date TEXT,
  release_id INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS dmd_vmpps_by_vmp ON dmd_vmpps(vmp_id);
CREATE TABLE IF NOT EXISTS dmd_ampps (
  id TEXT PRIMARY KEY,
  vmpp_id TEXT NOT NULL,
  invalid INTEGER NOT NULL CHECK (invalid IN (0, 1)),
  abbreviated_name TEXT,
  legal_category TEXT NOT NULL,
  combination_code TEXT,
  subpack TEXT,
  discontinued_code TEXT,
  discontinued_on TEXT,
  price_basis TEXT,
  price_date TEXT,
  release_id INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL CHECK (withdrawn IN (0, 1))
) STRICT;
CREATE TABLE IF NOT EXISTS dmd_pack_contents (
  level TEXT NOT NULL CHECK (level IN ('vmpp', 'ampp')),
  pack_id TEXT NOT NULL,
  component_id TEXT NOT NULL,
  PRIMARY KEY (level, pack_id, component_id)
) STRICT;
)sql";

Result<void> apply_v4(Database& db) { return db.exec_script(kSchemaV4); }

// Version 5: stock keeping (station/src/stock, docs/reports.md): the home's 28-day cycle, what
// was booked in against the pharmacy's dispenses (with each pack's batch and expiry), stock
// counts with the balance they were compared with, and returns notes. Every table is
// append-only: a count or a booking is evidence, and a mistake is corrected by a new entry.
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE IF NOT EXISTS stock_cycle_anchors (
  id INTEGER PRIMARY KEY,
  first_day TEXT NOT NULL,
  set_at INTEGER NOT NULL,
  staff_id INTEGER REFERENCES staff(id)
) STRICT;
CREATE TABLE IF NOT EXISTS stock_bookings (
  id INTEGER PRIMARY KEY,
  delivery_reference TEXT NOT NULL,
  booked_at INTEGER NOT NULL,
  staff_id INTEGER REFERENCES staff(id),
  witness_id INTEGER REFERENCES staff(id)
) STRICT;
CREATE TABLE IF NOT EXISTS stock_booking_lines (
  booking_id INTEGER NOT NULL REFERENCES stock_bookings(id),
  ordinal INTEGER NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('matched', 'over', 'short', 'wrong_item', 'wrong_resident', 'unexpected')),
  label_id TEXT,
  resident_id INTEGER REFERENCES residents(id),
  expected_ampp_id TEXT,
  received_ampp_id TEXT,
  expected_quantity INTEGER NOT NULL,
  received_quantity INTEGER NOT NULL,
  batch TEXT NOT NULL,
  expiry TEXT,
  stock_entry_id INTEGER REFERENCES stock_ledger(id),
  detail TEXT NOT NULL,
  PRIMARY KEY (booking_id, ordinal)
) STRICT;
CREATE INDEX IF NOT EXISTS stock_booking_lines_by_entry ON stock_booking_lines(stock_entry_id);
CREATE TABLE IF NOT EXISTS stock_counts (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('carried_forward', 'periodic', 'controlled_drug')),
  amp_id TEXT NOT NULL REFERENCES amp(id),
  resident_id INTEGER REFERENCES residents(id),
  counted INTEGER NOT NULL CHECK (counted >= 0),
  balance INTEGER NOT NULL,
  staff_id INTEGER REFERENCES staff(id),
  witness_id INTEGER REFERENCES staff(id),
  counted_at INTEGER NOT NULL,
  adjustment_id INTEGER REFERENCES stock_ledger(id),
  note TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS stock_counts_by_product ON stock_counts(amp_id, resident_id, counted_at);
CREATE TABLE IF NOT EXISTS stock_returns_notes (
  id INTEGER PRIMARY KEY,
  pharmacy TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  staff_id INTEGER REFERENCES staff(id),
  witness_id INTEGER REFERENCES staff(id)
) STRICT;
CREATE TABLE IF NOT EXISTS stock_returns_note_lines (
  note_id INTEGER NOT NULL REFERENCES stock_returns_notes(id),
  stock_entry_id INTEGER NOT NULL UNIQUE REFERENCES stock_ledger(id),
  PRIMARY KEY (note_id, stock_entry_id)
) STRICT;
CREATE INDEX IF NOT EXISTS stock_ledger_by_time ON stock_ledger(event_time);
CREATE INDEX IF NOT EXISTS administrations_by_time ON administrations(event_time);
CREATE INDEX IF NOT EXISTS administrations_by_prescription ON administrations(prescription_id, event_time);
CREATE INDEX IF NOT EXISTS stock_ledger_by_resident ON stock_ledger(resident_id, amp_id);
CREATE INDEX IF NOT EXISTS audit_log_by_kind_time ON audit_log(kind, at);
CREATE TRIGGER IF NOT EXISTS stock_cycle_anchors_no_update BEFORE UPDATE ON stock_cycle_anchors
BEGIN SELECT RAISE(ABORT, 'stock cycle anchors are append-only'); END;
CREATE TRIGGER IF NOT EXISTS stock_cycle_anchors_no_delete BEFORE DELETE ON stock_cycle_anchors
BEGIN SELECT RAISE(ABORT, 'stock cycle anchors are append-only'); END;
CREATE TRIGGER IF NOT EXISTS stock_bookings_no_update BEFORE UPDATE ON stock_bookings
BEGIN SELECT RAISE(ABORT, 'bookings are append-only'); END;
CREATE TRIGGER IF NOT EXISTS stock_bookings_no_delete BEFORE DELETE ON stock_bookings
BEGIN SELECT RAISE(ABORT, 'bookings are append-only'); END;
CREATE TRIGGER IF NOT EXISTS stock_booking_lines_no_update BEFORE UPDATE ON stock_booking_lines
BEGIN SELECT RAISE(ABORT, 'booking lines are append-only'); END;
CREATE TRIGGER IF NOT EXISTS stock_booking_lines_no_delete BEFORE DELETE ON stock_booking_lines
BEGIN SELECT RAISE(ABORT, 'booking lines are append-only'); END;
CREATE TRIGGER IF NOT EXISTS stock_counts_no_update BEFORE UPDATE ON stock_counts
BEGIN SELECT RAISE(ABORT, 'stock counts are append-only: count again'); END;
CREATE TRIGGER IF NOT EXISTS stock_counts_no_delete BEFORE DELETE ON stock_counts
BEGIN SELECT RAISE(ABORT, 'stock counts are append-only: count again'); END;
CREATE TRIGGER IF NOT EXISTS stock_returns_notes_no_update BEFORE UPDATE ON stock_returns_notes
BEGIN SELECT RAISE(ABORT, 'returns notes are append-only'); END;
CREATE TRIGGER IF NOT EXISTS stock_returns_notes_no_delete BEFORE DELETE ON stock_returns_notes
BEGIN SELECT RAISE(ABORT, 'returns notes are append-only'); END;
CREATE TRIGGER IF NOT EXISTS stock_returns_note_lines_no_update BEFORE UPDATE ON stock_returns_note_lines
BEGIN SELECT RAISE(ABORT, 'returns notes are append-only'); END;
CREATE TRIGGER IF NOT EXISTS stock_returns_note_lines_no_delete BEFORE DELETE ON stock_returns_note_lines
BEGIN SELECT RAISE(ABORT, 'returns notes are append-only'); END;
)sql";

Result<void> apply_v5(Database& db) { return db.exec_script(kSchemaV5); }

struct Migration {
  int version;
  std::string_view description;
  std::function<Result<void>(Database&)> apply;
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all{
      {1, "tables, indexes and append-only triggers", apply_v1},
      {2, "default non-administration codes", apply_v2},
      {3, "eMAR feed: FHIR request links and the review queue", apply_v3},
      {4, "dm+d release import: releases, detail tables and code history", apply_v4},
      {5, "stock keeping: cycles, bookings, counts and returns notes", apply_v5},
  };
  return all;
}

Error too_new(int found) {
  return Error{errc::kSchemaTooNew,
               "this database has schema version " + std::to_string(found) +
                   ", newer than the " + std::to_string(kVersion) +
                   " this bcma supports: it was written by a newer bcma; upgrade bcma to open it"};
}

}  // namespace

Result<int> read_version(Database& db) {
  auto exists = db.prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!exists) return Unexpected(std::move(exists).error());
  if (auto r = exists->step(); !r) return Unexpected(std::move(r).error());
  if (exists->int64(0) == 0) return 0;
  auto st = db.prepare("SELECT coalesce(max(version), 0) FROM schema_version");
  if (!st) return Unexpected(std::move(st).error());
  if (auto r = st->step(); !r) return Unexpected(std::move(r).error());
  return static_cast<int>(st->int64(0));
}

Result<int> migrate(Database& db, domain::Instant now) {
  // Checked before any write so that a newer file is left exactly as it was.
  auto found = read_version(db);
  if (!found) return found;
  if (*found > kVersion) return Unexpected(too_new(*found));
  if (*found == kVersion) return kVersion;

  for (const auto& m : migrations()) {
    auto tx = Transaction::begin(db);
    if (!tx) return Unexpected(std::move(tx).error());
    if (auto r = db.exec_script(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
            " applied_at INTEGER NOT NULL) STRICT");
        !r) {
      return Unexpected(std::move(r).error());
    }
    // Re-read under the write lock: another process may have migrated meanwhile.
    auto current = read_version(db);
    if (!current) return current;
    if (*current > kVersion) return Unexpected(too_new(*current));
    if (*current >= m.version) continue;
    if (auto r = m.apply(db); !r) {
      return fail(errc::kMigrationFailed, "migration " + std::to_string(m.version) + " (" +
                                              std::string(m.description) +
                                              ") failed: " + r.error().message);
    }
    auto st = db.prepare(
        "INSERT INTO schema_version (version, description, applied_at) VALUES (?1, ?2, ?3)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, std::int64_t{m.version}).bind(2, m.description).bind(3, codec::to_db(now));
    if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
    if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
  }
  return kVersion;
}

}  // namespace bcma::station::store::schema
