#pragma once
/// \file
/// Importing the pharmacy's eMAR feed: FHIR R4 UK Core resources in JSON (a Bundle, one
/// resource, or NDJSON) become prescriptions (versioned) and dispensed items (the labels the home
/// books in). A resource the station cannot represent safely is not imported: it goes to the
/// review queue with its exact reasons, and the rest of the feed is applied. Importing the same
/// feed twice changes nothing. Every mapping rule: docs/emar-feed.md.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcma/core/result.hpp"
#include "bcma/domain/prescription.hpp"
#include "bcma/station/emar/review.hpp"
#include "bcma/station/store/records.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::emar {

/// What the import did with one resource.
enum class Action : std::uint8_t {
  kImported,   ///< a new prescription or dispensed item
  kUpdated,    ///< a new version of a prescription (a change, a stop, a hold...)
  kUnchanged,  ///< already held as sent, or an older version than the one held
  kQueued,     ///< not imported: in the review queue with its reasons
  kIgnored,    ///< not something the station imports (Patient, Organization, a dispense not yet sent)
};
std::string_view to_string(Action a);  ///< "imported", "updated", "unchanged", "queued", "ignored"

struct ResourceOutcome {
  std::string resource_type;  ///< "MedicationRequest"
  std::string resource_id;    ///< the FHIR id; may be empty
  std::string where;          ///< "entry 3" (Bundle, from 0), "line 4" (NDJSON, from 1), "resource"
  Action action = Action::kIgnored;
  std::string detail;         ///< for people: "prescription 7 version 2: stopped"
  std::vector<ReviewReason> reasons;        ///< when queued
  std::optional<std::int64_t> review_id;    ///< when queued
  std::optional<domain::PrescriptionId> prescription_id;
  std::optional<int> prescription_version;
};

struct ImportSummary {
  std::vector<ResourceOutcome> resources;  ///< in the order the feed holds them
  int count(Action a) const;
};

struct ImportOptions {
  store::Actor actor{std::nullopt, "pharmacy-sync"};  ///< stamped on every audit entry
};

/// Imports `feed` (the text of a Bundle, a single resource or NDJSON). The feed is read and
/// checked whole before anything is written, so a feed refused with an error changes nothing.
/// Errors: `invalid_json` (with the line or byte), `invalid_feed` (not FHIR resources),
/// `no_home` (the station is not set up: no policy to map rounds), and the store's
/// `sqlite_error` / `database_busy` (the database failed part-way: every resource already
/// applied is complete, and importing the feed again completes the rest).
Result<ImportSummary> import_feed(store::Store& store, std::string_view feed,
                                  const ImportOptions& options = {});

/// `import_feed` on a file's contents. Errors: `cannot_read`, and those of `import_feed`.
Result<ImportSummary> import_file(store::Store& store, const std::filesystem::path& file,
                                  const ImportOptions& options = {});

/// The summary as a pharmacist reads it: counts, then every queued resource with its reasons.
std::string summary_text(const ImportSummary& summary);
/// The summary as JSON: {"imported":n,...,"resources":[...]}.
std::string summary_json(const ImportSummary& summary);

}  // namespace bcma::station::emar
