// RunBestFirstSearch with a policy's probe phase (Policy::Probe): the probe's
// policy first under its own step limit and time, counted from the loaded
// theorem; then the policy itself with what is left.
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "search/best_first.h"
#include "tests/search/search_test_util.h"
#include "tests/search/sim_prover.h"

namespace thor::testing {
namespace {

Candidate C(const std::string& step, double lp) { return {step, lp, false}; }

// Proposes a fixed list per state text; counts its queries.
class ListPolicy : public Policy {
 public:
  ListPolicy(std::string name, std::map<std::string, std::vector<Candidate>> lists)
      : name_(std::move(name)), lists_(std::move(lists)) {}
  std::string Name() const override { return name_; }
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& q,
                                                 absl::Duration /*deadline*/) override {
    ++queries;
    auto it = lists_.find(q.state_text);
    return it == lists_.end() ? std::vector<Candidate>() : it->second;
  }
  std::atomic<int> queries{0};

 private:
  std::string name_;
  std::map<std::string, std::vector<Candidate>> lists_;
};

// The policy under test: its own list, and a probe with another.
class ProbingPolicy : public ListPolicy {
 public:
  ProbingPolicy(std::map<std::string, std::vector<Candidate>> own,
                std::map<std::string, std::vector<Candidate>> probe, absl::Duration time,
                absl::Duration step_timeout)
      : ListPolicy("probing", std::move(own)),
        probe_("probe", std::move(probe)),
        time_(time),
        step_timeout_(step_timeout) {}
  std::optional<PolicyProbe> Probe() override {
    return PolicyProbe{&probe_, time_, step_timeout_, alongside};
  }
  ListPolicy probe_;
  bool alongside = false;

 private:
  absl::Duration time_;
  absl::Duration step_timeout_;
};

// From the root, "a" and "b" both lead to s1, which "c" finishes.
std::shared_ptr<ScriptedWorld> World() {
  auto w = std::make_shared<ScriptedWorld>();
  w->Step("root", "a", "s1").Step("root", "b", "s1").Finish("s1", "c");
  return w;
}

// World() with, for the probe (`probe` gets its lists), a step that leads
// from the root to fresh states for ever and proves nothing.
std::shared_ptr<ScriptedWorld> EndlessProbeWorld(
    std::map<std::string, std::vector<Candidate>>* probe) {
  auto w = World();
  for (int i = 0; i < 200; ++i) {
    const std::string s = i == 0 ? "root" : "p" + std::to_string(i);
    w->Step(s, "next", "p" + std::to_string(i + 1));
    (*probe)[s] = {C("next", 0)};
  }
  return w;
}

SearchConfig Sequential() {
  SearchConfig c = FastConfig();
  c.sequential = true;
  return c;
}

TEST(ProbePhaseTest, AProofTheProbeFindsIsTheResultAndThePolicyIsNeverAsked) {
  SimProverBackend backend(World(), {});
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}},
                       {{"root", {C("b", 0)}}, {"s1", {C("c", 0)}}}, absl::Seconds(5),
                       absl::Seconds(1));
  const Theorem t = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, nullptr);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  ASSERT_EQ(r.proof.size(), 2u);
  EXPECT_EQ(r.proof[0].text, "b");  // The probe's step, not the policy's "a".
  EXPECT_TRUE(absl::StartsWith(r.message, kFoundByProbe)) << r.message;
  EXPECT_EQ(r.policy, "probing");
  EXPECT_EQ(policy.queries.load(), 0);
  EXPECT_EQ(policy.probe_.queries.load(), 2);
  EXPECT_EQ(r.recheck.verdict, RecheckVerdict::kPassed);
}

