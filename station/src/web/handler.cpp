#include "bcma/station/web/handler.hpp"

#include <map>
#include <sstream>

#include <sodium.h>

#include "bcma/station/export/audit_export.hpp"
#include "bcma/station/export/summary.hpp"
#include "bcma/station/reports/report.hpp"
#include "html.hpp"
#include "pages.hpp"
#include "sessions.hpp"

namespace bcma::station::web {

using domain::Role;

bool may_see_reports(Role role) { return role != Role::kEvaluator; }
bool may_see_evaluation(Role role) {
  return role == Role::kEvaluator || role == Role::kManager || role == Role::kPharmacist;
}
bool may_download_export(Role role) { return role == Role::kEvaluator || role == Role::kManager; }

namespace {

constexpr std::string_view kCookie = "bcma_session";

std::string sha256_base64(std::string_view text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
  return b64;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view s) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t end = std::min(s.find('&', pos), s.size());
    const std::string_view pair = s.substr(pos, end - pos);
    const std::size_t eq = pair.find('=');
    if (!pair.empty()) {
      out[url_decode(pair.substr(0, eq))] =
          eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    }
    pos = end + 1;
  }
  return out;
}

std::string role_words(Role r) {
  std::string s(domain::to_string(r));
  for (char& c : s) {
    if (c == '_') c = ' ';
  }
  return s;
}

// The last audit entry's sequence number (0: none yet).
Result<std::int64_t> audit_head(store::Database& db) {
  auto st = db.prepare("SELECT coalesce(max(seq), 0) FROM audit_log");
  if (!st) return Unexpected(std::move(st).error());
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  return st->int64(0);
}

// 1 to 18 digits, not starting with 0.
std::optional<std::int64_t> sequence_number(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.front() == '0') return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

Response redirect(std::string location) {
  Response r;
  r.status = 303;
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

}  // namespace

struct Handler::Impl {
  store::Store& store;
  const domain::Clock& clock;
  HandlerOptions options;
  detail::SessionBook sessions;
  detail::FailedLogins failures;
  std::string csp;

  Impl(store::Store& s, const domain::Clock& c, HandlerOptions o)
      : store(s),
        clock(c),
        options(std::move(o)),
        sessions(options.session_idle, options.session_lifetime),
        failures(options.max_failed_logins, options.lockout) {
    csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" +
          sha256_base64(html::sort_script()) +
          "'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  }

  Response route(const Request& req);
  Response login_page(const std::string& error, int status);
  Response login(const Request& req);
  Response logout(const Request& req);
  Response home(const detail::Session& s);
  Response report(const detail::Session& s, std::string name, const Query& q);
  Response evaluation(const detail::Session& s, const Query& q);
  Response export_download(const detail::Session& s, const Query& q, bool proof);
};

Handler::Handler(store::Store& store, const domain::Clock& clock, HandlerOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options))) {}

Handler::~Handler() = default;

const std::string& Handler::content_security_policy() const { return impl_->csp; }

Response Handler::handle(const Request& request) {
  Response r;
  try {
    r = impl_->route(request);
  } catch (const std::exception&) {
    r = pages::error_page(500, "Something went wrong",
                          "The station could not answer this request. Nothing was changed.", "");
  }
  r.headers.emplace_back("Content-Security-Policy", impl_->csp);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return r;
}

Response Handler::Impl::route(const Request& req) {
  const std::size_t q = req.target.find('?');
  const std::string path = req.target.substr(0, q);
  const Query query = parse_form(q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1));

  if (path == "/login") {
    if (req.method == "POST") return login(req);
    if (req.method == "GET") return login_page("", 200);
    return pages::error_page(405, "Not allowed", "Use the sign-in form.", "");
  }
  if (path == "/logout" && req.method == "POST") return logout(req);
  if (req.method != "GET") return pages::error_page(405, "Not allowed", "This page only shows.", "");

  const std::string token = detail::cookie_value(req.cookie, kCookie);
  const auto session = token.empty() ? std::nullopt : sessions.find(token, clock.now());
  if (!session) {
    if (path.ends_with(".csv") || path.ends_with(".json")) {
      return pages::error_page(401, "Sign in first", "Downloads need a signed-in member of staff.", "");
    }
    return redirect("/login");
  }
  if (path == "/") return home(*session);
  if (path == "/evaluation") return evaluation(*session, query);
  if (path == "/evaluation/events.csv") return export_download(*session, query, false);
  if (path == "/evaluation/proof.json") return export_download(*session, query, true);
  if (path.starts_with("/reports/")) return report(*session, path.substr(9), query);
  return pages::error_page(404, "Not found", "There is no such page.", pages::user_line(*session));
}

