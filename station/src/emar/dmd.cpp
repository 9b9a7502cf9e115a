#include "dmd.hpp"

#include <string>
#include <string_view>

namespace bcma::station::emar::detail {

namespace {

Result<bool> exists(store::Database& db, std::string_view sql, const std::string& code) {
  auto st = db.prepare(sql);
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, code);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  return *row;
}

// A VMP code that dm+d has since replaced (VPIDPREV, kept by the dm+d import in
// dmd_vmp_history) is the VMP under its current code: a pharmacy system may still send the old one.
constexpr std::string_view kCurrentVmpId = "coalesce((SELECT vmp_id FROM dmd_vmp_history WHERE old_id = ?1), ?1)";

Result<std::optional<VmpInfo>> vmp(store::Database& db, const std::string& code) {
  auto st = db.prepare("SELECT id, name, unit_dose_unit, invalid FROM vmp WHERE id = " + std::string(kCurrentVmpId));
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, code);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<VmpInfo>{};
  VmpInfo v;
  v.id = st->text(0);
  v.name = st->text(1);
  v.unit_dose_unit = st->text(2);
  v.invalid = st->int64(3) != 0;
  const std::string& id = v.id;

  auto ing = db.prepare(
      "SELECT substance_id, name, strength, strength_unit FROM vmp_ingredients WHERE vmp_id = ?1"
      " ORDER BY ordinal");
  if (!ing) return Unexpected(std::move(ing).error());
  ing->bind(1, id);
  for (;;) {
    auto r = ing->step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) break;
    v.ingredients.push_back({ing->text(0), ing->text(1),
                             domain::Decimal::from_thousandths(ing->int64(2)), ing->text(3)});
  }
  auto routes = db.prepare("SELECT route_id FROM vmp_routes WHERE vmp_id = ?1 ORDER BY ordinal");
  if (!routes) return Unexpected(std::move(routes).error());
  routes->bind(1, id);
  for (;;) {
    auto r = routes->step();
    if (!r) return Unexpected(std::move(r).error());
    if (!*r) break;
    v.route_ids.push_back(routes->text(0));
  }
  return std::optional<VmpInfo>(std::move(v));
}

}  // namespace

std::string_view to_string(DmdKind k) {
  switch (k) {
    case DmdKind::kVtm:
      return "VTM";
    case DmdKind::kVmp:
      return "VMP";
    case DmdKind::kAmp:
      return "AMP";
    case DmdKind::kAmpp:
      return "AMPP";
    case DmdKind::kUnknown:
      break;
  }
  return "unknown";
}

Result<DmdKind> classify_code(store::Database& db, const std::string& code) {
  struct Probe {
    std::string_view sql;
    DmdKind kind;
  };
  static const std::string kVmpProbe = "SELECT 1 FROM vmp WHERE id = " + std::string(kCurrentVmpId);
  const Probe kProbes[] = {
      {kVmpProbe, DmdKind::kVmp},
      {"SELECT 1 FROM amp WHERE id = ?1", DmdKind::kAmp},
      {"SELECT 1 FROM vtm WHERE id = ?1", DmdKind::kVtm},
      {"SELECT 1 FROM ampp WHERE id = ?1", DmdKind::kAmpp},
  };
  for (const auto& p : kProbes) {
    auto found = exists(db, p.sql, code);
    if (!found) return Unexpected(std::move(found).error());
    if (*found) return p.kind;
  }
  return DmdKind::kUnknown;
}

Result<std::optional<DmdProduct>> product(store::Database& db, const std::string& code) {
  auto as_vmp = vmp(db, code);
  if (!as_vmp) return Unexpected(std::move(as_vmp).error());
  if (*as_vmp) {
    DmdProduct p;
    p.level = domain::MedicationLevel::kVmp;
    p.id = code;
    p.name = (*as_vmp)->name;
    p.vmp = std::move(**as_vmp);
    return std::optional<DmdProduct>(std::move(p));
  }
  auto st = db.prepare("SELECT name, vmp_id FROM amp WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, code);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<DmdProduct>{};
  DmdProduct p;
  p.level = domain::MedicationLevel::kAmp;
  p.id = code;
  p.name = st->text(0);
  const std::string vmp_id = st->text(1);
  auto parent = vmp(db, vmp_id);
  if (!parent) return Unexpected(std::move(parent).error());
  if (!*parent) return fail("corrupt_data", "AMP " + code + " names VMP " + vmp_id + ", which is not held");
  p.vmp = std::move(**parent);
  return std::optional<DmdProduct>(std::move(p));
}

Result<std::optional<DmdPack>> pack(store::Database& db, const std::string& code) {
  auto st = db.prepare(
      "SELECT ampp.name, amp.id, amp.name, amp.vmp_id FROM ampp JOIN amp ON amp.id = ampp.amp_id"
      " WHERE ampp.id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, code);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<DmdPack>{};
  DmdPack p;
  p.ampp_id = code;
  p.name = st->text(0);
  p.amp_id = st->text(1);
  p.amp_name = st->text(2);
  const std::string vmp_id = st->text(3);
  auto parent = vmp(db, vmp_id);
  if (!parent) return Unexpected(std::move(parent).error());
  if (!*parent) return fail("corrupt_data", "AMPP " + code + " names VMP " + vmp_id + ", which is not held");
  p.vmp = std::move(**parent);
  return std::optional<DmdPack>(std::move(p));
}

Result<std::optional<std::string>> amp_name(store::Database& db, const std::string& amp_id) {
  auto st = db.prepare("SELECT name FROM amp WHERE id = ?1");
  if (!st) return Unexpected(std::move(st).error());
  st->bind(1, amp_id);
  auto row = st->step();
  if (!row) return Unexpected(std::move(row).error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>(st->text(0));
}

}  // namespace bcma::station::emar::detail
