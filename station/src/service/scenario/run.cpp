// Scenario runner: a fresh store in a temporary directory, the scenario's home put into it,
// then each step through the service, printed and checked.
#include <cstdlib>
#include <unistd.h>

#include "bcma/gs1/element_string.hpp"
#include "bcma/station/service/scenario.hpp"
#include "bcma/station/service/service.hpp"
#include "expect.hpp"
#include "model.hpp"
#include "reader.hpp"
#include "setup.hpp"

namespace bcma::station::service::scenario {
namespace {

using OutJson = nlohmann::ordered_json;

std::string dose_text(const domain::DoseRange& d) {
  return d.min == d.max ? d.min.to_string() : d.min.to_string() + "-" + d.max.to_string();
}

// A directory of our own for the database, removed afterwards unless it is to be kept.
class TempDir {
 public:
  static Result<TempDir> make(const std::filesystem::path& under) {
    std::error_code ec;
    const std::filesystem::path base = under.empty() ? std::filesystem::temp_directory_path(ec) : under;
    if (ec) return fail("cannot_create_database", "no temporary directory: " + ec.message());
    std::string pattern = (base / "bcma-scenario-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return fail("cannot_create_database", "cannot make a directory under " + base.string());
    }
    return TempDir(pattern);
  }
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)), keep_(o.keep_) { o.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    if (!path_.empty() && !keep_) {
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
    }
  }
  const std::filesystem::path& path() const { return path_; }
  void keep() { keep_ = true; }

 private:
  explicit TempDir(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path_;
  bool keep_ = false;
};

class Runner {
 public:
  Runner(const Model& m, store::Store& store, domain::FixedClock& clock, Service& service,
         const World& world, std::string file)
      : m_(m), store_(store), clock_(clock), service_(service), w_(world), file_(std::move(file)) {}

