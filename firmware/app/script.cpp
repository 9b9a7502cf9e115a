#include "script.hpp"

#include <charconv>
#include <sstream>
#include <thread>

namespace bcma::fw::app {

namespace {

using namespace std::chrono_literals;

struct Grammar {
  const char* word;
  StepKind kind;
  std::size_t min_args;
  std::size_t max_args;
};

constexpr Grammar kSteps[] = {
    {"scan", StepKind::kScan, 1, 1},           {"scan-synth", StepKind::kScanSynth, 1, 64},
    {"key", StepKind::kKey, 1, 64},            {"type", StepKind::kType, 1, 1},
    {"choose", StepKind::kChoose, 1, 1},       {"wait", StepKind::kWait, 1, 1},
    {"disconnect", StepKind::kDisconnect, 0, 0}, {"connect", StepKind::kConnect, 0, 0},
    {"sync", StepKind::kSync, 0, 1},           {"expect", StepKind::kExpect, 1, 1},
    {"say", StepKind::kSay, 1, 4096},
};

Unexpected<Error> bad(const Step& step, const std::string& what) {
  return fail("bad_script", "line " + std::to_string(step.line) + ": " + what);
}

Result<int> seconds_of(const Step& step, const std::string& text) {
  int v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v < 0) {
    return bad(step, "'" + text + "' is not a whole number of seconds");
  }
  return v;
}

}  // namespace

Result<std::vector<Step>> parse_script(std::string_view text) {
  std::vector<Step> steps;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::string word;
    if (!(words >> word)) continue;
    Step step;
    step.line = n;
    step.text = line;
    while (!step.text.empty() && (step.text.back() == ' ' || step.text.back() == '\r')) step.text.pop_back();
    for (std::string arg; words >> arg;) step.args.push_back(arg);
    const Grammar* g = nullptr;
    for (const auto& candidate : kSteps) {
      if (word == candidate.word) g = &candidate;
    }
    if (g == nullptr) {
      return fail("bad_script", "line " + std::to_string(n) + ": unknown step '" + word +
                                    "' (scan, scan-synth, key, type, choose, wait, disconnect, "
                                    "connect, sync, expect, say)");
    }
    if (step.args.size() < g->min_args || step.args.size() > g->max_args) {
      return fail("bad_script", "line " + std::to_string(n) + ": '" + word + "' takes " +
                                    (g->min_args == g->max_args
                                         ? std::to_string(g->min_args)
                                         : std::to_string(g->min_args) + " to " + std::to_string(g->max_args)) +
                                    " argument(s)");
    }
    step.kind = g->kind;
    steps.push_back(std::move(step));
  }
  return steps;
}

ScriptRunner::ScriptRunner(ScannerLoop& loop, host::QueueCamera& camera, host::QueueKeypad& keypad,
                           host::SimClock& clock, hal::NetworkLink& link,
                           std::filesystem::path base_dir, std::ostream& out)
    : loop_(loop), camera_(camera), keypad_(keypad), clock_(clock), link_(link),
      base_dir_(std::move(base_dir)), out_(out) {}

Result<void> ScriptRunner::present(std::vector<scan::GreyImage> frames) {
  // Each scan step is the worker presenting a code on purpose: the same pack shown again a
  // moment later is a new scan, not a duplicate frame.
  loop_.forget_reported();
  camera_.show(std::move(frames));
  while (camera_.queued() > 0) loop_.turn(0ms);
  return {};
}

Result<void> ScriptRunner::run(const Step& step) {
  if (step.kind == StepKind::kSay) {
    // Narration for people watching a demo: the words as written, not a step of the round.
    const auto at = step.text.find("say") + 3;
    out_ << "\n# " << step.text.substr(step.text.find_first_not_of(' ', at)) << "\n" << std::flush;
    return {};
  }
  const auto& entry = loop_.round().screen().entry;
  if (step.kind == StepKind::kType && entry && entry->masked) {
    // A PIN typed into a masked field is never echoed, not even by the simulator.
    out_ << "> type " << std::string(step.args[0].size(), '*') << "\n" << std::flush;
  } else {
    out_ << "> " << step.text << "\n" << std::flush;
  }
  switch (step.kind) {
    case StepKind::kScan: {
      std::filesystem::path path = step.args[0];
      if (path.is_relative()) path = base_dir_ / path;
      auto frames = host::load_frames(path);
      if (!frames) return bad(step, frames.error().code + ": " + frames.error().message);
      return present(std::move(*frames));
    }
    case StepKind::kScanSynth: {
      host::SynthOptions options;
      for (std::size_t i = 1; i < step.args.size(); ++i) {
        if (auto r = host::apply_synth_option(step.args[i], options); !r) return bad(step, r.error().message);
      }
      auto frame = host::synthesize_frame(step.args[0], options);
      if (!frame) return bad(step, frame.error().code + ": " + frame.error().message);
      std::vector<scan::GreyImage> frames;
      frames.push_back(std::move(*frame));
      return present(std::move(frames));
    }
    case StepKind::kKey:
      for (const auto& name : step.args) {
        auto key = hal::key_from_string(name);
        if (!key) return bad(step, "unknown key '" + name + "' (confirm, back, up, down, trigger, 0..9)");
        keypad_.press(*key);
      }
      loop_.turn(0ms);
      return {};
    case StepKind::kType:
      if (auto r = loop_.round().type(step.args[0]); !r) return bad(step, r.error().message);
      loop_.turn(0ms);
      return {};
    case StepKind::kChoose:
      if (auto r = loop_.round().choose(step.args[0]); !r) return bad(step, r.error().message);
      loop_.turn(0ms);
      return {};
    case StepKind::kWait: {
      auto s = seconds_of(step, step.args[0]);
      if (!s) return Unexpected(s.error());
      clock_.advance(std::chrono::seconds(*s));
      loop_.turn(0ms);
      return {};
    }
    case StepKind::kDisconnect:
      link_.set_enabled(false);
      loop_.turn(0ms);
      return {};
    case StepKind::kConnect:
      link_.set_enabled(true);
      loop_.turn(0ms);
      return {};
    case StepKind::kSync: {
      int limit = 10;
      if (!step.args.empty()) {
        auto s = seconds_of(step, step.args[0]);
        if (!s) return Unexpected(s.error());
        limit = *s;
      }
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limit);
      link_.wait_until_up(std::chrono::seconds(limit));
      while (loop_.outbox().size() > 0 && std::chrono::steady_clock::now() < deadline) {
        loop_.turn(50ms);
        std::this_thread::sleep_for(20ms);
      }
      loop_.turn(0ms);
      if (loop_.outbox().size() > 0) {
        return fail("not_synced", "line " + std::to_string(step.line) + ": " +
                                      std::to_string(loop_.outbox().size()) +
                                      " record(s) still in the outbox after " + std::to_string(limit) + " s");
      }
      out_ << "[outbox] empty: every record acknowledged\n" << std::flush;
      return {};
    }
    case StepKind::kSay:
      return {};
    case StepKind::kExpect: {
      const std::string shown(round::to_string(loop_.round().state()));
      if (shown != step.args[0]) {
        return fail("unexpected_screen", "line " + std::to_string(step.line) + ": expected screen '" +
                                             step.args[0] + "', shown '" + shown + "'");
      }
      return {};
    }
  }
  return bad(step, "unknown step");
}

}  // namespace bcma::fw::app
