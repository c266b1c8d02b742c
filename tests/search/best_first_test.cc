// RunBestFirstSearch against scripted and synthetic simulated worlds.
#include "search/best_first.h"

#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/search/search_test_util.h"
#include "tests/search/sim_prover.h"

namespace thor::testing {
namespace {

using nlohmann::json;

Candidate C(const std::string& step, double lp) { return {step, lp, false}; }

struct Rig {
  explicit Rig(std::shared_ptr<SimWorld> w, SimProverOptions po = {},
               SimPolicyOptions qo = {})
      : world(std::move(w)), backend(world, po), policy(world, qo) {}
  SearchResult Run(const std::string& statement, const SearchConfig& config,
                   SearchObserver* obs = nullptr,
                   const std::atomic<bool>* cancel = nullptr) {
    theorem = SimTheorem(statement);
    return RunBestFirstSearch(backend, policy, theorem, config, obs, cancel);
  }
  std::shared_ptr<SimWorld> world;
  SimProverBackend backend;
  SimPolicy policy;
  Theorem theorem;
};

std::shared_ptr<ScriptedWorld> TwoStepWorld() {
  auto w = std::make_shared<ScriptedWorld>();
  w->Candidates("root", {C("a", -0.1), C("b", -0.5), C("a", -2.0)})
      .Step("root", "a", "s1")
      .Step("root", "b", "s1")
      .Candidates("s1", {C("c", -0.3)})
      .Finish("s1", "c");
  return w;
}

TEST(BestFirstTest, FindsProofInScriptedWorldAndRechecksIt) {
  Rig rig(TwoStepWorld());
  SearchConfig c = FastConfig();
  c.sequential = true;
  SearchResult r = rig.Run("root", c);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  ASSERT_EQ(r.proof.size(), 2u);
  EXPECT_EQ(r.proof[0].text, "a");
  EXPECT_EQ(r.proof[1].text, "c");
  EXPECT_FALSE(r.proof[0].from_hammer);
  EXPECT_EQ(r.proof_text, "a\nc");
  EXPECT_EQ(r.recheck.verdict, RecheckVerdict::kPassed);
  EXPECT_EQ(rig.backend.counters().rechecks.load(), 1);
  EXPECT_EQ(r.seed, 7u);
  EXPECT_EQ(r.policy, "sim");
  EXPECT_EQ(r.stats.model_queries, 2u);
  EXPECT_GT(r.stats.wall_s, 0.0);
}

// A policy that learns online: the search keeps its states and hands it
// each re-checked proof, the goals before every step included.
class LearningPolicy : public Policy {
 public:
  explicit LearningPolicy(Policy& inner) : inner_(inner) {}
  std::string Name() const override { return "learning"; }
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& q,
                                                 absl::Duration d) override {
    return inner_.Propose(q, d);
  }
  bool LearnsFromProofs() const override { return true; }
  void LearnFromProof(const Theorem& t, const std::vector<FoundStep>& proof) override {
    learnt_theorem = t.statement;
    learnt.push_back(proof);
  }
  std::string learnt_theorem;
  std::vector<std::vector<FoundStep>> learnt;

