// Pure text helpers of the Coq bridge: step normalisation, closing a cut
// file, reading CoqHammer's output, sorting ATP premises.
#include "coq_bridge/coq_text.h"

#include "coq_bridge/hammer_output.h"
#include "gtest/gtest.h"

namespace thor::coq {
namespace {

TEST(CoqTextTest, NormalizeStepAddsPeriodAndRejectsBrokenText) {
  EXPECT_EQ(*NormalizeStep("  intros n "), "intros n.");
  EXPECT_EQ(*NormalizeStep("auto."), "auto.");
  EXPECT_EQ(*NormalizeStep("-"), "-");
  EXPECT_EQ(*NormalizeStep("{"), "{");
  EXPECT_FALSE(NormalizeStep("").ok());
  EXPECT_FALSE(NormalizeStep("auto (* open").ok());
  EXPECT_FALSE(NormalizeStep("idtac \"open").ok());
  EXPECT_FALSE(NormalizeStep("(* only a comment *)").ok());
  EXPECT_FALSE(NormalizeStep("Check thor_sentinel_3.").ok());
}

TEST(CoqTextTest, CloseOpenBlocksClosesSectionsAndDropsModuleSignatures) {
  std::string closing;
  std::string out = CloseOpenBlocks(
      "Module Type T. Parameter p : nat. End T.\n"
      "Module M <: T.\n(* Section Fake. *)\nSection S.\nVariable A : Type.\n"
      "Section Done. End Done.\nModule N := M.\n",
      &closing);
  EXPECT_EQ(closing, "End S.\nEnd M.\n");
  EXPECT_EQ(out.find("<: T"), std::string::npos) << out;
  EXPECT_NE(out.find("Module M  ."), std::string::npos) << out;
  EXPECT_NE(out.find("Module Type T."), std::string::npos) << out;
}

TEST(CoqTextTest, StatementSentenceWrapsBarePropositions) {
  Theorem t;
  t.name = "my-goal";
  t.statement = "forall n : nat, n = n";
  EXPECT_EQ(*StatementSentence(t), "Theorem my_goal : forall n : nat, n = n.");
  t.statement = "Lemma x (n : nat) : n = n.";
  EXPECT_EQ(*StatementSentence(t), "Lemma x (n : nat) : n = n.");
  EXPECT_EQ(StatementName(*StatementSentence(t)), "x");
}

TEST(CoqTextTest, ContextKeepPointSkipsTheSuitesAppendedLines) {
  // A file's text, a doc comment, then what the coq-stdlib suite appends.
  const std::string file = "Require Import List.\nSection S.\n(* a. b *)\nLemma x : True.\n"
                           "Proof. exact I. Qed.\n(** * Doc. *)\n";
  const std::string context = file + "\nFrom Hammer Require Import Hammer.\n"
                                     "Add Hammer Filter Coq.Lists.List.\n";
  const size_t keep = ContextKeepPoint(context);
  EXPECT_EQ(context.substr(0, keep), file.substr(0, file.find("Qed.") + 4));
  EXPECT_EQ(ContextKeepPoint(file), keep);
  // Nothing but appended lines (or nothing at all): nothing to keep.
  EXPECT_EQ(ContextKeepPoint("From Hammer Require Import Hammer.\nAdd Hammer Filter M.\n"), 0u);
  EXPECT_EQ(ContextKeepPoint("(* only a comment. *)\n"), 0u);
  EXPECT_EQ(ContextKeepPoint(""), 0u);
  // A '.' inside a string or a qualified name ends no sentence.
  EXPECT_EQ(ContextKeepPoint("Definition s := \"a. b\".\nCheck Nat.add"),
            std::string("Definition s := \"a. b\".").size());
  // Other Hammer commands are the context's own.
  EXPECT_EQ(ContextKeepPoint("Set Hammer ATPLimit 5.\n"), std::string("Set Hammer ATPLimit 5.").size());
}

TEST(CoqTextTest, ExtendsAtSentenceEndOnlyWhereCoqEndsTheSentence) {
  EXPECT_TRUE(ExtendsAtSentenceEnd("Definition a := 1.\nDefinition b := 2.", "Definition a := 1."));
  EXPECT_TRUE(ExtendsAtSentenceEnd("Definition a := 1.", "Definition a := 1."));
  EXPECT_TRUE(ExtendsAtSentenceEnd("Definition a := 1.\tCheck a.", "Definition a := 1."));
  // "1.5" and "Nat.add": the '.' is not a sentence end in the longer text.
  EXPECT_FALSE(ExtendsAtSentenceEnd("Definition a := 1.5.", "Definition a := 1."));
  EXPECT_FALSE(ExtendsAtSentenceEnd("Check Nat.add.", "Check Nat."));
  // Not a prefix, empty, or not ending in '.'.
  EXPECT_FALSE(ExtendsAtSentenceEnd("Definition a := 2.\n", "Definition a := 1."));
  EXPECT_FALSE(ExtendsAtSentenceEnd("Definition a := 1.\n", ""));
  EXPECT_FALSE(ExtendsAtSentenceEnd("Definition a := 1.\n", "Definition a := 1"));
  EXPECT_FALSE(ExtendsAtSentenceEnd("Definition a", "Definition a := 1."));
}

TEST(HammerOutputTest, ParsesBothShapesOfTheReplacementTactic) {
  NativeHammerOutput a = ParseNativeHammerOutput(
      "<infomsg>CVC4 (nbayes-128) succeeded</infomsg>\n"
      "<infomsg>- dependencies: Arith.PeanoNat.Nat.add_comm, Lists.List.app_length\n</infomsg>\n"
      "<infomsg>\nReplace the hammer tactic with:\n\tscongruence use: Nat.add_comm, "
      "app_length.\n</infomsg>\nNo more goals.\n");
  EXPECT_EQ(a.tactic, "scongruence use: Nat.add_comm, app_length.");
  EXPECT_EQ(a.prover, "cvc4/nbayes-128");
  EXPECT_EQ(a.premises.size(), 2u);
  NativeHammerOutput b = ParseNativeHammerOutput(
      "<infomsg>\nReplace the hammer tactic with:\n\tsauto lq: on\n</infomsg>\nNo more goals.\n");
  EXPECT_EQ(b.tactic, "sauto lq: on.");
  NativeHammerOutput c = ParseNativeHammerOutput(
      "<infomsg>Replace the hammer tactic with:\n\tsrun eauto use: x\n</infomsg>");
  EXPECT_EQ(c.tactic, "srun (eauto) use: x.");
  EXPECT_EQ(ParseNativeHammerOutput("Error: Hammer failed").tactic, "");
}

TEST(HammerOutputTest, SortsPremisesIntoUseUnfoldInv) {
  CoqPremises p = ClassifyTptpPremises(
      {"'Coq.Lists.List.app_length'", "Coq.Arith.PeanoNat.Nat.add_comm", "'$_typeof_l1'",
       "'$_def_Coq.Init.Nat.add'", "'$_inversion_Top.ev'", "'$_case_Coq.Init.Datatypes.nat$1'",
       "'_HAMMER_GOAL'", "H", "'Coq.Arith.PeanoNat.Nat.gcd_unique\\''"});
  EXPECT_EQ(p.uses, (std::vector<std::string>{"Coq.Lists.List.app_length",
                                              "Coq.Arith.PeanoNat.Nat.add_comm",
                                              "Coq.Arith.PeanoNat.Nat.gcd_unique'"}));
  EXPECT_EQ(p.unfolds, std::vector<std::string>{"Coq.Init.Nat.add"});
  EXPECT_EQ(p.inversions, (std::vector<std::string>{"Top.ev", "Coq.Init.Datatypes.nat"}));
  std::vector<std::string> tactics = ReconstructionTactics(p);
  ASSERT_FALSE(tactics.empty());
  EXPECT_NE(tactics[0].find(" use: Coq.Lists.List.app_length, "), std::string::npos);
  EXPECT_NE(tactics[0].find(" unfold: Coq.Init.Nat.add inv: Top.ev"), std::string::npos);
  EXPECT_EQ(ExportedProblemPath("Writing translated problem to file '/t/coqhammer1.p'...\n"),
            "/t/coqhammer1.p");
}

}  // namespace
}  // namespace thor::coq
