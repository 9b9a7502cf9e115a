// Store: prescriptions, versioned. A change is a new version from an effective time; versions
// are never changed or removed (triggers), so "what was prescribed at 08:00 last Tuesday" has
// one answer forever.
#include <nlohmann/json.hpp>

#include "bcma/rules/engine.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "codec.hpp"
#include "json_text.hpp"
#include "queries.hpp"

namespace bcma::station::store {

namespace {

using Json = nlohmann::ordered_json;

using detail::dump;

Json prescription_json(const domain::Prescription& p, domain::Instant effective_from) {
  Json times = Json::array();
  for (const auto& t : p.times) times.push_back({{"round", t.round}, {"minutes", t.time.minutes}});
  Json j{{"id", p.id},
         {"version", p.version},
         {"resident_id", p.resident_id},
         {"effective_from", codec::instant_text(effective_from)},
         {"level", codec::to_text(p.level)},
         {"medication_id", p.medication_id},
         {"medication_name", p.medication_name},
         {"route_id", p.route_id},
         {"route_name", p.route_name},
         {"dose_min", codec::decimal_text(p.dose.min)},
         {"dose_max", codec::decimal_text(p.dose.max)},
         {"dose_unit", p.dose.unit},
         {"as_needed", p.as_needed}};
  if (p.prn) {
    j["prn"] = {{"min_interval_min", p.prn->min_interval.count()},
                {"max_per_24h", p.prn->max_per_24h ? Json(codec::decimal_text(*p.prn->max_per_24h))
                                                   : Json()},
                {"indication", p.prn->indication}};
  }
  j["times"] = std::move(times);
  j["days"] = {{"kind", codec::to_text(p.days.kind)},
               {"weekdays", p.days.weekdays},
               {"every_n_days", p.days.every_n_days},
               {"anchor", p.days.anchor.ok() ? Json(codec::date_text(p.days.anchor)) : Json()}};
  j["starts"] = codec::instant_text(p.starts);
  j["ends"] = p.ends ? Json(codec::instant_text(*p.ends)) : Json();
  j["status"] = codec::to_text(p.status);
  j["time_critical"] = p.time_critical;
  j["window_min"] = p.window ? Json(p.window->count()) : Json();
  j["instructions"] = p.instructions;
  return j;
}

template <class T>
std::optional<std::int64_t> opt(const std::optional<T>& v, std::int64_t (*f)(T)) {
  if (!v) return std::nullopt;
  return f(*v);
}

}  // namespace

Result<domain::Prescription> Store::load_version(domain::PrescriptionId id, int version) {
  auto st = db_.prepare(
      "SELECT resident_id, level, medication_id, medication_name, route_id, route_name,"
      "       dose_min, dose_max, dose_unit, as_needed, prn_min_interval_min, prn_max_per_24h,"
      "       prn_indication, day_kind, weekdays, every_n_days, anchor, starts, ends, status,"
      "       time_critical, window_min, instructions"
      " FROM prescription_versions WHERE prescription_id = ?1 AND version = ?2");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id).bind(2, std::int64_t{version});
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) {
    return fail(errc::kUnknownPrescription,
                "no version " + std::to_string(version) + " of prescription " + std::to_string(id));
  }
  const std::string where = "prescription " + std::to_string(id) + " v" + std::to_string(version);
  domain::Prescription p;
  p.id = id;
  p.version = version;
  p.resident_id = st->int64(0);
  const auto level = codec::medication_level_from_text(st->text(1));
  const auto day_kind = codec::day_kind_from_text(st->text(13));
  const auto status = codec::prescription_status_from_text(st->text(19));
  if (!level || !day_kind || !status) return fail(errc::kCorruptData, where);
  p.level = *level;
  p.medication_id = st->text(2);
  p.medication_name = st->text(3);
  p.route_id = st->text(4);
  p.route_name = st->text(5);
  p.dose = domain::DoseRange{codec::decimal_from_db(st->int64(6)),
                             codec::decimal_from_db(st->int64(7)), st->text(8)};
  p.as_needed = st->int64(9) != 0;
  if (!st->is_null(10)) {
    domain::PrnRule prn;
    prn.min_interval = domain::Minutes{st->int64(10)};
    if (!st->is_null(11)) prn.max_per_24h = codec::decimal_from_db(st->int64(11));
    prn.indication = st->optional_text(12).value_or("");
    p.prn = std::move(prn);
  }
  p.days.kind = *day_kind;
  p.days.weekdays = static_cast<std::uint8_t>(st->int64(14));
  p.days.every_n_days = static_cast<int>(st->int64(15));
  if (!st->is_null(16)) {
    const auto anchor = codec::parse_date_text(st->text(16));
    if (!anchor) return fail(errc::kCorruptData, where + " anchor date");
    p.days.anchor = *anchor;
  }
  p.starts = codec::instant_from_db(st->int64(17));
  if (!st->is_null(18)) p.ends = codec::instant_from_db(st->int64(18));
  p.status = *status;
  p.time_critical = st->int64(20) != 0;
  if (!st->is_null(21)) p.window = domain::Minutes{st->int64(21)};
  p.instructions = st->text(22);

  auto times = db_.prepare(
      "SELECT round, minutes FROM prescription_times WHERE prescription_id = ?1 AND version = ?2"
      " ORDER BY ordinal");
  if (!times) return Unexpected(std::move(times).error());
  times->bind(1, id).bind(2, std::int64_t{version});
  for (;;) {
    auto t = times->step();
    if (!t) return Unexpected(std::move(t).error());
    if (!*t) break;
    p.times.push_back(domain::DoseTime{times->text(0),
                                       domain::TimeOfDay{static_cast<int>(times->int64(1))}});
  }

  // The VMP and its ingredients come from dm+d as held now, so that a corrected dm+d release
  // corrects every prescription of it.
  if (p.level == domain::MedicationLevel::kVmp) {
    // A VMP whose dm+d code has changed since (VPIDPREV) is the VMP under its new code.
    auto current = db_.prepare("SELECT coalesce((SELECT vmp_id FROM dmd_vmp_history WHERE old_id = ?1), ?1)");
    if (!current) return Unexpected(std::move(current).error());
    current->bind(1, p.medication_id);
    if (auto r = current->step(); !r) return Unexpected(std::move(r).error());
    p.vmp_id = current->text(0);
  } else {
    auto amp = db_.prepare("SELECT vmp_id FROM amp WHERE id = ?1");
    if (!amp) return Unexpected(std::move(amp).error());
    amp->bind(1, p.medication_id);
    auto a = amp->step();
    if (!a) return Unexpected(std::move(a).error());
    if (*a) p.vmp_id = amp->text(0);
  }
  if (!p.vmp_id.empty()) {
    auto ingredients = queries::vmp_ingredients(db_, p.vmp_id);
    if (!ingredients) return Unexpected(std::move(ingredients).error());
    p.ingredients = std::move(*ingredients);
  }
  return p;
}

