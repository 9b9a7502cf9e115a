#pragma once
/// \file
/// What was administered, as FHIR R4 MedicationAdministration resources in a Bundle, so that the
/// pharmacy and GP systems can take it back (docs/emar-feed.md "Export").

#include <string>

#include "bcma/core/result.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/store/store.hpp"

namespace bcma::station::emar {

struct ExportResult {
  std::string bundle_json;  ///< a Bundle of type collection
  int administrations = 0;  ///< entries in it
};

/// Every record the station stored (entered) at or after `since`, and every older record that
/// such a record corrects (sent again as entered-in-error). Given and self-administered doses
/// are `completed`; refusals and omissions `not-done` with a statusReason. Read-only.
/// Errors: `sqlite_error`, `corrupt_data`, `unknown_resident`, `unknown_prescription`.
Result<ExportResult> export_administrations(store::Store& store, domain::Instant since);

}  // namespace bcma::station::emar
