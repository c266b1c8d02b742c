// SearchCore and OrderedCalls without threads: the tests play the executor,
// take the calls the core asks for and feed it made-up outcomes.
#include "search/search_core.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "search/ordered_calls.h"
#include "tests/search/core_fakes.h"

namespace thor {
namespace {

using ::thor::testing::FakeBackend;
using ::thor::testing::FakePolicy;

class SearchCoreTest : public ::testing::Test {
 protected:
  SearchCoreTest() { config_.max_inflight_steps = 4; }

  std::unique_ptr<SearchCore> MakeCore() {
    auto core = std::make_unique<SearchCore>(backend_, policy_, theorem_, config_,
                                             nullptr, /*seed=*/5);
    ProofState root;
    root.text = "root";
    core->Start(root);
    return core;
  }
  static QueryDone Answer(int node, std::vector<Candidate> candidates) {
    QueryDone d;
    d.node = node;
    d.result = std::move(candidates);
    return d;
  }
  static StepDone Outcome(const StepJob& job, StepKind kind,
                          const std::string& text = "") {
    StepDone d;
    d.job = job;
    d.r.step.kind = kind;
    d.r.step.state.text = text;
    return d;
  }

  FakeBackend backend_;
  FakePolicy policy_;
  Theorem theorem_;
  SearchConfig config_;
};

TEST_F(SearchCoreTest, QueriesTheRootThenTriesStepsBestFirst) {
  std::unique_ptr<SearchCore> core = MakeCore();
  ASSERT_TRUE(core->CanStartQuery());
  SearchCall q = core->Next(/*session_free=*/true);
  ASSERT_EQ(q.kind, kQueryCall);
  EXPECT_EQ(core->QueryFor(q.node).state_text, "root");
  // "a" twice: merged, keeping its best log-probability.
  QueryDone d = Answer(q.node, {{"a", -1.0}, {"b", -0.5}, {"a", -0.2}});
  core->Complete(d);
  EXPECT_EQ(core->stats().candidates, 2u);
  SearchCall first = core->Next(true);
  SearchCall second = core->Next(true);
  ASSERT_EQ(first.kind, kStepCall);
  ASSERT_EQ(second.kind, kStepCall);
  EXPECT_EQ(core->StepText(first.job), "a");
  EXPECT_EQ(core->StepText(second.job), "b");
  EXPECT_EQ(core->steps_in_flight(), 2);
  EXPECT_FALSE(core->CanStartStep(true));  // Both taken.
}

TEST_F(SearchCoreTest, NoStepWithoutAFreeSession) {
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d = Answer(core->NextQuery(), {{"a", -1.0}});
  core->Complete(d);
  EXPECT_FALSE(core->CanStartStep(/*session_free=*/false));
  EXPECT_TRUE(core->CanStartStep(/*session_free=*/true));
}

TEST_F(SearchCoreTest, AFinishedProofEndsTheSearchWithItsPath) {
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d = Answer(core->NextQuery(), {{"intro", -0.1}});
  core->Complete(d);
  StepDone s1 = Outcome(core->NextStep(), StepKind::kNewState, "goal 2");
  core->Complete(s1, true);
  ASSERT_FALSE(core->done());
  SearchCall q = core->Next(true);
  ASSERT_EQ(q.kind, kQueryCall);
  EXPECT_EQ(core->QueryFor(q.node).state_text, "goal 2");
  EXPECT_EQ(core->QueryFor(q.node).last_step, "intro");
  QueryDone d2 = Answer(q.node, {{"auto", -0.3}});
  core->Complete(d2);
  StepDone s2 = Outcome(core->NextStep(), StepKind::kProofFinished);
  core->Complete(s2, true);
  ASSERT_TRUE(core->done());
  EXPECT_TRUE(core->stop_flag()->load());  // In-flight queries quit.
  std::vector<std::string> steps;
  SearchResult r = core->BuildResult(&steps);
  EXPECT_EQ(r.status, SearchStatus::kProvedUnchecked);
  EXPECT_EQ(steps, (std::vector<std::string>{"intro", "auto"}));
  EXPECT_EQ(r.proof_text, "intro auto");
  EXPECT_EQ(r.seed, 5u);
}

TEST_F(SearchCoreTest, RefusedStepIsNeverIssued) {
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d = Answer(core->NextQuery(), {{"admit", -0.01}, {"simp", -2.0}});
  core->Complete(d);
  EXPECT_EQ(core->stats().steps_refused, 1u);
  EXPECT_EQ(core->StepText(core->NextStep()), "simp");
  EXPECT_FALSE(core->CanStartStep(true));
}

TEST_F(SearchCoreTest, ConsecutivePolicyFailuresEndTheSearch) {
  config_.max_consecutive_policy_failures = 2;
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d;
  d.node = core->NextQuery();
  d.result = absl::UnavailableError("model down");
  core->Complete(d);
  ASSERT_FALSE(core->done());
  ASSERT_TRUE(core->CanStartQuery());  // The root is queued again.
  QueryDone d2;
  d2.node = core->NextQuery();
  d2.result = absl::UnavailableError("model still down");
  core->Complete(d2);
  ASSERT_TRUE(core->done());
  std::vector<std::string> steps;
  SearchResult r = core->BuildResult(&steps);
  EXPECT_EQ(r.status, SearchStatus::kError);
  EXPECT_TRUE(absl::StrContains(r.message, "fake-policy")) << r.message;
  EXPECT_TRUE(absl::StrContains(r.message, "model still down")) << r.message;
}

TEST_F(SearchCoreTest, QueryBudgetEndsAnIdleSearch) {
  config_.max_model_queries = 1;
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d = Answer(core->NextQuery(), {{"a", -1.0}});
  core->Complete(d);
  core->MaybeFinishIdle();
  EXPECT_FALSE(core->done());  // A step is still queued.
  StepDone s = Outcome(core->NextStep(), StepKind::kNewState, "goal 2");
  core->Complete(s, true);
  EXPECT_FALSE(core->CanStartQuery());  // Budget spent, "goal 2" queued.
  core->MaybeFinishIdle();
  ASSERT_TRUE(core->done());
  std::vector<std::string> steps;
  EXPECT_EQ(core->BuildResult(&steps).status, SearchStatus::kQueryBudget);
}

TEST_F(SearchCoreTest, NothingLeftIsExhausted) {
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d = Answer(core->NextQuery(), {{"a", -1.0}});
  core->Complete(d);
  StepDone s = Outcome(core->NextStep(), StepKind::kStepError);
  core->Complete(s, true);
  core->MaybeFinishIdle();
  ASSERT_TRUE(core->done());
  std::vector<std::string> steps;
  EXPECT_EQ(core->BuildResult(&steps).status, SearchStatus::kExhausted);
  EXPECT_EQ(core->stats().steps_failed, 1u);
}

TEST_F(SearchCoreTest, DuplicateStateIsNotQueuedAgain) {
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d = Answer(core->NextQuery(), {{"a", -1.0}, {"b", -2.0}});
  core->Complete(d);
  StepDone s1 = Outcome(core->NextStep(), StepKind::kNewState, "same");
  StepDone s2 = Outcome(core->NextStep(), StepKind::kNewState, "same");
  core->Complete(s1, true);
  core->Complete(s2, true);
  EXPECT_EQ(core->stats().duplicate_states, 1u);
  EXPECT_EQ(core->stats().states_seen, 2u);  // Root and "same".
  core->NextQuery();
  EXPECT_FALSE(core->CanStartQuery());  // Only one new state was queued.
}

TEST_F(SearchCoreTest, LostStepIsRetriedOnceWhileSessionsRemain) {
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d = Answer(core->NextQuery(), {{"a", -1.0}});
  core->Complete(d);
  StepDone lost = Outcome(core->NextStep(), StepKind::kProverLost);
  core->Complete(lost, /*sessions_left=*/true);
  ASSERT_TRUE(core->CanStartStep(true));
  StepDone again = Outcome(core->NextStep(), StepKind::kProverLost);
  EXPECT_EQ(again.job.lost_retries, 1);
  core->Complete(again, true);
  EXPECT_FALSE(core->CanStartStep(true));  // Only once.
  EXPECT_EQ(core->stats().provers_lost, 2u);
}

TEST_F(SearchCoreTest, LostStepIsDroppedWithoutSessions) {
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d = Answer(core->NextQuery(), {{"a", -1.0}});
  core->Complete(d);
  StepDone lost = Outcome(core->NextStep(), StepKind::kProverLost);
  core->Complete(lost, /*sessions_left=*/false);
  EXPECT_FALSE(core->CanStartStep(true));
}

TEST_F(SearchCoreTest, SequentialModeQueriesOnlyWhenNothingIsPending) {
  config_.sequential = true;
  std::unique_ptr<SearchCore> core = MakeCore();
  EXPECT_EQ(core->config().max_inflight_steps, 1);
  QueryDone d = Answer(core->NextQuery(), {{"a", -1.0}, {"b", -2.0}});
  core->Complete(d);
  StepDone s = Outcome(core->NextStep(), StepKind::kNewState, "goal 2");
  core->Complete(s, true);
  EXPECT_FALSE(core->CanStartQuery());  // "b" is still pending.
  StepDone s2 = Outcome(core->NextStep(), StepKind::kStepError);
  core->Complete(s2, true);
  EXPECT_TRUE(core->CanStartQuery());
}

// The order in which NextStep hands out `n` queued jobs: step texts, the
// hammer as "HAMMER".
std::vector<std::string> TakeJobs(SearchCore& core, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    const StepJob job = core.NextStep();
    out.push_back(job.hammer ? "HAMMER" : core.StepText(job));
  }
  return out;
}

std::vector<Candidate> RootCandidates() {
  std::vector<Candidate> c = {{"a", 0.0}, {"b", -0.05}, {"c", -0.1}, {"d", -0.15}};
  Candidate hammer;
  hammer.step = "<hammer>";
  hammer.logprob = -0.2;  // Last, as the heuristic policy puts it.
  hammer.is_hammer = true;
  c.insert(c.begin() + 1, hammer);  // The order of the list does not count.
  return c;
}

TEST_F(SearchCoreTest, TheRootsHammerGoesToItsPlaceAndDeeperStatesKeepThePolicysOrder) {
  config_.max_inflight_steps = 8;
  config_.root_hammer_place = 2;
  std::unique_ptr<SearchCore> core = MakeCore();
  QueryDone d = Answer(core->NextQuery(), RootCandidates());
  core->Complete(d);
  const StepJob a = core->NextStep();
  ASSERT_EQ(core->StepText(a), "a");
  StepDone s = Outcome(a, StepKind::kNewState, "goal 2");
  core->Complete(s, true);
  EXPECT_EQ(TakeJobs(*core, 2), (std::vector<std::string>{"b", "HAMMER"}));
  // The child of "a" (score 0) outranks c and d; its own hammer stays last.
  QueryDone child = Answer(core->NextQuery(), RootCandidates());
  core->Complete(child);
  EXPECT_EQ(TakeJobs(*core, 7),
            (std::vector<std::string>{"a", "b", "c", "c", "d", "d", "HAMMER"}));
}

// The place is the latest: a policy that ranks the hammer earlier keeps it.
TEST_F(SearchCoreTest, TheRootsHammerNoLaterThanItsPlace) {
  config_.max_inflight_steps = 8;
  const std::vector<std::pair<int, std::vector<std::string>>> cases = {
      {0, {"HAMMER", "a", "b", "c", "d"}},
      {2, {"a", "b", "HAMMER", "c", "d"}},
      {4, {"a", "b", "c", "HAMMER", "d"}},   // The policy's own place, earlier.
      {9, {"a", "b", "c", "HAMMER", "d"}},
      {-1, {"a", "b", "c", "HAMMER", "d"}}};  // The policy's order.
  for (const auto& [place, order] : cases) {
    config_.root_hammer_place = place;
    std::unique_ptr<SearchCore> core = MakeCore();
    std::vector<Candidate> c = RootCandidates();
    c[1].logprob = -0.12;  // After c.
    QueryDone d = Answer(core->NextQuery(), c);
    core->Complete(d);
    EXPECT_EQ(TakeJobs(*core, 5), order) << "root_hammer_place " << place;
  }
}

TEST_F(SearchCoreTest, OrderedCallsIntegrateInTicketOrder) {
  std::unique_ptr<SearchCore> core = MakeCore();
  OrderedCalls ordered;
  int integrated_steps = 0;
  std::vector<std::string> order;
  // What the engine does with a finished call.
  auto complete = [&](uint64_t seq, OrderedCalls::Completed done) {
    ordered.File(seq, std::move(done), *core);
    OrderedCalls::Completed c;
    while (ordered.PopReady(*core, &c)) {
      if (c.query) {
        core->Complete(c.q);
      } else {
        order.push_back(core->StepText(c.s.job));
        ++integrated_steps;
        core->Complete(c.s, true);
      }
      ordered.Dispatch(*core, /*max_steps=*/2);
    }
  };
  ordered.Dispatch(*core, /*max_steps=*/2);
  ASSERT_TRUE(ordered.HasQuery());
  ASSERT_FALSE(ordered.HasStep());
  OrderedCalls::Ticket q = ordered.TakeQuery();
  OrderedCalls::Completed cq;
  cq.query = true;
  cq.q = Answer(q.node, {{"a", -1.0}, {"b", -2.0}, {"c", -3.0}});
  complete(q.seq, std::move(cq));
  // Two step tickets (the session cap), none for "c" yet.
  ASSERT_TRUE(ordered.HasStep());
  OrderedCalls::Ticket t1 = ordered.TakeStep();
  OrderedCalls::Ticket t2 = ordered.TakeStep();
  EXPECT_FALSE(ordered.HasStep());
  OrderedCalls::Completed c2;
  c2.s = Outcome(t2.job, StepKind::kStepError);
  complete(t2.seq, std::move(c2));
  EXPECT_EQ(integrated_steps, 0);  // Waits for t1.
  OrderedCalls::Completed c1;
  c1.s = Outcome(t1.job, StepKind::kStepError);
  complete(t1.seq, std::move(c1));
  EXPECT_EQ(integrated_steps, 2);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(ordered.HasStep());  // "c", issued as sessions came free.
  EXPECT_EQ(core->StepText(ordered.TakeStep().job), "c");
}

}  // namespace
}  // namespace thor