Result<domain::Prescription> Store::put_prescription(const domain::Prescription& prescription,
                                                     domain::Instant effective_from,
                                                     const Actor& actor) {
  domain::Prescription p = prescription;
  {
    // dm+d products are never removed, so this read may precede the write transaction.
    auto med = db_.prepare(p.level == domain::MedicationLevel::kVmp
                               ? "SELECT name, id FROM vmp WHERE id = coalesce("
                                 "(SELECT vmp_id FROM dmd_vmp_history WHERE old_id = ?1), ?1)"
                               : "SELECT name, vmp_id FROM amp WHERE id = ?1");
    if (!med) return Unexpected(std::move(med).error());
    med->bind(1, p.medication_id);
    auto row = med->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) {
      return fail(errc::kUnknownProduct,
                  std::string(p.level == domain::MedicationLevel::kVmp ? "VMP " : "AMP ") +
                      "'" + p.medication_id + "' is not in the dm+d data held by this home");
    }
    if (p.medication_name.empty()) p.medication_name = med->text(0);
    p.vmp_id = med->text(1);
    auto ingredients = queries::vmp_ingredients(db_, p.vmp_id);
    if (!ingredients) return Unexpected(std::move(ingredients).error());
    p.ingredients = std::move(*ingredients);
  }
  {
    auto policy_now = policy();
    const rules::Policy pol = policy_now ? std::move(*policy_now) : rules::Policy::defaults();
    if (!policy_now && policy_now.error().code != errc::kNoHome) {
      return Unexpected(std::move(policy_now).error());
    }
    if (auto c = rules::check_prescription(p, pol); !c) {
      return fail(errc::kInvalidPrescription,
                  "prescription refused (" + c.error().code + "): " + c.error().message);
    }
  }
  if (p.dose.unit.empty()) return fail(errc::kInvalidArgument, "the dose needs its unit");

  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  if (auto r = resident(p.resident_id); !r) return Unexpected(std::move(r).error());

  if (p.id == 0) {
    auto st = db_.prepare("INSERT INTO prescriptions (resident_id) VALUES (?1)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, p.resident_id);
    if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
    p.id = db_.last_insert_rowid();
    p.version = 1;
  } else {
    auto st = db_.prepare(
        "SELECT p.resident_id, v.version, v.effective_from FROM prescriptions p"
        " LEFT JOIN prescription_versions v ON v.prescription_id = p.id"
        " WHERE p.id = ?1 ORDER BY v.version DESC LIMIT 1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, p.id);
    auto row = st->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) return fail(errc::kUnknownPrescription, "no prescription with id " + std::to_string(p.id));
    if (st->int64(0) != p.resident_id) {
      return fail(errc::kPrescriptionNotForResident,
                  "prescription " + std::to_string(p.id) + " belongs to resident " +
                      std::to_string(st->int64(0)) + ", not " + std::to_string(p.resident_id));
    }
    const auto latest_from = codec::instant_from_db(st->int64(2));
    if (effective_from < latest_from) {
      return fail(errc::kVersionOrder,
                  "a new version of prescription " + std::to_string(p.id) + " cannot take effect at " +
                      codec::instant_text(effective_from) + ", before version " +
                      std::to_string(st->int64(1)) + " (from " + codec::instant_text(latest_from) + ")");
    }
    p.version = static_cast<int>(st->int64(1)) + 1;
  }

  auto st = db_.prepare(
      "INSERT INTO prescription_versions (prescription_id, version, resident_id, effective_from,"
      " recorded_at, level, medication_id, medication_name, route_id, route_name, dose_min,"
      " dose_max, dose_unit, as_needed, prn_min_interval_min, prn_max_per_24h, prn_indication,"
      " day_kind, weekdays, every_n_days, anchor, starts, ends, status, time_critical,"
      " window_min, instructions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
      " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, p.id).bind(2, std::int64_t{p.version}).bind(3, p.resident_id)
      .bind(4, codec::to_db(effective_from)).bind(5, codec::to_db(clock_->now()))
      .bind(6, codec::to_text(p.level)).bind(7, p.medication_id).bind(8, p.medication_name)
      .bind(9, p.route_id).bind(10, p.route_name).bind(11, codec::to_db(p.dose.min))
      .bind(12, codec::to_db(p.dose.max)).bind(13, p.dose.unit)
      .bind(14, std::int64_t{p.as_needed ? 1 : 0});
  if (p.prn) {
    st->bind(15, std::int64_t{p.prn->min_interval.count()})
        .bind(16, opt<domain::Decimal>(p.prn->max_per_24h, codec::to_db))
        .bind(17, p.prn->indication);
  } else {
    st->bind_null(15).bind_null(16).bind_null(17);
  }
  st->bind(18, codec::to_text(p.days.kind)).bind(19, std::int64_t{p.days.weekdays})
      .bind(20, std::int64_t{p.days.every_n_days})
      .bind(21, p.days.anchor.ok() ? std::optional<std::string>(codec::date_text(p.days.anchor))
                                   : std::nullopt)
      .bind(22, codec::to_db(p.starts))
      .bind(23, opt<domain::Instant>(p.ends, codec::to_db))
      .bind(24, codec::to_text(p.status)).bind(25, std::int64_t{p.time_critical ? 1 : 0})
      .bind(26, p.window ? std::optional<std::int64_t>(p.window->count()) : std::nullopt)
      .bind(27, p.instructions);
  if (auto r = st->run(); !r) return Unexpected(std::move(r).error());
  std::int64_t ordinal = 0;
  for (const auto& t : p.times) {
    auto ts = db_.prepare(
        "INSERT INTO prescription_times (prescription_id, version, ordinal, round, minutes)"
        " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!ts) return Unexpected(std::move(ts).error());
    ts->bind(1, p.id).bind(2, std::int64_t{p.version}).bind(3, ordinal++).bind(4, t.round)
        .bind(5, std::int64_t{t.time.minutes});
    if (auto r = ts->run(); !r) return Unexpected(std::move(r).error());
  }
  if (auto r = audit(AuditKind::kConfig, actor,
                     "prescription:" + std::to_string(p.id) + "/v" + std::to_string(p.version),
                     dump(prescription_json(p, effective_from)));
      !r) {
    return Unexpected(std::move(r).error());
  }
  auto stored = load_version(p.id, p.version);
  if (!stored) return stored;
  if (auto r = tx->commit(); !r) return Unexpected(std::move(r).error());
  return stored;
}

Result<std::vector<domain::Prescription>> Store::current_prescriptions(domain::ResidentId resident,
                                                                       domain::Instant at) {
  std::optional<Transaction> tx;
  if (!db_.in_transaction()) {
    auto t = Transaction::begin(db_, Transaction::Kind::kDeferred);
    if (!t) return Unexpected(std::move(t).error());
    tx.emplace(std::move(*t));
  }
  std::vector<std::pair<domain::PrescriptionId, int>> ids;
  {
    // Versions take effect in version order, so the one in force is the highest that has.
    auto st = db_.prepare(
        "SELECT prescription_id, max(version) FROM prescription_versions"
        " WHERE resident_id = ?1 AND effective_from <= ?2"
        " GROUP BY prescription_id ORDER BY prescription_id");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, resident).bind(2, codec::to_db(at));
    for (;;) {
      auto row = st->step();
      if (!row) return Unexpected(std::move(row).error());
      if (!*row) break;
      ids.emplace_back(st->int64(0), static_cast<int>(st->int64(1)));
    }
  }
  std::vector<domain::Prescription> out;
  out.reserve(ids.size());
  for (const auto& [id, version] : ids) {
    auto p = load_version(id, version);
    if (!p) return Unexpected(std::move(p).error());
    out.push_back(std::move(*p));
  }
  return out;
}

Result<domain::Prescription> Store::prescription_at(domain::PrescriptionId id, domain::Instant at) {
  auto st = db_.prepare(
      "SELECT max(version) FROM prescription_versions WHERE prescription_id = ?1"
      " AND effective_from <= ?2");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id).bind(2, codec::to_db(at));
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (st->is_null(0)) {
    return fail(errc::kUnknownPrescription, "prescription " + std::to_string(id) +
                                                " had no version in force at " +
                                                codec::instant_text(at));
  }
  const int version = static_cast<int>(st->int64(0));
  return load_version(id, version);
}

Result<std::vector<PrescriptionVersion>> Store::prescription_history(domain::PrescriptionId id) {
  std::vector<std::tuple<int, std::int64_t, std::int64_t>> versions;
  {
    auto st = db_.prepare(
        "SELECT version, effective_from, recorded_at FROM prescription_versions"
        " WHERE prescription_id = ?1 ORDER BY version");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, id);
    for (;;) {
      auto row = st->step();
      if (!row) return Unexpected(std::move(row).error());
      if (!*row) break;
      versions.emplace_back(static_cast<int>(st->int64(0)), st->int64(1), st->int64(2));
    }
  }
  if (versions.empty()) {
    return fail(errc::kUnknownPrescription, "no prescription with id " + std::to_string(id));
  }
  std::vector<PrescriptionVersion> out;
  for (const auto& [version, from, recorded] : versions) {
    auto p = load_version(id, version);
    if (!p) return Unexpected(std::move(p).error());
    out.push_back({std::move(*p), codec::instant_from_db(from), codec::instant_from_db(recorded)});
  }
  return out;
}

}  // namespace bcma::station::store
