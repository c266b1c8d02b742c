// ParseCoqGoals on goal displays captured from coqtop 8.16.1 -emacs (the
// outputs between prompts, verbatim).
#include "coq_bridge/coq_goals.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "coq_bridge/coq_backend.h"

namespace thor::coq {
namespace {

using ::testing::ElementsAre;

// After `intros n m l. set (k := n + m). pose (f := fun x : nat => x + 1).
// split.`: two goals, multi-name and let-bound hypotheses, one whose body
// has a binder with its own colon.
constexpr char kTwoGoals[] =
    "2 goals (ID 13)\n"
    "  \n"
    "  n, m : nat\n"
    "  l : list nat\n"
    "  k := n + m : nat\n"
    "  f := fun x : nat => x + 1 : nat -> nat\n"
    "  ============================\n"
    "  k = m + n\n"
    "\n"
    "goal 2 (ID 14) is:\n"
    " length l = length l\n";

// A hypothesis and a conclusion that Coq wrapped over several lines.
constexpr char kWrapped[] =
    "1 goal (ID 18)\n"
    "  \n"
    "  A : Type\n"
    "  xs, ys, zs : list A\n"
    "  H : forall a b c : list A,\n"
    "      a ++ b ++ c = (a ++ b) ++ c /\\\n"
    "      length (a ++ b ++ c) = length a + length b + length c\n"
    "  ============================\n"
    "  True /\\ True\n";

constexpr char kWrappedConclusion[] =
    "1 goal (ID 13)\n"
    "  \n"
    "  ============================\n"
    "  forall A : Type,\n"
    "  list A ->\n"
    "  list A ->\n"
    "  (forall a b c : list A,\n"
    "   a ++ b ++ c = (a ++ b) ++ c) -> \n"
    "  True /\\ True\n";

// After a bullet closed its subgoal: no "=====" line at all.
constexpr char kSubproofComplete[] =
    "<infomsg>\n"
    "This subproof is complete, but there are some unfocused goals.\n"
    "Focus next goal with bullet -.\n"
    "</infomsg>\n"
    "1 goal\n"
    "\n"
    "goal 1 (ID 21) is:\n"
    " True\n";

TEST(CoqGoalsTest, TwoGoalsWithMultiNameAndLetBoundHypotheses) {
  std::vector<StructuredGoal> goals = ParseCoqGoals(kTwoGoals);
  ASSERT_EQ(goals.size(), 2u);
  const std::vector<GoalHypothesis>& h = goals[0].hypotheses;
  ASSERT_EQ(h.size(), 4u);
  EXPECT_THAT(h[0].names, ElementsAre("n", "m"));
  EXPECT_EQ(h[0].type, "nat");
  EXPECT_EQ(h[0].body, "");
  EXPECT_THAT(h[1].names, ElementsAre("l"));
  EXPECT_EQ(h[1].type, "list nat");
  EXPECT_THAT(h[2].names, ElementsAre("k"));
  EXPECT_EQ(h[2].body, "n + m");
  EXPECT_EQ(h[2].type, "nat");
  // The binder's own colon stays in the body.
  EXPECT_THAT(h[3].names, ElementsAre("f"));
  EXPECT_EQ(h[3].body, "fun x : nat => x + 1");
  EXPECT_EQ(h[3].type, "nat -> nat");
  EXPECT_EQ(goals[0].conclusion, "k = m + n");
  // coqtop shows the other goals' conclusions only.
  EXPECT_TRUE(goals[1].hypotheses.empty());
  EXPECT_EQ(goals[1].conclusion, "length l = length l");
}

TEST(CoqGoalsTest, WrappedLinesAreJoined) {
  std::vector<StructuredGoal> goals = ParseCoqGoals(kWrapped);
  ASSERT_EQ(goals.size(), 1u);
  ASSERT_EQ(goals[0].hypotheses.size(), 3u);
  EXPECT_THAT(goals[0].hypotheses[1].names, ElementsAre("xs", "ys", "zs"));
  EXPECT_THAT(goals[0].hypotheses[2].names, ElementsAre("H"));
  EXPECT_EQ(goals[0].hypotheses[2].type,
            "forall a b c : list A, a ++ b ++ c = (a ++ b) ++ c /\\ length (a ++ b ++ c) = "
            "length a + length b + length c");
  EXPECT_EQ(goals[0].conclusion, "True /\\ True");

  goals = ParseCoqGoals(kWrappedConclusion);
  ASSERT_EQ(goals.size(), 1u);
  EXPECT_TRUE(goals[0].hypotheses.empty());
  EXPECT_EQ(goals[0].conclusion,
            "forall A : Type, list A -> list A -> (forall a b c : list A, a ++ b ++ c = (a ++ b) "
            "++ c) -> True /\\ True");
}

TEST(CoqGoalsTest, DisplayWithoutSeparatorListsTheRemainingGoals) {
  std::vector<StructuredGoal> goals = ParseCoqGoals(kSubproofComplete);
  ASSERT_EQ(goals.size(), 1u);
  EXPECT_TRUE(goals[0].hypotheses.empty());
  EXPECT_EQ(goals[0].conclusion, "True");
}

TEST(CoqGoalsTest, UnknownTextIsOneUnparsedConclusionAndEmptyTextNoGoal) {
  std::vector<StructuredGoal> goals = ParseCoqGoals("No more goals.");
  ASSERT_EQ(goals.size(), 1u);
  EXPECT_EQ(goals[0].conclusion, "No more goals.");
  EXPECT_TRUE(ParseCoqGoals(" \n ").empty());
}

TEST(CoqGoalsTest, Hypotheses) {
  GoalHypothesis h;
  ASSERT_TRUE(ParseCoqHypothesis("H : forall x : nat, x = x", &h));
  EXPECT_THAT(h.names, ElementsAre("H"));
  EXPECT_EQ(h.type, "forall x : nat, x = x");
  ASSERT_TRUE(ParseCoqHypothesis("IHl : length (l ++ []) = length l", &h));
  EXPECT_EQ(h.type, "length (l ++ []) = length l");
  // A list cons "::" and a let in the body are not the type's colon.
  ASSERT_TRUE(ParseCoqHypothesis("x := let y := 1 :: nil in y : list nat", &h));
  EXPECT_EQ(h.body, "let y := 1 :: nil in y");
  EXPECT_EQ(h.type, "list nat");
  EXPECT_FALSE(ParseCoqHypothesis("no colon here", &h));
  EXPECT_FALSE(ParseCoqHypothesis("a b : nat", &h));  // Not a name list.
}

// The backend's seam (ProverBackend::ParseGoals) is this parser.
TEST(CoqGoalsTest, BackendParsesGoals) {
  CoqBackend backend;
  std::vector<StructuredGoal> goals = backend.ParseGoals(kTwoGoals);
  ASSERT_EQ(goals.size(), 2u);
  EXPECT_EQ(goals[0].hypotheses.size(), 4u);
}

}  // namespace
}  // namespace thor::coq