 private:
  Policy& inner_;
};

TEST(BestFirstTest, APolicyThatLearnsGetsTheRecheckedProofWithItsStates) {
  Rig rig(TwoStepWorld());
  SearchConfig c = FastConfig();
  c.sequential = true;
  c.record_trace = false;  // The states are kept because the policy learns.
  LearningPolicy learning(rig.policy);
  rig.theorem = SimTheorem("root");
  SearchResult r = RunBestFirstSearch(rig.backend, learning, rig.theorem, c, nullptr, nullptr);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  ASSERT_EQ(learning.learnt.size(), 1u);
  EXPECT_EQ(learning.learnt_theorem, rig.theorem.statement);
  const std::vector<FoundStep>& proof = learning.learnt[0];
  ASSERT_EQ(proof.size(), 2u);
  EXPECT_EQ(proof[0].text, "a");
  EXPECT_EQ(proof[1].text, "c");
  // The goals before each step: the root's, then s1's (released otherwise).
  EXPECT_NE(proof[0].state_before.find("root"), std::string::npos) << proof[0].state_before;
  EXPECT_NE(proof[1].state_before.find("s1"), std::string::npos) << proof[1].state_before;
  EXPECT_EQ(r.proof[1].state_before, proof[1].state_before);
  // A policy that does not learn: no states kept without a trace.
  SearchResult plain = rig.Run("root", c);
  ASSERT_EQ(plain.status, SearchStatus::kProved);
  EXPECT_TRUE(plain.proof[1].state_before.empty());
}

TEST(BestFirstTest, MergesIdenticalStepsKeepingBestLogprob) {
  Rig rig(TwoStepWorld());
  SearchConfig c = FastConfig();
  c.sequential = true;
  RecordingObserver obs;
  SearchResult r = rig.Run("root", c, &obs);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  int tries_of_a = 0;
  for (const StepTriedEvent& e : obs.steps) {
    if (e.from_state == "0" && e.step == "a") {
      ++tries_of_a;
      EXPECT_DOUBLE_EQ(e.logprob, -0.1);
    }
  }
  EXPECT_EQ(tries_of_a, 1);
  EXPECT_EQ(r.stats.candidates, 3u);  // a, b at the root; c at s1.
}

TEST(BestFirstTest, SeenStatesAreNotExpandedTwice) {
  Rig rig(TwoStepWorld());
  SearchConfig c = FastConfig();
  c.sequential = true;
  RecordingObserver obs;
  SearchResult r = rig.Run("root", c, &obs);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  EXPECT_EQ(r.stats.duplicate_states, 1u);  // "b" reaches s1 again.
  bool saw_duplicate_event = false;
  for (const StepTriedEvent& e : obs.steps) {
    if (e.step == "b") {
      saw_duplicate_event = e.duplicate;
      EXPECT_EQ(e.to_state, "");
    }
  }
  EXPECT_TRUE(saw_duplicate_event);
  json trace = json::parse(r.trace_json);
  EXPECT_EQ(trace["queries"].size(), 2u);  // root and s1, once each.
}

TEST(BestFirstTest, QueueIsCappedAtQueueSize) {
  auto w = std::make_shared<ScriptedWorld>();
  std::vector<Candidate> cands;
  for (int i = 0; i < 6; ++i) {
    const std::string s = "s" + std::to_string(i);
    cands.push_back(C(s, -0.1 * (i + 1)));
    w->Step("root", s, "goal_" + s);
  }
  w->Candidates("root", cands);
  Rig rig(w);
  SearchConfig c = FastConfig();
  c.sequential = true;
  c.queue_size = 2;
  SearchResult r = rig.Run("root", c);
  EXPECT_EQ(r.status, SearchStatus::kExhausted) << r.message;
  EXPECT_EQ(r.stats.states_seen, 7u);
  EXPECT_EQ(r.stats.model_queries, 3u);  // Root, then only the best two.
  json trace = json::parse(r.trace_json);
  std::vector<int> expanded;
  for (const json& q : trace["queries"]) expanded.push_back(q["node"]);
  ASSERT_EQ(expanded.size(), 3u);
  EXPECT_EQ(trace["nodes"][expanded[1]]["step"], "s0");
  EXPECT_EQ(trace["nodes"][expanded[2]]["step"], "s1");
}

TEST(BestFirstTest, QueryBudgetEndsTheSearch) {
  SyntheticWorld::Options o;
  o.p_right_proposed = 0;
  o.p_hammer_proposed = 0;
  Rig rig(std::make_shared<SyntheticWorld>(o));
  SearchConfig c = FastConfig();
  c.max_model_queries = 5;
  c.samples_per_query = 8;
  SearchResult r = rig.Run(SyntheticWorld::Statement(40, 1), c);
  EXPECT_EQ(r.status, SearchStatus::kQueryBudget) << r.message;
  EXPECT_EQ(r.stats.model_queries, 5u);
  EXPECT_EQ(rig.policy.queries(), 5);
}

TEST(BestFirstTest, ZeroQueryBudgetEndsAtOnce) {
  Rig rig(TwoStepWorld());
  SearchConfig c = FastConfig();
  c.max_model_queries = 0;
  const absl::Time t0 = absl::Now();
  SearchResult r = rig.Run("root", c);
  EXPECT_EQ(r.status, SearchStatus::kQueryBudget) << r.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(1));
}

