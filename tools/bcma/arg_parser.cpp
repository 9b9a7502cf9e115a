#include "command.hpp"

namespace bcma::cli {

bool ArgParser::flag(std::string_view name) {
  for (auto it = args_.begin(); it != args_.end(); ++it) {
    if (*it == "--") break;
    if (it->size() == name.size() + 2 && it->starts_with("--") && it->substr(2) == name) {
      args_.erase(it);
      return true;
    }
  }
  return false;
}

std::optional<std::string> ArgParser::option(std::string_view name) {
  const std::string bare = "--" + std::string(name);
  for (auto it = args_.begin(); it != args_.end(); ++it) {
    if (*it == "--") break;
    if (*it == bare) {
      if (it + 1 == args_.end()) {
        if (error_.empty()) error_ = bare + " needs a value";
        args_.erase(it);
        return std::nullopt;
      }
      std::string value = *(it + 1);
      args_.erase(it, it + 2);
      return value;
    }
    if (it->starts_with(bare + "=")) {
      std::string value = it->substr(bare.size() + 1);
      args_.erase(it);
      return value;
    }
  }
  return std::nullopt;
}

std::vector<std::string> ArgParser::positionals() {
  std::vector<std::string> out;
  bool only_positionals = false;
  for (const auto& a : args_) {
    if (!only_positionals && a == "--") {
      only_positionals = true;
      continue;
    }
    if (!only_positionals && a.starts_with("--")) {
      if (error_.empty()) error_ = "unknown option " + a;
      continue;
    }
    out.push_back(a);
  }
  return out;
}

std::optional<domain::Instant> parse_when(const std::string& text, bool end_of_day) {
  if (auto t = domain::parse_instant(text)) return t;
  const auto d = domain::parse_date(text);
  if (!d) return std::nullopt;
  if (!end_of_day) return domain::London::start_of_day(*d);
  return domain::London::start_of_day(domain::Date{std::chrono::sys_days{*d} + std::chrono::days{1}});
}

}  // namespace bcma::cli
