// The named items the Isabelle bridge reads from a theory context for the
// model's prompt.
#include "isabelle_bridge/isabelle_context_items.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thor::isabelle {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(IsabelleContextItemsTest, DefinitionsTypesLemmasAndNotations) {
  const std::vector<ContextItem> items = IsabelleContextItems(
      "theory T imports Main begin\n"
      "(* squares *)\n"
      "definition sq :: \"nat \\<Rightarrow> nat\" where \"sq n = n * n\"\n"
      "lemma sq_mono [simp]: \"m \\<le> n \\<Longrightarrow> sq m \\<le> sq n\"\n"
      "  unfolding sq_def by (simp add: mult_le_mono)\n"
      "lemma \"sq 0 = 0\" by simp\n"
      "datatype 'a tree = Leaf | Node \"'a tree\" 'a \"'a tree\"\n"
      "fun plus3 :: \"nat \\<Rightarrow> nat \\<Rightarrow> nat\" (infixl \"+++\" 65) where\n"
      "  \"a +++ b = a + b\"\n");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_THAT(items[0].names, ElementsAre("sq"));
  EXPECT_EQ(items[0].text, "definition sq :: \"nat \\<Rightarrow> nat\" where \"sq n = n * n\"");
  EXPECT_THAT(items[1].names, ElementsAre("sq_mono"));
  EXPECT_EQ(items[1].text,
            "lemma sq_mono [simp]: \"m \\<le> n \\<Longrightarrow> sq m \\<le> sq n\"");
  EXPECT_THAT(items[2].names, ElementsAre("tree", "Leaf", "Node"));
  EXPECT_THAT(items[3].names, ElementsAre("plus3", "+++"));
}

TEST(IsabelleContextItemsTest, TextTheLexerRefusesGivesNoItems) {
  EXPECT_THAT(IsabelleContextItems("definition x where \"unterminated"), IsEmpty());
}

}  // namespace
}  // namespace thor::isabelle
