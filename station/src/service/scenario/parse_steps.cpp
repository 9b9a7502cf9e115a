// Scenario files: the timeline of steps, the scans and records in them, and expectations.
#include <algorithm>
#include <array>

#include "bcma/gs1/element_string.hpp"
#include "model.hpp"
#include "reader.hpp"

namespace bcma::station::service::scenario {
namespace {

constexpr std::array<std::pair<std::string_view, Action>, 10> kActions{{
    {"login", Action::kLogin},
    {"logout", Action::kLogout},
    {"unlock", Action::kUnlock},
    {"scan_resident", Action::kScanResident},
    {"scan_item", Action::kScanItem},
    {"record", Action::kRecord},
    {"record_batch", Action::kRecordBatch},
    {"prescribe", Action::kPrescribe},
    {"set_policy", Action::kSetPolicy},
    {"set_resident_status", Action::kSetResidentStatus},
}};

CredentialSpec parse_credentials(const Node& n) {
  CredentialSpec c;
  c.where = n.where();
  if (n.is_string()) {
    c.staff = n.nonempty();
    return c;
  }
  n.only({"staff", "badge", "pin"});
  if (n.has("staff") == n.has("badge")) n.fail("give \"staff\" (a key) or \"badge\" (a GSRN)");
  if (auto s = n.get("staff")) c.staff = s->nonempty();
  if (auto b = n.get("badge")) c.badge = b->nonempty();
  if (auto p = n.get("pin")) c.pin = p->str();
  if (c.badge && !c.pin) n.fail("a raw badge needs its \"pin\"");
  return c;
}

std::vector<std::string> codes(const Node& n) {
  std::vector<std::string> out = n.strings();
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!rules::reason_from_string(out[i])) {
      n.items()[i].fail("unknown reason code \"" + out[i] + "\"");
    }
  }
  return out;
}

Expectation parse_expectation(const Node& n, Action action);

Expectation parse_record_expectation(const Node& n) {
  n.only({"accepted", "error", "duplicate", "same_ack_as", "decision", "reasons", "includes",
          "excludes", "prescription", "message_contains"});
  return parse_expectation(n, Action::kRecord);
}

Expectation parse_expectation(const Node& n, Action action) {
  switch (action) {
    case Action::kLogin:
    case Action::kLogout:
    case Action::kUnlock:
    case Action::kTime:
    case Action::kPrescribe:
    case Action::kSetPolicy:
    case Action::kSetResidentStatus:
      n.only({"ok", "error", "message_contains"});
      break;
    case Action::kScanResident:
      n.only({"ok", "error", "status", "resident", "due_now", "prn_available", "message_contains"});
      break;
    case Action::kScanItem:
      n.only({"ok", "error", "decision", "reasons", "includes", "excludes", "prescription",
              "witness_required", "dose", "summary_contains", "message_contains"});
      break;
    case Action::kRecord:
      n.only({"accepted", "error", "duplicate", "same_ack_as", "decision", "reasons", "includes",
              "excludes", "prescription", "message_contains"});
      break;
    case Action::kRecordBatch:
      n.only({"results"});
      break;
  }
  Expectation e;
  e.present = true;
  e.raw = nlohmann::ordered_json::parse(n.json().dump());
  if (auto v = n.get("ok")) e.ok = v->boolean();
  if (auto v = n.get("error")) e.error = v->nonempty();
  if (auto v = n.get("status")) {
    e.status = v->str();
    if (*e.status != "found" && *e.status != "not_a_wristband" && *e.status != "not_found") {
      v->fail("unknown status (found, not_a_wristband, not_found)");
    }
  }
  if (n.has("resident")) {
    const Node v = n.at("resident");
    e.resident = v.is_null() ? std::optional<std::string>() : std::optional<std::string>(v.nonempty());
  }
  if (auto v = n.get("due_now")) e.due_now = v->strings();
  if (auto v = n.get("prn_available")) e.prn_available = v->strings();
  if (auto v = n.get("decision")) {
    e.decision = rules::decision_from_string(v->str());
    if (!e.decision) v->fail("unknown decision \"" + v->str() + "\" (proceed, warn, block)");
  }
  if (auto v = n.get("reasons")) e.reasons = codes(*v);
  if (auto v = n.get("includes")) e.includes = codes(*v);
  if (auto v = n.get("excludes")) e.excludes = codes(*v);
  if (n.has("prescription")) {
    const Node v = n.at("prescription");
    e.prescription =
        v.is_null() ? std::optional<std::string>() : std::optional<std::string>(v.nonempty());
  }
  if (auto v = n.get("witness_required")) e.witness_required = v->boolean();
  if (auto v = n.get("dose")) e.dose = v->nonempty();
  if (auto v = n.get("summary_contains")) e.summary_contains = v->nonempty();
  if (auto v = n.get("message_contains")) e.message_contains = v->nonempty();
  if (auto v = n.get("accepted")) e.accepted = v->boolean();
  if (auto v = n.get("duplicate")) e.duplicate = v->boolean();
  if (auto v = n.get("same_ack_as")) e.same_ack_as = static_cast<int>(v->integer());
  if (auto v = n.get("results")) {
    for (const Node& r : v->items()) e.results.push_back(parse_record_expectation(r));
  }
  return e;
}