TEST(BestFirstTest, WallBudgetEndsTheSearch) {
  SyntheticWorld::Options o;
  o.p_right_proposed = 0;
  o.p_hammer_proposed = 0;
  SimProverOptions po;
  po.step = Latency::Fixed(absl::Milliseconds(20));
  Rig rig(std::make_shared<SyntheticWorld>(o), po);
  SearchConfig c = FastConfig();
  c.wall_time = absl::Milliseconds(300);
  const absl::Time t0 = absl::Now();
  SearchResult r = rig.Run(SyntheticWorld::Statement(40, 2), c);
  EXPECT_EQ(r.status, SearchStatus::kTimeBudget) << r.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(2));
  EXPECT_NEAR(r.stats.wall_s, 0.3, 0.15);
}

TEST(BestFirstTest, CancellationInterruptsInFlightHammer) {
  auto w = std::make_shared<ScriptedWorld>();
  w->Candidates("root", {{"<hammer>", -0.1, true}});
  SimProverOptions po;
  po.hammer = Latency::Fixed(absl::Seconds(20));
  Rig rig(w, po);
  SearchConfig c = FastConfig();
  c.hammer_timeout = absl::Seconds(30);
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(150));
    cancel = true;
  });
  const absl::Time t0 = absl::Now();
  SearchResult r = rig.Run("root", c, nullptr, &cancel);
  canceller.join();
  EXPECT_EQ(r.status, SearchStatus::kCancelled) << r.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(2));
  EXPECT_GE(rig.backend.counters().interrupts.load(), 1);
}

TEST(BestFirstTest, HammerProofIsMarkedFromHammer) {
  auto w = std::make_shared<ScriptedWorld>();
  w->Candidates("root", {C("a", -0.1), {"<hammer>", -0.2, true}})
      .Step("root", "a", "s1")
      .Candidates("s1", {{"<hammer>", -0.1, true}})
      .HammerProves("s1", "by (metis foo)");
  Rig rig(w);
  RecordingObserver obs;
  SearchConfig c = FastConfig();
  c.sequential = true;
  SearchResult r = rig.Run("root", c, &obs);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  ASSERT_EQ(r.proof.size(), 2u);
  EXPECT_TRUE(r.proof[1].from_hammer);
  EXPECT_EQ(r.proof[1].text, "by (metis foo)");
  EXPECT_EQ(r.proof[1].hammer_prover, "sim-atp");
  EXPECT_EQ(r.stats.hammer_calls, 2u);  // Root (fails), then s1.
  EXPECT_EQ(r.stats.hammer_successes, 1u);
  ASSERT_EQ(obs.hammers.size(), 2u);
  EXPECT_FALSE(obs.hammers[0].success);
  EXPECT_TRUE(obs.hammers[1].success);
  EXPECT_EQ(obs.hammers[1].from_state, "1");
  ASSERT_EQ(obs.started.size(), 1u);
  EXPECT_EQ(obs.started[0].initial_state, "root");
  EXPECT_FALSE(obs.progress.empty());
}

TEST(BestFirstTest, ForbiddenStepsNeverReachTheProver) {
  auto w = std::make_shared<ScriptedWorld>();
  w->Candidates("root", {C("sorry", -0.1), C("", -0.2), C("by simp", -0.3)})
      .Finish("root", "by simp");
  Rig rig(w);
  SearchConfig c = FastConfig();
  c.sequential = true;
  SearchResult r = rig.Run("root", c);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  EXPECT_EQ(r.stats.steps_refused, 2u);
  EXPECT_EQ(rig.backend.counters().applies.load(), 1);
}

TEST(BestFirstTest, SeededSequentialSearchIsReproducible) {
  auto run = [](uint64_t seed) {
    Rig rig(std::make_shared<SyntheticWorld>());
    SearchConfig c = FastConfig();
    c.sequential = true;
    c.seed = seed;
    c.samples_per_query = 8;
    SearchResult r = rig.Run(SyntheticWorld::Statement(4, 3), c);
    json t = json::parse(r.trace_json);
    std::string shape;
    for (const json& n : t["nodes"]) {
      shape += n["step"].get<std::string>() + "/" + n["state"].get<std::string>() + ";";
    }
    return std::make_pair(shape, r);
  };
  auto [a, ra] = run(11);
  auto [b, rb] = run(11);
  auto [other, rc] = run(12);
  EXPECT_EQ(a, b);
  EXPECT_EQ(ra.proof_text, rb.proof_text);
  EXPECT_EQ(ra.stats.steps_applied, rb.stats.steps_applied);
  EXPECT_EQ(ra.status, rb.status);
  EXPECT_NE(a, other);
}

