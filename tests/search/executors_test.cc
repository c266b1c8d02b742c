// The executors of a SearchCore's calls, from the outside: the worker pool
// overlaps calls on its sessions, the inline executor makes one at a time in
// the pool's order, both stop a call cut short by a cancel, and a lost
// session's step is tried again. The prover here is a gate: a call returns
// when the test's condition holds (or it is interrupted), not after a sleep.
#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "search/inline_executor.h"
#include "search/worker_pool.h"
#include "tests/search/core_fakes.h"
#include "tests/search/search_test_util.h"
#include "tests/search/sim_prover.h"

namespace thor::testing {
namespace {

// What the gate's calls do, and what it saw.
struct Gate {
  absl::Mutex mu;
  // A call returns once this many calls have been in flight at once (0: at
  // once),
  int together ABSL_GUARDED_BY(mu) = 0;
  // or, if set, only once its session is interrupted; either way after at
  // most kGiveUp, so a broken executor fails the test instead of hanging it.
  bool until_interrupted ABSL_GUARDED_BY(mu) = false;
  // The first call of all loses its prover.
  bool lose_first ABSL_GUARDED_BY(mu) = false;
  // A call also returns at its own time limit (as a prover session does).
  bool honor_limit ABSL_GUARDED_BY(mu) = false;
  int in_flight ABSL_GUARDED_BY(mu) = 0;
  int max_in_flight ABSL_GUARDED_BY(mu) = 0;
  int interrupts ABSL_GUARDED_BY(mu) = 0;
  std::vector<std::string> steps ABSL_GUARDED_BY(mu);  // In call order.
  absl::Notification entered;                         // A call began.
};

constexpr absl::Duration kGiveUp = absl::Seconds(5);

class GateSession : public ProverSession {
 public:
  explicit GateSession(Gate* gate) : gate_(gate) {}
  absl::StatusOr<ProofState> Start(const Theorem&, absl::Duration) override {
    ProofState s;
    s.text = "root";
    return s;
  }
  StepResult Apply(const ProofState&, const std::string& step, absl::Duration limit) override {
    absl::MutexLock l(&gate_->mu);
    gate_->steps.push_back(step);
    gate_->max_in_flight = std::max(gate_->max_in_flight, ++gate_->in_flight);
    if (!gate_->entered.HasBeenNotified()) gate_->entered.Notify();
    gate_->mu.AwaitWithTimeout(absl::Condition(this, &GateSession::Released),
                               gate_->honor_limit ? std::min(limit, kGiveUp) : kGiveUp);
    --gate_->in_flight;
    StepResult r;
    r.kind = step == "win" ? StepKind::kProofFinished : StepKind::kStepError;
    if (gate_->lose_first && gate_->steps.size() == 1) r.kind = StepKind::kProverLost;
    return r;
  }
  HammerStepResult Hammer(const ProofState&, absl::Duration) override { return {}; }
  void Interrupt() override {
    absl::MutexLock l(&gate_->mu);
    ++gate_->interrupts;
    interrupted_ = true;
  }

 private:
  bool Released() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(gate_->mu) {
    if (gate_->until_interrupted) return interrupted_;
    return gate_->max_in_flight >= gate_->together;  // Were they ever together.
  }
  Gate* const gate_;
  bool interrupted_ ABSL_GUARDED_BY(gate_->mu) = false;
};

class GateBackend : public FakeBackend {
 public:
  explicit GateBackend(Gate* gate) : gate_(gate) {}
  absl::StatusOr<std::unique_ptr<ProverSession>> NewSession() override {
    return std::make_unique<GateSession>(gate_);
  }

 private:
  Gate* const gate_;
};

// Proposes `root_steps` for the root, nothing for any other state.
class ListPolicy : public FakePolicy {
 public:
  explicit ListPolicy(std::vector<Candidate> root_steps) : root_steps_(std::move(root_steps)) {}
  absl::StatusOr<std::vector<Candidate>> Propose(const PolicyQuery& q,
                                                 absl::Duration) override {
    if (q.state_text == "root") return root_steps_;
    return std::vector<Candidate>();
  }

