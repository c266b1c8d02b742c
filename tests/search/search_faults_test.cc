// Faults: lost provers, missing provers, failing / slow models, re-checks.
#include <memory>

#include "gtest/gtest.h"
#include "search/best_first.h"
#include "tests/search/search_test_util.h"
#include "tests/search/sim_prover.h"

namespace thor::testing {
namespace {

struct Outcome {
  SearchResult result;
  int applies = 0;
};

Outcome RunSynthetic(SimProverOptions po, SimPolicyOptions qo, SearchConfig c,
                     const std::string& statement = SyntheticWorld::Statement(3, 1)) {
  auto world = std::make_shared<SyntheticWorld>();
  SimProverBackend backend(world, po);
  SimPolicy policy(world, qo);
  Theorem t = SimTheorem(statement);
  Outcome o;
  o.result = RunBestFirstSearch(backend, policy, t, c, nullptr, nullptr);
  o.applies = backend.counters().applies.load();
  return o;
}

SearchConfig Config(bool sequential) {
  SearchConfig c = FastConfig();
  c.sequential = sequential;
  c.samples_per_query = 16;
  c.max_inflight_steps = 3;
  return c;
}

class BothModes : public ::testing::TestWithParam<bool> {};

TEST_P(BothModes, ProverLostMidSearchIsRecordedAndSearchGoesOn) {
  SimProverOptions po;
  po.lose_every = 4;
  Outcome o = RunSynthetic(po, {}, Config(GetParam()));
  EXPECT_EQ(o.result.status, SearchStatus::kProved)
      << o.result.message << "\n" << o.result.proof_text;
  EXPECT_GT(o.result.stats.provers_lost, 0u);
}

// Every second prover call loses its session: each lost step is tried
// once more, so the sequential search takes exactly the path it takes with
// no losses (without the retry, half the steps would be dropped).
TEST(SearchFaults, StepsLostWithTheirSessionAreTriedAgain) {
  Outcome clean = RunSynthetic({}, {}, Config(true));
  ASSERT_EQ(clean.result.status, SearchStatus::kProved) << clean.result.message;
  SimProverOptions po;
  po.lose_every = 2;
  Outcome o = RunSynthetic(po, {}, Config(true));
  ASSERT_EQ(o.result.status, SearchStatus::kProved) << o.result.message;
  EXPECT_EQ(o.result.proof_text, clean.result.proof_text);
  EXPECT_GT(o.result.stats.provers_lost, 0u);
  EXPECT_EQ(o.applies, 2 * clean.applies - 1);  // The proving call is odd.
}

TEST_P(BothModes, ProverGoneForGoodEndsWithTypedError) {
  SimProverOptions po;
  po.dead_after = 5;
  SyntheticWorld::Options wo;
  Outcome o = RunSynthetic(po, {}, Config(GetParam()),
                           SyntheticWorld::Statement(30, 1));
  EXPECT_EQ(o.result.status, SearchStatus::kError);
  EXPECT_NE(o.result.message.find("every prover session was lost"),
            std::string::npos)
      << o.result.message;
  EXPECT_GE(o.result.stats.provers_lost, 3u);
}

TEST_P(BothModes, ModelDownEndsWithTypedErrorNamingTheCause) {
  SimPolicyOptions qo;
  qo.fail_every = 1;
  qo.failure = absl::UnavailableError("connection refused (127.0.0.1:9)");
  Outcome o = RunSynthetic({}, qo, Config(GetParam()));
  EXPECT_EQ(o.result.status, SearchStatus::kError);
  EXPECT_NE(o.result.message.find("3 queries in a row"), std::string::npos)
      << o.result.message;
  EXPECT_NE(o.result.message.find("connection refused"), std::string::npos);
  EXPECT_EQ(o.result.stats.model_failures, 3u);
  EXPECT_EQ(o.applies, 0);
}

TEST_P(BothModes, SlowModelHitsQueryDeadline) {
  SimPolicyOptions qo;
  qo.latency = Latency::Fixed(absl::Seconds(5));
  SearchConfig c = Config(GetParam());
  c.query_timeout = absl::Milliseconds(30);
  const absl::Time t0 = absl::Now();
  Outcome o = RunSynthetic({}, qo, c);
  EXPECT_EQ(o.result.status, SearchStatus::kError);
  EXPECT_NE(o.result.message.find("DEADLINE_EXCEEDED"), std::string::npos)
      << o.result.message;
  EXPECT_LT(absl::Now() - t0, absl::Seconds(2));
}

TEST_P(BothModes, FlakyModelStillFindsProof) {
  SimPolicyOptions qo;
  qo.fail_every = 3;
  Outcome o = RunSynthetic({}, qo, Config(GetParam()));
  EXPECT_EQ(o.result.status, SearchStatus::kProved) << o.result.message;
  EXPECT_GT(o.result.stats.model_failures, 0u);
}

INSTANTIATE_TEST_SUITE_P(Search, BothModes, ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "Sequential" : "Pipelined";
                         });

TEST(SearchFaultsTest, MissingProverIsTypedError) {
  SimProverOptions po;
  po.unavailable = "sim prover not installed: run scripts/bootstrap";
  Outcome o = RunSynthetic(po, {}, Config(false));
  EXPECT_EQ(o.result.status, SearchStatus::kError);
  EXPECT_NE(o.result.message.find("scripts/bootstrap"), std::string::npos)
      << o.result.message;
}

TEST(SearchFaultsTest, RejectedStatementIsTypedError) {
  Outcome o = RunSynthetic({}, {}, Config(false), "not a sim statement");
  EXPECT_EQ(o.result.status, SearchStatus::kError);
  EXPECT_NE(o.result.message.find("INVALID_ARGUMENT"), std::string::npos)
      << o.result.message;
  // Kept as a status: the transport answers a refused theorem with it.
  EXPECT_EQ(o.result.rejected.code(), absl::StatusCode::kInvalidArgument) << o.result.rejected;
}

TEST(SearchFaultsTest, AProverThatCannotStartIsNotARejectedTheorem) {
  SimProverOptions po;
  po.unavailable = "sim prover not installed: run scripts/bootstrap";
  Outcome o = RunSynthetic(po, {}, Config(false));
  EXPECT_EQ(o.result.status, SearchStatus::kError);
  EXPECT_TRUE(o.result.rejected.ok()) << o.result.rejected;
}

TEST(SearchFaultsTest, RecheckRejectionKeepsTheProof) {
  SimProverOptions po;
  po.recheck_rejects = true;
  Outcome o = RunSynthetic(po, {}, Config(true));
  EXPECT_EQ(o.result.status, SearchStatus::kRecheckRejected);
  EXPECT_FALSE(o.result.proof.empty());
  EXPECT_EQ(o.result.recheck.verdict, RecheckVerdict::kFailed);
  EXPECT_NE(o.result.message.find("rejected"), std::string::npos);
}

TEST(SearchFaultsTest, LoadingPastTheWallBudgetIsTimeBudget) {
  SimProverOptions po;
  po.start = Latency::Fixed(absl::Seconds(5));
  SearchConfig c = Config(false);
  c.wall_time = absl::Milliseconds(300);
  Outcome o = RunSynthetic(po, {}, c);
  EXPECT_EQ(o.result.status, SearchStatus::kTimeBudget) << o.result.message;
  EXPECT_NE(o.result.message.find("loaded the theorem"), std::string::npos) << o.result.message;
}

TEST(SearchFaultsTest, LoadingPastTheStartTimeoutIsAnError) {
  SimProverOptions po;
  po.start = Latency::Fixed(absl::Seconds(5));
  SearchConfig c = Config(false);
  c.start_timeout = absl::Milliseconds(300);
  c.wall_time = absl::Seconds(30);
  Outcome o = RunSynthetic(po, {}, c);
  EXPECT_EQ(o.result.status, SearchStatus::kError);
  EXPECT_NE(o.result.message.find("within its start timeout"), std::string::npos)
      << o.result.message;
}

TEST(SearchFaultsTest, SkipRecheckGivesProvedUnchecked) {
  SearchConfig c = Config(true);
  c.skip_recheck = true;
  Outcome o = RunSynthetic({}, {}, c);
  EXPECT_EQ(o.result.status, SearchStatus::kProvedUnchecked);
  EXPECT_EQ(o.result.recheck.verdict, RecheckVerdict::kSkipped);
}

TEST(SearchFaultsTest, SlowStepsTimeOutAndAreCounted) {
  SimProverOptions po;
  po.step = Latency::Fixed(absl::Milliseconds(200));
  SearchConfig c = Config(false);
  c.step_timeout = absl::Milliseconds(20);
  c.max_model_queries = 2;
  c.samples_per_query = 4;
  Outcome o = RunSynthetic(po, {}, c);
  EXPECT_GT(o.result.stats.steps_timed_out, 0u);
  EXPECT_EQ(o.result.stats.steps_timed_out + o.result.stats.provers_lost,
            o.result.stats.steps_applied);
}

}  // namespace
}  // namespace thor::testing
