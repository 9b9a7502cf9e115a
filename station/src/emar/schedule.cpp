#include "schedule.hpp"

#include <algorithm>
#include <bit>

#include "bcma/station/emar/errors.hpp"
#include "dose.hpp"

namespace bcma::station::emar::detail {

namespace {

namespace chr = std::chrono;
using domain::Decimal;
using domain::DayPattern;
using domain::TimeOfDay;

struct EventCode {
  std::string_view code;
  std::string_view meaning;
  std::string_view base;  ///< the event an offset counts from (a meal for AC*/PC*)
  bool before = false;    ///< an offset counts back from the event
  bool no_offset = false; ///< C, CM, CD, CV: FHIR forbids an offset
};

// FHIR R4 EventTiming (http://hl7.org/fhir/event-timing and v3 TimingEvent).
constexpr EventCode kEvents[] = {
    {"MORN", "in the morning", "MORN"},        {"MORN.early", "early morning", "MORN.early"},
    {"MORN.late", "late morning", "MORN.late"}, {"NOON", "at noon", "NOON"},
    {"AFT", "in the afternoon", "AFT"},         {"AFT.early", "early afternoon", "AFT.early"},
    {"AFT.late", "late afternoon", "AFT.late"}, {"EVE", "in the evening", "EVE"},
    {"EVE.early", "early evening", "EVE.early"}, {"EVE.late", "late evening", "EVE.late"},
    {"NIGHT", "at night", "NIGHT"},             {"PHS", "after sleep", "PHS"},
    {"HS", "before sleep", "HS", true},         {"WAKE", "on waking", "WAKE"},
    {"C", "at a meal", "C", false, true},       {"CM", "at breakfast", "CM", false, true},
    {"CD", "at lunch", "CD", false, true},      {"CV", "at dinner", "CV", false, true},
    {"AC", "before a meal", "C", true},         {"ACM", "before breakfast", "CM", true},
    {"ACD", "before lunch", "CD", true},        {"ACV", "before dinner", "CV", true},
    {"PC", "after a meal", "C"},                {"PCM", "after breakfast", "CM"},
    {"PCD", "after lunch", "CD"},               {"PCV", "after dinner", "CV"},
};

const EventCode* event(std::string_view code) {
  for (const auto& e : kEvents) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

std::string rounds_text(const rules::Policy& policy) {
  std::string out;
  for (const auto& [name, time] : policy.rounds) {
    if (!out.empty()) out += ", ";
    out += name + " " + time.to_string();
  }
  return out.empty() ? "none" : out;
}

struct DurationValue {
  Decimal value;
  std::string unit;  ///< UCUM units of time: s, min, h, d, wk, mo, a
  std::string text;  ///< "7 d"
};

std::optional<DurationValue> read_duration(const Json& object, std::string_view key,
                                           const std::string& pointer, Problems& problems) {
  const Json* d = get_object(object, key, pointer, problems);
  if (d == nullptr) return std::nullopt;
  const std::string p = child(pointer, key);
  const auto value = get_decimal(*d, "value", p, problems);
  const auto code = get_string(*d, "code", p, problems);
  const auto unit = get_string(*d, "unit", p, problems);
  const std::string u = code ? *code : unit.value_or("");
  if (!value || u.empty()) {
    problems.add(reason::kInvalidResource, p, std::string(key) + " needs a value and a unit");
    return std::nullopt;
  }
  const std::string n = normalise_unit(u);
  std::string ucum;
  if (n == "s" || n == "second") ucum = "s";
  if (n == "min" || n == "minute") ucum = "min";
  if (n == "h" || n == "hour") ucum = "h";
  if (n == "d" || n == "day") ucum = "d";
  if (n == "wk" || n == "week") ucum = "wk";
  if (n == "mo" || n == "month") ucum = "mo";
  if (n == "a" || n == "year") ucum = "a";
  if (ucum.empty()) {
    problems.add(reason::kInvalidResource, p, std::string(key) + ": \"" + u + "\" is not a unit of time");
    return std::nullopt;
  }
  return DurationValue{*value, ucum, value->to_string() + " " + u};
}

domain::Instant add_local_days(domain::Instant t, int days) {
  const domain::LocalDateTime l = domain::London::to_local(t);
  const domain::Date d{chr::sys_days{l.date} + chr::days{days}};
  return domain::London::to_instant(d, l.time) + chr::seconds{l.second};
}

std::optional<int> whole(const Decimal& d) {
  if (!d.is_whole() || d <= Decimal{} || d > Decimal::from_int(100000)) return std::nullopt;
  return static_cast<int>(d.thousandths() / Decimal::kScale);
}

std::optional<std::uint8_t> weekday_bit(std::string_view day) {
  static constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (unsigned i = 0; i < 7; ++i) {
    if (kDays[i] == day) return static_cast<std::uint8_t>(1U << i);
  }
  return std::nullopt;
}

std::vector<std::string> strings(const Json& object, std::string_view key, const std::string& pointer,
                                 Problems& problems) {
  std::vector<std::string> out;
  const Json* list = get_array(object, key, pointer, problems);
  if (list == nullptr) return out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (!(*list)[i].is_string()) {
      problems.add(reason::kInvalidResource, child(child(pointer, key), i),
                   std::string(key) + " entries must be strings");
      continue;
    }
    out.push_back((*list)[i].get<std::string>());
  }
  return out;
}

// Timing.repeat.when and offset as dose times. Returns false (with problems) on any code the
// home cannot give at a known time.
bool when_times(const std::vector<std::string>& when, std::optional<std::int64_t> offset,
                const std::string& rp, const rules::Policy& policy, Schedule& s, Problems& problems) {
  bool ok = true;
  for (std::size_t i = 0; i < when.size(); ++i) {
    const std::string& code = when[i];
    const std::string p = child(child(rp, "when"), i);
    const EventCode* e = event(code);
    if (offset && *offset != 0) {
      if (e != nullptr && e->no_offset) {
        problems.add(reason::kAmbiguousData, child(rp, "offset"),
                     "an offset cannot be combined with \"" + code + "\" (" + std::string(e->meaning) +
                         "): FHIR does not allow it");
        ok = false;
        continue;
      }
      const std::string base = e != nullptr ? std::string(e->base) : code;
      const auto base_time = policy.round_time(base);
      if (!base_time) {
        problems.add(reason::kUnmappedWhen, p,
                     "\"" + code + "\" with an offset of " + std::to_string(*offset) +
                         " minutes counts from \"" + base + "\", which is not one of this home's rounds (" +
                         rounds_text(policy) + ")");
        ok = false;
        continue;
      }
      const bool before = e != nullptr && e->before;
      const int minutes = base_time->minutes + static_cast<int>(before ? -*offset : *offset);
      if (minutes < 0 || minutes >= 24 * 60) {
        problems.add(reason::kUnsupportedTiming, child(rp, "offset"),
                     "\"" + code + "\" with an offset of " + std::to_string(*offset) +
                         " minutes falls on another day");
        ok = false;
        continue;
      }
      s.times.push_back(domain::DoseTime{"", TimeOfDay{minutes}});
      s.notes.push_back(std::to_string(*offset) + " minutes " + (before ? "before " : "after ") +
                        base + " (" + base_time->to_string() + "): " + TimeOfDay{minutes}.to_string());
      continue;
    }
    if (!policy.round_time(code)) {
      problems.add(reason::kUnmappedWhen, p,
                   "\"" + code + "\"" +
                       (e != nullptr ? " (" + std::string(e->meaning) + ")"
                                     : std::string(" (not a FHIR event timing code)")) +
                       " is not one of this home's rounds (" + rounds_text(policy) +
                       "): the home can add it to its policy, or the pharmacy can give a time of day");
      ok = false;
      continue;
    }
    s.times.push_back(domain::DoseTime{code, TimeOfDay{}});
  }
  return ok;
}

}  // namespace

std::optional<Schedule> read_schedule(const Json& dosage, const std::string& pointer,
                                      bool as_needed, const FhirDateTime& authored_on,
                                      const rules::Policy& policy, Problems& problems) {
  const std::size_t before = problems.size();
  Schedule s;
  s.starts = authored_on.instant;
  const std::string tp = child(pointer, "timing");
  const Json* timing = get_object(dosage, "timing", pointer, problems);
  if (timing == nullptr) {
    if (!as_needed) {
      problems.add(reason::kUnsupportedTiming, tp,
                   "a regular dose needs a timing (when it is given); only when-required doses may omit it");
      return std::nullopt;
    }
    return problems.size() == before ? std::optional<Schedule>(s) : std::nullopt;
  }
  if (member(*timing, "event") != nullptr) {
    problems.add(reason::kUnsupportedTiming, child(tp, "event"),
                 "doses on listed dates (timing.event) are not a repeating schedule the station can hold");
  }
  const std::string rp = child(tp, "repeat");
  const Json* repeat = get_object(*timing, "repeat", tp, problems);
  if (repeat == nullptr) {
    if (const Json* code = member(*timing, "code")) {
      problems.add(reason::kUnsupportedTiming, child(tp, "code"),
                   "timing.code \"" + concept_text(*code) +
                       "\" without timing.repeat does not say at which of the home's rounds");
    } else if (!as_needed) {
      problems.add(reason::kUnsupportedTiming, tp, "the timing has no repeat: when is the dose given?");
    }
    return problems.size() == before ? std::optional<Schedule>(s) : std::nullopt;
  }

  // Bounds: the start (else authoredOn) and the exclusive end.
  bool explicit_start = false;
  const int bounds = (member(*repeat, "boundsDuration") ? 1 : 0) + (member(*repeat, "boundsRange") ? 1 : 0) +
                     (member(*repeat, "boundsPeriod") ? 1 : 0);
  if (bounds > 1) problems.add(reason::kAmbiguousData, rp, "more than one bounds[x] is given");
  if (member(*repeat, "boundsRange") != nullptr) {
    problems.add(reason::kUnsupportedTiming, child(rp, "boundsRange"),
                 "bounds as a range of durations is not a definite course length");
  }
  if (const Json* period = get_object(*repeat, "boundsPeriod", rp, problems)) {
    const std::string bp = child(rp, "boundsPeriod");
    if (auto start = get_datetime(*period, "start", bp, problems)) {
      s.starts = start->instant;
      explicit_start = true;
    }
    if (auto end = get_datetime(*period, "end", bp, problems)) {
      // A Period's end is inclusive: a date covers that whole day.
      s.ends = end->date_only ? domain::London::start_of_day(domain::Date{chr::sys_days{end->date} + chr::days{1}})
                              : end->instant + chr::seconds{1};
    }
  }
  if (auto d = read_duration(*repeat, "boundsDuration", rp, problems)) {
    const auto n = whole(d->value);
    if (!n || d->unit == "mo" || d->unit == "a" || d->unit == "s") {
      problems.add(reason::kUnsupportedTiming, child(rp, "boundsDuration"),
                   "a course of " + d->text + " is not a whole number of minutes, hours, days or weeks");
    } else if (d->unit == "min") {
      s.ends = s.starts + chr::minutes{*n};
    } else if (d->unit == "h") {
      s.ends = s.starts + chr::hours{*n};
    } else {
      s.ends = add_local_days(s.starts, d->unit == "wk" ? 7 * *n : *n);
    }
  }
  if (s.ends && *s.ends <= s.starts) {
    problems.add(reason::kAmbiguousData, rp, "the course ends before it starts");
  }
  if (auto count = get_integer(*repeat, "count", rp, problems, 1)) s.count = static_cast<int>(*count);
  for (const char* unsupported : {"countMax", "duration", "durationMax"}) {
    if (member(*repeat, unsupported) != nullptr) {
      problems.add(reason::kUnsupportedTiming, child(rp, unsupported),
                   std::string(unsupported) == "countMax"
                       ? "a range of the number of doses is not a definite course"
                       : "the length of each administration (e.g. an infusion) is not something the station times");
    }
  }

  const auto frequency = get_integer(*repeat, "frequency", rp, problems, 1);
  const auto frequency_max = get_integer(*repeat, "frequencyMax", rp, problems, 1);
  const auto period = get_decimal(*repeat, "period", rp, problems);
  const auto period_max = get_decimal(*repeat, "periodMax", rp, problems);
  const auto period_unit_text = get_string(*repeat, "periodUnit", rp, problems);
  const auto offset = get_integer(*repeat, "offset", rp, problems, 0);
  const auto day_names = strings(*repeat, "dayOfWeek", rp, problems);
  const auto time_texts = strings(*repeat, "timeOfDay", rp, problems);
  const auto when = strings(*repeat, "when", rp, problems);
  if (problems.size() != before) return std::nullopt;

  if (period && *period <= Decimal{}) {
    problems.add(reason::kInvalidResource, child(rp, "period"), "the period must be more than 0");
  }
  if (period.has_value() != period_unit_text.has_value()) {
    problems.add(reason::kInvalidResource, rp, "period and periodUnit must be given together");
  }
  if (frequency && frequency_max && *frequency_max < *frequency) {
    problems.add(reason::kInvalidResource, child(rp, "frequencyMax"), "frequencyMax is below frequency");
  }
  if (period && period_max && *period_max < *period) {
    problems.add(reason::kInvalidResource, child(rp, "periodMax"), "periodMax is below period");
  }
  if (frequency && !period) {
    problems.add(reason::kInvalidResource, child(rp, "frequency"), "a frequency needs a period (per what?)");
  }
  std::uint8_t weekdays = 0;
  for (std::size_t i = 0; i < day_names.size(); ++i) {
    const auto bit = weekday_bit(day_names[i]);
    if (!bit) {
      problems.add(reason::kInvalidResource, child(child(rp, "dayOfWeek"), i),
                   "\"" + day_names[i] + "\" is not a day of the week (mon..sun)");
      continue;
    }
    weekdays = static_cast<std::uint8_t>(weekdays | *bit);
  }
  if (!when.empty() && !time_texts.empty()) {
    problems.add(reason::kAmbiguousData, rp, "both when and timeOfDay are given: which one holds?");
  }
  if (offset && when.empty()) {
    problems.add(reason::kAmbiguousData, child(rp, "offset"), "an offset without when: offset from what?");
  }
  std::string unit;
  if (period_unit_text) {
    unit = *period_unit_text;
    static constexpr std::string_view kUnits[] = {"s", "min", "h", "d", "wk", "mo", "a"};
    if (std::find(std::begin(kUnits), std::end(kUnits), unit) == std::end(kUnits)) {
      problems.add(reason::kInvalidResource, child(rp, "periodUnit"),
                   "\"" + unit + "\" is not a FHIR unit of time (s, min, h, d, wk, mo, a)");
    }
  }
  if (problems.size() != before) return std::nullopt;
  const std::string every = period ? period->to_string() + (period_max ? "-" + period_max->to_string() : "") +
                                         " " + unit
                                   : "";

  if (as_needed) {
    if (!when.empty() || !time_texts.empty() || weekdays != 0) {
      problems.add(reason::kUnsupportedTiming, rp,
                   "a when-required dose limited to certain times or days cannot be enforced: the "
                   "station allows a when-required dose at any time within its interval and maximum");
    }
    if (s.count) {
      problems.add(reason::kUnsupportedTiming, child(rp, "count"),
                   "a total number of when-required doses cannot be enforced");
    }
    if (period) {
      const std::int64_t f = frequency_max.value_or(frequency.value_or(1));
      if (unit == "s" || unit == "min" || unit == "h") {
        const Decimal per_min = unit == "h" ? Decimal::from_int(60) : Decimal::from_int(1);
        const auto minutes = unit == "s" ? period->divided_by(Decimal::from_int(60)) : period->times(per_min);
        if (f != 1) {
          problems.add(reason::kUnsupportedTiming, child(rp, "frequency"),
                       std::to_string(f) + " doses every " + every +
                           " when required: the station holds a minimum interval between single doses");
        } else if (!minutes || !minutes->is_whole()) {
          problems.add(reason::kUnsupportedTiming, child(rp, "period"),
                       "an interval of " + every + " is not a whole number of minutes");
        } else {
          s.prn_min_interval = domain::Minutes{minutes->thousandths() / Decimal::kScale};
          s.notes.push_back("when required, at least " + period->to_string() + " " + unit + " apart");
        }
      } else if (unit == "d" && *period == Decimal::from_int(1) && !period_max) {
        s.prn_times_per_day = static_cast<int>(f);
        s.notes.push_back("when required, up to " + std::to_string(f) + " times a day");
      } else {
        problems.add(reason::kUnsupportedTiming, child(rp, "period"),
                     "when required \"" + std::to_string(f) + " per " + every +
                         "\": the station holds an interval in hours or minutes, or a number of doses per day");
      }
    }
    return problems.size() == before ? std::optional<Schedule>(std::move(s)) : std::nullopt;
  }

  // Regular doses: at the home's rounds or at clock times.
  if (!when_times(when, offset, rp, policy, s, problems)) return std::nullopt;
  for (std::size_t i = 0; i < time_texts.size(); ++i) {
    const std::string& t = time_texts[i];
    const std::string p = child(child(rp, "timeOfDay"), i);
    const auto tod = t.size() == 8 && t[5] == ':' ? TimeOfDay::parse(t.substr(0, 5)) : std::nullopt;
    const bool seconds_ok = t.size() == 8 && t[6] >= '0' && t[6] <= '5' && t[7] >= '0' && t[7] <= '9';
    if (!tod || !seconds_ok) {
      problems.add(reason::kInvalidResource, p, "\"" + t + "\" is not a time of day (hh:mm:ss)");
      continue;
    }
    if (t.substr(6) != "00") {
      problems.add(reason::kUnsupportedTiming, p, "\"" + t + "\": dose times are held to the minute");
      continue;
    }
    s.times.push_back(domain::DoseTime{"", *tod});
  }
  if (problems.size() != before) return std::nullopt;
  if (s.times.empty()) {
    problems.add(reason::kUnsupportedTiming, rp,
                 (period ? "\"" + std::to_string(frequency.value_or(1)) + " per " + every + "\"" : std::string("the timing")) +
                     " does not say when: a regular dose needs the home's rounds (when) or times of day "
                     "(timeOfDay); the station does not choose them");
    return std::nullopt;
  }
  for (std::size_t i = 0; i < s.times.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const auto& a = s.times[i];
      const auto& b = s.times[j];
      const bool same = a.round.empty() && b.round.empty() ? a.time == b.time : a.round == b.round && !a.round.empty();
      if (same) {
        problems.add(reason::kAmbiguousData, rp,
                     "the same dose time is given twice (" + (a.round.empty() ? a.time.to_string() : a.round) + ")");
        return std::nullopt;
      }
    }
  }
  if (frequency_max || period_max) {
    problems.add(reason::kUnsupportedTiming, rp,
                 "a range of frequency or period (\"" + every + "\") is not a fixed schedule for a regular dose");
    return std::nullopt;
  }
  const int n_times = static_cast<int>(s.times.size());
  const int n_days = std::popcount(weekdays);
  const auto n = whole(period.value_or(Decimal::from_int(1)));
  if (unit.empty()) unit = "d";
  if (!n) {
    problems.add(reason::kUnsupportedTiming, child(rp, "period"), "a period of " + every + " is not a whole number");
    return std::nullopt;
  }
  int expected = n_times;  // doses per period the listed times give
  auto needs_start = [&](const std::string& what) {
    if (explicit_start) return true;
    problems.add(reason::kUnsupportedTiming, child(rp, "boundsPeriod"),
                 what + " needs its first day: timing.repeat.boundsPeriod.start (the station does not "
                        "assume it from authoredOn)");
    return false;
  };
  const domain::Date start_day = domain::London::local_date(s.starts);
  if (unit == "d") {
    if (*n == 1) {
      s.days.kind = weekdays != 0 ? DayPattern::Kind::kDaysOfWeek : DayPattern::Kind::kEveryDay;
      s.days.weekdays = weekdays;
    } else if (weekdays != 0) {
      problems.add(reason::kUnsupportedTiming, rp, "every " + every + " on certain days of the week is not supported");
      return std::nullopt;
    } else {
      if (!needs_start("every " + every)) return std::nullopt;
      s.days = DayPattern{DayPattern::Kind::kEveryNDays, 0, *n, start_day};
    }
  } else if (unit == "wk") {
    if (weekdays != 0) {
      if (*n != 1) {
        problems.add(reason::kUnsupportedTiming, rp, "every " + every + " on a day of the week is not supported");
        return std::nullopt;
      }
      s.days = DayPattern{DayPattern::Kind::kDaysOfWeek, weekdays, 1, {}};
      expected = n_times * n_days;
    } else {
      if (!needs_start("every " + every)) return std::nullopt;
      s.days = DayPattern{DayPattern::Kind::kEveryNDays, 0, 7 * *n, start_day};
    }
  } else if (unit == "h") {
    if (24 % *n != 0) {
      problems.add(reason::kUnsupportedTiming, child(rp, "period"),
                   "every " + every + " does not fall at the same times each day");
      return std::nullopt;
    }
    s.days.kind = weekdays != 0 ? DayPattern::Kind::kDaysOfWeek : DayPattern::Kind::kEveryDay;
    s.days.weekdays = weekdays;
    if (frequency.value_or(1) * (24 / *n) != n_times) {
      problems.add(reason::kAmbiguousData, rp,
                   std::to_string(frequency.value_or(1)) + " every " + every + " is " +
                       std::to_string(frequency.value_or(1) * (24 / *n)) + " doses a day, but " +
                       std::to_string(n_times) + " times are given");
      return std::nullopt;
    }
    return s;
  } else {
    problems.add(reason::kUnsupportedTiming, child(rp, "periodUnit"),
                 "a regular dose every " + every +
                     " cannot be given at the home's fixed rounds (the station supports days and weeks, "
                     "or hours that divide the day)");
    return std::nullopt;
  }
  if (s.days.every_n_days > 366) {
    problems.add(reason::kUnsupportedTiming, child(rp, "period"), "a cycle of more than 366 days is not supported");
    return std::nullopt;
  }
  if (frequency && *frequency != expected) {
    problems.add(reason::kAmbiguousData, child(rp, "frequency"),
                 "frequency " + std::to_string(*frequency) + " per " + every + " does not match the " +
                     std::to_string(expected) + " dose times given");
    return std::nullopt;
  }
  return s;
}

}  // namespace bcma::station::emar::detail
