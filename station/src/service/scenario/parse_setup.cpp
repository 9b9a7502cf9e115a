// Scenario files: the home, policy, products, people, prescriptions, labels, recalls and
// history; includes; and the checks that every key a file refers to is defined.
#include <algorithm>
#include <filesystem>
#include <set>

#include "model.hpp"
#include "reader.hpp"

namespace bcma::station::service::scenario {
namespace {

using domain::ControlledDrugCategory;

constexpr int kMaxIncludeDepth = 4;

domain::Role role(const Node& n) {
  const auto r = domain::role_from_string(n.str());
  if (!r) n.fail("unknown role \"" + n.str() + "\" (care_worker, senior, nurse, manager, pharmacist, evaluator)");
  return *r;
}

ControlledDrugCategory cd_category(const Node& n) {
  const std::string code = n.str();
  if (code == "0000") return ControlledDrugCategory::kNone;
  if (code == "0001") return ControlledDrugCategory::kSchedule1;
  if (code == "0002") return ControlledDrugCategory::kSchedule2;
  if (code == "0003") return ControlledDrugCategory::kSchedule2Exempt;
  if (code == "0004" || code == "0005" || code == "0006" || code == "0007") {
    return ControlledDrugCategory::kSchedule3;
  }
  if (code == "0008" || code == "0009") return ControlledDrugCategory::kSchedule4;
  if (code == "0010") return ControlledDrugCategory::kSchedule5;
  n.fail("unknown dm+d controlled drug category \"" + code + "\" (0000 to 0010)");
}

domain::Allergy::Level allergy_level(const Node& n) {
  const std::string s = n.str();
  if (s == "substance") return domain::Allergy::Level::kSubstance;
  if (s == "vtm") return domain::Allergy::Level::kVtm;
  if (s == "vmp") return domain::Allergy::Level::kVmp;
  if (s == "amp") return domain::Allergy::Level::kAmp;
  n.fail("unknown allergy level \"" + s + "\" (substance, vtm, vmp, amp)");
}

domain::Outcome outcome(const Node& n) {
  const auto o = domain::outcome_from_string(n.str());
  if (!o) {
    n.fail("unknown outcome \"" + n.str() +
           "\" (given, refused, refused_destroyed, omitted, not_required, self_administered)");
  }
  return *o;
}

std::uint8_t weekdays(const Node& n) {
  static constexpr std::array<std::string_view, 7> kNames{"mon", "tue", "wed", "thu",
                                                          "fri", "sat", "sun"};
  std::uint8_t bits = 0;
  for (const Node& d : n.items()) {
    const auto it = std::find(kNames.begin(), kNames.end(), d.str());
    if (it == kNames.end()) d.fail("unknown day \"" + d.str() + "\" (mon, tue, ... sun)");
    bits = static_cast<std::uint8_t>(bits | (1U << static_cast<unsigned>(it - kNames.begin())));
  }
  return bits;
}

void parse_products(const Node& n, store::ProductBatch& b) {
  n.only({"vtms", "vmps", "amps", "ampps", "gtins"});
  if (auto v = n.get("vtms")) {
    for (const Node& x : v->items()) {
      x.only({"id", "name"});
      b.vtms.push_back(domain::Vtm{x.at("id").nonempty(), x.at("name").nonempty()});
    }
  }
  if (auto v = n.get("vmps")) {
    for (const Node& x : v->items()) {
      x.only({"id", "name", "vtm", "ingredients", "routes", "unit", "cd", "invalid"});
      domain::Vmp vmp;
      vmp.id = x.at("id").nonempty();
      vmp.name = x.at("name").nonempty();
      if (auto vtm = x.get("vtm")) vmp.vtm_id = vtm->nonempty();
      if (auto ing = x.get("ingredients")) {
        for (const Node& i : ing->items()) {
          i.only({"id", "name", "strength", "unit"});
          vmp.ingredients.push_back(domain::Ingredient{i.at("id").nonempty(), i.at("name").nonempty(),
                                                       i.at("strength").decimal(),
                                                       i.at("unit").nonempty()});
        }
      }
      if (auto r = x.get("routes")) vmp.route_ids = r->strings();
      vmp.unit_dose_unit = x.at("unit").nonempty();
      vmp.controlled_drug_code = "0000";
      if (auto cd = x.get("cd")) {
        vmp.controlled_drug = cd_category(*cd);
        vmp.controlled_drug_code = cd->str();
      }
      if (auto inv = x.get("invalid")) vmp.invalid = inv->boolean();
      b.vmps.push_back(std::move(vmp));
    }
  }
  if (auto v = n.get("amps")) {
    for (const Node& x : v->items()) {
      x.only({"id", "vmp", "name", "supplier"});
      b.amps.push_back(domain::Amp{x.at("id").nonempty(), x.at("vmp").nonempty(),
                                   x.at("name").nonempty(),
                                   x.get("supplier") ? x.at("supplier").str() : ""});
    }
  }
  if (auto v = n.get("ampps")) {
    for (const Node& x : v->items()) {
      x.only({"id", "amp", "name", "pack_size", "price_pence"});
      domain::Ampp a;
      a.id = x.at("id").nonempty();
      a.amp_id = x.at("amp").nonempty();
      a.name = x.at("name").nonempty();
      if (auto s = x.get("pack_size")) a.pack_size = s->decimal();
      if (auto p = x.get("price_pence")) a.price_pence = p->integer();
      b.ampps.push_back(std::move(a));
    }
  }
  if (auto v = n.get("gtins")) {
    for (const Node& x : v->items()) {
      x.only({"gtin", "ampp", "from", "to"});
      store::GtinMapping g;
      g.gtin = x.at("gtin").nonempty();
      g.ampp_id = x.at("ampp").nonempty();
      g.start = x.get("from") ? x.at("from").date() : domain::Date{std::chrono::year{2000},
                                                                   std::chrono::January,
                                                                   std::chrono::day{1}};
      if (auto to = x.get("to")) g.end = to->date();
      b.gtins.push_back(std::move(g));
    }
  }
}

ResidentDef parse_resident(const Node& x) {
  x.only({"key", "nhs_number", "wristband", "given_name", "family_name", "date_of_birth", "photo",
          "room", "status", "no_known_allergies", "allergies"});
  ResidentDef d;
  d.where = x.where();
  d.key = x.at("key").nonempty();
  domain::Resident& r = d.resident;
  r.nhs_number = x.at("nhs_number").nonempty();
  if (auto w = x.get("wristband")) r.wristband_gsrn = w->str();
  r.given_name = x.at("given_name").nonempty();
  r.family_name = x.at("family_name").nonempty();
  r.date_of_birth = x.at("date_of_birth").date();
  if (auto p = x.get("photo")) r.photo_ref = p->str();
  if (auto room = x.get("room")) r.room = room->str();
  if (auto s = x.get("status")) {
    const auto st = domain::resident_status_from_string(s->str());
    if (!st) s->fail("unknown status (present, in_hospital, on_leave, discharged, deceased)");
    r.status = *st;
  }
  if (auto nka = x.get("no_known_allergies")) r.no_known_allergies = nka->boolean();
  if (auto al = x.get("allergies")) {
    for (const Node& a : al->items()) {
      a.only({"level", "code", "description"});
      r.allergies.push_back(domain::Allergy{allergy_level(a.at("level")), a.at("code").nonempty(),
                                            a.get("description") ? a.at("description").str() : ""});
    }
  }
  return d;
}

StaffDef parse_staff(const Node& x) {
  x.only({"key", "name", "badge", "role", "pin", "active"});
  StaffDef d;
  d.where = x.where();
  d.key = x.at("key").nonempty();
  d.staff.name = x.at("name").nonempty();
  d.staff.badge_gsrn = x.at("badge").nonempty();
  d.staff.role = role(x.at("role"));
  d.pin = x.at("pin").nonempty();
  if (auto a = x.get("active")) d.staff.active = a->boolean();
  return d;
}

LabelDef parse_label(const Node& x) {
  x.only({"id", "resident", "ampp", "prescription", "quantity", "dispensed_on", "pharmacy"});
  LabelDef d;
  d.where = x.where();
  d.item.label_id = x.at("id").nonempty();
  d.resident = x.at("resident").nonempty();
  d.item.ampp_id = x.at("ampp").nonempty();
  if (auto p = x.get("prescription")) d.prescription = p->nonempty();
  d.item.quantity = x.at("quantity").decimal();
  d.item.dispensed_on = x.at("dispensed_on").date();
  if (auto p = x.get("pharmacy")) d.item.pharmacy = p->str();
  return d;
}

HistoryDef parse_history(const Node& x) {
  x.only({"id", "resident", "prescription", "slot", "time", "outcome", "quantity", "ampp", "label",
          "code", "code_text", "staff"});
  HistoryDef h;
  h.where = x.where();
  if (auto id = x.get("id")) h.id = id->nonempty();
  h.resident = x.at("resident").nonempty();
  h.prescription = x.at("prescription").nonempty();
  if (auto s = x.get("slot")) h.slot = s->instant();
  h.time = x.at("time").instant();
  h.outcome = x.get("outcome") ? outcome(x.at("outcome")) : domain::Outcome::kGiven;
  if (auto q = x.get("quantity")) h.quantity = q->decimal();
  if (domain::was_taken(h.outcome) && h.quantity <= domain::Decimal{}) {
    x.fail("a dose " + std::string(domain::to_string(h.outcome)) + " needs \"quantity\"");
  }
  if (auto a = x.get("ampp")) h.ampp = a->nonempty();
  if (auto l = x.get("label")) h.label = l->nonempty();
  if (auto c = x.get("code")) h.code = c->str();
  if (auto c = x.get("code_text")) h.code_text = c->str();
  if (auto s = x.get("staff")) h.staff = s->nonempty();
  return h;
}

void parse_into(Model& m, const Node& root, bool included, int depth, bool& has_start) {
  root.only({"description", "include", "start", "device", "nhs_gsrn_prefixes", "home", "policy",
             "products", "residents", "staff", "prescriptions", "labels", "recalls", "history",
             "steps"});
  if (auto inc = root.get("include")) {
    if (depth >= kMaxIncludeDepth) inc->fail("includes are nested too deeply (a cycle?)");
    const std::filesystem::path base = std::filesystem::path(root.file()).parent_path();
    for (const Node& f : inc->items()) {
      const std::string path = (base / f.nonempty()).lexically_normal().string();
      const Json included_json = load_json(path);
      parse_into(m, Node(included_json, path, "$"), true, depth + 1, has_start);
    }
  }
  if (auto d = root.get("description")) m.description = d->str();
  if (auto s = root.get("start")) {
    m.start = s->instant();
    has_start = true;
  }
  if (auto d = root.get("device")) m.device = d->nonempty();
  if (auto p = root.get("nhs_gsrn_prefixes")) m.nhs_gsrn_prefixes = p->strings();
  if (auto h = root.get("home")) {
    h->only({"name", "ods_code"});
    m.home.name = h->at("name").nonempty();
    if (auto o = h->get("ods_code")) m.home.ods_code = o->str();
  }
  if (auto p = root.get("policy")) m.policy.push_back(parse_policy(*p));
  if (auto p = root.get("products")) parse_products(*p, m.products);
  if (auto r = root.get("residents")) {
    for (const Node& x : r->items()) m.residents.push_back(parse_resident(x));
  }
  if (auto s = root.get("staff")) {
    for (const Node& x : s->items()) m.staff.push_back(parse_staff(x));
  }
  if (auto p = root.get("prescriptions")) {
    for (const Node& x : p->items()) m.prescriptions.push_back(parse_prescription(x));
  }
  if (auto l = root.get("labels")) {
    for (const Node& x : l->items()) m.labels.push_back(parse_label(x));
  }
  if (auto r = root.get("recalls")) {
    for (const Node& x : r->items()) {
      x.only({"gtin", "vmp", "batch", "reference"});
      m.recalls.push_back(domain::Recall{x.get("gtin") ? x.at("gtin").str() : "",
                                         x.get("vmp") ? x.at("vmp").str() : "",
                                         x.get("batch") ? x.at("batch").str() : "",
                                         x.at("reference").nonempty()});
    }
  }
  if (auto h = root.get("history")) {
    for (const Node& x : h->items()) m.history.push_back(parse_history(x));
  }
  if (auto s = root.get("steps")) {
    if (included) s->fail("an included file cannot have steps");
    m.steps = parse_steps(*s);
  }
}

}  // namespace

void apply(const PolicyPatch& patch, rules::Policy& policy) {
  for (const auto& [name, time] : patch.rounds) {
    if (time) {
      policy.rounds[name] = *time;
    } else {
      policy.rounds.erase(name);
    }
  }
  if (patch.default_window) policy.default_window = *patch.default_window;
  if (patch.time_critical_window) policy.time_critical_window = *patch.time_critical_window;
  for (const auto& [code, rp] : patch.reasons) {
    rules::ReasonPolicy& p = policy.for_reason(code);
    if (rp.decision) p.decision = *rp.decision;
    if (rp.override_roles) p.override_roles = *rp.override_roles;
    if (rp.witness) p.override_needs_witness = *rp.witness;
  }
  if (patch.ingredient_limits) policy.ingredient_limits = *patch.ingredient_limits;
  if (patch.witness_categories) policy.witness_categories = *patch.witness_categories;
}

PolicyPatch parse_policy(const Node& n) {
  n.only({"rounds", "default_window_minutes", "time_critical_window_minutes", "reasons",
          "ingredient_limits", "witness_categories"});
  PolicyPatch p;
  if (auto r = n.get("rounds")) {
    for (const auto& [name, value] : r->members()) {
      if (value.is_null()) {
        p.rounds[name] = std::nullopt;
        continue;
      }
      const auto t = domain::TimeOfDay::parse(value.str());
      if (!t) value.fail("\"" + value.str() + "\" is not a time like 08:00");
      p.rounds[name] = *t;
    }
  }
  if (auto w = n.get("default_window_minutes")) p.default_window = domain::Minutes{w->integer()};
  if (auto w = n.get("time_critical_window_minutes")) {
    p.time_critical_window = domain::Minutes{w->integer()};
  }
  if (auto rs = n.get("reasons")) {
    for (const auto& [name, value] : rs->members()) {
      const auto code = rules::reason_from_string(name);
      if (!code) value.fail("unknown reason code \"" + name + "\"");
      value.only({"decision", "override_roles", "witness"});
      ReasonPatch rp;
      if (auto d = value.get("decision")) {
        rp.decision = rules::decision_from_string(d->str());
        if (!rp.decision) d->fail("unknown decision (proceed, warn, block)");
      }
      if (auto roles = value.get("override_roles")) {
        rp.override_roles.emplace();
        for (const Node& r : roles->items()) rp.override_roles->push_back(role(r));
      }
      if (auto w = value.get("witness")) rp.witness = w->boolean();
      p.reasons.emplace_back(*code, std::move(rp));
    }
  }
  if (auto limits = n.get("ingredient_limits")) {
    p.ingredient_limits.emplace();
    for (const Node& l : limits->items()) {
      l.only({"substance", "name", "max_per_24h", "unit"});
      p.ingredient_limits->push_back(rules::IngredientLimit{
          l.at("substance").nonempty(), l.at("name").nonempty(), l.at("max_per_24h").decimal(),
          l.at("unit").nonempty()});
    }
  }
  if (auto cats = n.get("witness_categories")) {
    p.witness_categories.emplace();
    for (const Node& c : cats->items()) p.witness_categories->push_back(cd_category(c));
  }
  return p;
}

PrescriptionDef parse_prescription(const Node& x) {
  x.only({"key", "resident", "vmp", "amp", "name", "route", "route_name", "dose", "unit", "times",
          "days", "prn", "starts", "ends", "status", "time_critical", "window_minutes",
          "instructions", "effective_from"});
  PrescriptionDef d;
  d.where = x.where();
  d.key = x.at("key").nonempty();
  d.resident = x.at("resident").nonempty();
  domain::Prescription& rx = d.rx;
  if (x.has("vmp") == x.has("amp")) x.fail("give exactly one of \"vmp\" (generic) or \"amp\" (brand)");
  if (auto v = x.get("vmp")) {
    rx.level = domain::MedicationLevel::kVmp;
    rx.medication_id = v->nonempty();
  } else {
    rx.level = domain::MedicationLevel::kAmp;
    rx.medication_id = x.at("amp").nonempty();
  }
  if (auto n = x.get("name")) rx.medication_name = n->str();
  if (auto r = x.get("route")) rx.route_id = r->str();
  if (auto r = x.get("route_name")) rx.route_name = r->str();
  const Node dose = x.at("dose");
  if (dose.is_object()) {
    dose.only({"min", "max"});
    rx.dose.min = dose.at("min").decimal();
    rx.dose.max = dose.at("max").decimal();
  } else {
    rx.dose.min = rx.dose.max = dose.decimal();
  }
  rx.dose.unit = x.at("unit").nonempty();
  if (auto times = x.get("times")) {
    for (const Node& t : times->items()) {
      const std::string s = t.nonempty();
      if (const auto tod = domain::TimeOfDay::parse(s)) {
        rx.times.push_back(domain::DoseTime{"", *tod});
      } else {
        rx.times.push_back(domain::DoseTime{s, {}});
      }
    }
  }
  if (auto days = x.get("days")) {
    if (days->is_string() && days->str() == "every_day") {
      rx.days.kind = domain::DayPattern::Kind::kEveryDay;
    } else {
      days->only({"weekdays", "every_n_days", "anchor"});
      if (auto w = days->get("weekdays")) {
        rx.days.kind = domain::DayPattern::Kind::kDaysOfWeek;
        rx.days.weekdays = weekdays(*w);
      } else {
        rx.days.kind = domain::DayPattern::Kind::kEveryNDays;
        rx.days.every_n_days = static_cast<int>(days->at("every_n_days").integer());
        rx.days.anchor = days->at("anchor").date();
      }
    }
  }
  if (auto prn = x.get("prn")) {
    prn->only({"min_interval_minutes", "max_per_24h", "indication"});
    rx.as_needed = true;
    domain::PrnRule rule;
    if (auto m = prn->get("min_interval_minutes")) rule.min_interval = domain::Minutes{m->integer()};
    if (auto m = prn->get("max_per_24h")) rule.max_per_24h = m->decimal();
    if (auto i = prn->get("indication")) rule.indication = i->str();
    rx.prn = std::move(rule);
  }
  if (rx.as_needed == !rx.times.empty()) {
    x.fail("a prescription has either \"times\" (regular) or \"prn\" (when required)");
  }
  rx.starts = x.get("starts") ? x.at("starts").instant()
                              : *domain::parse_instant("2020-01-01T00:00:00Z");
  if (auto e = x.get("ends")) rx.ends = e->instant();
  if (auto s = x.get("status")) {
    const auto st = domain::prescription_status_from_string(s->str());
    if (!st) s->fail("unknown status (active, on_hold, stopped, cancelled, completed)");
    rx.status = *st;
  }
  if (auto t = x.get("time_critical")) rx.time_critical = t->boolean();
  if (auto w = x.get("window_minutes")) rx.window = domain::Minutes{w->integer()};
  if (auto i = x.get("instructions")) rx.instructions = i->str();
  if (auto e = x.get("effective_from")) d.effective_from = e->instant();
  return d;
}

void check_references(const Model& m) {
  std::set<std::string> residents;
  std::set<std::string> staff;
  std::set<std::string> prescriptions;
  auto unique = [](std::set<std::string>& keys, const std::string& key, const std::string& where,
                   const char* what) {
    if (!keys.insert(key).second) throw ParseError{where, std::string(what) + " key \"" + key + "\" is defined twice"};
  };
  for (const auto& r : m.residents) unique(residents, r.key, r.where, "resident");
  for (const auto& s : m.staff) unique(staff, s.key, s.where, "staff");
  for (const auto& p : m.prescriptions) unique(prescriptions, p.key, p.where, "prescription");
  auto need = [](const std::set<std::string>& keys, const std::string& key, const std::string& where,
                 const char* what) {
    if (keys.count(key) == 0) throw ParseError{where, std::string("no ") + what + " \"" + key + "\" is defined"};
  };
  for (const auto& p : m.prescriptions) need(residents, p.resident, p.where, "resident");
  for (const auto& l : m.labels) {
    need(residents, l.resident, l.where, "resident");
    if (l.prescription) need(prescriptions, *l.prescription, l.where, "prescription");
  }
  for (const auto& h : m.history) {
    need(residents, h.resident, h.where, "resident");
    need(prescriptions, h.prescription, h.where, "prescription");
    if (h.staff) need(staff, *h.staff, h.where, "staff member");
  }
  auto need_credentials = [&](const CredentialSpec& c) {
    if (c.staff) need(staff, *c.staff, c.where, "staff member");
  };
  std::set<std::string> later_prescriptions = prescriptions;
  for (const Step& s : m.steps) {
    switch (s.action) {
      case Action::kLogin:
      case Action::kUnlock:
        need_credentials(s.credentials);
        break;
      case Action::kScanResident:
      case Action::kScanItem:
        if (s.scan.mode == ScanSpec::Mode::kWristbandOf) need(residents, s.scan.resident, s.scan.where, "resident");
        break;
      case Action::kRecord:
      case Action::kRecordBatch:
        for (const RecordSpec& r : s.records) {
          if (r.resident) need(residents, *r.resident, r.where, "resident");
          if (r.prescription) need(later_prescriptions, *r.prescription, r.where, "prescription");
          if (r.override && r.override->by) need_credentials(*r.override->by);
          if (r.override && r.override->witness) need_credentials(*r.override->witness);
          if (r.witness) need_credentials(*r.witness);
          if (r.wristband && r.wristband->mode == ScanSpec::Mode::kWristbandOf) {
            need(residents, r.wristband->resident, r.wristband->where, "resident");
          }
        }
        break;
      case Action::kPrescribe:
        need(residents, s.prescription.resident, s.prescription.where, "resident");
        later_prescriptions.insert(s.prescription.key);
        break;
      case Action::kSetResidentStatus:
        need(residents, s.resident, s.where, "resident");
        break;
      case Action::kTime:
      case Action::kLogout:
      case Action::kSetPolicy:
        break;
    }
  }
}

Model parse_file(const std::string& file) {
  Model m;
  m.file = file;
  const Json root = load_json(file);
  bool has_start = false;
  parse_into(m, Node(root, file, "$"), false, 0, has_start);
  if (!has_start) throw ParseError{file + ": $", "missing \"start\" (the clock when the scenario begins)"};
  if (m.steps.empty()) throw ParseError{file + ": $", "missing \"steps\" (a scenario needs at least one)"};
  check_references(m);
  return m;
}

Model parse_home_file(const std::string& file) {
  Model m;
  m.file = file;
  const Json root = load_json(file);
  bool has_start = false;
  parse_into(m, Node(root, file, "$"), false, 0, has_start);
  if (!m.steps.empty()) throw ParseError{file + ": $.steps", "a home file has no steps (that makes it a scenario)"};
  check_references(m);
  return m;
}

}  // namespace bcma::station::service::scenario