Response Handler::Impl::login_page(const std::string& error, int status) {
  Response r;
  r.status = status;
  r.body = pages::login_page(error);
  return r;
}

Response Handler::Impl::login(const Request& req) {
  const auto form = parse_form(req.body);
  const auto badge_it = form.find("badge");
  const auto pin_it = form.find("pin");
  if (badge_it == form.end() || pin_it == form.end() || badge_it->second.empty() ||
      pin_it->second.empty()) {
    return login_page("Enter your badge number and PIN.", 400);
  }
  const std::string badge = badge_it->second;
  const domain::Instant now = clock.now();
  if (auto until = failures.locked_until(badge, now)) {
    return login_page("Too many wrong PINs for this badge: try again after " +
                          domain::London::to_local(*until).time.to_string() +
                          ", or ask a manager.",
                      429);
  }
  auto staff = store.login(badge, pin_it->second, options.device_id);
  if (!staff) {
    const std::string& code = staff.error().code;
    if (code == "unknown_badge" || code == "wrong_pin" || code == "invalid_pin" ||
        code == "invalid_gsrn") {
      failures.failed(badge, now);
      return login_page("Badge or PIN not recognised.", 401);
    }
    if (code == "staff_inactive") return login_page("This badge is no longer active.", 403);
    return login_page("The station could not check the PIN (" + code + "): try again.", 500);
  }
  failures.succeeded(badge);
  detail::Session s{staff->id, staff->name, staff->role, now, now};
  const std::string token = sessions.open(s);
  if (token.empty()) return login_page("The station could not start a session.", 500);
  Response r = redirect("/");
  r.headers.emplace_back("Set-Cookie", std::string(kCookie) + "=" + token +
                                           "; Path=/; Secure; HttpOnly; SameSite=Strict");
  return r;
}

Response Handler::Impl::logout(const Request& req) {
  const std::string token = detail::cookie_value(req.cookie, kCookie);
  if (!token.empty()) sessions.close(token);
  Response r = redirect("/login");
  r.headers.emplace_back("Set-Cookie", std::string(kCookie) +
                                           "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
  return r;
}

Response Handler::Impl::home(const detail::Session& s) {
  Response r;
  r.body = pages::home_page(s, may_see_reports(s.role), may_see_evaluation(s.role),
                            may_download_export(s.role));
  return r;
}

Response Handler::Impl::report(const detail::Session& s, std::string name, const Query& q) {
  const bool csv = name.ends_with(".csv");
  if (csv) name.resize(name.size() - 4);
  const reports::ReportInfo* info = reports::find_report(name);
  if (info == nullptr) {
    return pages::error_page(404, "Not found", "There is no such report.", pages::user_line(s));
  }
  if (!may_see_reports(s.role) || !reports::may_read(name, s.role)) {
    return pages::error_page(403, "Not for your role",
                             "A " + role_words(s.role) + " cannot open \"" + info->title + "\".",
                             pages::user_line(s));
  }
  const auto period = pages::period(q, clock.now());
  if (!period) {
    return pages::error_page(400, "Dates not understood",
                             "Give the dates as YYYY-MM-DD, the first not after the last.",
                             pages::user_line(s));
  }
  auto rep = reports::run_report(name, store, period->from, period->to);
  if (!rep) {
    return pages::error_page(500, "The report could not be made", rep.error().message,
                             pages::user_line(s));
  }
  Response r;
  if (csv) {
    r.content_type = "text/csv; charset=utf-8";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "_" +
                                                      period->from_text + "_" + period->to_text +
                                                      ".csv\"");
    r.body = reports::to_csv(*rep);
    return r;
  }
  r.body = pages::report_page(s, *rep, *period);
  return r;
}

