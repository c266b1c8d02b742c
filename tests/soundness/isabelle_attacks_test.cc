// Issue #12's red team, Isabelle side: the cheating attempts of attacks.cc
// through Prove, SuggestSteps (try_steps) and CheckProof (steps and
// proof_text) against the bridge connected to fakes: a PISA server scripted
// to accept every cheat (as PISA's REPL does with quick_and_dirty) and an
// `isabelle server` that passes every theory. The bridge has to refuse them
// itself. A positive control proves that an honest proof still passes.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/soundness/attack_suite.h"

namespace thor::testing {
namespace {

class IsabelleSoundness : public AttackRigTest {
 protected:
  IsabelleSoundness() : AttackRigTest(5000) {}
};

class IsabelleAttack : public IsabelleSoundness,
                       public ::testing::WithParamInterface<AttackCase> {};

TEST_P(IsabelleAttack, IsNotProved) { RunAttack(*rig_, GetParam().attack, GetParam().entry); }

INSTANTIATE_TEST_SUITE_P(
    Isabelle, IsabelleAttack,
    ::testing::ValuesIn(AttackCases(IsabelleAttacks(), {kProve, kSuggest, kCheckSteps,
                                                        kCheckText})),
    AttackCaseName);

TEST_F(IsabelleSoundness, ControlHonestProofIsProvedAndChecked) {
  v1::Theorem t;
  t.set_prover("isabelle");
  t.set_name("t");
  t.set_session("HOL");
  t.set_statement("theorem t: \"(a::nat) + 0 = a\"");
  rig_->ModelReturns({"by simp"});
  Outcome proved = rig_->Prove(t, 2);
  EXPECT_TRUE(proved.counted) << proved.verdict << proved.rpc_error;
  Outcome suggested = rig_->Suggest(t, {});
  EXPECT_TRUE(suggested.counted) << suggested.verdict << suggested.rpc_error;
  Outcome by_steps = rig_->CheckSteps(t, {"by simp"});
  EXPECT_TRUE(by_steps.counted) << by_steps.verdict;
  Outcome by_text = rig_->CheckText(t, "by simp");
  EXPECT_TRUE(by_text.counted) << by_text.verdict;
}

// Theorem.file_path names a file on the server: its text must not reach the
// re-checking Isabelle (nor any response). Stopped by the file policy.
TEST_F(IsabelleSoundness, FilePathSecretTheoryIsNotReadByTheServer) {
  const std::string path = rig_->NewTargetDir("file_path") + "/Secret.thy";
  std::ofstream(path) << "theory Secret imports Main begin\n(* " << kSecretMarker
                      << " *)\ntheorem t: \"False\"\nsorry\n\nend\n";
  v1::Theorem t;
  t.set_prover("isabelle");
  t.set_name("t");
  t.set_session("HOL");
  t.set_file_path(path);
  t.set_statement("theorem t: \"False\"");
  rig_->ModelReturns({"by simp"});
  for (const Outcome& o : {rig_->Prove(t, 2), rig_->CheckSteps(t, {"by simp"})}) {
    EXPECT_FALSE(o.counted) << o.verdict;
    EXPECT_EQ(o.everything.find(kSecretMarker), std::string::npos) << o.everything;
  }
  for (const std::string& theory : rig_->IsabelleTheoriesChecked()) {
    EXPECT_EQ(theory.find(kSecretMarker), std::string::npos)
        << "the server read the client-named file and sent it to Isabelle:\n" << theory;
  }
}

}  // namespace
}  // namespace thor::testing
