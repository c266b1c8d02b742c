// The pipelined search's limits on calls in flight. Any worker thread may run
// any call (a model query, or a step or hammer call on whichever session is
// idle), so these check the limits and the one-thread-per-session rule from
// the outside.
#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "search/best_first.h"
#include "tests/search/forwarding.h"
#include "tests/search/search_test_util.h"
#include "tests/search/sim_prover.h"

namespace thor::testing {
namespace {

// Calls in flight now and at most, of one kind.
struct Gauge {
  std::atomic<int> now{0};
  std::atomic<int> max{0};
  void Enter() {
    const int n = ++now;
    int m = max.load();
    while (n > m && !max.compare_exchange_weak(m, n)) {
    }
  }
  void Leave() { --now; }
};

// Hooks counting prover calls in flight (all, and hammers) and calls that
// found their session already running one.
struct Gauges {
  static constexpr int kMaxSessions = 16;
  Gauge calls;
  Gauge hammers;
  std::atomic<int> shared_session{0};
  std::atomic<bool> busy[kMaxSessions] = {};

  ProverHooks Hooks() {
    ProverHooks h;
    h.before = [this](int session, const ProofState&, const std::string* step) {
      if (busy[session % kMaxSessions].exchange(true)) ++shared_session;
      calls.Enter();
      if (step == nullptr) hammers.Enter();
    };
    h.after = [this](int session, const ProofState&, const std::string* step) {
      if (step == nullptr) hammers.Leave();
      calls.Leave();
      busy[session % kMaxSessions].store(false);
    };
    return h;
  }
};

struct Latencies {
  Latency step, hammer, query;
};

// Runs one search over a synthetic world no search can finish within the
// query budget, with hammers proposed often, and checks the limits: at most
// `steps` sessions, each running one call at a time, `steps` prover calls
// and `hammers` hammer calls in flight, and 2 model queries.
void ExpectWithinLimits(bool seeded, int steps, int hammers, Latencies l) {
  SearchConfig c = FastConfig();
  c.reproducible = seeded;
  c.max_inflight_queries = 2;
  c.max_inflight_steps = steps;
  c.max_inflight_hammers = hammers;
  c.samples_per_query = 8;
  c.max_model_queries = 40;
  SyntheticWorld::Options wo;
  wo.p_hammer_proposed = 0.5;
  auto world = std::make_shared<SyntheticWorld>(wo);
  SimProverOptions po;
  po.step = l.step;
  po.hammer = l.hammer;
  SimPolicyOptions qo;
  qo.latency = l.query;
  SimProverBackend sim_backend(world, po);
  SimPolicy sim_policy(world, qo);
  Gauges g;
  ForwardingBackend backend(&sim_backend, g.Hooks());
  const Theorem theorem = SimTheorem(SyntheticWorld::Statement(40, 1));
  SearchResult r = RunBestFirstSearch(backend, sim_policy, theorem, c, nullptr, nullptr);
  ASSERT_NE(r.status, SearchStatus::kError) << r.message;
  EXPECT_GT(r.stats.hammer_calls, 0u);
  EXPECT_LE(r.stats.model_queries, 40u);
  EXPECT_LE(backend.sessions(), steps);
  EXPECT_EQ(g.shared_session.load(), 0);
  EXPECT_LE(g.calls.max.load(), steps);
  EXPECT_LE(g.hammers.max.load(), hammers);
  EXPECT_LE(sim_policy.max_in_flight(), 2);
  if (l.step.base > absl::ZeroDuration()) {
    EXPECT_GT(g.calls.max.load(), 1);  // Pipelined.
  }
}

class Limits : public ::testing::TestWithParam<bool> {};

TEST_P(Limits, CallsInFlightStayWithinTheirLimits) {
  ExpectWithinLimits(GetParam(), 3, 1,
                     {Latency::Uniform(absl::Microseconds(200), absl::Milliseconds(2)),
                      Latency::Uniform(absl::Milliseconds(2), absl::Milliseconds(6)),
                      Latency::Uniform(absl::Milliseconds(1), absl::Milliseconds(4))});
}

TEST_P(Limits, QuickCallsStayWithinTheirLimits) {
  // Zero latencies: workers find the next call ready as theirs returns.
  ExpectWithinLimits(GetParam(), 2, 1, {});
}

TEST_P(Limits, OtherCallsGoOnWhileAQuickCallHangs) {
  // Zero latencies, so calls are quick and one worker at a time runs them;
  // then one call (the 200th) hangs for a while: the others must not wait
  // for it.
  SearchConfig c = FastConfig();
  c.reproducible = GetParam();
  c.max_inflight_steps = 3;
  c.samples_per_query = 8;
  c.max_model_queries = 60;
  auto world = std::make_shared<SyntheticWorld>();
  SimProverBackend sim_backend(world, {});
  SimPolicy sim_policy(world, {});
  std::atomic<int> calls{0};
  std::atomic<bool> hanging{false};
  std::atomic<int> calls_while_hanging{0};
  ProverHooks hooks;
  hooks.before = [&](int, const ProofState&, const std::string*) {
    if (hanging.load()) ++calls_while_hanging;
    if (++calls != 200) return;
    hanging.store(true);
    absl::SleepFor(absl::Milliseconds(300));
    hanging.store(false);
  };
  ForwardingBackend backend(&sim_backend, hooks);
  const Theorem theorem = SimTheorem(SyntheticWorld::Statement(40, 1));
  SearchResult r = RunBestFirstSearch(backend, sim_policy, theorem, c, nullptr, nullptr);
  ASSERT_NE(r.status, SearchStatus::kError) << r.message;
  ASSERT_GT(calls.load(), 200);
  // Unseeded, the other sessions keep taking new calls while one hangs.
  // Seeded, results are integrated in issue order, so no call is issued past
  // the session cap while the hanging one is out: the calls already issued
  // may all have ended before the hang began (CI saw it once), and nothing
  // is left to run; the seeded case checks only that the search got past
  // the hang.
  if (!GetParam()) {
    EXPECT_GT(calls_while_hanging.load(), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Search, Limits, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "Seeded" : "Unseeded";
                         });

}  // namespace
}  // namespace thor::testing