Response Handler::Impl::evaluation(const detail::Session& s, const Query& q) {
  if (!may_see_evaluation(s.role)) {
    return pages::error_page(403, "Not for your role",
                             "A " + role_words(s.role) + " cannot open the evaluation summary.",
                             pages::user_line(s));
  }
  const auto period = pages::period(q, clock.now());
  if (!period) {
    return pages::error_page(400, "Dates not understood",
                             "Give the dates as YYYY-MM-DD, the first not after the last.",
                             pages::user_line(s));
  }
  auto summary = exporting::evaluation_summary(store.database(), period->from, period->to);
  if (!summary) {
    return pages::error_page(500, "The summary could not be made", summary.error().message,
                             pages::user_line(s));
  }
  std::optional<pages::ExportLinks> links;
  if (may_download_export(s.role)) {
    auto head = audit_head(store.database());
    if (!head) {
      return pages::error_page(500, "The summary could not be made", head.error().message,
                               pages::user_line(s));
    }
    links = pages::ExportLinks{*head, options.pseudonym_key.has_value()};
  }
  Response r;
  r.body = pages::evaluation_page(s, *summary, *period, links);
  return r;
}

Response Handler::Impl::export_download(const detail::Session& s, const Query& q, bool proof) {
  if (!may_download_export(s.role)) {
    return pages::error_page(403, "Not for your role",
                             "A " + role_words(s.role) + " cannot download the audit export.",
                             pages::user_line(s));
  }
  const auto period = pages::period(q, clock.now());
  if (!period) {
    return pages::error_page(400, "Dates not understood", "Give the dates as YYYY-MM-DD.",
                             pages::user_line(s));
  }
  exporting::ExportOptions export_options{period->from, period->to, exporting::Format::kCsv, {}};
  if (const auto t = q.find("through"); t != q.end()) {
    export_options.through_seq = sequence_number(t->second);
    if (!export_options.through_seq) {
      return pages::error_page(400, "Link not understood",
                               "\"through\" must be an audit sequence number: open the "
                               "evaluation page again and use its links.",
                               pages::user_line(s));
    }
  }
  if (proof && !options.pseudonym_key) {
    // A proof is checked by re-deriving the file: with a key made for one download, the
    // proof could never match the file that was downloaded.
    return pages::error_page(404, "No proof without the home's key",
                             "This station has no pseudonym key, so each download gets its own "
                             "pseudonyms and no proof can describe it. Ask the manager to set "
                             "pseudonym_key_file (docs/station.md).",
                             pages::user_line(s));
  }
  auto key = options.pseudonym_key ? Result<exporting::PseudonymKey>(*options.pseudonym_key)
                                   : exporting::PseudonymKey::random();
  if (!key) return pages::error_page(500, "No key", key.error().message, pages::user_line(s));
  const exporting::Pseudonymiser pseudonyms(*key);
  const std::string stem = period->from_text + "_" + period->to_text;
  const std::string events_name = "audit_events_" + stem + ".csv";
  Response r;
  if (proof) {
    auto text = exporting::export_proof(store.database(), pseudonyms, export_options, events_name);
    if (!text) {
      return pages::error_page(text.error().code == "invalid_argument" ? 400 : 500,
                               "The proof could not be made", text.error().message,
                               pages::user_line(s));
    }
    r.content_type = "application/json";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"audit_proof_" + stem + ".json\"");
    r.body = std::move(*text);
    return r;
  }
  std::ostringstream out;
  auto rows = exporting::write_events(store.database(), pseudonyms, export_options, out);
  if (!rows) {
    return pages::error_page(500, "The export could not be made", rows.error().message,
                             pages::user_line(s));
  }
  r.content_type = "text/csv; charset=utf-8";
  // The proof names the events file by this name: keep the two in step.
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + events_name + "\"");
  r.body = out.str();
  return r;
}

}  // namespace bcma::station::web
