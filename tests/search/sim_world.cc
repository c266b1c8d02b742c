#include "tests/search/sim_world.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace thor::testing {
namespace {

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t HashText(uint64_t seed, const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL ^ Mix(seed);
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return Mix(h);
}

double Unit(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

// Parses "goal k=<k> h=<h>" (hot in benchmarks, so no sscanf).
bool ParseGoal(const std::string& s, int* k, uint64_t* h) {
  absl::string_view v = s;
  if (!absl::ConsumePrefix(&v, "goal k=")) return false;
  const size_t space = v.find(' ');
  if (space == absl::string_view::npos) return false;
  if (!absl::SimpleAtoi(v.substr(0, space), k)) return false;
  v.remove_prefix(space);
  return absl::ConsumePrefix(&v, " h=") && absl::SimpleAtoi(v, h);
}

std::string Goal(int k, uint64_t h) { return absl::StrCat("goal k=", k, " h=", h); }

}  // namespace

Latency Latency::Scaled(double factor) const {
  return {base * factor, jitter * factor, tail_probability, tail * factor};
}

absl::Duration Latency::Sample(std::mt19937_64& gen) const {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  absl::Duration d = base;
  if (jitter > absl::ZeroDuration()) d += jitter * u(gen);
  if (tail_probability > 0 && u(gen) < tail_probability) d += tail * u(gen);
  return d;
}

// --- ScriptedWorld ----------------------------------------------------------

ScriptedWorld& ScriptedWorld::Step(const std::string& from,
                                   const std::string& step,
                                   const std::string& to) {
  edges_[{from, step}] = {StepKind::kNewState, to, ""};
  return *this;
}

ScriptedWorld& ScriptedWorld::Finish(const std::string& from,
                                     const std::string& step) {
  edges_[{from, step}] = {StepKind::kProofFinished, "", ""};
  return *this;
}

ScriptedWorld& ScriptedWorld::Outcome(const std::string& from,
                                      const std::string& step, StepKind kind,
                                      const std::string& message) {
  edges_[{from, step}] = {kind, "", message};
  return *this;
}

ScriptedWorld& ScriptedWorld::HammerProves(const std::string& from,
                                           const std::string& step_text) {
  hammer_[from] = step_text;
  return *this;
}

ScriptedWorld& ScriptedWorld::Candidates(const std::string& state,
                                         std::vector<Candidate> candidates) {
  candidates_[state] = std::move(candidates);
  return *this;
}

absl::StatusOr<std::string> ScriptedWorld::InitialState(const Theorem& t) const {
  return t.statement;
}

SimOutcome ScriptedWorld::Apply(const std::string& state,
                                const std::string& step) const {
  auto it = edges_.find({state, step});
  if (it == edges_.end()) {
    return {StepKind::kStepError, "", absl::StrCat("sim: '", step, "' failed")};
  }
  return it->second;
}

SimHammer ScriptedWorld::Hammer(const std::string& state) const {
  SimHammer h;
  auto it = hammer_.find(state);
  if (it == hammer_.end()) {
    h.outcome = {StepKind::kStepError, "", "sim hammer: no proof found"};
    return h;
  }
  h.outcome = {StepKind::kProofFinished, "", ""};
  h.step_text = it->second;
  h.prover = "sim-atp";
  h.premises = {"fact_a", "fact_b"};
  return h;
}

std::vector<Candidate> ScriptedWorld::Propose(const std::string& state, int n,
                                              uint64_t /*seed*/,
                                              const std::string& hammer_token) const {
  std::vector<Candidate> out;
  auto it = candidates_.find(state);
  if (it == candidates_.end()) return out;
  for (const Candidate& c : it->second) {
    if (static_cast<int>(out.size()) >= n) break;
    out.push_back(c);
    if (out.back().step == hammer_token) out.back().is_hammer = true;
  }
  return out;
}

// --- SyntheticWorld ---------------------------------------------------------

std::string SyntheticWorld::Statement(int depth, int id) {
  return absl::StrCat("sim depth=", depth, " id=", id);
}

absl::StatusOr<std::string> SyntheticWorld::InitialState(const Theorem& t) const {
  int depth = 0;
  int id = 0;
  if (std::sscanf(t.statement.c_str(), "sim depth=%d id=%d", &depth, &id) != 2 ||
      depth < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sim prover: statement must read 'sim depth=<k> id=<x>' with k >= 1, "
        "got '", t.statement, "'"));
  }
  return Goal(depth, Mix(o_.seed ^ Mix(static_cast<uint64_t>(id))) %
                         static_cast<uint64_t>(o_.state_pool));
}