OverrideSpec parse_override(const Node& n) {
  n.only({"by", "reason", "witness"});
  OverrideSpec o;
  if (auto b = n.get("by")) o.by = parse_credentials(*b);
  o.reason = n.at("reason").str();
  if (auto w = n.get("witness")) o.witness = parse_credentials(*w);
  return o;
}

RecordSpec parse_record(const Node& n) {
  n.only({"id", "outcome", "quantity", "resident", "wristband", "item", "ampp", "prescription",
          "slot", "code", "code_text", "override", "witness", "time", "corrects", "note"});
  RecordSpec r;
  r.where = n.where();
  if (auto v = n.get("id")) r.id = v->nonempty();
  const Node o = n.at("outcome");
  const auto outcome = domain::outcome_from_string(o.str());
  if (!outcome) {
    o.fail("unknown outcome \"" + o.str() +
           "\" (given, refused, refused_destroyed, omitted, not_required, self_administered)");
  }
  r.outcome = *outcome;
  if (auto v = n.get("quantity")) r.quantity = v->decimal();
  if (auto v = n.get("resident")) r.resident = v->nonempty();
  if (auto v = n.get("wristband")) r.wristband = parse_scan(*v);
  if (n.has("item")) {
    const Node item = n.at("item");
    if (item.is_null()) {
      r.item_none = true;
    } else {
      r.item = parse_scan(item);
    }
  }
  if (auto v = n.get("ampp")) r.ampp = v->nonempty();
  if (auto v = n.get("prescription")) r.prescription = v->nonempty();
  if (auto v = n.get("slot")) r.slot = v->instant();
  if (auto v = n.get("code")) r.code = v->str();
  if (auto v = n.get("code_text")) r.code_text = v->str();
  if (auto v = n.get("override")) r.override = parse_override(*v);
  if (auto v = n.get("witness")) r.witness = parse_credentials(*v);
  if (auto v = n.get("time")) r.time = v->instant();
  if (auto v = n.get("corrects")) r.corrects = v->nonempty();
  if (auto v = n.get("note")) r.note = v->str();
  return r;
}

