#include "reader.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace bcma::station::service::scenario {
namespace {

std::string type_name(const Json& j) { return j.type_name(); }

}  // namespace

void Node::fail(const std::string& what) const { throw ParseError{where(), what}; }

void Node::only(std::initializer_list<std::string_view> allowed) const {
  if (!is_object()) fail("expected an object, got " + type_name(*j_));
  for (const auto& [key, value] : j_->items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail("unknown key \"" + key + "\" (expected one of: " + list + ")");
    }
  }
}

bool Node::has(std::string_view key) const {
  return is_object() && j_->contains(std::string(key));
}

Node Node::at(std::string_view key) const {
  if (!is_object()) fail("expected an object, got " + type_name(*j_));
  const auto it = j_->find(std::string(key));
  if (it == j_->end()) fail("missing \"" + std::string(key) + "\"");
  return Node(*it, file_, path_ + "." + std::string(key));
}

std::optional<Node> Node::get(std::string_view key) const {
  if (!is_object()) fail("expected an object, got " + type_name(*j_));
  const auto it = j_->find(std::string(key));
  if (it == j_->end() || it->is_null()) return std::nullopt;
  return Node(*it, file_, path_ + "." + std::string(key));
}

std::vector<Node> Node::items() const {
  if (!is_array()) fail("expected an array, got " + type_name(*j_));
  std::vector<Node> out;
  for (std::size_t i = 0; i < j_->size(); ++i) {
    out.emplace_back((*j_)[i], file_, path_ + "[" + std::to_string(i) + "]");
  }
  return out;
}

std::vector<std::pair<std::string, Node>> Node::members() const {
  if (!is_object()) fail("expected an object, got " + type_name(*j_));
  std::vector<std::pair<std::string, Node>> out;
  for (const auto& [key, value] : j_->items()) {
    out.emplace_back(key, Node(value, file_, path_ + "." + key));
  }
  return out;
}

std::string Node::str() const {
  if (!is_string()) fail("expected a string, got " + type_name(*j_));
  return j_->get<std::string>();
}

std::string Node::nonempty() const {
  std::string s = str();
  if (s.empty()) fail("must not be empty");
  return s;
}

std::int64_t Node::integer() const {
  if (!j_->is_number_integer()) fail("expected a whole number, got " + type_name(*j_));
  return j_->get<std::int64_t>();
}

bool Node::boolean() const {
  if (!j_->is_boolean()) fail("expected true or false, got " + type_name(*j_));
  return j_->get<bool>();
}

domain::Decimal Node::decimal() const {
  if (!is_string()) {
    fail("expected a decimal as a string, e.g. \"2\" or \"0.5\" (got " + type_name(*j_) + ")");
  }
  const auto d = domain::Decimal::parse(j_->get<std::string>());
  if (!d) fail("\"" + j_->get<std::string>() + "\" is not a decimal with at most 3 places");
  return *d;
}

domain::Date Node::date() const {
  const auto d = domain::parse_date(str());
  if (!d) fail("\"" + str() + "\" is not a date like 2026-03-16");
  return *d;
}

domain::Instant Node::instant() const {
  const std::string s = str();
  if (const auto t = domain::parse_instant(s)) return *t;
  // "YYYY-MM-DD HH:MM": a wall-clock time in the home (Europe/London).
  if (s.size() == 16 && s[10] == ' ') {
    const auto d = domain::parse_date(s.substr(0, 10));
    const auto t = domain::TimeOfDay::parse(s.substr(11));
    if (d && t) return domain::London::to_instant(*d, *t);
  }
  fail("\"" + s + "\" is not a time: use 2026-03-16T08:00:00Z (or an offset like +01:00), or "
       "2026-03-16 08:00 for the home's local time");
}

std::chrono::seconds Node::duration() const {
  const std::string s = str();
  std::chrono::seconds total{0};
  std::size_t i = 0;
  bool any = false;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) != 0) ++j;
    if (j == i || j == s.size() || j - i > 6) fail("\"" + s + "\" is not a duration like 15m, 2h, 1d or 1h30m");
    const std::int64_t n = std::stoll(s.substr(i, j - i));
    switch (s[j]) {
      case 's': total += std::chrono::seconds{n}; break;
      case 'm': total += std::chrono::minutes{n}; break;
      case 'h': total += std::chrono::hours{n}; break;
      case 'd': total += std::chrono::hours{24 * n}; break;
      default: fail("\"" + s + "\" is not a duration like 15m, 2h, 1d or 1h30m");
    }
    any = true;
    i = j + 1;
  }
  if (!any || total <= std::chrono::seconds{0}) fail("\"" + s + "\" is not a positive duration");
  return total;
}

std::vector<std::string> Node::strings() const {
  std::vector<std::string> out;
  for (const Node& n : items()) out.push_back(n.str());
  return out;
}

Json load_json(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ParseError{file, "cannot be read"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    return Json::parse(buffer.str());
  } catch (const Json::parse_error& e) {
    // nlohmann's message names the line and column.
    throw ParseError{file, std::string("is not valid JSON: ") + e.what()};
  }
}

}  // namespace bcma::station::service::scenario