// In a pipelined search the probe still makes one call at a time on one
// session: its steps are quick, and a second session would cost a second
// load of the theorem.
TEST(ProbePhaseTest, TheProbeRunsOnOneSessionInAPipelinedSearch) {
  SimProverOptions po;
  po.step = Latency::Fixed(absl::Milliseconds(20));
  SimProverBackend backend(World(), po);
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}},
                       {{"root", {C("x", 0), C("y", -0.1), C("z", -0.2), C("b", -0.3)}},
                        {"s1", {C("c", 0)}}},
                       absl::Seconds(5), absl::Seconds(1));
  const Theorem t = SimTheorem("root");
  SearchConfig pipelined = FastConfig();
  ASSERT_FALSE(pipelined.sequential);
  ASSERT_GE(pipelined.max_inflight_steps, 2);
  SearchResult r = RunBestFirstSearch(backend, policy, t, pipelined, nullptr, nullptr);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  EXPECT_TRUE(absl::StartsWith(r.message, kFoundByProbe)) << r.message;
  EXPECT_EQ(backend.counters().sessions.load(), 1);
  EXPECT_EQ(policy.queries.load(), 0);
}

TEST(ProbePhaseTest, WhatTheProbeMissesTheSearchFindsWithBothCountedAndTraced) {
  SimProverBackend backend(World(), {});
  // The probe's steps fail: it runs out of states, and the search goes on.
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}},
                       {{"root", {C("x", 0), C("y", -1)}}}, absl::Seconds(5), absl::Seconds(1));
  const Theorem t = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, nullptr);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  EXPECT_EQ(r.proof[0].text, "a");
  EXPECT_FALSE(absl::StartsWith(r.message, kFoundByProbe)) << r.message;
  EXPECT_EQ(policy.probe_.queries.load(), 1);
  EXPECT_EQ(policy.queries.load(), 2);
  EXPECT_EQ(r.stats.model_queries, 3u);   // 1 + 2.
  EXPECT_EQ(r.stats.steps_failed, 2u);    // The probe's x and y.
  EXPECT_EQ(r.stats.steps_applied, 4u);   // x, y; a, c.
  // The search proper goes on on the probe's session: one load.
  EXPECT_EQ(backend.counters().sessions.load(), 1);
  nlohmann::json trace = nlohmann::json::parse(r.trace_json, nullptr, false);
  ASSERT_TRUE(trace.is_object()) << r.trace_json;
  ASSERT_TRUE(trace.contains("probe")) << r.trace_json;
  EXPECT_TRUE(trace["probe"].is_object());
  // The search's own tree is still there, beside the probe's.
  EXPECT_GT(trace["probe"].size(), 0u);
  for (const auto& [key, value] : trace["probe"].items()) {
    EXPECT_TRUE(trace.contains(key)) << key << " in " << r.trace_json;
  }
}

TEST(ProbePhaseTest, TheObserverSeesOneSearch) {
  SimProverBackend backend(World(), {});
  // The probe reaches s1 with b but cannot finish it; the search does.
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}},
                       {{"root", {C("b", 0)}}}, absl::Seconds(5), absl::Seconds(1));
  const Theorem t = SimTheorem("root");
  RecordingObserver obs;
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), &obs, nullptr);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  ASSERT_EQ(obs.started.size(), 1u);
  EXPECT_EQ(obs.started[0].policy, "probing");
  std::string seen;
  for (const StepTriedEvent& e : obs.steps) {
    seen += e.step + ":" + e.from_state + ">" + e.to_state + " ";
  }
  ASSERT_EQ(obs.steps.size(), 3u) << seen;  // b (probe); a, c.
  EXPECT_EQ(obs.steps[0].step, "b");
  EXPECT_EQ(obs.steps[0].from_state, "0");
  EXPECT_EQ(obs.steps[0].to_state, "probe-1");
  EXPECT_EQ(obs.steps[1].step, "a");
  EXPECT_EQ(obs.steps[1].from_state, "0");
  EXPECT_EQ(obs.steps[1].to_state, "1");
  for (size_t i = 1; i < obs.steps.size(); ++i) {
    EXPECT_GE(obs.steps[i].t, obs.steps[i - 1].t) << i;
  }
  ASSERT_FALSE(obs.progress.empty());
  EXPECT_EQ(obs.progress.back().stats.model_queries, r.stats.model_queries);
  EXPECT_EQ(r.stats.model_queries, 4u);  // The probe's at 0 and s1; the search's.
}

