#include "people.hpp"

#include <algorithm>
#include <cctype>

namespace bcma::station::exporting::detail {

namespace {

constexpr std::string_view kRemoved = "[removed]";
constexpr std::size_t kMinTermLength = 2;  // a one-letter "name" would erase every such letter
constexpr std::size_t kDigitRunLimit = 8;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void add_date_forms(std::vector<std::string>& terms, const std::string& iso) {
  terms.push_back(iso);
  if (iso.size() != 10) return;
  const std::string y = iso.substr(0, 4);
  const std::string m = iso.substr(5, 2);
  const std::string d = iso.substr(8, 2);
  for (const char* sep : {"/", "-", "."}) terms.push_back(d + sep + m + sep + y);
}

}  // namespace

Result<People> People::load(store::Database& db) {
  People p;
  std::vector<std::string> terms;
  auto rs = db.prepare(
      "SELECT id, nhs_number, wristband_gsrn, given_name, family_name, date_of_birth"
      " FROM residents");
  if (!rs) return Unexpected(std::move(rs).error());
  while (true) {
    auto row = rs->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const std::string nhs = rs->text(1);
    p.residents_[rs->int64(0)] = Person{nhs, {}};
    terms.push_back(nhs);
    if (nhs.size() == 10) {
      terms.push_back(nhs.substr(0, 3) + " " + nhs.substr(3, 3) + " " + nhs.substr(6));
      terms.push_back(nhs.substr(0, 3) + "-" + nhs.substr(3, 3) + "-" + nhs.substr(6));
    }
    if (auto g = rs->optional_text(2)) terms.push_back(*g);
    const std::string given = rs->text(3);
    const std::string family = rs->text(4);
    terms.push_back(given);
    terms.push_back(family);
    terms.push_back(given + " " + family);
    add_date_forms(terms, rs->text(5));
  }
  auto ss = db.prepare("SELECT id, name, badge_gsrn, role FROM staff");
  if (!ss) return Unexpected(std::move(ss).error());
  while (true) {
    auto row = ss->step();
    if (!row) return Unexpected(std::move(row).error());
    if (!*row) break;
    const std::int64_t id = ss->int64(0);
    const std::string name = ss->text(1);
    const std::string badge = ss->text(2);
    p.staff_[id] = Person{badge, ss->text(3)};
    p.badges_[badge] = id;
    terms.push_back(badge);
    terms.push_back(name);
    // Each word of a full name too: "Jane" alone in a note still names her.
    std::size_t start = 0;
    while (start < name.size()) {
      const std::size_t end = std::min(name.find(' ', start), name.size());
      terms.push_back(name.substr(start, end - start));
      start = end + 1;
    }
  }
  for (auto& t : terms) {
    if (t.size() >= kMinTermLength) p.terms_.push_back(lower(t));
  }
  std::sort(p.terms_.begin(), p.terms_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  p.terms_.erase(std::unique(p.terms_.begin(), p.terms_.end()), p.terms_.end());
  return p;
}

std::string People::resident(const Pseudonymiser& p, std::int64_t id) const {
  const auto it = residents_.find(id);
  return p.pseudonym(Subject::kResident,
                     it != residents_.end() ? it->second.key : "id:" + std::to_string(id));
}

std::string People::staff(const Pseudonymiser& p, std::int64_t id) const {
  const auto it = staff_.find(id);
  return p.pseudonym(Subject::kStaff,
                     it != staff_.end() ? it->second.key : "id:" + std::to_string(id));
}

std::optional<std::string> People::staff_role(std::int64_t id) const {
  const auto it = staff_.find(id);
  if (it == staff_.end()) return std::nullopt;
  return it->second.role;
}

std::optional<std::int64_t> People::staff_by_badge(std::string_view badge) const {
  const auto it = badges_.find(badge);
  if (it == badges_.end()) return std::nullopt;
  return it->second;
}

std::string People::scrub(std::string_view text) const {
  std::string out(text);
  std::string low = lower(out);
  for (const std::string& term : terms_) {
    std::size_t pos = 0;
    while ((pos = low.find(term, pos)) != std::string::npos) {
      out.replace(pos, term.size(), kRemoved);
      low.replace(pos, term.size(), kRemoved);
      pos += kRemoved.size();
    }
  }
  std::string result;
  result.reserve(out.size());
  std::size_t i = 0;
  while (i < out.size()) {
    if (std::isdigit(static_cast<unsigned char>(out[i])) == 0) {
      result.push_back(out[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < out.size() && std::isdigit(static_cast<unsigned char>(out[j])) != 0) ++j;
    if (j - i >= kDigitRunLimit) {
      result.append(kRemoved);
    } else {
      result.append(out, i, j - i);
    }
    i = j;
  }
  return result;
}

}  // namespace bcma::station::exporting::detail