 private:
  std::vector<Candidate> root_steps_;
};

SearchConfig GateConfig(bool sequential) {
  SearchConfig c = FastConfig();
  c.sequential = sequential;
  c.max_inflight_steps = 2;
  c.max_model_queries = 1;
  c.skip_recheck = true;
  return c;
}

template <typename ExecutorType>
SearchResult RunWith(ProverBackend& backend, Policy& policy, const SearchConfig& config,
                     const std::atomic<bool>* cancel = nullptr) {
  Theorem theorem;
  ExecutorType executor(Env::Default(), backend, policy, theorem, config, nullptr, cancel);
  return executor.Run();
}

TEST(WorkerPoolTest, OverlapsCallsOnItsTwoSessions) {
  Gate gate;
  {
    absl::MutexLock l(&gate.mu);
    gate.together = 2;  // Neither call returns alone (but after kGiveUp).
  }
  GateBackend backend(&gate);
  ListPolicy policy({{"a", -1.0, false}, {"b", -2.0, false}});
  SearchResult r = RunWith<WorkerPool>(backend, policy, GateConfig(false));
  EXPECT_EQ(r.status, SearchStatus::kQueryBudget) << r.message;
  absl::MutexLock l(&gate.mu);
  EXPECT_EQ(gate.max_in_flight, 2);
  EXPECT_EQ(gate.steps.size(), 2u);
  EXPECT_LT(r.stats.wall_s, absl::ToDoubleSeconds(kGiveUp));
}

TEST(InlineExecutorTest, MakesOneCallAtATimeBestFirst) {
  Gate gate;
  GateBackend backend(&gate);
  ListPolicy policy({{"b", -2.0, false}, {"a", -1.0, false}, {"c", -3.0, false}});
  SearchResult r = RunWith<InlineExecutor>(backend, policy, GateConfig(true));
  EXPECT_EQ(r.status, SearchStatus::kQueryBudget) << r.message;
  absl::MutexLock l(&gate.mu);
  EXPECT_EQ(gate.max_in_flight, 1);
  EXPECT_EQ(gate.steps, (std::vector<std::string>{"a", "b", "c"}));
}

// The inline executor makes the calls of the pool with one worker, in the
// same order: the same exploration, tries and proof for a fixed seed.
TEST(InlineExecutorTest, ExploresAsThePoolWithOneWorker) {
  auto run = [](bool inline_executor) {
    auto world = std::make_shared<SyntheticWorld>();
    SimProverBackend backend(world, SimProverOptions{});
    SimPolicy policy(world, SimPolicyOptions{});
    SearchConfig c = FastConfig();
    c.sequential = true;
    c.seed = 11;
    c.samples_per_query = 8;
    c.record_trace = true;
    const Theorem theorem = SimTheorem(SyntheticWorld::Statement(4, 3));
    if (inline_executor) {
      return InlineExecutor(Env::Default(), backend, policy, theorem, c, nullptr, nullptr)
          .Run();
    }
    return WorkerPool(Env::Default(), backend, policy, theorem, c, nullptr, nullptr).Run();
  };
  SearchResult a = run(true);
  SearchResult b = run(false);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.proof_text, b.proof_text);
  EXPECT_EQ(a.stats.steps_applied, b.stats.steps_applied);
  EXPECT_EQ(a.stats.model_queries, b.stats.model_queries);
  EXPECT_GT(a.stats.steps_applied, 3u);
  EXPECT_EQ(ExplorationOrder(a), ExplorationOrder(b));
}

// A cancel while a call runs: the watchdog ends the search and interrupts
// the call, which returns at once (the gate waits for the interrupt).
template <typename ExecutorType>
void CancelMidCall(bool sequential) {
  Gate gate;
  {
    absl::MutexLock l(&gate.mu);
    gate.until_interrupted = true;
  }
  GateBackend backend(&gate);
  ListPolicy policy({{"a", -1.0, false}});
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    gate.entered.WaitForNotification();
    cancel = true;
  });
  SearchResult r = RunWith<ExecutorType>(backend, policy, GateConfig(sequential), &cancel);
  canceller.join();
  EXPECT_EQ(r.status, SearchStatus::kCancelled) << r.message;
  EXPECT_LT(r.stats.wall_s, absl::ToDoubleSeconds(kGiveUp));
  absl::MutexLock l(&gate.mu);
  EXPECT_GE(gate.interrupts, 1);
  EXPECT_EQ(gate.in_flight, 0);
}

TEST(WorkerPoolTest, CancelMidCallInterruptsIt) { CancelMidCall<WorkerPool>(false); }
TEST(InlineExecutorTest, CancelMidCallInterruptsIt) { CancelMidCall<InlineExecutor>(true); }