TEST(ProbePhaseTest, AProbesProofTheRecheckRejectsLeavesTheSearchToRun) {
  SimProverOptions po;
  po.recheck_rejects = true;  // Every proof, the probe's and the search's.
  SimProverBackend backend(World(), po);
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}},
                       {{"root", {C("b", 0)}}, {"s1", {C("c", 0)}}}, absl::Seconds(5),
                       absl::Seconds(1));
  const Theorem t = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, nullptr);
  EXPECT_EQ(r.status, SearchStatus::kRecheckRejected) << r.message;
  EXPECT_EQ(policy.queries.load(), 2);  // The search ran after the probe.
  ASSERT_FALSE(r.proof.empty());
  EXPECT_EQ(r.proof[0].text, "a");
  EXPECT_NE(r.message.find("the probe phase found a proof the re-check rejected"),
            std::string::npos)
      << r.message;
  EXPECT_EQ(backend.counters().rechecks.load(), 2);
}

TEST(ProbePhaseTest, TheProbesStepLimitIsItsOwn) {
  SimProverOptions po;
  po.step = Latency::Fixed(absl::Milliseconds(60));
  SimProverBackend backend(World(), po);
  // The probe would prove with b; c, but each step gets 10 ms.
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}},
                       {{"root", {C("b", 0)}}, {"s1", {C("c", 0)}}}, absl::Seconds(5),
                       absl::Milliseconds(10));
  const Theorem t = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, nullptr);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  EXPECT_EQ(r.proof[0].text, "a");  // The search's, under its 2 s limit.
  EXPECT_EQ(r.stats.steps_timed_out, 1u);
}

// A candidate of several steps run as one (Candidate::time_units, the rest
// of a neighbour's proof) gets a step limit for each; 0 counts as 1.
TEST(ProbePhaseTest, AStepOfSeveralStepsGetsAStepLimitForEach) {
  auto world = World();
  world->Finish("root", "b. c.");
  struct Case {
    int units;
    int step_ms;  // Against the probe's 40 ms limit per unit.
    bool rest_in_time;
  };
  // 0 as 1: a 30 ms step fits one limit (a limit of 0 would cut it).
  for (const Case& k : {Case{0, 30, true}, Case{1, 60, false}, Case{2, 60, true},
                        Case{3, 60, true}}) {
    const int units = k.units;
    SimProverOptions po;
    po.step = Latency::Fixed(absl::Milliseconds(k.step_ms));
    SimProverBackend backend(world, po);
    Candidate rest = C("b. c.", 0);
    rest.time_units = units;
    ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}}, {{"root", {rest}}},
                         absl::Seconds(5), absl::Milliseconds(40));
    SearchResult r =
        RunBestFirstSearch(backend, policy, SimTheorem("root"), Sequential(), nullptr, nullptr);
    ASSERT_EQ(r.status, SearchStatus::kProved) << units << ": " << r.message;
    ASSERT_FALSE(r.proof.empty());
    EXPECT_EQ(r.proof[0].text, k.rest_in_time ? "b. c." : "a") << units;
    EXPECT_EQ(r.stats.steps_timed_out, k.rest_in_time ? 0u : 1u) << units;
  }
}

TEST(ProbePhaseTest, TheProbesTimeCountsFromTheLoadedTheoremAndEndsIt) {
  SimProverOptions po;
  po.start = Latency::Fixed(absl::Milliseconds(300));
  po.step = Latency::Fixed(absl::Milliseconds(30));
  std::map<std::string, std::vector<Candidate>> probe;
  SimProverBackend backend(EndlessProbeWorld(&probe), po);
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}}, probe,
                       absl::Milliseconds(200), absl::Seconds(1));
  const Theorem t = SimTheorem("root");
  const absl::Time t0 = absl::Now();
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, nullptr);
  const absl::Duration took = absl::Now() - t0;
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  EXPECT_EQ(r.proof[0].text, "a");
  // 200 ms after a 300 ms load: a few steps (not none, which a clock that
  // counted the load would give; not 200, which no limit would).
  EXPECT_GE(policy.probe_.queries.load(), 3);
  EXPECT_LE(policy.probe_.queries.load(), 10);
  // One load, the probe's slice and the search's two steps.
  EXPECT_GE(took, absl::Milliseconds(500));
  EXPECT_LT(took, absl::Seconds(5));
  EXPECT_EQ(backend.counters().sessions.load(), 1);
}

