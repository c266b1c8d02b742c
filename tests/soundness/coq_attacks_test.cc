// Issue #12's red team, Coq side: every cheating attempt of attacks.cc
// through the gRPC entry points (Prove with the steps offered by an OpenAI
// policy against a fake model server, SuggestSteps with try_steps,
// CheckProof with steps and with proof_text, Hammer on a state), against
// real coqtop/coqc. Each case asserts that nothing counted as a proof, that
// the attack's target directory stayed empty and that no secret leaked.
// The positive controls at the end prove that honest proofs still pass.
// Needs `coq` and `libcoq-hammer` (Debian).
#include <gtest/gtest.h>

#include "common/subprocess.h"
#include "tests/soundness/attack_suite.h"

namespace thor::testing {
namespace {

class CoqSoundness : public AttackRigTest {
 protected:
  // coqtop, coqc or an ATP may take up to 10 s to be reaped after a request.
  CoqSoundness() : AttackRigTest(10000) {}
  void SetUp() override {
    ASSERT_TRUE(CheckProgramAvailable("coqtop", "apt-get install coq libcoq-hammer").ok())
        << "coqtop is missing: apt-get install coq libcoq-hammer";
    AttackRigTest::SetUp();
  }
};

class CoqAttack : public CoqSoundness, public ::testing::WithParamInterface<AttackCase> {};

TEST_P(CoqAttack, IsNotProvedAndTouchesNoFile) {
  RunAttack(*rig_, GetParam().attack, GetParam().entry);
}

INSTANTIATE_TEST_SUITE_P(
    Coq, CoqAttack,
    ::testing::ValuesIn(AttackCases(CoqAttacks(), {kProve, kSuggest, kCheckSteps, kCheckText,
                                                   kHammer})),
    AttackCaseName);

v1::Theorem CoqTheorem(const std::string& statement) {
  v1::Theorem t;
  t.set_prover("coq");
  t.set_name("t");
  t.set_statement(statement);
  return t;
}

// An honest proof found by Prove passes, and CheckProof accepts it both as
// its steps and as the proof text Prove returned, verbatim.
TEST_F(CoqSoundness, ControlHonestProofIsProvedAndChecked) {
  v1::Theorem t = CoqTheorem("forall n : nat, 0 + n = n");
  rig_->ModelReturns({"intros n.", "reflexivity."});
  v1::ProveRequest req;
  *req.mutable_theorem() = t;
  req.mutable_config()->set_policy("attack");
  req.mutable_config()->set_sequential(true);
  req.mutable_config()->set_max_model_queries(4);
  req.mutable_config()->set_wall_time_s(60);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(90)));
  auto reader = rig_->stub().Prove(&ctx, req);
  v1::SearchEvent e;
  v1::ProveResult result;
  while (reader->Read(&e)) {
    if (e.has_finished()) result = e.finished();
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(result.status(), v1::PROVED) << result.ShortDebugString();
  EXPECT_EQ(result.recheck(), v1::RECHECK_PASSED);

  std::vector<std::string> steps;
  for (const v1::ProofStep& s : result.proof().steps()) steps.push_back(s.text());
  Outcome by_steps = rig_->CheckSteps(t, steps);
  EXPECT_TRUE(by_steps.counted) << by_steps.verdict;
  Outcome by_text = rig_->CheckText(t, result.proof().text());
  EXPECT_TRUE(by_text.counted) << by_text.verdict << "\n" << result.proof().text();
}

// Imports, a context with a definition and a lemma, a statement with its own
// keyword: what honest users send must not trip the validation.
TEST_F(CoqSoundness, ControlContextImportsAndKeywordStatementPass) {
  v1::Theorem t = CoqTheorem("Lemma double_2 : double 2 = 4.");
  t.add_imports("List");
  t.add_imports("Coq.Arith.PeanoNat");
  t.set_context(
      "(* helpers *)\nDefinition double (n : nat) := n + n.\n"
      "Lemma double_0 : double 0 = 0.\nProof. reflexivity. Qed.\n");
  rig_->ModelReturns({"reflexivity."});
  Outcome proved = rig_->Prove(t, 2);
  EXPECT_TRUE(proved.counted) << proved.verdict;
  Outcome checked = rig_->CheckText(t, "Proof.\n  unfold double.\n  reflexivity.\nQed.");
  EXPECT_TRUE(checked.counted) << checked.verdict;
}

// A suggestion that closes the goal honestly is reported as PROOF_FINISHED.
TEST_F(CoqSoundness, ControlSuggestionThatClosesTheGoalIsFinished) {
  v1::Theorem t = CoqTheorem("forall l : list nat, length (nil ++ l) = length l");
  rig_->ModelReturns({"reflexivity."});
  Outcome o = rig_->Suggest(t, {"intros l."});
  EXPECT_TRUE(o.counted) << o.verdict << o.rpc_error;
}

}  // namespace
}  // namespace thor::testing
