// End to end on real Coq: the external hammer (CoqHammer's TPTP export ->
// Thor's ATP portfolio -> sauto-family reconstruction), and Thor's
// best-first search with the heuristic policy proving a list lemma through a
// hammer step, re-checked by coqc.
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "coq_bridge/coq_backend.h"
#include "coq_bridge/coq_session.h"
#include "coq_bridge/hammer_atp.h"
#include "gtest/gtest.h"
#include "lm_client/heuristic_policy.h"
#include "provers/provers.h"
#include "search/best_first.h"
#include "search/observer.h"
#include "tests/testing/processes.h"

namespace thor::coq {
namespace {

Theorem LengthGoal() {
  Theorem t;
  t.prover = "coq";
  t.name = "app_length_comm";
  t.statement = "forall l1 l2 : list nat, length (l1 ++ l2) = length (l2 ++ l1)";
  t.imports = {"List"};
  return t;
}

TEST(CoqHammerE2ETest, ExternalHammerProvesThroughThorsPortfolioAndReconstructs) {
  {
    CoqConfig config;
    config.hammer_mode = HammerMode::kExternal;
    config.spare_processes = 0;  // No second warm-up next to the test's.
    // The server's long-lived hammer (Registry::hammer): the bridge's proof
    // goes into its premise database.
    auto shared = std::make_shared<hammer::Hammer>();
    CoqBackend backend(config, MakeHammerAtpRunner(hammer::HammerOptions(), shared));
    auto session = backend.NewSession();
    ASSERT_TRUE(session.ok()) << session.status();
    absl::StatusOr<ProofState> s0 = (*session)->Start(LengthGoal(), absl::Seconds(60));
    ASSERT_TRUE(s0.ok()) << s0.status();
    StepResult intros = (*session)->Apply(*s0, "intros l1 l2.", absl::Seconds(10));
    ASSERT_EQ(intros.kind, StepKind::kNewState) << intros.message;
    // Includes waiting for CoqHammer's warm-up (started in the background).
    HammerStepResult h = (*session)->Hammer(intros.state, absl::Seconds(390));
    ASSERT_EQ(h.step.kind, StepKind::kProofFinished) << h.message;
    EXPECT_FALSE(h.prover.empty());  // A slice of Thor's portfolio won.
    EXPECT_FALSE(h.premises.empty());
    EXPECT_TRUE(absl::StrContains(h.step_text, "app_length")) << h.step_text;
    EXPECT_FALSE(absl::StrContains(h.step_text, "hammer")) << h.step_text;
    EXPECT_GE(shared->proof_count(), 1u) << "the portfolio's proof is not in the shared database";
    // With less time than CoqHammer's export needs, the hammer is not
    // started: a timeout at once, and the session keeps its coqtop.
    const pid_t pid = static_cast<CoqSession&>(**session).CoqtopPid();
    const absl::Time t0 = absl::Now();
    HammerStepResult late = (*session)->Hammer(intros.state, kMinExternalHammerTime / 2);
    EXPECT_EQ(late.step.kind, StepKind::kTimeout) << late.message;
    EXPECT_TRUE(absl::StrContains(late.message, "too little for CoqHammer's export")) << late.message;
    EXPECT_LT(absl::Now() - t0, absl::Milliseconds(100));
    EXPECT_EQ(static_cast<CoqSession&>(**session).CoqtopPid(), pid);
    StepResult still = (*session)->Apply(intros.state, "rewrite !app_length.", absl::Seconds(10));
    EXPECT_EQ(still.kind, StepKind::kNewState) << still.message;
    RecheckResult check =
        backend.Recheck(LengthGoal(), h.step.state.steps, absl::Seconds(60));
    EXPECT_EQ(check.verdict, RecheckVerdict::kPassed) << check.message;
  }
  EXPECT_EQ(testing::LeftoverChildren(5000), "");
}

// A hammer limit of 300 s (ATPLimit 135) once made this fail now and then:
// CoqHammer gave cvc4 135 ms (the shim on coqtop's PATH, coqtop.h).
TEST(CoqHammerE2ETest, HeuristicSearchProvesTheListLemmaThroughAHammerStep) {
  {
    CoqConfig coq;  // Native hammer.
    coq.spare_processes = 0;  // No second warm-up next to the test's.
    CoqBackend backend(coq);
    HeuristicPolicy policy(AllProverHeuristics());
    SearchConfig config;
    config.sequential = true;  // One coqtop: the machine has 2 cores.
    config.seed = 1;
    config.wall_time = absl::Seconds(400);
    // The first hammer call waits for CoqHammer's warm-up (started in the
    // background while the cheap steps run).
    config.hammer_timeout = absl::Seconds(300);
    config.max_model_queries = 10;
    config.start_timeout = absl::Seconds(60);
    // What each hammer call answered, for a failure's message.
    struct HammerLog : SearchObserver {
      void OnHammerCalled(const HammerCalledEvent& e) override {
        absl::StrAppend(&text, "\n  hammer after ", absl::FormatDuration(e.t), " (",
                        absl::FormatDuration(e.elapsed), "): ", e.success ? "closed: " : "failed: ",
                        e.step, " ", e.message);
      }
      std::string text;
    } hammer_log;
    SearchResult r =
        RunBestFirstSearch(backend, policy, LengthGoal(), config, &hammer_log, nullptr);
    ASSERT_EQ(r.status, SearchStatus::kProved)
        << SearchStatusName(r.status) << ": " << r.message << hammer_log.text;
    bool hammered = false;
    for (const FoundStep& step : r.proof) hammered |= step.from_hammer;
    EXPECT_TRUE(hammered) << r.proof_text;
    EXPECT_EQ(r.recheck.verdict, RecheckVerdict::kPassed) << r.recheck.message;
    EXPECT_TRUE(absl::StartsWith(r.proof_text, "Proof.")) << r.proof_text;
  }
  EXPECT_EQ(testing::LeftoverChildren(5000), "");
}

}  // namespace
}  // namespace thor::coq