// The search proper starts on the probe's session, which has loaded the
// theorem: a wall time that holds one slow load, the probe and the search's
// steps, but not a second load, still gets the search's proof.
TEST(ProbePhaseTest, TheSearchProperGoesOnOnTheProbesLoadedSession) {
  for (bool sequential : {true, false}) {
    SimProverOptions po;
    po.start = Latency::Fixed(absl::Milliseconds(400));
    po.step = Latency::Fixed(absl::Milliseconds(10));
    SimProverBackend backend(World(), po);
    // The probe's steps fail; the search proves with a, c.
    ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}},
                         {{"root", {C("x", 0), C("y", -1)}}}, absl::Milliseconds(100),
                         absl::Seconds(1));
    SearchConfig c = sequential ? Sequential() : FastConfig();
    c.max_inflight_steps = 1;  // The pipelined search on one session too.
    c.wall_time = absl::Milliseconds(780);  // 400 + 400 would not fit.
    const Theorem t = SimTheorem("root");
    SearchResult r = RunBestFirstSearch(backend, policy, t, c, nullptr, nullptr);
    ASSERT_EQ(r.status, SearchStatus::kProved) << sequential << ": " << r.message;
    EXPECT_EQ(r.proof[0].text, "a");
    EXPECT_EQ(policy.queries.load(), 2);
    EXPECT_EQ(backend.counters().sessions.load(), 1) << sequential;
  }
}

TEST(ProbePhaseTest, AWallTimeTheProbeUsesUpEndsTheSearchWithTimeBudget) {
  SimProverOptions po;
  po.start = Latency::Fixed(absl::Milliseconds(300));
  SimProverBackend backend(World(), po);
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}}, {}, absl::Seconds(1),
                       absl::Seconds(1));
  SearchConfig c = Sequential();
  c.wall_time = absl::Milliseconds(150);  // Less than loading takes.
  const Theorem t = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, t, c, nullptr, nullptr);
  EXPECT_EQ(r.status, SearchStatus::kTimeBudget) << r.message;
  EXPECT_EQ(policy.queries.load(), 0);
  EXPECT_EQ(backend.counters().sessions.load(), 1);
}

TEST(ProbePhaseTest, TheQueryBudgetIsShared) {
  SimProverBackend backend(World(), {});
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}},
                       {{"root", {C("x", 0)}}}, absl::Seconds(5), absl::Seconds(1));
  SearchConfig c = Sequential();
  c.max_model_queries = 2;  // The probe's one, then one left: not enough.
  const Theorem t = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, t, c, nullptr, nullptr);
  EXPECT_EQ(r.status, SearchStatus::kQueryBudget) << r.message;
  EXPECT_EQ(r.stats.model_queries, 2u);
  EXPECT_EQ(policy.queries.load(), 1);
}

TEST(ProbePhaseTest, ACancelDuringTheProbeEndsTheSearch) {
  SimProverOptions po;
  po.step = Latency::Fixed(absl::Milliseconds(30));
  std::map<std::string, std::vector<Candidate>> probe;
  SimProverBackend backend(EndlessProbeWorld(&probe), po);
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}}, probe, absl::Seconds(30),
                       absl::Seconds(1));
  std::atomic<bool> cancel{false};
  std::thread canceller([&cancel] {
    absl::SleepFor(absl::Milliseconds(200));
    cancel = true;
  });
  const Theorem t = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, &cancel);
  canceller.join();
  EXPECT_EQ(r.status, SearchStatus::kCancelled) << r.message;
  EXPECT_EQ(policy.queries.load(), 0);
}