// At the wall deadline, a call whose own limit ends there too is left to end
// by itself (SessionSlots::kLetFinish): coqtop can die of an interrupt that
// lands as its call ends. One that overruns its limit is interrupted after
// all.
template <typename ExecutorType>
void CallAtItsLimit(bool sequential, bool honor_limit) {
  Gate gate;
  {
    absl::MutexLock l(&gate.mu);
    gate.until_interrupted = true;
    gate.honor_limit = honor_limit;
  }
  GateBackend backend(&gate);
  ListPolicy policy({{"a", -1.0, false}});
  SearchConfig c = GateConfig(sequential);
  c.wall_time = absl::Milliseconds(300);  // The step's limit: what is left of it.
  const absl::Time t0 = absl::Now();
  SearchResult r = RunWith<ExecutorType>(backend, policy, c);
  const double wall_s = absl::ToDoubleSeconds(absl::Now() - t0);  // Until every call returned.
  // (A call that returns at its limit may beat the watchdog to the end.)
  if (!honor_limit) {
    EXPECT_EQ(r.status, SearchStatus::kTimeBudget) << r.message;
  }
  absl::MutexLock l(&gate.mu);
  EXPECT_EQ(gate.in_flight, 0);
  if (honor_limit) {
    EXPECT_EQ(gate.interrupts, 0);
    EXPECT_LT(wall_s, 0.3 + absl::ToDoubleSeconds(SessionSlots::kLetFinish));
  } else {
    // Interrupted once the call is kLetFinish past its limit, not at kGiveUp.
    EXPECT_GE(gate.interrupts, 1);
    EXPECT_GE(wall_s, 0.3 + absl::ToDoubleSeconds(SessionSlots::kLetFinish) - 0.02);
    EXPECT_LT(wall_s, absl::ToDoubleSeconds(kGiveUp) - 1);
  }
}

TEST(WorkerPoolTest, ACallEndingAtItsOwnLimitIsNotInterrupted) {
  CallAtItsLimit<WorkerPool>(false, true);
}
TEST(InlineExecutorTest, ACallEndingAtItsOwnLimitIsNotInterrupted) {
  CallAtItsLimit<InlineExecutor>(true, true);
}
TEST(WorkerPoolTest, ACallOverrunningItsLimitIsInterrupted) {
  CallAtItsLimit<WorkerPool>(false, false);
}
TEST(InlineExecutorTest, ACallOverrunningItsLimitIsInterrupted) {
  CallAtItsLimit<InlineExecutor>(true, false);
}

// The step whose session lost its prover is tried once more (on whichever
// session is free), and proves.
template <typename ExecutorType>
void LostStepIsTriedAgain(bool sequential) {
  Gate gate;
  {
    absl::MutexLock l(&gate.mu);
    gate.lose_first = true;
  }
  GateBackend backend(&gate);
  ListPolicy policy({{"win", -1.0, false}});
  SearchResult r = RunWith<ExecutorType>(backend, policy, GateConfig(sequential));
  EXPECT_EQ(r.status, SearchStatus::kProvedUnchecked) << r.message;
  EXPECT_EQ(r.stats.provers_lost, 1u);
  absl::MutexLock l(&gate.mu);
  EXPECT_EQ(gate.steps, (std::vector<std::string>{"win", "win"}));
}

TEST(WorkerPoolTest, LostStepIsTriedAgain) { LostStepIsTriedAgain<WorkerPool>(false); }
TEST(InlineExecutorTest, LostStepIsTriedAgain) { LostStepIsTriedAgain<InlineExecutor>(true); }

// Sessions that lose every call retire, each after SessionSlots::
// kMaxConsecutiveLost in a row, and then the search ends with a typed error.
TEST(WorkerPoolTest, EndsWhenEverySessionIsLost) {
  auto world = std::make_shared<SyntheticWorld>();
  SimProverOptions po;
  po.lose_every = 1;  // Every call.
  SimProverBackend backend(world, po);
  SimPolicy policy(world, SimPolicyOptions{});
  SearchConfig c = FastConfig();
  c.max_inflight_steps = 2;
  const Theorem theorem = SimTheorem(SyntheticWorld::Statement(30, 1));
  SearchResult r =
      WorkerPool(Env::Default(), backend, policy, theorem, c, nullptr, nullptr).Run();
  EXPECT_EQ(r.status, SearchStatus::kError);
  EXPECT_TRUE(absl::StrContains(r.message, "every prover session was lost")) << r.message;
  EXPECT_TRUE(absl::StrContains(r.message, "times in a row")) << r.message;
  EXPECT_GE(r.stats.provers_lost, 2u * SessionSlots::kMaxConsecutiveLost);
}

}  // namespace
}  // namespace thor::testing
