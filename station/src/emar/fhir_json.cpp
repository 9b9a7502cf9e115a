#include "fhir_json.hpp"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <limits>
#include <system_error>

#include "bcma/station/emar/errors.hpp"

namespace bcma::station::emar::detail {

namespace {

std::string type_name(const Json& j) { return j.type_name(); }

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

void Problems::add(std::string code, std::string location, std::string message) {
  ReviewReason r{std::move(code), std::move(message), std::move(location)};
  for (const auto& existing : list_) {
    if (existing == r) return;  // the same problem reached twice (e.g. a shared Medication)
  }
  list_.push_back(std::move(r));
}

std::string child(const std::string& pointer, std::string_view key) {
  std::string out = pointer;
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string string_of(const Json& object, std::string_view key) {
  const Json* v = member(object, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

std::optional<std::string> get_string(const Json& object, std::string_view key,
                                      const std::string& pointer, Problems& problems) {
  const Json* v = member(object, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    problems.add(reason::kInvalidResource, child(pointer, key),
                 std::string(key) + " must be a string, not " + type_name(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> get_bool(const Json& object, std::string_view key, const std::string& pointer,
                             Problems& problems) {
  const Json* v = member(object, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    problems.add(reason::kInvalidResource, child(pointer, key),
                 std::string(key) + " must be true or false, not " + type_name(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<domain::Decimal> to_decimal(const Json& number) {
  constexpr std::int64_t kMaxWhole = 9'000'000'000'000;
  if (number.is_number_unsigned()) {
    const auto u = number.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(kMaxWhole)) return std::nullopt;
    return domain::Decimal::from_int(static_cast<std::int64_t>(u));
  }
  if (number.is_number_integer()) {
    const auto i = number.get<std::int64_t>();
    if (i > kMaxWhole || i < -kMaxWhole) return std::nullopt;
    return domain::Decimal::from_int(i);
  }
  if (!number.is_number_float()) return std::nullopt;
  std::array<char, 64> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), number.get<double>());
  if (r.ec != std::errc{}) return std::nullopt;
  return domain::Decimal::parse(std::string_view(buf.data(), static_cast<std::size_t>(r.ptr - buf.data())));
}

std::optional<domain::Decimal> get_decimal(const Json& object, std::string_view key,
                                           const std::string& pointer, Problems& problems) {
  const Json* v = member(object, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    problems.add(reason::kInvalidResource, child(pointer, key),
                 std::string(key) + " must be a number, not " + type_name(*v));
    return std::nullopt;
  }
  auto d = to_decimal(*v);
  if (!d) {
    problems.add(reason::kInvalidResource, child(pointer, key),
                 std::string(key) + " " + v->dump() +
                     " cannot be held exactly (at most three decimal places)");
  }
  return d;
}

std::optional<std::int64_t> get_integer(const Json& object, std::string_view key,
                                        const std::string& pointer, Problems& problems,
                                        std::int64_t min) {
  const Json* v = member(object, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer() ||
      (v->is_number_unsigned() &&
       v->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max()))) {
    problems.add(reason::kInvalidResource, child(pointer, key),
                 std::string(key) + " must be a whole number, not " + v->dump());
    return std::nullopt;
  }
  const auto i = v->get<std::int64_t>();
  if (i < min || i > std::numeric_limits<std::int32_t>::max()) {
    problems.add(reason::kInvalidResource, child(pointer, key),
                 std::string(key) + " must be at least " + std::to_string(min) + ", not " +
                     std::to_string(i));
    return std::nullopt;
  }
  return i;
}

const Json* get_object(const Json& object, std::string_view key, const std::string& pointer,
                       Problems& problems) {
  const Json* v = member(object, key);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    problems.add(reason::kInvalidResource, child(pointer, key),
                 std::string(key) + " must be an object, not " + type_name(*v));
    return nullptr;
  }
  return v;
}

const Json* get_array(const Json& object, std::string_view key, const std::string& pointer,
                      Problems& problems) {
  const Json* v = member(object, key);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    problems.add(reason::kInvalidResource, child(pointer, key),
                 std::string(key) + " must be an array, not " + type_name(*v));
    return nullptr;
  }
  return v;
}

std::optional<FhirDateTime> parse_datetime(std::string_view text, std::string* why) {
  auto refuse = [&](std::string reason) -> std::optional<FhirDateTime> {
    if (why != nullptr) *why = std::move(reason);
    return std::nullopt;
  };
  if (text.size() == 4 || text.size() == 7) {
    if (is_digits(text.substr(0, 4))) {
      return refuse("\"" + std::string(text) +
                    "\" is a partial date: the station needs at least the day");
    }
  }
  if (text.size() == 10) {
    const auto date = domain::parse_date(text);
    if (!date) return refuse("\"" + quote(text) + "\" is not a real date (YYYY-MM-DD)");
    return FhirDateTime{domain::London::start_of_day(*date), true, *date};
  }
  if (text.size() < 19 || text[10] != 'T') {
    return refuse("\"" + quote(text) + "\" is not a FHIR dateTime (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz)");
  }
  std::string normal(text.substr(0, 19));
  std::size_t i = 19;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == start) return refuse("\"" + quote(text) + "\" has an empty fraction of a second");
  }
  if (i == text.size()) {
    return refuse("\"" + quote(text) + "\" has a time but no time zone (FHIR requires one)");
  }
  normal += text.substr(i);
  const auto instant = domain::parse_instant(normal);
  if (!instant) return refuse("\"" + quote(text) + "\" is not a valid FHIR dateTime");
  return FhirDateTime{*instant, false, domain::London::local_date(*instant)};
}

std::optional<FhirDateTime> get_datetime(const Json& object, std::string_view key,
                                         const std::string& pointer, Problems& problems) {
  const auto text = get_string(object, key, pointer, problems);
  if (!text) return std::nullopt;
  std::string why;
  auto dt = parse_datetime(*text, &why);
  if (!dt) problems.add(reason::kInvalidResource, child(pointer, key), std::string(key) + ": " + why);
  return dt;
}

std::vector<Coding> codings(const Json& codeable, std::string_view system,
                            const std::string& pointer, Problems& problems) {
  std::vector<Coding> out;
  const Json* list = get_array(codeable, "coding", pointer, problems);
  if (list == nullptr) return out;
  const std::string list_ptr = child(pointer, "coding");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& c = (*list)[i];
    const std::string p = child(list_ptr, i);
    if (!c.is_object()) {
      problems.add(reason::kInvalidResource, p, "a coding must be an object");
      continue;
    }
    const auto sys = get_string(c, "system", p, problems);
    if (!sys || *sys != system) continue;
    const auto code = get_string(c, "code", p, problems);
    if (!code || code->empty()) {
      problems.add(reason::kInvalidResource, p, "a " + std::string(system) + " coding has no code");
      continue;
    }
    out.push_back(Coding{*sys, *code, get_string(c, "display", p, problems).value_or(""), p});
  }
  return out;
}

std::string concept_text(const Json& codeable) {
  if (const Json* t = member(codeable, "text"); t != nullptr && t->is_string()) {
    return t->get<std::string>();
  }
  if (const Json* list = member(codeable, "coding"); list != nullptr && list->is_array()) {
    for (const Json& c : *list) {
      if (const Json* d = member(c, "display"); d != nullptr && d->is_string()) {
        return d->get<std::string>();
      }
    }
  }
  return {};
}

std::string canonical(const Json& resource) {
  return resource.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<std::string> sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
    return fail("crypto_failure", "SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0x0F];
  }
  return out;
}

std::string quote(std::string_view value) {
  if (value.size() <= 80) return std::string(value);
  return std::string(value.substr(0, 77)) + "...";
}

}  // namespace bcma::station::emar::detail