Step parse_step(const Node& n, int number) {
  Step s;
  s.number = number;
  s.where = n.where();
  if (!n.is_object()) n.fail("a step is an object");
  std::optional<std::pair<std::string, Node>> action;
  for (const auto& [key, value] : n.members()) {
    if (key == "at" || key == "advance" || key == "expect" || key == "note") continue;
    const auto it = std::find_if(kActions.begin(), kActions.end(),
                                 [&](const auto& a) { return a.first == key; });
    if (it == kActions.end()) {
      n.fail("unknown key \"" + key +
             "\" (a step has one of login, logout, unlock, scan_resident, scan_item, record, "
             "record_batch, prescribe, set_policy, set_resident_status; and at, advance, expect, "
             "note)");
    }
    if (action) n.fail("a step does one thing: \"" + action->first + "\" and \"" + key + "\"");
    action.emplace(key, value);
    s.action = it->second;
  }
  if (auto at = n.get("at")) s.at = at->instant();
  if (auto adv = n.get("advance")) s.advance = adv->duration();
  if (s.at && s.advance) n.fail("give \"at\" or \"advance\", not both");
  if (!action && !s.at && !s.advance) n.fail("an empty step: give an action, \"at\" or \"advance\"");
  if (action) {
    const Node& v = action->second;
    switch (s.action) {
      case Action::kLogin:
        v.only({"staff", "badge", "pin", "device"});
        if (auto d = v.get("device")) s.device = d->nonempty();
        {
          nlohmann::json creds = v.json();
          creds.erase("device");
          s.credentials = parse_credentials(Node(creds, v.file(), v.path()));
        }
        break;
      case Action::kUnlock:
        s.credentials = parse_credentials(v);
        break;
      case Action::kLogout:
        if (!(v.is_object() && v.json().empty())) v.fail("logout takes {}");
        break;
      case Action::kScanResident:
        s.scan = parse_scan(v);
        break;
      case Action::kScanItem: {
        nlohmann::json scan = v.json();
        if (scan.is_object() && scan.contains("quantity")) {
          s.quantity = Node(scan["quantity"], v.file(), v.path() + ".quantity").decimal();
          scan.erase("quantity");
        }
        s.scan = parse_scan(Node(scan, v.file(), v.path()));
        break;
      }
      case Action::kRecord:
        s.records.push_back(parse_record(v));
        break;
      case Action::kRecordBatch:
        for (const Node& r : v.items()) s.records.push_back(parse_record(r));
        if (s.records.empty()) v.fail("a batch needs at least one record");
        break;
      case Action::kPrescribe:
        s.prescription = parse_prescription(v);
        break;
      case Action::kSetPolicy:
        s.policy = parse_policy(v);
        break;
      case Action::kSetResidentStatus: {
        v.only({"resident", "status"});
        s.resident = v.at("resident").nonempty();
        const auto st = domain::resident_status_from_string(v.at("status").str());
        if (!st) v.at("status").fail("unknown status (present, in_hospital, on_leave, discharged, deceased)");
        s.status = *st;
        break;
      }
      case Action::kTime:
        break;
    }
  }
  if (auto e = n.get("expect")) s.expect = parse_expectation(*e, s.action);
  return s;
}

}  // namespace

std::string_view to_string(Action a) {
  if (a == Action::kTime) return "time";
  for (const auto& [name, action] : kActions) {
    if (action == a) return name;
  }
  return "time";
}

ScanSpec parse_scan(const Node& n) {
  n.only({"scan", "typed", "unable", "resident", "symbology", "format", "gs1", "reason", "ampp"});
  ScanSpec s;
  s.where = n.where();
  const int forms = (n.has("scan") ? 1 : 0) + (n.has("typed") ? 1 : 0) + (n.has("unable") ? 1 : 0) +
                    (n.has("resident") ? 1 : 0);
  if (forms != 1) {
    n.fail("give exactly one of \"scan\" (barcode text), \"typed\" (entered by hand), \"unable\" "
           "(the reason nothing could be scanned) or \"resident\" (that resident's wristband)");
  }
  if (auto v = n.get("scan")) {
    s.mode = ScanSpec::Mode::kScan;
    s.text = v->nonempty();
  } else if (auto t = n.get("typed")) {
    s.mode = ScanSpec::Mode::kTyped;
    s.text = t->nonempty();
  } else if (auto u = n.get("unable")) {
    s.mode = ScanSpec::Mode::kUnable;
    s.reason = u->nonempty();
  } else {
    s.mode = ScanSpec::Mode::kWristbandOf;
    s.resident = n.at("resident").nonempty();
  }
  if (auto v = n.get("symbology")) s.symbology = v->nonempty();
  if (auto v = n.get("format")) s.format = v->nonempty();
  if (auto v = n.get("gs1")) s.gs1 = v->boolean();
  if (auto v = n.get("reason")) s.reason = v->str();
  if (auto v = n.get("ampp")) {
    if (s.mode != ScanSpec::Mode::kUnable) v->fail("\"ampp\" names the pack of an item that could not be scanned");
    s.ampp = v->nonempty();
  }
  if (s.mode != ScanSpec::Mode::kScan && (n.has("symbology") || n.has("format") || n.has("gs1"))) {
    n.fail("\"symbology\", \"format\" and \"gs1\" describe a \"scan\"");
  }
  if (s.mode == ScanSpec::Mode::kScan) {
    auto d = reader_decode(s.text, s.symbology, s.format, s.gs1);
    if (!d) n.at("scan").fail(d.error().message);
    s.decode = std::move(*d);
  }
  return s;
}

