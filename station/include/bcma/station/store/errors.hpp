#pragma once
/// \file
/// The stable error codes the store returns in `bcma::Error::code`. Programs match on these
/// strings (the network server maps them to scanner messages), so never rename one.

namespace bcma::station::store::errc {

// Database and file level.
inline constexpr const char* kSqlite = "sqlite_error";          ///< SQLite reported a failure
inline constexpr const char* kBusy = "database_busy";           ///< locked past the busy timeout
inline constexpr const char* kCannotOpen = "cannot_open";       ///< file missing or unreadable
inline constexpr const char* kSchemaTooNew = "schema_too_new";  ///< written by a newer bcma
inline constexpr const char* kMigrationFailed = "migration_failed";
inline constexpr const char* kAppendOnly = "append_only";       ///< update/delete of a record
inline constexpr const char* kCorruptData = "corrupt_data";     ///< a stored value is unreadable
inline constexpr const char* kCryptoFailure = "crypto_failure"; ///< OpenSSL or libsodium failed

// Lookups.
inline constexpr const char* kNotFound = "not_found";
inline constexpr const char* kUnknownResident = "unknown_resident";
inline constexpr const char* kUnknownStaff = "unknown_staff";
inline constexpr const char* kUnknownProduct = "unknown_product";
inline constexpr const char* kUnknownPrescription = "unknown_prescription";
inline constexpr const char* kUnknownLabel = "unknown_label";
inline constexpr const char* kUnknownCode = "unknown_code";
inline constexpr const char* kUnknownRecord = "unknown_record";
inline constexpr const char* kNoHome = "no_home";               ///< home/policy not set up yet

// Validation of what is written.
inline constexpr const char* kInvalidArgument = "invalid_argument";
inline constexpr const char* kInvalidRecordId = "invalid_record_id";  ///< not a UUID
inline constexpr const char* kInvalidNhsNumber = "invalid_nhs_number";
inline constexpr const char* kInvalidGsrn = "invalid_gsrn";
inline constexpr const char* kInvalidGtin = "invalid_gtin";
inline constexpr const char* kInvalidQuantity = "invalid_quantity";
inline constexpr const char* kInvalidTime = "invalid_time";
inline constexpr const char* kInvalidScan = "invalid_scan";      ///< neither text nor reason
inline constexpr const char* kDuplicate = "duplicate";           ///< unique key already used
inline constexpr const char* kRecordConflict = "record_conflict";  ///< same id, other content
inline constexpr const char* kPrescriptionNotForResident = "prescription_not_for_resident";
inline constexpr const char* kLabelNotForResident = "label_not_for_resident";
inline constexpr const char* kProductMismatch = "product_mismatch";  ///< label vs product given
inline constexpr const char* kMissingProduct = "missing_product";
inline constexpr const char* kMissingCode = "missing_code";
inline constexpr const char* kMissingText = "missing_text";
inline constexpr const char* kCodeNotForOutcome = "code_not_for_outcome";
inline constexpr const char* kUnexpectedCode = "unexpected_code";  ///< a code on a given dose
inline constexpr const char* kInvalidOverride = "invalid_override";
inline constexpr const char* kInvalidWitness = "invalid_witness";
inline constexpr const char* kInvalidCorrection = "invalid_correction";
inline constexpr const char* kInvalidPrescription = "invalid_prescription";  ///< engine refused it
inline constexpr const char* kVersionOrder = "version_order";  ///< prescription effective time

// Staff sign-in.
inline constexpr const char* kInvalidPin = "invalid_pin";      ///< not 4 to 12 digits
inline constexpr const char* kUnknownBadge = "unknown_badge";
inline constexpr const char* kWrongPin = "wrong_pin";
inline constexpr const char* kStaffInactive = "staff_inactive";

}  // namespace bcma::station::store::errc