SimOutcome SyntheticWorld::Apply(const std::string& state,
                                 const std::string& step) const {
  int k = 0;
  uint64_t h = 0;
  if (!ParseGoal(state, &k, &h)) {
    return {StepKind::kStepError, "", "sim: unknown state"};
  }
  const uint64_t right = Mix(o_.seed ^ Mix(h)) % static_cast<uint64_t>(o_.vocabulary);
  const uint64_t next_h =
      HashText(o_.seed ^ h, step) % static_cast<uint64_t>(o_.state_pool);
  if (step == absl::StrCat("t", right)) {
    if (k <= 1) return {StepKind::kProofFinished, "", ""};
    return {StepKind::kNewState, Goal(k - 1, next_h), ""};
  }
  const double r = Unit(HashText(o_.seed ^ Mix(h + 1), step));
  if (r < o_.p_error) {
    return {StepKind::kStepError, "", absl::StrCat("sim: '", step, "' failed")};
  }
  if (r < o_.p_error + o_.p_same) return {StepKind::kNewState, state, ""};
  const double r2 = Unit(HashText(o_.seed ^ Mix(h + 2), step));
  return {StepKind::kNewState, Goal(r2 < o_.p_further ? k + 1 : k, next_h), ""};
}

SimHammer SyntheticWorld::Hammer(const std::string& state) const {
  SimHammer out;
  int k = 0;
  uint64_t h = 0;
  if (ParseGoal(state, &k, &h) && k <= o_.hammer_reach &&
      Unit(Mix(o_.seed ^ Mix(h + 3))) < o_.p_hammer_success) {
    out.outcome = {StepKind::kProofFinished, "", ""};
    out.step_text = absl::StrCat("by (metis fact_", h, ")");
    out.prover = "sim-atp";
    out.premises = {absl::StrCat("fact_", h)};
    return out;
  }
  out.outcome = {StepKind::kStepError, "", "sim hammer: no proof found"};
  return out;
}

std::vector<Candidate> SyntheticWorld::Propose(const std::string& state, int n,
                                               uint64_t seed,
                                               const std::string& hammer_token) const {
  std::vector<Candidate> out;
  int k = 0;
  uint64_t h = 0;
  if (!ParseGoal(state, &k, &h) || n <= 0) return out;
  std::mt19937_64 gen(Mix(seed ^ Mix(h)));
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const uint64_t right = Mix(o_.seed ^ Mix(h)) % static_cast<uint64_t>(o_.vocabulary);
  if (u(gen) < o_.p_right_proposed) {
    out.push_back({absl::StrCat("t", right), -0.2 - u(gen), false});
  }
  if (u(gen) < o_.p_hammer_proposed && static_cast<int>(out.size()) < n) {
    out.push_back({hammer_token, -0.5 - u(gen), true});
  }
  while (static_cast<int>(out.size()) < n) {
    const uint64_t s = gen() % static_cast<uint64_t>(o_.vocabulary);
    if (s == right && o_.vocabulary > 1) continue;
    // The same step gets the same log-probability within a query.
    const double lp = -1.0 - 4.0 * Unit(Mix(seed ^ Mix(h ^ (s + 7))));
    out.push_back({absl::StrCat("t", s), lp, false});
  }
  return out;
}

}  // namespace thor::testing
