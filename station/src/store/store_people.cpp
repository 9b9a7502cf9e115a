// Store: residents and staff (sign-in with badge + PIN).
#include <nlohmann/json.hpp>

#include "bcma/gs1/gtin.hpp"
#include "bcma/ident/nhs_number.hpp"
#include "bcma/station/store/errors.hpp"
#include "bcma/station/store/store.hpp"
#include "bcma/station/store/transaction.hpp"
#include "codec.hpp"
#include "json_text.hpp"

namespace bcma::station::store {

namespace {

using Json = nlohmann::ordered_json;

using detail::dump;

Result<void> check_gsrn(std::string_view gsrn, std::string_view what) {
  if (gsrn.size() != 18 || !codec::all_digits(gsrn) || !gs1::has_valid_mod10(gsrn)) {
    return fail(errc::kInvalidGsrn, std::string(what) + " GSRN '" + std::string(gsrn) +
                                        "' is not 18 digits ending in a GS1 check digit");
  }
  return {};
}

// Validates and normalises (NHS number to its ten digits).
Result<domain::Resident> checked(const domain::Resident& r) {
  domain::Resident out = r;
  auto nhs = ident::NhsNumber::parse(r.nhs_number);
  if (!nhs) {
    return fail(errc::kInvalidNhsNumber, "NHS number '" + r.nhs_number + "': " + nhs.error().message);
  }
  out.nhs_number = nhs->digits();
  if (!r.wristband_gsrn.empty()) {
    if (auto c = check_gsrn(r.wristband_gsrn, "wristband"); !c) return Unexpected(std::move(c).error());
  }
  if (r.given_name.empty() || r.family_name.empty()) {
    return fail(errc::kInvalidArgument, "a resident needs a given name and a family name");
  }
  if (!r.date_of_birth.ok()) return fail(errc::kInvalidArgument, "the date of birth is not a real date");
  for (const auto& a : r.allergies) {
    if (a.code.empty()) return fail(errc::kInvalidArgument, "an allergy needs a dm+d code");
  }
  return out;
}

Json resident_json(const domain::Resident& r) {
  Json allergies = Json::array();
  for (const auto& a : r.allergies) {
    allergies.push_back(
        {{"level", codec::to_text(a.level)}, {"code", a.code}, {"description", a.description}});
  }
  return Json{{"id", r.id},
              {"nhs_number", r.nhs_number},
              {"wristband_gsrn", r.wristband_gsrn},
              {"given_name", r.given_name},
              {"family_name", r.family_name},
              {"date_of_birth", codec::date_text(r.date_of_birth)},
              {"photo_ref", r.photo_ref},
              {"allergies", std::move(allergies)},
              {"no_known_allergies", r.no_known_allergies},
              {"status", codec::to_text(r.status)},
              {"room", r.room}};
}

Json staff_json(const domain::Staff& s) {
  return Json{{"id", s.id},
              {"name", s.name},
              {"badge_gsrn", s.badge_gsrn},
              {"role", codec::to_text(s.role)},
              {"active", s.active}};
}

Result<void> write_allergies(Database& db, const domain::Resident& r) {
  auto del = db.prepare("DELETE FROM resident_allergies WHERE resident_id = ?1");
  if (!del) return Unexpected(std::move(del).error());
  del->bind(1, r.id);
  if (auto x = del->run(); !x) return x;
  std::int64_t ordinal = 0;
  for (const auto& a : r.allergies) {
    auto st = db.prepare(
        "INSERT INTO resident_allergies (resident_id, ordinal, level, code, description)"
        " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, r.id).bind(2, ordinal++).bind(3, codec::to_text(a.level)).bind(4, a.code)
        .bind(5, a.description);
    if (auto x = st->run(); !x) return x;
  }
  return {};
}

std::optional<std::string> gsrn_or_null(const std::string& gsrn) {
  if (gsrn.empty()) return std::nullopt;
  return gsrn;
}

// Reads the resident whose id the first query selects (by id, wristband or NHS number).
Result<domain::Resident> read_resident(Database& db, Statement& st, const std::string& how) {
  auto row = st.step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownResident, "no resident " + how);
  domain::Resident r;
  r.id = st.int64(0);
  r.nhs_number = st.text(1);
  r.wristband_gsrn = st.optional_text(2).value_or("");
  r.given_name = st.text(3);
  r.family_name = st.text(4);
  const auto dob = codec::parse_date_text(st.text(5));
  const auto status = codec::resident_status_from_text(st.text(8));
  if (!dob || !status) return fail(errc::kCorruptData, "resident " + std::to_string(r.id));
  r.date_of_birth = *dob;
  r.photo_ref = st.text(6);
  r.no_known_allergies = st.int64(7) != 0;
  r.status = *status;
  r.room = st.text(9);

  auto al = db.prepare(
      "SELECT level, code, description FROM resident_allergies WHERE resident_id = ?1"
      " ORDER BY ordinal");
  if (!al) return Unexpected(std::move(al).error());
  al->bind(1, r.id);
  for (;;) {
    auto a = al->step();
    if (!a) return Unexpected(std::move(a).error());
    if (!*a) break;
    const auto level = codec::allergy_level_from_text(al->text(0));
    if (!level) return fail(errc::kCorruptData, "allergy level '" + al->text(0) + "'");
    r.allergies.push_back(domain::Allergy{*level, al->text(1), al->text(2)});
  }
  return r;
}

Result<domain::Staff> read_staff(Statement& st, const std::string& how, const char* missing_code,
                                 std::string* pin_hash) {
  auto row = st.step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(missing_code, "no member of staff " + how);
  domain::Staff s;
  s.id = st.int64(0);
  s.name = st.text(1);
  s.badge_gsrn = st.text(2);
  const auto role = codec::role_from_text(st.text(3));
  if (!role) return fail(errc::kCorruptData, "staff role '" + st.text(3) + "'");
  s.role = *role;
  s.active = st.int64(4) != 0;
  if (pin_hash != nullptr) *pin_hash = st.text(5);
  return s;
}

}  // namespace

// --- residents --------------------------------------------------------------------------------

Result<domain::ResidentId> Store::add_resident(const domain::Resident& resident, const Actor& actor) {
  auto r = checked(resident);
  if (!r) return Unexpected(std::move(r).error());
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  auto st = db_.prepare(
      "INSERT INTO residents (nhs_number, wristband_gsrn, given_name, family_name, date_of_birth,"
      " photo_ref, no_known_allergies, status, room) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, r->nhs_number).bind(2, gsrn_or_null(r->wristband_gsrn)).bind(3, r->given_name)
      .bind(4, r->family_name).bind(5, codec::date_text(r->date_of_birth)).bind(6, r->photo_ref)
      .bind(7, std::int64_t{r->no_known_allergies ? 1 : 0}).bind(8, codec::to_text(r->status))
      .bind(9, r->room);
  if (auto x = st->run(); !x) {
    if (x.error().code == errc::kDuplicate) {
      return fail(errc::kDuplicate, "another resident already has NHS number " + r->nhs_number +
                                        " or wristband " + r->wristband_gsrn);
    }
    return Unexpected(std::move(x).error());
  }
  r->id = db_.last_insert_rowid();
  if (auto x = write_allergies(db_, *r); !x) return Unexpected(std::move(x).error());
  if (auto x = audit(AuditKind::kConfig, actor, "resident:" + std::to_string(r->id),
                     dump(resident_json(*r)));
      !x) {
    return Unexpected(std::move(x).error());
  }
  if (auto x = tx->commit(); !x) return Unexpected(std::move(x).error());
  return r->id;
}

Result<void> Store::update_resident(const domain::Resident& resident, const Actor& actor) {
  auto r = checked(resident);
  if (!r) return Unexpected(std::move(r).error());
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  auto st = db_.prepare(
      "UPDATE residents SET nhs_number = ?2, wristband_gsrn = ?3, given_name = ?4,"
      " family_name = ?5, date_of_birth = ?6, photo_ref = ?7, no_known_allergies = ?8,"
      " status = ?9, room = ?10 WHERE id = ?1 RETURNING id");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, r->id).bind(2, r->nhs_number).bind(3, gsrn_or_null(r->wristband_gsrn))
      .bind(4, r->given_name).bind(5, r->family_name).bind(6, codec::date_text(r->date_of_birth))
      .bind(7, r->photo_ref).bind(8, std::int64_t{r->no_known_allergies ? 1 : 0})
      .bind(9, codec::to_text(r->status)).bind(10, r->room);
  auto row = st->step();
  if (!row) {
    if (row.error().code == errc::kDuplicate) {
      return fail(errc::kDuplicate, "another resident already has NHS number " + r->nhs_number +
                                        " or wristband " + r->wristband_gsrn);
    }
    return Unexpected(std::move(row).error());
  }
  if (!*row) return fail(errc::kUnknownResident, "no resident with id " + std::to_string(r->id));
  if (auto x = st->run(); !x) return x;
  if (auto x = write_allergies(db_, *r); !x) return x;
  if (auto x = audit(AuditKind::kConfig, actor, "resident:" + std::to_string(r->id),
                     dump(resident_json(*r)));
      !x) {
    return x;
  }
  return tx->commit();
}

Result<domain::Resident> Store::resident(domain::ResidentId id) {
  auto st = db_.prepare(
      "SELECT id, nhs_number, wristband_gsrn, given_name, family_name, date_of_birth, photo_ref,"
      " no_known_allergies, status, room FROM residents WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id);
  return read_resident(db_, *st, "with id " + std::to_string(id));
}

Result<domain::Resident> Store::resident_by_wristband(std::string_view gsrn) {
  auto st = db_.prepare(
      "SELECT id, nhs_number, wristband_gsrn, given_name, family_name, date_of_birth, photo_ref,"
      " no_known_allergies, status, room FROM residents WHERE wristband_gsrn = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, gsrn);
  return read_resident(db_, *st, "wears wristband " + std::string(gsrn));
}

Result<domain::Resident> Store::resident_by_nhs_number(std::string_view nhs_number) {
  auto nhs = ident::NhsNumber::parse(nhs_number);
  if (!nhs) {
    return fail(errc::kInvalidNhsNumber,
                "NHS number '" + std::string(nhs_number) + "': " + nhs.error().message);
  }
  auto st = db_.prepare(
      "SELECT id, nhs_number, wristband_gsrn, given_name, family_name, date_of_birth, photo_ref,"
      " no_known_allergies, status, room FROM residents WHERE nhs_number = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, nhs->digits());
  return read_resident(db_, *st, "has NHS number " + nhs->formatted());
}

// --- staff ------------------------------------------------------------------------------------

Result<domain::StaffId> Store::add_staff(const domain::Staff& staff, std::string_view pin,
                                         const Actor& actor) {
  if (staff.name.empty()) return fail(errc::kInvalidArgument, "a member of staff needs a name");
  if (auto c = check_gsrn(staff.badge_gsrn, "badge"); !c) return Unexpected(std::move(c).error());
  // Hash before the transaction: Argon2id is deliberately slow and must not hold the lock.
  auto hash = hash_pin(pin, options_.pin_cost);
  if (!hash) return Unexpected(std::move(hash).error());
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  auto st = db_.prepare(
      "INSERT INTO staff (name, badge_gsrn, role, active, pin_hash) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, staff.name).bind(2, staff.badge_gsrn).bind(3, codec::to_text(staff.role))
      .bind(4, std::int64_t{staff.active ? 1 : 0}).bind(5, *hash);
  if (auto x = st->run(); !x) {
    if (x.error().code == errc::kDuplicate) {
      return fail(errc::kDuplicate, "badge " + staff.badge_gsrn + " is already issued");
    }
    return Unexpected(std::move(x).error());
  }
  domain::Staff stored = staff;
  stored.id = db_.last_insert_rowid();
  if (auto x = audit(AuditKind::kConfig, actor, "staff:" + std::to_string(stored.id),
                     dump(staff_json(stored)));
      !x) {
    return Unexpected(std::move(x).error());
  }
  if (auto x = tx->commit(); !x) return Unexpected(std::move(x).error());
  return stored.id;
}

Result<void> Store::set_staff_pin(domain::StaffId id, std::string_view pin, const Actor& actor) {
  auto hash = hash_pin(pin, options_.pin_cost);
  if (!hash) return Unexpected(std::move(hash).error());
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  auto st = db_.prepare("UPDATE staff SET pin_hash = ?2 WHERE id = ?1 RETURNING id");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id).bind(2, *hash);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownStaff, "no member of staff with id " + std::to_string(id));
  if (auto x = st->run(); !x) return x;
  if (auto x = audit(AuditKind::kConfig, actor, "staff:" + std::to_string(id),
                     dump(Json{{"id", id}, {"pin_changed", true}}));
      !x) {
    return x;
  }
  return tx->commit();
}

Result<void> Store::set_staff_active(domain::StaffId id, bool active, const Actor& actor) {
  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  auto st = db_.prepare("UPDATE staff SET active = ?2 WHERE id = ?1 RETURNING id");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id).bind(2, std::int64_t{active ? 1 : 0});
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return fail(errc::kUnknownStaff, "no member of staff with id " + std::to_string(id));
  if (auto x = st->run(); !x) return x;
  if (auto x = audit(AuditKind::kConfig, actor, "staff:" + std::to_string(id),
                     dump(Json{{"id", id}, {"active", active}}));
      !x) {
    return x;
  }
  return tx->commit();
}

Result<domain::Staff> Store::staff(domain::StaffId id) {
  auto st = db_.prepare("SELECT id, name, badge_gsrn, role, active FROM staff WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, id);
  return read_staff(*st, "with id " + std::to_string(id), errc::kUnknownStaff, nullptr);
}

Result<domain::Staff> Store::staff_by_badge(std::string_view badge_gsrn) {
  auto st = db_.prepare("SELECT id, name, badge_gsrn, role, active FROM staff WHERE badge_gsrn = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, badge_gsrn);
  return read_staff(*st, "holds badge " + std::string(badge_gsrn), errc::kUnknownBadge, nullptr);
}

Result<domain::Staff> Store::login(std::string_view badge_gsrn, std::string_view pin,
                                   std::string_view device_id) {
  std::string pin_hash;
  Result<domain::Staff> found = [&]() -> Result<domain::Staff> {
    auto st = db_.prepare(
        "SELECT id, name, badge_gsrn, role, active, pin_hash FROM staff WHERE badge_gsrn = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, badge_gsrn);
    return read_staff(*st, "holds badge " + std::string(badge_gsrn), errc::kUnknownBadge, &pin_hash);
  }();
  if (!found && found.error().code != errc::kUnknownBadge) return found;

  // Verified outside the write lock (Argon2id is slow by design).
  std::optional<Error> refusal;
  if (!found) {
    refusal = found.error();
  } else if (!verify_pin(pin_hash, pin)) {
    refusal = Error{errc::kWrongPin, "the PIN does not match badge " + std::string(badge_gsrn)};
  } else if (!found->active) {
    refusal = Error{errc::kStaffInactive, found->name + " is no longer active at this home"};
  }
  const bool rehash = !refusal && pin_needs_rehash(pin_hash, options_.pin_cost);
  std::string new_hash;
  if (rehash) {
    auto h = hash_pin(pin, options_.pin_cost);
    if (h) new_hash = std::move(*h);
  }

  auto tx = Transaction::begin(db_);
  if (!tx) return Unexpected(std::move(tx).error());
  Actor actor{found ? std::optional<domain::StaffId>(found->id) : std::nullopt,
              std::string(device_id)};
  Json j{{"badge_gsrn", std::string(badge_gsrn)}};
  if (refusal) j["refused"] = refusal->code;
  if (auto x = audit(refusal ? AuditKind::kLoginFailed : AuditKind::kLogin, actor,
                     "badge:" + std::string(badge_gsrn), dump(j));
      !x) {
    return Unexpected(std::move(x).error());
  }
  if (!new_hash.empty()) {
    auto st = db_.prepare("UPDATE staff SET pin_hash = ?2 WHERE id = ?1");
    if (!st) return Unexpected(std::move(st).error());
    st->bind(1, found->id).bind(2, new_hash);
    if (auto x = st->run(); !x) return Unexpected(std::move(x).error());
  }
  if (auto x = tx->commit(); !x) return Unexpected(std::move(x).error());
  if (refusal) return Unexpected(std::move(*refusal));
  return found;
}

}  // namespace bcma::station::store
