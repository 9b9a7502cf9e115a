#pragma once
/// \file
/// Every page and download of the station's web interface (docs/web.md): sign-in with a staff
/// badge and PIN (checked against the store's Argon2id hashes), sessions, the role check in
/// front of every page and download, the pharmacist's reports (station/reports) as sortable
/// tables with inline SVG charts and CSV, and the evaluator's pseudonymised summary and export.
/// No I/O but the store: the server feeds it requests.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "bcma/domain/resident.hpp"
#include "bcma/domain/time.hpp"
#include "bcma/station/export/pseudonymiser.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/web/http.hpp"

namespace bcma::station::web {

struct HandlerOptions {
  std::chrono::minutes session_idle{15};      ///< signed out after this long without a request
  std::chrono::hours session_lifetime{8};     ///< and after a shift, whatever happens
  int max_failed_logins = 5;                  ///< per badge, then locked for `lockout`
  std::chrono::minutes lockout{15};
  std::string device_id = "web";              ///< stamped on sign-in audit entries
  /// The home's pseudonym key for downloads of the export; without one each download gets a
  /// fresh random key (pseudonyms consistent within that file only).
  std::optional<exporting::PseudonymKey> pseudonym_key;
};

/// Who may open what, beyond each report's own roles (reports::may_read). Evaluators never
/// see a report that names residents; they see the summary and the pseudonymised export.
bool may_see_reports(domain::Role role);
bool may_see_evaluation(domain::Role role);   ///< evaluator, manager, pharmacist
bool may_download_export(domain::Role role);  ///< evaluator, manager

class Handler {
 public:
  /// `store` and `clock` must outlive the handler; calls must not overlap (one thread).
  Handler(store::Store& store, const domain::Clock& clock, HandlerOptions options = {});
  ~Handler();
  Handler(const Handler&) = delete;
  Handler& operator=(const Handler&) = delete;

  /// Answers one request. Never throws; a failure inside becomes a 500 page that says what
  /// went wrong without any data.
  Response handle(const Request& request);

  /// The Content-Security-Policy every page is sent with (the inline script's SHA-256 in it).
  const std::string& content_security_policy() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace bcma::station::web