// PolicyProbe::alongside: the probe on a session of its own, at the same
// time as the search proper, which has the whole budget.
TEST(ProbePhaseTest, AnAlongsideProbeRunsBesideTheSearchAndStopsWithItsProof) {
  SimProverOptions po;
  po.start = Latency::Fixed(absl::Milliseconds(200));
  po.step = Latency::Fixed(absl::Milliseconds(50));
  std::map<std::string, std::vector<Candidate>> probe;
  std::shared_ptr<ScriptedWorld> world = EndlessProbeWorld(&probe);
  // The probe goes on for ever; the search proves with a, then d eight
  // times (q1 ... q8), then c: 10 steps, 0.7 s with the load, so that a
  // probe thread a loaded machine starts up to ~0.45 s late still loads and
  // steps while the search proper runs (with a, c alone the proper was
  // done after 0.3 s, and a probe started 50 ms late never stepped).
  std::map<std::string, std::vector<Candidate>> proper = {{"root", {C("a", 0)}},
                                                          {"s1", {C("d", 0)}}};
  world->Step("s1", "d", "q1");
  for (int i = 1; i < 8; ++i) {
    const std::string q = "q" + std::to_string(i);
    world->Step(q, "d", "q" + std::to_string(i + 1));
    proper[q] = {C("d", 0)};
  }
  world->Finish("q8", "c");
  proper["q8"] = {C("c", 0)};
  SimProverBackend backend(world, po);
  ProbingPolicy policy(proper, probe, absl::Seconds(30), absl::Seconds(1));
  policy.alongside = true;
  const Theorem t = SimTheorem("root");
  RecordingObserver obs;
  const absl::Time t0 = absl::Now();
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), &obs, nullptr);
  const absl::Duration took = absl::Now() - t0;
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  EXPECT_EQ(r.proof[0].text, "a");
  EXPECT_FALSE(absl::StartsWith(r.message, kFoundByProbe)) << r.message;
  EXPECT_EQ(r.policy, "probing");
  // Two sessions, loading and stepping at once: one load's time, not two,
  // and the probe (30 s of endless steps) stopped by the search's proof.
  EXPECT_EQ(backend.counters().sessions.load(), 2);
  EXPECT_EQ(backend.counters().max_in_flight.load(), 2);
  EXPECT_LT(took, absl::Seconds(2));
  EXPECT_GE(policy.probe_.queries.load(), 1);
  EXPECT_EQ(r.stats.model_queries, static_cast<uint32_t>(policy.queries.load() +
                                                         policy.probe_.queries.load()));
  // The wall time is the search's, not the two sides' sum.
  EXPECT_LT(r.stats.wall_s, absl::ToDoubleSeconds(took) + 0.01);
  // One stream of events: one `started`, the probe's states prefixed.
  ASSERT_EQ(obs.started.size(), 1u);
  EXPECT_EQ(obs.started[0].policy, "probing");
  bool probe_state = false, proper_state = false;
  for (const StepTriedEvent& e : obs.steps) {
    if (e.step == "next" && absl::StartsWith(e.to_state, "probe-")) probe_state = true;
    if (e.step == "a" && !absl::StartsWith(e.to_state, "probe-")) proper_state = true;
  }
  EXPECT_TRUE(probe_state);
  EXPECT_TRUE(proper_state);
}

TEST(ProbePhaseTest, AnAlongsideProbesProofEndsTheSearchProper) {
  SimProverOptions po;
  po.step = Latency::Fixed(absl::Milliseconds(50));
  std::map<std::string, std::vector<Candidate>> endless;
  auto world = EndlessProbeWorld(&endless);
  SimProverBackend backend(world, po);
  // The search proper goes on for ever; the probe proves with b, c.
  ProbingPolicy policy(endless, {{"root", {C("b", 0)}}, {"s1", {C("c", 0)}}}, absl::Seconds(30),
                       absl::Seconds(1));
  policy.alongside = true;
  const Theorem t = SimTheorem("root");
  const absl::Time t0 = absl::Now();
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, nullptr);
  const absl::Duration took = absl::Now() - t0;
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  ASSERT_EQ(r.proof.size(), 2u);
  EXPECT_EQ(r.proof[0].text, "b");
  EXPECT_TRUE(absl::StartsWith(r.message, kFoundByProbe)) << r.message;
  EXPECT_EQ(r.policy, "probing");
  EXPECT_LT(took, absl::Seconds(2));  // The search proper was stopped.
  EXPECT_EQ(backend.counters().sessions.load(), 2);
  EXPECT_GE(policy.queries.load(), 1);  // It ran beside the probe.
  nlohmann::json trace = nlohmann::json::parse(r.trace_json, nullptr, false);
  ASSERT_TRUE(trace.is_object()) << r.trace_json;
  EXPECT_TRUE(trace.contains("proper")) << r.trace_json;
}

