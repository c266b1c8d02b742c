// Abstracting a tactic's names into placeholders and adapting them to
// another state (learn/tactic_template.h).
#include "learn/tactic_template.h"

#include <gtest/gtest.h>

namespace thor::learn {
namespace {

LocalNames NamesOf(const std::string& hyps, const std::string& goal) {
  std::vector<TextGoal> goals =
      ParseStateText("1 goal (ID 3)\n  \n" + hyps + "  ============================\n  " + goal);
  return LocalNamesOf(goals.at(0));
}

TEST(TacticTemplateTest, AbstractsHypothesesFromTheEndAndBinders) {
  LocalNames names = NamesOf("  A : Type\n  l : list A\n  H : l <> nil\n",
                             "forall (n : nat) (x : A), nth n l x = x");
  EXPECT_EQ(names.binders, (std::vector<std::string>{"n", "x"}));
  std::optional<TacticTemplate> t =
      MakeTemplate("induction  n;\n  [ apply H | rewrite (List.app_nil_r l), H ].", names);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->text, "induction $b0; [apply $h0 | rewrite (List.app_nil_r $h1), $h0].");
  ASSERT_EQ(t->hypothesis_types.size(), 2u);
  EXPECT_EQ(t->hypothesis_types[0], (std::pair<int, std::string>{0, "$v <> nil"}));
  EXPECT_EQ(t->hypothesis_types[1], (std::pair<int, std::string>{1, "list $v"}));
  // Strings, comments and qualified names are left alone; '$' is refused.
  EXPECT_EQ(MakeTemplate("idtac \"H l\" (* H *); exact Foo.H.", names)->text,
            "idtac \"H l\" (* H *); exact Foo.H.");
  EXPECT_FALSE(MakeTemplate("ltac2:($x).", names).has_value());
}

TEST(TacticTemplateTest, AdaptsToAnotherStatesNames) {
  LocalNames train = NamesOf("  A : Type\n  l : list A\n  H : l <> nil\n", "hd_error l <> None");
  TacticTemplate t = *MakeTemplate("destruct l; [now elim H | easy].", train);
  // Other names, an extra hypothesis after the list: the typed match finds
  // the list and the hypothesis about it, not merely the same places.
  LocalNames here = NamesOf("  B : Type\n  xs : list B\n  Hne : xs <> nil\n  k : nat\n",
                            "hd_error xs <> None");
  EXPECT_EQ(Instantiate(t, here), "destruct xs; [now elim Hne | easy].");
  // No hypothesis of that type: the one at the same place from the end.
  LocalNames other = NamesOf("  n : nat\n  m : nat\n  E : n = m\n", "m = n");
  EXPECT_EQ(Instantiate(t, other), "destruct m; [now elim E | easy].");
  // Too few hypotheses or binders: dropped.
  EXPECT_FALSE(Instantiate(t, NamesOf("", "True")).has_value());
  TacticTemplate intro = *MakeTemplate("intros n m.", NamesOf("", "forall n m : nat, n = m"));
  EXPECT_EQ(intro.text, "intros $b0 $b1.");
  EXPECT_EQ(Instantiate(intro, NamesOf("", "forall a b : nat, a = b")), "intros a b.");
  EXPECT_FALSE(Instantiate(intro, NamesOf("", "forall a : nat, a = a")).has_value());
}

TEST(TacticTemplateTest, EncodesTypesAndNormalizesWhitespace) {
  std::vector<std::pair<int, std::string>> types = {{0, "list $v"}, {3, "$v = $v"}};
  EXPECT_EQ(DecodeHypothesisTypes(EncodeHypothesisTypes(types)), types);
  EXPECT_EQ(NormalizeTactic("  rewrite\t H ;\n  auto . "), "rewrite H; auto.");
  EXPECT_EQ(NormalizeTactic("induction l as [ |a l IH ];simpl;auto."),
            "induction l as [|a l IH]; simpl; auto.");
  EXPECT_EQ(NormalizeTactic("rewrite ( foo x ),H."), "rewrite (foo x), H.");
  EXPECT_EQ(NormalizeTactic("idtac ( * ) ."), "idtac ( * ).");
  EXPECT_EQ(NormalizeTactic("idtac \"a  b\"."), "idtac \"a  b\".");
}

TEST(TacticTemplateTest, FirstComponentIsTheFirstStepOfACompound) {
  EXPECT_EQ(FirstComponent("intro l; induction l as [|a l IHl]; simpl; auto."), "intro l.");
  EXPECT_EQ(FirstComponent("destruct y; [ now elim Hy | clear Hy ]."), "destruct y.");
  EXPECT_EQ(FirstComponent("now rewrite add_succ_r, <- IHn."), "rewrite add_succ_r, <- IHn.");
  EXPECT_EQ(FirstComponent("now intro n; induction n."), "intro n; induction n.");
  // No '.': none added.
  EXPECT_EQ(FirstComponent("split; auto"), "split");
  // A ';' inside parentheses, brackets, braces or a string is not a sequence.
  EXPECT_EQ(FirstComponent("assert (H : x = y) by (intros; auto)."), std::nullopt);
  EXPECT_EQ(FirstComponent("destruct H as [H1 H2]; [left; auto | right]."), "destruct H as [H1 H2].");
  EXPECT_EQ(FirstComponent("idtac \"a; b\"."), std::nullopt);
  EXPECT_EQ(FirstComponent("repeat (rewrite x; simpl); auto."), "repeat (rewrite x; simpl).");
  // No compound.
  EXPECT_EQ(FirstComponent("auto."), std::nullopt);
  EXPECT_EQ(FirstComponent("; auto."), std::nullopt);
  EXPECT_EQ(FirstComponent("now."), std::nullopt);
  // A match or a let: left whole; words that merely start so are not.
  EXPECT_EQ(FirstComponent("match goal with H : _ |- _ => inversion H; subst end."),
            std::nullopt);
  EXPECT_EQ(FirstComponent("let x := fresh in intro x; auto."), std::nullopt);
  EXPECT_EQ(FirstComponent("apply matches_nil; letter_ok."), "apply matches_nil.");
}

}  // namespace
}  // namespace thor::learn