// Seeded mode: the pipelined search, with jittered latencies drawn from
// different seeds in each run, explores in the same order and finds the
// same proof every time.
TEST(BestFirstTest, SeededPipelinedSearchIsReproducible) {
  auto run = [](uint64_t latency_seed, int theorem, bool reproducible) {
    SimProverOptions po;
    po.seed = latency_seed;
    po.step = {absl::Microseconds(100), absl::Milliseconds(3), 0.1, absl::Milliseconds(10)};
    po.hammer = Latency::Uniform(absl::Milliseconds(2), absl::Milliseconds(30));
    SimPolicyOptions qo;
    qo.seed = latency_seed;
    qo.latency = Latency::Uniform(absl::Microseconds(200), absl::Milliseconds(6));
    Rig rig(std::make_shared<SyntheticWorld>(), po, qo);
    SearchConfig c = FastConfig();
    c.seed = 11;
    c.reproducible = reproducible;
    c.max_inflight_queries = 2;
    c.max_inflight_steps = 4;
    c.samples_per_query = 8;
    SearchResult r = rig.Run(SyntheticWorld::Statement(3, theorem), c);
    EXPECT_GT(rig.backend.counters().max_in_flight.load(), 1);  // Pipelined.
    return r;
  };
  int proved = 0;
  for (int theorem = 0; theorem < 3; ++theorem) {
    SCOPED_TRACE(theorem);
    SearchResult a = run(1, theorem, true);
    SearchResult b = run(2, theorem, true);
    SearchResult c = run(3, theorem, true);
    ASSERT_NE(a.status, SearchStatus::kError) << a.message;
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.status, c.status);
    EXPECT_EQ(a.proof_text, b.proof_text);
    EXPECT_EQ(a.proof_text, c.proof_text);
    const std::string order = ExplorationOrder(a);
    EXPECT_GT(a.stats.states_expanded, 1u);
    EXPECT_EQ(order, ExplorationOrder(b));
    EXPECT_EQ(order, ExplorationOrder(c));
    EXPECT_EQ(a.stats.steps_applied, b.stats.steps_applied);
    EXPECT_EQ(a.stats.hammer_calls, b.stats.hammer_calls);
    if (a.status == SearchStatus::kProved) ++proved;
  }
  EXPECT_GE(proved, 2);
}

TEST(BestFirstTest, PipelinedSearchFindsProofsWithWorkInFlight) {
  SimProverOptions po;
  po.step = Latency::Uniform(absl::Milliseconds(1), absl::Milliseconds(4));
  po.hammer = Latency::Uniform(absl::Milliseconds(20), absl::Milliseconds(60));
  SimPolicyOptions qo;
  qo.latency = Latency::Fixed(absl::Milliseconds(10));
  Rig rig(std::make_shared<SyntheticWorld>(), po, qo);
  SearchConfig c = FastConfig();
  c.max_inflight_queries = 2;
  c.max_inflight_steps = 4;
  c.samples_per_query = 16;
  int proved = 0;
  for (int id = 0; id < 6; ++id) {
    SearchResult r = rig.Run(SyntheticWorld::Statement(3, id), c);
    if (r.status == SearchStatus::kProved) ++proved;
    EXPECT_NE(r.status, SearchStatus::kError) << r.message;
  }
  EXPECT_GE(proved, 5);
  EXPECT_GT(rig.backend.counters().max_in_flight.load(), 1);
  EXPECT_LE(rig.backend.counters().max_in_flight.load(), 4);
}

TEST(BestFirstTest, FirstProofInterruptsSlowHammer) {
  auto w = std::make_shared<ScriptedWorld>();
  w->Candidates("root", {{"<hammer>", -0.1, true}, C("a", -0.2)})
      .Step("root", "a", "s1")
      .Candidates("s1", {C("c", -0.1)})
      .Finish("s1", "c");
  SimProverOptions po;
  po.hammer = Latency::Fixed(absl::Seconds(20));
  Rig rig(w, po);
  SearchConfig c = FastConfig();
  c.hammer_timeout = absl::Seconds(30);
  c.max_inflight_steps = 3;
  const absl::Time t0 = absl::Now();
  SearchResult r = rig.Run("root", c);
  ASSERT_EQ(r.status, SearchStatus::kProved) << r.message;
  EXPECT_EQ(r.proof_text, "a\nc");
  EXPECT_LT(absl::Now() - t0, absl::Seconds(3));
  EXPECT_GE(rig.backend.counters().interrupts.load(), 1);
}

}  // namespace
}  // namespace thor::testing
