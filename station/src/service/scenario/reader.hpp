#pragma once
// Private to the scenario runner: reading a scenario's JSON strictly, so that every mistake in a
// file is reported with the file and the JSON path ("x.json: $.steps[3].expect.decision: ..."),
// and a misspelt key is an error rather than an expectation silently not checked.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bcma/domain/decimal.hpp"
#include "bcma/domain/time.hpp"

namespace bcma::station::service::scenario {

using Json = nlohmann::json;

/// A mistake in a scenario file. Thrown inside the parser only; `parse_scenario` turns it
/// into an error value.
struct ParseError {
  std::string where;  ///< "file: $.path"
  std::string what;
};

/// A JSON value and where it is.
class Node {
 public:
  Node(const Json& json, std::string file, std::string path)
      : j_(&json), file_(std::move(file)), path_(std::move(path)) {}

  const Json& json() const { return *j_; }
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  std::string where() const { return file_ + ": " + path_; }
  [[noreturn]] void fail(const std::string& what) const;

  bool is_null() const { return j_->is_null(); }
  bool is_object() const { return j_->is_object(); }
  bool is_array() const { return j_->is_array(); }
  bool is_string() const { return j_->is_string(); }

  /// Fails unless this is an object whose keys are all in `allowed`.
  void only(std::initializer_list<std::string_view> allowed) const;
  bool has(std::string_view key) const;
  Node at(std::string_view key) const;                    ///< required member
  std::optional<Node> get(std::string_view key) const;    ///< absent or null: nullopt
  std::vector<Node> items() const;                        ///< array elements
  std::vector<std::pair<std::string, Node>> members() const;

  std::string str() const;          ///< a string
  std::string nonempty() const;     ///< a string that is not empty
  std::int64_t integer() const;
  bool boolean() const;
  domain::Decimal decimal() const;  ///< "2", "0.5" (a string, so no float rounds a dose)
  domain::Date date() const;        ///< "2026-03-16"
  /// "2026-03-16T08:00:00Z" or with an offset, or "2026-03-16 08:00" in Europe/London time.
  domain::Instant instant() const;
  /// "90s", "15m", "2h", "1d", "1h30m": a positive duration.
  std::chrono::seconds duration() const;
  std::vector<std::string> strings() const;  ///< an array of strings

 private:
  const Json* j_;
  std::string file_;
  std::string path_;
};

/// Reads and parses a file. Throws ParseError (unreadable file, invalid JSON with its line and
/// column).
Json load_json(const std::string& file);

}  // namespace bcma::station::service::scenario
