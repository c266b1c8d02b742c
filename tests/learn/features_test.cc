// Reading goal displays and hashing their features (learn/state_text.h,
// learn/features.h).
#include "learn/features.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "learn/state_text.h"

namespace thor::learn {
namespace {

// A real display from `thor extract` of Lists/List.v (two goals, a
// hypothesis over several lines, a local definition).
const char kTwoGoals[] =
    "2 goals (ID 274)\n  \n  A : Type\n  x1, x2 : list A\n"
    "  IHl : forall (n : nat) (d : A),\n        nth n x1 d =\n        nth n x2 d\n"
    "  f := fun y : A => y : A -> A\n"
    "  ============================\n  x1 ++ x2 =\n  x2 ++ x1\n\ngoal 2 (ID 284) is:\n"
    " length x1 = 0";

TEST(StateTextTest, ReadsHypothesesConclusionsAndLaterGoals) {
  std::vector<TextGoal> goals = ParseStateText(kTwoGoals);
  ASSERT_EQ(goals.size(), 2u);
  ASSERT_EQ(goals[0].hypotheses.size(), 5u);
  EXPECT_EQ(goals[0].hypotheses[0].name, "A");
  EXPECT_EQ(goals[0].hypotheses[1].name, "x1");
  EXPECT_EQ(goals[0].hypotheses[2].name, "x2");
  EXPECT_EQ(goals[0].hypotheses[2].type, "list A");
  EXPECT_EQ(goals[0].hypotheses[3].name, "IHl");
  EXPECT_EQ(goals[0].hypotheses[3].type, "forall (n : nat) (d : A), nth n x1 d = nth n x2 d");
  EXPECT_EQ(goals[0].hypotheses[4].name, "f");
  EXPECT_EQ(goals[0].conclusion, "x1 ++ x2 = x2 ++ x1");
  EXPECT_EQ(goals[1].conclusion, "length x1 = 0");
  EXPECT_TRUE(goals[1].hypotheses.empty());
}

TEST(StateTextTest, TextWithoutSeparatorIsOneGoalAndEmptyTextNone) {
  std::vector<TextGoal> goals = ParseStateText("goal (1 subgoal):\n 1. x + 0 = x");
  ASSERT_EQ(goals.size(), 1u);
  EXPECT_EQ(goals[0].conclusion, "goal (1 subgoal): 1. x + 0 = x");
  EXPECT_TRUE(ParseStateText("  \n").empty());
}

TEST(StateTextTest, BindersAndTokens) {
  EXPECT_EQ(BinderNames("forall (l1 l2 : list A) x, exists y : nat, l1 = l2"),
            (std::vector<std::string>{"l1", "l2", "x", "y"}));
  EXPECT_EQ(TermTokens("List.app l1 (x::nil) <-> ~ P'"),
            (std::vector<std::string>{"List.app", "l1", "(", "x", "::", "nil", ")", "<->", "~",
                                      "P'"}));
}

std::string Display(const std::string& hyps, const std::string& goal) {
  return "1 goal (ID 7)\n  \n" + hyps + "  ============================\n  " + goal;
}

// Only the shape of a hypothesis's name (hn:, e.g. IHl against H) is kept.
std::vector<std::string> WithoutNameShapes(const std::string& display) {
  std::vector<std::string> names, out;
  StateFeatures(display, &names);
  for (std::string& n : names) {
    if (n.rfind("hn:", 0) != 0) out.push_back(std::move(n));
  }
  return out;
}

TEST(FeaturesTest, RenamingLocalNamesChangesOnlyNameShapes) {
  std::vector<std::string> a = WithoutNameShapes(
      Display("  A : Type\n  l, m : list A\n", "forall n : nat, length (l ++ m) = n"));
  std::vector<std::string> b = WithoutNameShapes(
      Display("  B : Type\n  xs, ys : list B\n", "forall k : nat, length (xs ++ ys) = k"));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, WithoutNameShapes(Display("  A : Type\n  l, m : list A\n",
                                         "forall n : nat, rev (l ++ m) = n")));
  // Bound variables have no name shape: renaming them changes nothing.
  EXPECT_EQ(StateFeatures(Display("  A : Type\n", "forall l : list A, l = l")),
            StateFeatures(Display("  A : Type\n", "forall xs : list A, xs = xs")));
}

TEST(FeaturesTest, NamesHeadsNgramsAndStructure) {
  std::vector<std::string> names;
  FeatureCounts f =
      StateFeatures(Display("  n : nat\n  IHn : n + 0 = n\n", "S n + 0 = S n"), &names);
  auto has = [&](const std::string& s) {
    return std::find(names.begin(), names.end(), s) != names.end();
  };
  EXPECT_TRUE(has("ch:S"));
  EXPECT_TRUE(has("cm:="));
  EXPECT_TRUE(has("c1:+"));
  EXPECT_TRUE(has("c2:S $v"));
  EXPECT_TRUE(has("c3:S $v +"));
  EXPECT_TRUE(has("hn:IHn"));
  EXPECT_TRUE(has("hh:$v"));
  EXPECT_TRUE(has("h2:$v +"));
  EXPECT_TRUE(has("nh:2"));
  EXPECT_TRUE(has("ng:1"));
  // Sorted by hash, each once, weighted 1 + log(count) ("S" twice in the
  // conclusion), hypothesis features halved.
  for (size_t i = 1; i < f.size(); ++i) EXPECT_LT(f[i - 1].first, f[i].first);
  bool counted_twice = false, halved = false;
  for (const auto& [h, w] : f) {
    counted_twice |= h == FeatureHash("c1:S") && std::abs(w - (1 + std::log(2.0f))) < 1e-6;
    halved |= h == FeatureHash("hh:$v") && std::abs(w - 0.5f) < 1e-6;
  }
  EXPECT_TRUE(counted_twice);
  EXPECT_TRUE(halved);
  EXPECT_EQ(FeatureHash("a"), 0xe40c292cu);  // FNV-1a: model files depend on it.
}

}  // namespace
}  // namespace thor::learn
