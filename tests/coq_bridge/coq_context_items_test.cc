// The named items the Coq bridge reads from a context for the model's prompt.
#include "coq_bridge/coq_context_items.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thor::coq {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(CoqContextItemsTest, DefinitionsTypesLemmasAndNotations) {
  const std::vector<ContextItem> items = CoqContextItems(
      "Require Import Arith.\n"
      "(* double: twice *)\n"
      "Definition double (n : nat) : nat := n + n.\n"
      "Lemma double_0 : double 0 = 0.\nProof. reflexivity. Qed.\n"
      "Inductive color := Red | Green : color | Blue.\n"
      "Record point := mk_point { px : nat; py : nat }.\n"
      "#[local] Notation \"x +++ y\" := (x + y) (at level 50).\n"
      "Notation \"'twice' x\" := (double x) (at level 10).\n"
      "Infix \"**\" := Nat.mul (at level 40).\n"
      "Variables a b : nat.\n"
      "Program Fixpoint f (n : nat) : nat := n.\n");
  ASSERT_EQ(items.size(), 9u);
  EXPECT_THAT(items[0].names, ElementsAre("double"));
  EXPECT_EQ(items[0].text, "Definition double (n : nat) : nat := n + n.");
  EXPECT_THAT(items[1].names, ElementsAre("double_0"));
  EXPECT_EQ(items[1].text, "Lemma double_0 : double 0 = 0.");  // Not its proof.
  EXPECT_THAT(items[2].names, ElementsAre("color", "Red", "Green", "Blue"));
  EXPECT_THAT(items[3].names, ElementsAre("point", "mk_point", "px", "py"));
  EXPECT_THAT(items[4].names, ElementsAre("+++"));
  EXPECT_THAT(items[5].names, ElementsAre("twice"));
  EXPECT_THAT(items[6].names, ElementsAre("**"));
  EXPECT_THAT(items[7].names, ElementsAre("a", "b"));
  EXPECT_THAT(items[8].names, ElementsAre("f"));
}

TEST(CoqContextItemsTest, TextTheLexerRefusesGivesNoItems) {
  EXPECT_THAT(CoqContextItems("Definition x := \"unterminated."), IsEmpty());
  EXPECT_THAT(CoqContextItems(""), IsEmpty());
}

}  // namespace
}  // namespace thor::coq