  Report run(World& world) {
    Report report;
    report.passed = true;
    for (const Step& step : m_.steps) {
      if (step.at) clock_.set(*step.at);
      if (step.advance) clock_.advance(*step.advance);
      StepOutcome o = perform(step, world);
      const std::vector<std::string> problems = check(step.expect, o, step.action, acks_);
      remember_acks(step, o);
      // "step", then what it produced ("decision", "reasons"...), then which action and file:
      // the line starts as issue 3 specifies, {"step":N,"decision":"block","reasons":[...]}.
      OutJson line;
      line["step"] = step.number;
      put_result(line, o, step.action);
      line["action"] = to_string(step.action);
      line["file"] = file_;
      line["ok"] = problems.empty();
      if (!problems.empty()) {
        report.passed = false;
        line["expected"] = step.expect.present ? step.expect.raw : OutJson{{"ok", true}};
        std::string detail;
        for (const std::string& p : problems) detail += (detail.empty() ? "" : "; ") + p;
        if (!o.message.empty()) detail += " (" + o.message + ")";
        line["detail"] = detail;
      }
      report.lines.push_back(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    return report;
  }

 private:
  void remember_acks(const Step& step, const StepOutcome& o) {
    if (o.ack) acks_[step.number] = *o.ack;
  }

  static StepOutcome error(const Error& e) {
    StepOutcome o;
    o.error = e.code;
    o.message = e.message;
    return o;
  }

  Credentials credentials(const CredentialSpec& c) const {
    if (c.staff) {
      const StaffDef* d = w_.staff.at(*c.staff);
      return Credentials{d->staff.badge_gsrn, c.pin ? *c.pin : d->pin};
    }
    return Credentials{c.badge.value_or(""), c.pin.value_or("")};
  }

  ScanInput input(const ScanSpec& s) const {
    switch (s.mode) {
      case ScanSpec::Mode::kScan:
        return ScanInput::scanned(s.decode);
      case ScanSpec::Mode::kTyped:
        return ScanInput::typed(s.text, s.reason);
      case ScanSpec::Mode::kUnable:
        return ScanInput::unable_to_scan(s.reason);
      case ScanSpec::Mode::kWristbandOf:
        break;
    }
    const auto it = std::find_if(m_.residents.begin(), m_.residents.end(),
                                 [&](const ResidentDef& r) { return r.key == s.resident; });
    const domain::Resident& r = it->resident;
    // Their wristband as a reader reads it: GS1 DataMatrix (8018), or a plain NHS number in
    // Code 128 when the home's wristbands carry no GSRN.
    if (!r.wristband_gsrn.empty()) {
      auto d = reader_decode("(8018)" + r.wristband_gsrn, "", "", std::nullopt);
      if (d) return ScanInput::scanned(*d);
    }
    return ScanInput::scanned(scan::Decode{"Code128", "]C0", false, r.nhs_number});
  }

  void put_verdict(StepOutcome& o, const rules::Verdict& v) const {
    o.decision = v.decision;
    for (const rules::Reason& r : v.reasons) {
      o.reasons.emplace_back(rules::to_string(r.code));
      o.reason_messages.push_back(r.message);
    }
    o.has_prescription = true;
    if (v.prescription_id) o.prescription = w_.prescription_key(*v.prescription_id);
    o.witness_required = v.witness_required;
    if (v.dose) o.dose = dose_text(*v.dose);
    if (o.message.empty()) o.message = v.summary;
  }

  OutcomeRequest request(const RecordSpec& r, const Step& step, std::size_t index) const {
    OutcomeRequest q;
    q.record_id = r.id ? *r.id : generated_uuid(static_cast<std::uint64_t>(step.number) * 100 + index);
    if (r.resident) {
      q.resident_id = w_.residents.at(*r.resident);
    } else if (resident_) {
      q.resident_id = *resident_;
    }
    if (r.wristband) {
      q.wristband = input(*r.wristband);
    } else if (wristband_) {
      q.wristband = *wristband_;
    } else {
      q.wristband = ScanInput::unable_to_scan("");
    }
    if (r.item) {
      q.item = input(*r.item);
      q.ampp_id = r.item->ampp;
    } else if (!r.item_none && item_) {
      q.item = *item_;
      q.ampp_id = item_ampp_;
    }
    if (r.ampp) q.ampp_id = r.ampp;
    if (r.prescription) q.prescription_id = w_.prescriptions.at(*r.prescription);
    q.slot = r.slot;
    q.outcome = r.outcome;
    if (r.quantity) {
      q.quantity = *r.quantity;
    } else if (domain::was_taken(r.outcome) && last_verdict_ && last_verdict_->dose) {
      q.quantity = last_verdict_->dose->min;
    }
    q.code = r.code;
    q.code_text = r.code_text;
    if (r.override) {
      OverrideRequest o;
      if (r.override->by) o.by = credentials(*r.override->by);
      o.reason = r.override->reason;
      if (r.override->witness) o.witness = credentials(*r.override->witness);
      q.override = std::move(o);
    }
    if (r.witness) q.witness = credentials(*r.witness);
    q.event_time = r.time ? *r.time : clock_.now();
    q.corrects = r.corrects;
    q.note = r.note;
    return q;
  }

  StepOutcome record_result(const Result<OutcomeAck, Refusal>& r) const {
    StepOutcome o;
    if (r) {
      o.accepted = true;
      o.record_id = r->ack.record_id;
      o.duplicate = r->duplicate;
      o.ack = r->ack;
      if (r->verdict) {
        o.decision = r->verdict->decision;
        for (const rules::Reason& reason : r->verdict->reasons) {
          o.reasons.emplace_back(rules::to_string(reason.code));
          o.reason_messages.push_back(reason.message);
        }
      }
      o.has_prescription = true;
      o.prescription = w_.prescription_key(r->prescription_id);
      return o;
    }
    o.accepted = false;
    o.error = r.error().code;
    o.message = r.error().message;
    if (r.error().verdict) put_verdict(o, *r.error().verdict);
    return o;
  }

  StepOutcome perform(const Step& step, World& world) {
    switch (step.action) {
      case Action::kTime: {
        StepOutcome o;
        o.result = domain::to_string(clock_.now());
        return o;
      }
      case Action::kLogin: {
        auto s = service_.login(credentials(step.credentials),
                                step.device.empty() ? m_.device : step.device);
        if (!s) return error(s.error());
        session_ = s->id;
        StepOutcome o;
        o.result = "signed_in";
        const auto key = w_.staff_keys.find(s->staff.id);
        if (key != w_.staff_keys.end()) o.staff = key->second;
        o.role = std::string(domain::to_string(s->staff.role));
        return o;
      }
      case Action::kLogout: {
        auto r = service_.logout(session_);
        if (!r) return error(r.error());
        session_.clear();
        return ok();
      }
      case Action::kUnlock: {
        auto r = service_.unlock_badge(session_, credentials(step.credentials).badge_gsrn);
        return r ? ok() : error(r.error());
      }
      case Action::kScanResident: {
        const ScanInput in = input(step.scan);
        auto v = service_.scan_resident(session_, in);
        if (!v) return error(v.error());
        wristband_ = in;
        item_.reset();
        item_ampp_.reset();
        last_verdict_.reset();
        resident_ = v->resident ? std::optional<domain::ResidentId>(v->resident->id) : std::nullopt;
        StepOutcome o;
        o.status = std::string(to_string(v->status));
        o.has_resident = true;
        if (v->resident) o.resident = w_.resident_key(v->resident->id);
        for (const DueLine& d : v->doses) {
          if (d.due_now) o.due_now.push_back(w_.prescription_key(d.prescription_id).value_or("?"));
        }
        for (const PrnLine& p : v->prn) {
          if (p.available_now) o.prn_available.push_back(w_.prescription_key(p.prescription_id).value_or("?"));
        }
        o.message = v->message;
        return o;
      }
      case Action::kScanItem: {
        ItemRequest req;
        req.item = input(step.scan);
        req.quantity = step.quantity;
        auto c = service_.scan_item(session_, req);
        if (!c) return error(c.error());
        item_ = req.item;
        item_ampp_ = step.scan.ampp;
        last_verdict_ = c->verdict;
        StepOutcome o;
        put_verdict(o, c->verdict);
        return o;
      }
      case Action::kRecord: {
        auto r = service_.record_outcome(session_, request(step.records.front(), step, 0));
        return record_result(r);
      }
      case Action::kRecordBatch: {
        std::vector<OutcomeRequest> reqs;
        for (std::size_t i = 0; i < step.records.size(); ++i) {
          reqs.push_back(request(step.records[i], step, i));
        }
        StepOutcome o;
        for (const auto& r : service_.record_outcomes(session_, reqs)) o.results.push_back(record_result(r));
        return o;
      }
      case Action::kPrescribe: {
        auto r = put_prescription(store_, step.prescription, clock_.now(), world);
        return r ? ok() : error(r.error());
      }
      case Action::kSetPolicy: {
        auto policy = store_.policy();
        if (!policy) return error(policy.error());
        apply(step.policy, *policy);
        auto r = store_.set_policy(*policy, store::Actor{std::nullopt, "scenario"});
        return r ? ok() : error(r.error());
      }
      case Action::kSetResidentStatus: {
        auto r = store_.resident(w_.residents.at(step.resident));
        if (!r) return error(r.error());
        r->status = step.status;
        auto u = store_.update_resident(*r, store::Actor{std::nullopt, "scenario"});
        return u ? ok() : error(u.error());
      }
    }
    return ok();
  }

  static StepOutcome ok() {
    StepOutcome o;
    o.result = "ok";
    return o;
  }

  const Model& m_;
  store::Store& store_;
  domain::FixedClock& clock_;
  Service& service_;
  const World& w_;
  std::string file_;
  std::string session_;
  std::optional<ScanInput> wristband_;
  std::optional<ScanInput> item_;
  std::optional<domain::SnomedId> item_ampp_;
  std::optional<domain::ResidentId> resident_;
  std::optional<rules::Verdict> last_verdict_;
  std::map<int, store::Ack> acks_;
};

}  // namespace

Result<Report> run_file(const std::filesystem::path& file, const RunOptions& options) {
  Model model;
  try {
    model = parse_file(file.string());
  } catch (const ParseError& e) {
    return fail("malformed_scenario", e.where + ": " + e.what);
  }
  auto dir = TempDir::make(options.work_dir);
  if (!dir) return Unexpected(std::move(dir).error());
  domain::FixedClock clock(model.start);
  // Scenario databases are thrown away: the cheapest PIN hashing keeps runs quick.
  store::StoreOptions store_options;
  store_options.pin_cost = store::PinHashCost::minimum();
  auto st = store::Store::open(dir->path() / "station.db", clock, store_options);
  if (!st) return Unexpected(std::move(st).error());
  World world;
  if (auto r = set_up(*st, model, world); !r) return Unexpected(std::move(r).error());
  ServiceOptions service_options;
  service_options.nhs_gsrn_prefixes = model.nhs_gsrn_prefixes;
  auto service = Service::create(*st, clock, service_options);
  if (!service) {
    return fail("malformed_scenario", file.string() + ": $.nhs_gsrn_prefixes: " + service.error().message);
  }
  Runner runner(model, *st, clock, *service, world,
                options.display_name.empty() ? file.string() : options.display_name);
  Report report = runner.run(world);
  if (options.keep_database) {
    dir->keep();
    report.database = dir->path() / "station.db";
  }
  return report;
}

}  // namespace bcma::station::service::scenario