Result<scan::Decode> reader_decode(const std::string& text, const std::string& symbology,
                                   const std::string& format, std::optional<bool> gs1) {
  auto is_gs1_symbology = [](std::string_view sym) {
    return sym == "]d2" || sym == "]Q3" || sym == "]C1" || sym == "]e0" || sym == "]J1";
  };
  auto format_for = [](std::string_view sym) -> std::string {
    if (sym.starts_with("]d")) return "DataMatrix";
    if (sym.starts_with("]Q")) return "QRCode";
    if (sym.starts_with("]C")) return "Code128";
    if (sym == "]E4") return "EAN-8";
    if (sym.starts_with("]E")) return "EAN-13";
    if (sym.starts_with("]e")) return "DataBar";
    if (sym.starts_with("]J")) return "DotCode";
    return "";
  };
  auto gs1_text = [&](const std::string& sym) -> Result<std::string> {
    auto msg = gs1::parse(text);
    if (!msg) {
      return fail("bad_scan", "not valid GS1 data (" + std::string(gs1::to_string(msg.error().code)) +
                                  ": " + msg.error().message +
                                  "); give invalid data as the reader's text, e.g. "
                                  "\"]d2010...\", with \\u001d for GS");
    }
    return gs1::to_scan_data(*msg, sym).substr(sym.size());
  };
  scan::Decode d;
  const bool gs1_form = text.starts_with("(") || text.starts_with("^");
  if (!symbology.empty()) {
    d.symbology = symbology;
    d.format = format_for(symbology);
    if (is_gs1_symbology(symbology) && gs1_form) {
      auto t = gs1_text(symbology);
      if (!t) return Unexpected(std::move(t).error());
      d.text = std::move(*t);
    } else {
      d.text = text;
    }
    d.gs1 = is_gs1_symbology(symbology);
  } else if (text.starts_with("]") && text.size() >= 3) {
    d.symbology = text.substr(0, 3);
    d.format = format_for(d.symbology);
    d.text = text.substr(3);
    d.gs1 = is_gs1_symbology(d.symbology);
  } else if (gs1_form) {
    auto t = gs1_text("]d2");
    if (!t) return Unexpected(std::move(t).error());
    d = scan::Decode{"DataMatrix", "]d2", true, std::move(*t)};
  } else if (text.starts_with("http://") || text.starts_with("https://")) {
    d = scan::Decode{"QRCode", "]Q1", false, text};
  } else if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
               return c >= '0' && c <= '9';
             }) && (text.size() == 8 || text.size() == 12 || text.size() == 13)) {
    d = scan::Decode{text.size() == 8 ? "EAN-8" : text.size() == 12 ? "UPC-A" : "EAN-13",
                     text.size() == 8 ? "]E4" : "]E0", false, text};
  } else {
    d = scan::Decode{"Code128", "]C0", false, text};
  }
  if (!format.empty()) d.format = format;
  if (gs1) d.gs1 = *gs1;
  return d;
}

std::vector<Step> parse_steps(const Node& n) {
  std::vector<Step> out;
  int number = 0;
  for (const Node& s : n.items()) out.push_back(parse_step(s, ++number));
  return out;
}

}  // namespace bcma::station::service::scenario
