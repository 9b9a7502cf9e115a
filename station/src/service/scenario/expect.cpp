#include "expect.hpp"

#include <algorithm>

namespace bcma::station::service::scenario {
namespace {

using OutJson = nlohmann::ordered_json;

OutJson opt(const std::optional<std::string>& s) { return s ? OutJson(*s) : OutJson(); }

std::string list_text(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i > 0 ? "," : "") + v[i];
  return out + "]";
}

std::string opt_text(const std::optional<std::string>& s) { return s ? *s : "null"; }

void put_verdict(OutJson& line, const StepOutcome& o) {
  if (o.decision) line["decision"] = rules::to_string(*o.decision);
  if (o.decision || !o.reasons.empty()) line["reasons"] = o.reasons;
  if (o.has_prescription) line["prescription"] = opt(o.prescription);
  if (o.witness_required) line["witness_required"] = *o.witness_required;
}

// The verdict first, so that every line with a decision starts {"step":N,"decision":...}.
void put_record(OutJson& line, const StepOutcome& o) {
  put_verdict(line, o);
  line["accepted"] = o.accepted.value_or(false);
  if (o.accepted.value_or(false)) {
    line["record_id"] = opt(o.record_id);
    line["duplicate"] = o.duplicate.value_or(false);
  } else {
    line["error"] = opt(o.error);
  }
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

void put_result(OutJson& line, const StepOutcome& o, Action action) {
  switch (action) {
    case Action::kRecord:
      put_record(line, o);
      return;
    case Action::kRecordBatch: {
      OutJson results = OutJson::array();
      for (const StepOutcome& r : o.results) {
        OutJson one;
        put_record(one, r);
        results.push_back(std::move(one));
      }
      line["results"] = std::move(results);
      return;
    }
    default:
      break;
  }
  if (o.error) {
    line["error"] = *o.error;
    return;
  }
  switch (action) {
    case Action::kScanResident:
      line["status"] = opt(o.status);
      line["resident"] = opt(o.resident);
      line["due_now"] = o.due_now;
      line["prn_available"] = o.prn_available;
      return;
    case Action::kScanItem:
      put_verdict(line, o);
      return;
    case Action::kLogin:
      line["result"] = opt(o.result);
      line["staff"] = opt(o.staff);
      line["role"] = opt(o.role);
      return;
    default:
      line["result"] = opt(o.result);
      return;
  }
}

std::vector<std::string> check(const Expectation& e, const StepOutcome& o, Action action,
                               const std::map<int, store::Ack>& acks) {
  std::vector<std::string> p;
  const std::string got_error = o.error ? *o.error : "none";

  if (action == Action::kRecordBatch) {
    if (!e.present) {
      for (std::size_t i = 0; i < o.results.size(); ++i) {
        for (const std::string& x : check(Expectation{}, o.results[i], Action::kRecord, acks)) {
          p.push_back("record " + std::to_string(i + 1) + ": " + x);
        }
      }
      return p;
    }
    if (e.results.size() != o.results.size()) {
      p.push_back("results: expected " + std::to_string(e.results.size()) + " records, got " +
                  std::to_string(o.results.size()));
      return p;
    }
    for (std::size_t i = 0; i < e.results.size(); ++i) {
      for (const std::string& x : check(e.results[i], o.results[i], Action::kRecord, acks)) {
        p.push_back("record " + std::to_string(i + 1) + ": " + x);
      }
    }
    return p;
  }

  // Success or failure: by default a step must succeed (a record be accepted).
  if (action == Action::kRecord) {
    const bool want = e.accepted.value_or(!e.error.has_value());
    if (o.accepted.value_or(false) != want) {
      p.push_back(std::string("accepted: expected ") + (want ? "true" : "false") + ", got " +
                  (o.accepted.value_or(false) ? "true" : "false (" + got_error + ")"));
    }
  } else {
    const bool want_ok = e.ok.value_or(!e.error.has_value());
    if (want_ok != !o.error.has_value()) {
      p.push_back(std::string("expected ") + (want_ok ? "success" : "an error") + ", got " +
                  (o.error ? "error " + *o.error : std::string("success")));
    }
  }
  if (e.error && o.error != e.error) p.push_back("error: expected " + *e.error + ", got " + got_error);

  if (e.status && o.status != e.status) {
    p.push_back("status: expected " + *e.status + ", got " + opt_text(o.status));
  }
  if (e.resident && *e.resident != o.resident) {
    p.push_back("resident: expected " + opt_text(*e.resident) + ", got " + opt_text(o.resident));
  }
  if (e.due_now && sorted(*e.due_now) != sorted(o.due_now)) {
    p.push_back("due_now: expected " + list_text(*e.due_now) + ", got " + list_text(o.due_now));
  }
  if (e.prn_available && sorted(*e.prn_available) != sorted(o.prn_available)) {
    p.push_back("prn_available: expected " + list_text(*e.prn_available) + ", got " +
                list_text(o.prn_available));
  }
  if (e.decision && o.decision != e.decision) {
    p.push_back("decision: expected " + std::string(rules::to_string(*e.decision)) + ", got " +
                (o.decision ? std::string(rules::to_string(*o.decision)) : "none"));
  }
  if (e.reasons && *e.reasons != o.reasons) {
    p.push_back("reasons: expected " + list_text(*e.reasons) + ", got " + list_text(o.reasons));
  }
  if (e.includes) {
    for (const std::string& c : *e.includes) {
      if (std::find(o.reasons.begin(), o.reasons.end(), c) == o.reasons.end()) {
        p.push_back("reasons: expected to include " + c + ", got " + list_text(o.reasons));
      }
    }
  }
  if (e.excludes) {
    for (const std::string& c : *e.excludes) {
      if (std::find(o.reasons.begin(), o.reasons.end(), c) != o.reasons.end()) {
        p.push_back("reasons: expected not to include " + c + ", got " + list_text(o.reasons));
      }
    }
  }
  if (e.prescription && *e.prescription != o.prescription) {
    p.push_back("prescription: expected " + opt_text(*e.prescription) + ", got " +
                opt_text(o.prescription));
  }
  if (e.witness_required && o.witness_required != e.witness_required) {
    p.push_back(std::string("witness_required: expected ") + (*e.witness_required ? "true" : "false"));
  }
  if (e.dose && o.dose != e.dose) {
    p.push_back("dose: expected " + *e.dose + ", got " + opt_text(o.dose));
  }
  if (e.summary_contains && !contains(o.message, *e.summary_contains)) {
    p.push_back("summary: expected to contain \"" + *e.summary_contains + "\", got \"" + o.message + "\"");
  }
  if (e.message_contains) {
    bool found = contains(o.message, *e.message_contains);
    for (const std::string& m : o.reason_messages) found = found || contains(m, *e.message_contains);
    if (!found) {
      p.push_back("message: expected one to contain \"" + *e.message_contains + "\", got \"" +
                  o.message + "\"");
    }
  }
  if (e.duplicate && o.duplicate.value_or(false) != *e.duplicate) {
    p.push_back(std::string("duplicate: expected ") + (*e.duplicate ? "true" : "false"));
  }
  if (e.same_ack_as) {
    const auto it = acks.find(*e.same_ack_as);
    if (it == acks.end()) {
      p.push_back("same_ack_as: step " + std::to_string(*e.same_ack_as) + " recorded nothing");
    } else if (!o.ack || !(*o.ack == it->second)) {
      p.push_back("same_ack_as: the acknowledgement differs from step " +
                  std::to_string(*e.same_ack_as) + "'s");
    }
  }
  return p;
}

}  // namespace bcma::station::service::scenario