TEST(ProbePhaseTest, AnAlongsideProbesRejectedProofLeavesTheSearchProperToRun) {
  SimProverOptions po;
  po.recheck_rejects = true;
  SimProverBackend backend(World(), po);
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}},
                       {{"root", {C("b", 0)}}, {"s1", {C("c", 0)}}}, absl::Seconds(5),
                       absl::Seconds(1));
  policy.alongside = true;
  const Theorem t = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, nullptr);
  EXPECT_EQ(r.status, SearchStatus::kRecheckRejected) << r.message;
  ASSERT_FALSE(r.proof.empty());
  EXPECT_EQ(r.proof[0].text, "a");
  EXPECT_NE(r.message.find("the probe phase found a proof the re-check rejected"),
            std::string::npos)
      << r.message;
  EXPECT_EQ(backend.counters().rechecks.load(), 2);
}

TEST(ProbePhaseTest, ACancelStopsAnAlongsideProbeAndTheSearchProper) {
  SimProverOptions po;
  po.step = Latency::Fixed(absl::Milliseconds(30));
  std::map<std::string, std::vector<Candidate>> endless;
  SimProverBackend backend(EndlessProbeWorld(&endless), po);
  ProbingPolicy policy(endless, endless, absl::Seconds(30), absl::Seconds(1));
  policy.alongside = true;
  std::atomic<bool> cancel{false};
  std::thread canceller([&cancel] {
    absl::SleepFor(absl::Milliseconds(200));
    cancel = true;
  });
  const Theorem t = SimTheorem("root");
  const absl::Time t0 = absl::Now();
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, &cancel);
  canceller.join();
  EXPECT_EQ(r.status, SearchStatus::kCancelled) << r.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(2));
  EXPECT_GE(policy.queries.load(), 1);
  EXPECT_GE(policy.probe_.queries.load(), 1);
}

TEST(ProbePhaseTest, AnAlongsideProbeSharesTheQueryBudget) {
  std::map<std::string, std::vector<Candidate>> endless;
  SimProverBackend backend(EndlessProbeWorld(&endless), {});
  // Both sides would query for ever; 10 queries in all, 5 each.
  ProbingPolicy policy(endless, endless, absl::Seconds(30), absl::Seconds(1));
  policy.alongside = true;
  SearchConfig c = Sequential();
  c.max_model_queries = 10;
  const Theorem t = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(backend, policy, t, c, nullptr, nullptr);
  EXPECT_EQ(r.status, SearchStatus::kQueryBudget) << r.message;
  EXPECT_EQ(policy.probe_.queries.load(), 5);
  EXPECT_EQ(policy.queries.load(), 5);
  EXPECT_EQ(r.stats.model_queries, 10u);
}

// The search's wall time runs from the probe's start to the search
// proper's end: a probe step that answers its interrupt late at the probe's
// end delays the search proper, and that wait counts.
TEST(ProbePhaseTest, TheWallTimeCountsTheWaitForTheProbesLastCall) {
  SimProverOptions po;
  po.step = Latency::Fixed(absl::Milliseconds(250));
  po.interrupt_delay = absl::Seconds(1);
  std::map<std::string, std::vector<Candidate>> probe;
  SimProverBackend backend(EndlessProbeWorld(&probe), po);
  // The probe's first step is cut at the probe's 100 ms but answers only
  // when it ends by itself, at 250 ms; the search proves with a, c (250 ms
  // each).
  ProbingPolicy policy({{"root", {C("a", 0)}}, {"s1", {C("c", 0)}}}, probe,
                       absl::Milliseconds(100), absl::Seconds(1));
  const Theorem t = SimTheorem("root");
  const absl::Time t0 = absl::Now();
  SearchResult r = RunBestFirstSearch(backend, policy, t, Sequential(), nullptr, nullptr);
  const double took = absl::ToDoubleSeconds(absl::Now() - t0);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  EXPECT_EQ(r.proof[0].text, "a");
  // 0.25 s (the late probe step) + 0.5 s (a, c); the probe's own wall and
  // the search proper's alone would make 0.6 s.
  EXPECT_GE(r.stats.wall_s, 0.7);
  EXPECT_LE(r.stats.wall_s, took);
}

}  // namespace
}  // namespace thor::testing
